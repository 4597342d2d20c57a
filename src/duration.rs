//! `Edm.Duration`: parsing, friendly input, canonical encoding, and expiry arithmetic.
//!
//! Accepted (`graph-presence.md` §8):
//! - the OData form `P[nD][T[nH][nM][n[.f]S]]`: digits only, a fraction only on seconds, at least
//!   one component, `T` only when a time component follows (valid under both the OData ABNF and
//!   xsd:dayTimeDuration);
//! - the ISO week form `PnW` on its own (n × 7 days);
//! - friendly input typed by people: one or more `<integer><unit>` groups, units `w d h m s`,
//!   case-insensitive, optional spaces (`90m`, `1h30m`, `1h 30m`, `2d`).
//!
//! Emitted: one canonical form. Seconds carry into minutes, minutes into hours, hours into days;
//! zero components are omitted; weeks are never emitted; fractional seconds lose trailing zeros.
//! That avoids every string the official SDKs are known to get wrong (`P1W`, `PT-1H`, `2:00:00`).

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

use crate::availability::Availability;
use crate::error::{
    find_ascii, has_ascii, push_decimal, show_number, split_once_ascii, trim, trim_end_ascii, Kind, PresenceError,
};
use crate::value::{FromValue, Obj, Out, ToValue, Value};

/// The longest duration we accept: 2^53 − 1 seconds, so that whole seconds stay exact as a
/// JavaScript number (about 285 million years; anything near it is a typo, not an expiry).
pub const MAX_SECONDS: u64 = (1 << 53) - 1;

/// Most fractional digits of seconds kept from input (the OData JSON example uses 12).
pub const MAX_FRACTION_DIGITS: usize = 12;

const EXAMPLES: &str = "e.g. PT30M, PT1H30M, P1D, P1W, 90m or 1h 30m";

/// A positive duration: whole seconds plus an optional decimal fraction of a second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duration {
    whole: u64,
    /// Fraction digits without trailing zeros; empty for whole seconds.
    fraction: String,
}

impl Duration {
    /// A whole number of seconds, refusing zero and values over [`MAX_SECONDS`].
    pub fn from_secs(field: &'static str, seconds: u64) -> Result<Self, PresenceError> {
        let mut input = String::new();
        push_decimal(&mut input, seconds);
        Self::checked(field, seconds, String::new(), &input)
    }

    fn checked(field: &'static str, whole: u64, fraction: String, input: &str) -> Result<Self, PresenceError> {
        let fraction = trim_end_ascii(&fraction, b'0').to_owned();
        if whole == 0 && fraction.is_empty() {
            return Err(invalid(field, input, "it is zero, and an expiry must lie in the future"));
        }
        if whole > MAX_SECONDS {
            return Err(too_long(field, input));
        }
        Ok(Self { whole, fraction })
    }

    /// Whole seconds (the fraction dropped).
    pub fn whole_seconds(&self) -> u64 {
        self.whole
    }

    /// The length in seconds as a JavaScript number.
    pub fn seconds_f64(&self) -> f64 {
        // Exact: whole <= 2^53 - 1.
        let whole = self.whole as f64;
        let digits = self.fraction.len();
        let Some(numerator) = parse_u64(&self.fraction) else {
            return whole;
        };
        // One correctly rounded division of two exact values while the scaled integer fits in
        // 53 bits, which covers every value with millisecond precision below 2^43 seconds; past
        // that the fraction is below the number's precision anyway. (Avoids `f64::from_str`,
        // which would add 15 KB to the gzipped wasm.)
        // 10^digits (at most 10^12), by a loop: no `u64::pow` ships.
        let mut scale = 1u64;
        for _ in 0..digits {
            scale *= 10;
        }
        // `whole * scale + numerator` when it is at most MAX_SECONDS, overflow ruled out by a
        // division rather than `checked_mul` (whose 128-bit multiply would ship).
        let scaled = (self.whole <= MAX_SECONDS / scale.max(1)).then(|| self.whole * scale + numerator);
        match scaled {
            Some(scaled) if scaled <= MAX_SECONDS => scaled as f64 / scale as f64,
            // `scale as f64` is `10f64.powi(digits)` exactly (powers of ten up to 10^22 are).
            _ => whole + numerator as f64 / scale as f64,
        }
    }

    /// Compares with a whole number of seconds.
    pub fn cmp_secs(&self, seconds: u64) -> Ordering {
        match self.whole.cmp(&seconds) {
            Ordering::Equal if !self.fraction.is_empty() => Ordering::Greater,
            other => other,
        }
    }

    /// The canonical `Edm.Duration` text (pushed digit by digit: no `core::fmt` per part).
    pub fn to_iso(&self) -> String {
        let days = self.whole / 86_400;
        let hours = self.whole % 86_400 / 3_600;
        let minutes = self.whole % 3_600 / 60;
        let seconds = self.whole % 60;
        let mut out = String::from("P");
        if days > 0 {
            push_decimal(&mut out, days);
            out.push('D');
        }
        if hours > 0 || minutes > 0 || seconds > 0 || !self.fraction.is_empty() {
            out.push('T');
            if hours > 0 {
                push_decimal(&mut out, hours);
                out.push('H');
            }
            if minutes > 0 {
                push_decimal(&mut out, minutes);
                out.push('M');
            }
            if seconds > 0 || !self.fraction.is_empty() {
                push_decimal(&mut out, seconds);
                if !self.fraction.is_empty() {
                    out.push('.');
                    out.push_str(&self.fraction);
                }
                out.push('S');
            }
        }
        out
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

fn invalid(field: &'static str, input: &str, reason: impl Into<String>) -> PresenceError {
    Kind::InvalidDuration { field, input: input.to_owned(), reason: reason.into() }.into()
}

fn too_long(field: &'static str, input: &str) -> PresenceError {
    // MAX_SECONDS spelled out (checked by a test), so no integer formatting ships for it.
    invalid(field, input, "it is longer than the maximum of 9007199254740991 seconds (about 104 billion days)")
}

/// Parses a duration for `field` (used in error messages) from ISO or friendly text.
pub fn parse(field: &'static str, input: &str) -> Result<Duration, PresenceError> {
    let text = trim(input);
    let Some(first) = text.chars().next() else {
        return Err(invalid(field, input, format!("it is empty; expected a duration, {EXAMPLES}")));
    };
    match first {
        '-' | '+' | '\u{2212}' => {
            Err(invalid(field, input, "a sign is not allowed: an expiry is a positive length of time"))
        }
        'P' | 'p' => parse_iso(field, input, text.get(1..).unwrap_or_default()),
        '0'..='9' => parse_friendly(field, input, text),
        _ => Err(invalid(field, input, format!("expected an ISO 8601 duration or a friendly one, {EXAMPLES}"))),
    }
}

/// Reads a run of ASCII digits starting at `i`; returns the end index.
fn digits_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// `text` as a `u64`, exactly as `text.parse::<u64>()` reads it (an optional `+`, then at least
/// one ASCII digit, no overflow), without core's parser and the 128-bit multiply of its
/// overflow check.
pub(crate) fn parse_u64(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        let d = u64::from(b.wrapping_sub(b'0'));
        if d > 9 || n > (u64::MAX - d) / 10 {
            return None;
        }
        n = n * 10 + d;
    }
    Some(n)
}

/// `text` as a `u32`, exactly as `text.parse::<u32>()` reads it, through the `u64` parser the
/// durations need anyway (one integer parser in the wasm instead of two).
pub(crate) fn parse_u32(text: &str) -> Option<u32> {
    parse_u64(text).and_then(|n| u32::try_from(n).ok())
}

fn number(field: &'static str, input: &str, digits: &str) -> Result<u64, PresenceError> {
    parse_u64(digits).ok_or_else(|| too_long(field, input))
}

/// `total + value * scale` if it is at most MAX_SECONDS (`total` is): overflow ruled out by a
/// division rather than `checked_mul`.
fn add_scaled(field: &'static str, input: &str, total: u64, value: u64, scale: u64) -> Result<u64, PresenceError> {
    let limit = MAX_SECONDS.checked_div(scale).unwrap_or(u64::MAX);
    Some(value)
        .filter(|v| *v <= limit)
        .map(|v| v * scale + total)
        .filter(|v| *v <= MAX_SECONDS)
        .ok_or_else(|| too_long(field, input))
}

fn parse_iso(field: &'static str, input: &str, rest: &str) -> Result<Duration, PresenceError> {
    let upper = rest.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    if bytes.is_empty() {
        return Err(invalid(field, input, format!("P alone has no components; {EXAMPLES}")));
    }
    // The ISO week form stands alone: PnW.
    if let Some(w_at) = find_ascii(&upper, b'W') {
        let digits = upper.get(..w_at).unwrap_or_default();
        if w_at + 1 == upper.len() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let weeks = number(field, input, digits)?;
            let total = add_scaled(field, input, 0, weeks, 7 * 86_400)?;
            return Duration::checked(field, total, String::new(), input);
        }
        return Err(invalid(
            field,
            input,
            "weeks (W) can only stand alone, as in P2W; combine days instead, as in P14DT2H",
        ));
    }
    let mut total: u64 = 0;
    let mut fraction = String::new();
    let mut in_time = false;
    let mut last_rank: Option<u8> = None;
    let mut components = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = upper.get(i..).and_then(|s| s.chars().next()).unwrap_or(' ');
        if c == 'T' {
            if in_time {
                return Err(invalid(field, input, "T appears twice; write it once, before the hours"));
            }
            in_time = true;
            i += 1;
            if i == bytes.len() {
                return Err(invalid(field, input, "T must be followed by hours, minutes or seconds, as in PT30M"));
            }
            continue;
        }
        if c == '-' || c == '+' {
            return Err(invalid(field, input, "a sign is not allowed: an expiry is a positive length of time"));
        }
        let end = digits_end(bytes, i);
        if end == i {
            return Err(if matches!(c, 'Y' | 'M' | 'D' | 'H' | 'S') {
                invalid(field, input, format!("designator {} has no number before it", String::from(c)))
            } else {
                invalid(field, input, format!("unexpected character '{}'; {EXAMPLES}", String::from(c)))
            });
        }
        let digits = upper.get(i..end).unwrap_or_default();
        i = end;
        let mut frac_digits: Option<&str> = None;
        match bytes.get(i).map(|b| *b as char) {
            Some('.') => {
                let frac_end = digits_end(bytes, i + 1);
                if frac_end == i + 1 {
                    return Err(invalid(field, input, "a decimal point must be followed by digits, as in PT1.5S"));
                }
                frac_digits = upper.get(i + 1..frac_end);
                i = frac_end;
            }
            Some(',') => {
                return Err(invalid(
                    field,
                    input,
                    "comma decimals are not allowed; use a dot, and only on seconds, as in PT1.5S",
                ))
            }
            _ => {}
        }
        let Some(designator) = upper.get(i..).and_then(|s| s.chars().next()) else {
            return Err(invalid(
                field,
                input,
                format!("the number {digits} has no designator after it (D, H, M or S)"),
            ));
        };
        i += designator.len_utf8();
        let (rank, scale, name) = match (designator, in_time) {
            ('Y', _) => {
                return Err(invalid(
                    field,
                    input,
                    "years (Y) are not part of Edm.Duration and have no fixed length; use days, as in P365D",
                ))
            }
            ('M', false) => return Err(invalid(
                field,
                input,
                "months (M before T) are not part of Edm.Duration and have no fixed length; for minutes write PT30M",
            )),
            ('D', false) => (0, 86_400, "days (D)"),
            ('D', true) => {
                return Err(invalid(field, input, "days (D) must come before T, as in P1DT2H"));
            }
            ('H', false) | ('S', false) => {
                return Err(invalid(field, input, {
                    let d = String::from(designator);
                    format!("{d} must come after T, as in PT1{d}")
                }));
            }
            ('H', true) => (1, 3_600, "hours (H)"),
            ('M', true) => (2, 60, "minutes (M)"),
            ('S', true) => (3, 1, "seconds (S)"),
            (other, _) => {
                return Err(invalid(
                    field,
                    input,
                    format!("unexpected character '{}'; {EXAMPLES}", String::from(other)),
                ));
            }
        };
        if let Some(last) = last_rank {
            if rank == last {
                return Err(invalid(field, input, format!("{name} appear twice")));
            }
            if rank < last {
                return Err(invalid(field, input, format!("{name} are out of order; the order is D, T, H, M, S")));
            }
        }
        if let Some(frac) = frac_digits {
            if rank != 3 {
                return Err(invalid(
                    field,
                    input,
                    format!("only seconds may have a fraction, not {name}; write PT1H30M for 1.5 hours"),
                ));
            }
            if frac.len() > MAX_FRACTION_DIGITS {
                return Err(invalid(
                    field,
                    input,
                    // MAX_FRACTION_DIGITS spelled out (checked by a test).
                    "at most 12 fractional digits of seconds are kept",
                ));
            }
            fraction = frac.to_owned();
        }
        last_rank = Some(rank);
        components += 1;
        total = add_scaled(field, input, total, number(field, input, digits)?, scale)?;
    }
    if components == 0 {
        return Err(invalid(field, input, format!("it has no components; {EXAMPLES}")));
    }
    Duration::checked(field, total, fraction, input)
}

fn parse_friendly(field: &'static str, input: &str, text: &str) -> Result<Duration, PresenceError> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut total: u64 = 0;
    let mut seen = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b' ') {
            i += 1;
            continue;
        }
        let end = digits_end(bytes, i);
        if end == i {
            let c = lower.get(i..).and_then(|s| s.chars().next()).unwrap_or(' ');
            return Err(invalid(
                field,
                input,
                format!(
                    "unexpected '{}'; friendly durations are groups like 1h 30m (units w, d, h, m, s)",
                    String::from(c)
                ),
            ));
        }
        let digits = lower.get(i..end).unwrap_or_default();
        i = end;
        match bytes.get(i) {
            Some(b'.') | Some(b',') => {
                return Err(invalid(
                    field,
                    input,
                    "friendly durations take whole numbers; write 1h 30m instead of 1.5h",
                ))
            }
            _ => {}
        }
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        let Some(unit) = bytes.get(i).map(|b| *b as char) else {
            return Err(invalid(field, input, format!("{digits} has no unit; add w, d, h, m or s, as in {digits}m")));
        };
        let scale = match unit {
            'w' => 7 * 86_400,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            other => {
                return Err(invalid(
                    field,
                    input,
                    format!("unknown unit '{}'; use w, d, h, m or s, as in 1h 30m", String::from(other)),
                ))
            }
        };
        if has_ascii(&seen, unit as u8) {
            return Err(invalid(field, input, format!("the unit {} appears twice", String::from(unit))));
        }
        seen.push(unit);
        i += 1;
        total = add_scaled(field, input, total, number(field, input, digits)?, scale)?;
    }
    Duration::checked(field, total, String::new(), input)
}

/// Formats a number of seconds (a JavaScript number) as a canonical duration. Fractions are kept
/// to the nanosecond.
pub fn format_seconds(seconds: f64) -> Result<Duration, PresenceError> {
    let shown = show_number(seconds);
    if !seconds.is_finite() {
        return Err(invalid("seconds", &shown, "it is not a finite number"));
    }
    if seconds <= 0.0 {
        return Err(invalid("seconds", &shown, "it must be greater than zero: an expiry must lie in the future"));
    }
    if seconds > MAX_SECONDS as f64 {
        return Err(too_long("seconds", &shown));
    }
    let whole_f = seconds.trunc();
    // Exact: subtracting the integer part of an f64 loses nothing.
    let mut nanos = crate::error::round((seconds - whole_f) * 1e9) as u64;
    let mut whole = whole_f as u64;
    if nanos >= 1_000_000_000 {
        whole += 1;
        nanos -= 1_000_000_000;
    }
    // Nine digits with leading zeros (what `{nanos:09}` writes).
    let mut fraction = String::new();
    if nanos != 0 {
        let mut divisor = 100_000_000;
        while divisor > 0 {
            fraction.push(char::from(b'0' + (nanos / divisor % 10) as u8));
            divisor /= 10;
        }
    }
    if whole == 0 && nanos == 0 {
        return Err(invalid("seconds", &shown, "it is below one nanosecond"));
    }
    Duration::checked("seconds", whole, fraction, &shown)
}

/// Checks that a JavaScript millisecond timestamp is usable.
pub fn check_ms(field: &'static str, ms: f64) -> Result<f64, PresenceError> {
    // ±8.64e15 ms is the range of a JavaScript Date.
    if ms.is_finite() && ms.abs() <= 8.64e15 {
        Ok(ms)
    } else {
        Err(Kind::InvalidInput {
            field: Some(field.to_owned()),
            message: format!(
                "{field} must be a millisecond timestamp within the range of a Date, got {}",
                show_number(ms)
            ),
        }
        .into())
    }
}

/// The canonical duration from `now_ms` to `target_ms`, rounded up to the whole minute.
pub fn until(now_ms: f64, target_ms: f64) -> Result<Duration, PresenceError> {
    let now_ms = check_ms("nowMs", now_ms)?;
    let target_ms = check_ms("targetMs", target_ms)?;
    if target_ms <= now_ms {
        return Err(Kind::TargetInPast {
            field: "targetMs",
            now_ms: show_number(now_ms),
            target_ms: show_number(target_ms),
        }
        .into());
    }
    let minutes = ((target_ms - now_ms) / 60_000.0).ceil() as u64;
    // `saturating_mul(60)` without its 128-bit multiply.
    Duration::from_secs("targetMs", if minutes > u64::MAX / 60 { u64::MAX } else { minutes * 60 })
}

/// A duration with its end instant, as the boundary returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Expiry {
    pub iso: String,
    pub seconds: f64,
    pub until_ms: f64,
    /// True when no expiration was given and Graph's default applies.
    pub is_default: bool,
}

impl Expiry {
    fn new(duration: &Duration, now_ms: f64, is_default: bool) -> Self {
        let seconds = duration.seconds_f64();
        Self { iso: duration.to_iso(), seconds, until_ms: now_ms + seconds * 1000.0, is_default }
    }
}

/// A duration as `{ iso, seconds }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationOut {
    pub iso: String,
    pub seconds: f64,
}

impl From<&Duration> for DurationOut {
    fn from(d: &Duration) -> Self {
        Self { iso: d.to_iso(), seconds: d.seconds_f64() }
    }
}

impl ToValue for Expiry {
    fn to_value(&self) -> Value {
        Out::new()
            .put("iso", self.iso.to_value())
            .put("seconds", self.seconds.to_value())
            .put("untilMs", self.until_ms.to_value())
            .put("isDefault", self.is_default.to_value())
            .done()
    }
}

impl ToValue for DurationOut {
    fn to_value(&self) -> Value {
        Out::new().put("iso", self.iso.to_value()).put("seconds", self.seconds.to_value()).done()
    }
}

/// Input of `effectiveExpiry`.
#[derive(Debug, Clone)]
pub struct EffectiveExpiryInput {
    pub availability: String,
    pub expiration: Option<String>,
    pub now_ms: f64,
}

impl FromValue for EffectiveExpiryInput {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["availability", "expiration", "nowMs"])?;
        Ok(Self { availability: o.req("availability")?, expiration: o.opt("expiration")?, now_ms: o.req("nowMs")? })
    }
}

crate::deserialize_via_value!(EffectiveExpiryInput);

/// What a preferred presence will last: the given expiration, or Graph's default for the
/// availability (1 day for Busy and DoNotDisturb, 7 days otherwise).
pub fn effective_expiry(input: &EffectiveExpiryInput) -> Result<Expiry, PresenceError> {
    let now_ms = check_ms("nowMs", input.now_ms)?;
    let availability = Availability::parse(&input.availability)?;
    match input.expiration.as_deref() {
        Some(text) => Ok(Expiry::new(&parse("expiration", text)?, now_ms, false)),
        None => {
            let d = Duration::from_secs("expiration", availability.default_preferred_expiry_seconds())?;
            Ok(Expiry::new(&d, now_ms, true))
        }
    }
}

/// Parses what a person types into an expiry field: an ISO or friendly duration, or a local wall
/// clock time `until 17:30` (also `bis 17:30`, `17:30`), meaning its next occurrence.
///
/// `tz_offset_minutes` is JavaScript's `Date.prototype.getTimezoneOffset()` at `now_ms` (UTC minus
/// local time, in minutes); a daylight-saving switch between now and the target is not accounted
/// for.
pub fn parse_expiry(text: &str, now_ms: f64, tz_offset_minutes: f64) -> Result<Expiry, PresenceError> {
    let now_ms = check_ms("nowMs", now_ms)?;
    if !tz_offset_minutes.is_finite() || tz_offset_minutes.abs() > 18.0 * 60.0 {
        return Err(Kind::InvalidInput {
            field: Some("tzOffsetMinutes".to_owned()),
            message: format!("tzOffsetMinutes must be between -1080 and 1080, got {}", show_number(tz_offset_minutes)),
        }
        .into());
    }
    let trimmed = trim(text);
    let lower = trimmed.to_ascii_lowercase();
    let clock = ["until ", "bis ", "till "]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .map(trim)
        .or_else(|| has_ascii(&lower, b':').then_some(lower.as_str()));
    let Some(clock) = clock else {
        return Ok(Expiry::new(&parse("expiration", text)?, now_ms, false));
    };
    let (hours, minutes) =
        parse_clock(clock).ok_or_else(|| invalid("expiration", text, "expected a 24-hour time such as until 17:30"))?;
    let offset_ms = tz_offset_minutes * 60_000.0;
    let local_now = now_ms - offset_ms;
    let day_start = (local_now / 86_400_000.0).floor() * 86_400_000.0;
    let mut target_local = day_start + f64::from(hours * 60 + minutes) * 60_000.0;
    if target_local <= local_now {
        target_local += 86_400_000.0;
    }
    let d = until(now_ms, target_local + offset_ms)?;
    Ok(Expiry::new(&d, now_ms, false))
}

fn parse_clock(text: &str) -> Option<(u32, u32)> {
    let (h, m) = split_once_ascii(text, b':')?;
    let valid = |s: &str, max_len: usize| !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit());
    if !valid(h, 2) || m.len() != 2 || !valid(m, 2) {
        return None;
    }
    let (h, m) = (parse_u32(h)?, parse_u32(m)?);
    (h < 24 && m < 60).then_some((h, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn parse_u64_is_str_parse(s in "[+\\-]?[0-9a]{0,21}") {
            proptest::prop_assert_eq!(parse_u64(&s), s.parse::<u64>().ok());
            proptest::prop_assert_eq!(parse_u32(&s), s.parse::<u32>().ok());
        }
    }

    #[test]
    fn parse_u64_at_the_limit() {
        for s in ["18446744073709551615", "18446744073709551616", "+0", "+", "-", "", "00018446744073709551615"] {
            assert_eq!(parse_u64(s), s.parse::<u64>().ok(), "{s}");
        }
    }

    #[test]
    fn spelled_out_limits_match_their_constants() {
        assert_eq!(MAX_SECONDS.to_string(), "9007199254740991");
        assert_eq!(MAX_FRACTION_DIGITS, 12);
        let Kind::InvalidDuration { reason, .. } =
            parse("expiration", "PT1.0000000000001S").unwrap_err().kind().clone()
        else {
            unreachable!()
        };
        assert_eq!(reason, format!("at most {MAX_FRACTION_DIGITS} fractional digits of seconds are kept"));
    }

    #[test]
    fn canonical_examples_from_the_issue() {
        for (input, want) in [
            ("PT90M", "PT1H30M"),
            ("PT24H", "P1D"),
            ("P1W", "P7D"),
            ("PT3600S", "PT1H"),
            ("P1DT0H", "P1D"),
            ("PT1.50S", "PT1.5S"),
        ] {
            assert_eq!(parse("expiration", input).unwrap().to_iso(), want, "{input}");
        }
    }

    #[test]
    fn until_rounds_up_to_the_minute() {
        assert_eq!(until(0.0, 1.0).unwrap().to_iso(), "PT1M");
        assert_eq!(until(0.0, 60_000.0).unwrap().to_iso(), "PT1M");
        assert_eq!(until(0.0, 60_001.0).unwrap().to_iso(), "PT2M");
    }
}
