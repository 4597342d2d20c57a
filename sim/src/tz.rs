//! `dateTimeTimeZone` → UTC for status-message expiry.
//!
//! Deviation: Graph knows every Windows and IANA zone. The simulator knows UTC and a small table
//! of common zones with their standard offsets and the EU or US daylight-saving rules; any other
//! zone is refused with 400 `InvalidArgument` so the gap is visible rather than silently wrong.

use crate::util::{days_from_civil, days_in_month};

#[derive(Clone, Copy)]
enum Dst {
    None,
    Eu,
    Us,
}

const ZONES: &[(&str, i64, Dst)] = &[
    ("UTC", 0, Dst::None),
    ("Etc/UTC", 0, Dst::None),
    ("Coordinated Universal Time", 0, Dst::None),
    ("GMT Standard Time", 0, Dst::Eu),
    ("Europe/London", 0, Dst::Eu),
    ("W. Europe Standard Time", 60, Dst::Eu),
    ("Romance Standard Time", 60, Dst::Eu),
    ("Central Europe Standard Time", 60, Dst::Eu),
    ("Central European Standard Time", 60, Dst::Eu),
    ("Europe/Berlin", 60, Dst::Eu),
    ("Europe/Paris", 60, Dst::Eu),
    ("Europe/Amsterdam", 60, Dst::Eu),
    ("FLE Standard Time", 120, Dst::Eu),
    ("E. Europe Standard Time", 120, Dst::Eu),
    ("GTB Standard Time", 120, Dst::Eu),
    ("Europe/Helsinki", 120, Dst::Eu),
    ("Eastern Standard Time", -300, Dst::Us),
    ("America/New_York", -300, Dst::Us),
    ("Central Standard Time", -360, Dst::Us),
    ("America/Chicago", -360, Dst::Us),
    ("Mountain Standard Time", -420, Dst::Us),
    ("America/Denver", -420, Dst::Us),
    ("Pacific Standard Time", -480, Dst::Us),
    ("America/Los_Angeles", -480, Dst::Us),
    ("India Standard Time", 330, Dst::None),
    ("Asia/Kolkata", 330, Dst::None),
    ("China Standard Time", 480, Dst::None),
    ("Singapore Standard Time", 480, Dst::None),
    ("Tokyo Standard Time", 540, Dst::None),
    ("Asia/Tokyo", 540, Dst::None),
];

fn weekday(days: i64) -> i64 {
    (days + 4).rem_euclid(7) // 0 = Sunday
}

fn last_sunday(y: i64, m: u32) -> i64 {
    let last = days_from_civil(y, m, days_in_month(y, m));
    last - weekday(last)
}

fn nth_sunday(y: i64, m: u32, n: i64) -> i64 {
    let first = days_from_civil(y, m, 1);
    first + (7 - weekday(first)) % 7 + 7 * (n - 1)
}

/// Whether daylight saving applies at UTC instant `utc_ms` in a zone of standard offset `std_min`.
fn in_dst(rule: Dst, y: i64, utc_ms: i64, std_min: i64) -> bool {
    let day = 86_400_000i64;
    match rule {
        Dst::None => false,
        Dst::Eu => {
            let start = last_sunday(y, 3) * day + 3_600_000;
            let end = last_sunday(y, 10) * day + 3_600_000;
            utc_ms >= start && utc_ms < end
        }
        Dst::Us => {
            // 02:00 local standard time on the 2nd Sunday of March; 02:00 local daylight time
            // (01:00 standard) on the 1st Sunday of November.
            let start = nth_sunday(y, 3, 2) * day + 2 * 3_600_000 - std_min * 60_000;
            let end = nth_sunday(y, 11, 1) * day + 3_600_000 - std_min * 60_000;
            utc_ms >= start && utc_ms < end
        }
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fffffff]` (no zone designator) in `zone`; returns UTC ms.
pub fn local_to_utc_ms(date_time: &str, zone: &str) -> Result<i64, String> {
    let Some(&(_, std_min, rule)) = ZONES.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(zone)) else {
        return Err(format!("The time zone '{zone}' is not supported by the simulator."));
    };
    let bad = || {
        format!("The provided [DateTime] '{date_time}' is not valid; expected yyyy-MM-ddTHH:mm:ss[.fffffff] without a time zone.")
    };
    let b = date_time.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
        let s = date_time.get(r).ok_or_else(bad)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse::<i64>().map_err(|_| bad())
    };
    let (y, mo, d, h, mi, s) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let mut frac_ms = 0i64;
    if b.len() > 19 {
        if b[19] != b'.' || b.len() == 20 || !b[20..].iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let digits = &date_time[20..];
        let first3: String = digits.chars().chain("000".chars()).take(3).collect();
        frac_ms = first3.parse::<i64>().map_err(|_| bad())?;
    }
    let mo_u = u32::try_from(mo).map_err(|_| bad())?;
    if !(1..=12).contains(&mo_u) || d < 1 || d > i64::from(days_in_month(y, mo_u)) || h > 23 || mi > 59 || s > 59 {
        return Err(bad());
    }
    let d_u = u32::try_from(d).map_err(|_| bad())?;
    let local_ms = days_from_civil(y, mo_u, d_u) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + frac_ms;
    let mut utc = local_ms - std_min * 60_000;
    if in_dst(rule, y, utc - 3_600_000, std_min) {
        utc -= 3_600_000;
    }
    Ok(utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones() {
        let utc = local_to_utc_ms("2026-07-01T12:00:00", "UTC").unwrap_or(0);
        assert_eq!(local_to_utc_ms("2026-07-01T14:00:00", "W. Europe Standard Time"), Ok(utc));
        assert_eq!(local_to_utc_ms("2026-07-01T05:00:00", "Pacific Standard Time"), Ok(utc));
        let jan = local_to_utc_ms("2026-01-01T12:00:00", "UTC").unwrap_or(0);
        assert_eq!(local_to_utc_ms("2026-01-01T13:00:00", "Europe/Berlin"), Ok(jan));
        assert_eq!(local_to_utc_ms("2026-01-01T04:00:00", "Pacific Standard Time"), Ok(jan));
        assert!(local_to_utc_ms("2026-01-01T04:00:00Z", "UTC").is_err());
        assert!(local_to_utc_ms("2026-02-30T04:00:00", "UTC").is_err());
        assert!(local_to_utc_ms("2026-01-01T04:00:00", "Mars/Olympus").is_err());
        assert_eq!(local_to_utc_ms("1970-01-01T00:00:01.2079781", "UTC"), Ok(1207));
    }
}
