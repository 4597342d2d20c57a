//! Strict `Edm.Duration` parsing (graph-presence.md §8.2).
//!
//! Accepted: `P[nD][T[nH][nM][n[.f]S]]` with at least one component, `T` only when a time
//! component follows, a fraction only on seconds, no sign, no `W`, `Y` or month `M`.
//! The value is returned in nanoseconds; digits beyond nanosecond precision round up, so a value
//! a hair above a bound still counts as above it.

/// Parses a duration; `None` when it is not a valid unsigned `Edm.Duration`.
pub fn parse_duration_nanos(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    if b.first() != Some(&b'P') {
        return None;
    }
    let mut i = 1;
    let mut total: i128 = 0;
    let mut components = 0;
    let mut in_time = false;
    // Order index of the last designator seen: D=0, H=1, M=2, S=3.
    let mut last: i32 = -1;
    while i < b.len() {
        if b[i] == b'T' {
            if in_time {
                return None;
            }
            in_time = true;
            i += 1;
            // `T` must be followed by a time component.
            if i >= b.len() {
                return None;
            }
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let int_digits = std::str::from_utf8(&b[start..i]).ok()?;
        let int: i128 = int_digits.parse().ok()?;
        let mut frac_nanos: i128 = 0;
        let mut has_frac = false;
        if i < b.len() && b[i] == b'.' {
            has_frac = true;
            i += 1;
            let fs = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == fs {
                return None;
            }
            let digits = &b[fs..i];
            let mut scale: i128 = 100_000_000;
            let mut round_up = false;
            for (k, d) in digits.iter().enumerate() {
                let v = i128::from(d - b'0');
                if k < 9 {
                    frac_nanos += v * scale;
                    scale /= 10;
                } else if v != 0 {
                    round_up = true;
                }
            }
            if round_up {
                frac_nanos += 1;
            }
        }
        let designator = *b.get(i)?;
        i += 1;
        let (order, unit): (i32, i128) = match (designator, in_time) {
            (b'D', false) => (0, 86_400_000_000_000),
            (b'H', true) => (1, 3_600_000_000_000),
            (b'M', true) => (2, 60_000_000_000),
            (b'S', true) => (3, 1_000_000_000),
            _ => return None,
        };
        if order <= last || (has_frac && designator != b'S') {
            return None;
        }
        last = order;
        components += 1;
        total = total.checked_add(int.checked_mul(unit)?)?.checked_add(frac_nanos)?;
    }
    if components == 0 || (in_time && last < 1) {
        return None;
    }
    Some(total)
}

/// Same as [`parse_duration_nanos`], in whole milliseconds (rounded up).
pub fn parse_duration_ms(s: &str) -> Option<i64> {
    let n = parse_duration_nanos(s)?;
    i64::try_from((n + 999_999) / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let ok: &[(&str, i128)] = &[
            ("PT5M", 300_000_000_000),
            ("PT1H30M", 5_400_000_000_000),
            ("PT4H", 14_400_000_000_000),
            ("P1D", 86_400_000_000_000),
            ("P7D", 604_800_000_000_000),
            ("P1DT2H", 93_600_000_000_000),
            ("PT30S", 30_000_000_000),
            ("PT1.5S", 1_500_000_000),
            ("PT0S", 0),
            ("P0D", 0),
            ("PT0.0000000001S", 1),
        ];
        for (s, n) in ok {
            assert_eq!(parse_duration_nanos(s), Some(*n), "{s}");
        }
        for s in [
            "",
            "P",
            "PT",
            "-PT5M",
            "+PT5M",
            "PT1.5H",
            "PT1.5M",
            "P1W",
            "P1Y",
            "P1M",
            "PT5m",
            "pt5m",
            "PT5M1H",
            "P1DT",
            "PTT1H",
            "PT1H1H",
            "5M",
            "PT.5S",
            "PT5.S",
            "P1.5D",
            "PT 5M",
            "PT5M ",
            "duration'PT5M'",
            "2:00:00",
            "PT-1H",
            "P1DT1D",
        ] {
            assert_eq!(parse_duration_nanos(s), None, "{s:?} must be rejected");
        }
    }
}
