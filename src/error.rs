//! The one error type of the core.
//!
//! Every refusal carries a stable camelCase [`PresenceError::code`] that the JS shell branches on,
//! and, where an input field is at fault, the Graph-style name of that field
//! ([`PresenceError::field`]). Messages are one line, lowercase, and say what was received and what
//! is allowed; they are for developers and logs. User-facing wording belongs to the shell.

use std::fmt;

/// Everything the core can refuse or fail with: a [`Kind`] behind one pointer, so a
/// `Result<_, PresenceError>` is small and each `?` moves four bytes (wasm32) instead of the
/// whole payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceError(Box<Kind>);

/// What a [`PresenceError`] is, with its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The input is not of the expected shape (not an object, wrong type, unknown property).
    InvalidInput { field: Option<String>, message: String },
    /// A field the action needs is absent.
    MissingField { field: &'static str, action: &'static str },
    /// A field was given that the action does not use; refusing it means nothing is silently lost.
    UnexpectedField { field: &'static str, action: &'static str },
    /// A value outside a closed set (availability, activity, cloud, action).
    InvalidValue { field: &'static str, got: String, allowed: String },
    /// availability and activity do not form a pair the endpoint accepts.
    UnsupportedPair { action: &'static str, availability: String, activity: String, allowed: String },
    /// Text that is not a duration we accept.
    InvalidDuration { field: &'static str, input: String, reason: String },
    /// A valid duration outside the endpoint's range.
    DurationOutOfRange { field: &'static str, got: String, min: &'static str, max: &'static str },
    /// An "until" target at or before now.
    TargetInPast { field: &'static str, now_ms: String, target_ms: String },
    /// The cloud does not offer the presence API.
    CloudNotSupported { cloud: &'static str, action: String },
    /// The target user path segment is not `me`, a GUID or a UPN.
    InvalidUserId { got: String, reason: String },
    /// A URL field (custom Graph base URL, authority) is unusable.
    InvalidUrl { field: &'static str, got: String, reason: String },
    /// A text field (status message, dateTime, time zone, sessionId) is unusable.
    InvalidText { field: &'static str, reason: String },
    /// A meeting state or event the state machine cannot accept.
    InvalidMeeting { field: &'static str, reason: String },
}

impl From<Kind> for PresenceError {
    #[inline(never)]
    fn from(kind: Kind) -> Self {
        Self(Box::new(kind))
    }
}

impl PresenceError {
    /// What went wrong, with its payload.
    pub fn kind(&self) -> &Kind {
        &self.0
    }

    /// The kind, mutable (to prefix a message in place).
    pub(crate) fn kind_mut(&mut self) -> &mut Kind {
        &mut self.0
    }

    /// Stable machine-readable code. JS branches on this, never on the message text; renaming one
    /// is a breaking change.
    pub fn code(&self) -> &'static str {
        match self.kind() {
            Kind::InvalidInput { .. } => "invalidInput",
            Kind::MissingField { .. } => "missingField",
            Kind::UnexpectedField { .. } => "unexpectedField",
            Kind::InvalidValue { .. } => "invalidValue",
            Kind::UnsupportedPair { .. } => "unsupportedPair",
            Kind::InvalidDuration { .. } => "invalidDuration",
            Kind::DurationOutOfRange { .. } => "durationOutOfRange",
            Kind::TargetInPast { .. } => "targetInPast",
            Kind::CloudNotSupported { .. } => "cloudNotSupported",
            Kind::InvalidUserId { .. } => "invalidUserId",
            Kind::InvalidUrl { .. } => "invalidUrl",
            Kind::InvalidText { .. } => "invalidText",
            Kind::InvalidMeeting { .. } => "invalidMeeting",
        }
    }

    /// The input field at fault, in the spelling of the input object, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self.kind() {
            Kind::InvalidInput { field, .. } => field.as_deref(),
            Kind::MissingField { field, .. }
            | Kind::UnexpectedField { field, .. }
            | Kind::InvalidValue { field, .. }
            | Kind::InvalidDuration { field, .. }
            | Kind::DurationOutOfRange { field, .. }
            | Kind::TargetInPast { field, .. }
            | Kind::InvalidUrl { field, .. }
            | Kind::InvalidText { field, .. }
            | Kind::InvalidMeeting { field, .. } => Some(field),
            Kind::UnsupportedPair { .. } => Some("activity"),
            Kind::CloudNotSupported { .. } => Some("cloud"),
            Kind::InvalidUserId { .. } => Some("userId"),
        }
    }
}

impl fmt::Display for PresenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl PresenceError {
    /// The one-line message (what `Display` writes).
    pub fn message(&self) -> String {
        match self.kind() {
            Kind::InvalidInput { message, .. } => format!("invalid input: {message}"),
            Kind::MissingField { field, action } => format!("{field} is required for {action}"),
            Kind::UnexpectedField { field, action } => format!("{field} is not used by {action}; remove it"),
            Kind::InvalidValue { field, got, allowed } => {
                format!("{field} must be one of {allowed}; got \"{got}\"")
            }
            Kind::UnsupportedPair { action, availability, activity, allowed } => format!("{action} does not accept availability {availability} with activity {activity}; allowed pairs: {allowed}"),
            Kind::InvalidDuration { field, input, reason } => {
                format!("{field} \"{input}\" is not a valid duration: {reason}")
            }
            Kind::DurationOutOfRange { field, got, min, max } => {
                format!("{field} must be between {min} and {max}, got {got}")
            }
            Kind::TargetInPast { field, now_ms, target_ms } => {
                format!("{field} must lie in the future: target {target_ms} ms is not after now {now_ms} ms")
            }
            Kind::CloudNotSupported { cloud, action } => format!("{action} is not available in the {cloud} cloud: Microsoft Graph offers no presence API there"),
            Kind::InvalidUserId { got, reason } => format!("userId \"{got}\" is not usable: {reason}; use \"me\", a user object id (GUID) or a UPN"),
            Kind::InvalidUrl { field, got, reason } => format!("{field} \"{got}\" is not usable: {reason}"),
            Kind::InvalidText { field, reason } | Kind::InvalidMeeting { field, reason } => {
                format!("{field} is not usable: {reason}")
            }
        }
    }
}

impl std::error::Error for PresenceError {}

impl PresenceError {
    /// Wraps a deserialisation message (serde's "unknown field `x`, expected …", "missing field
    /// `x`", "invalid type: …") and names the field it mentions.
    pub fn from_serde_message(message: String) -> Self {
        let field = ["unknown field `", "missing field `", "duplicate field `"]
            .iter()
            .find_map(|prefix| message.split(prefix).nth(1))
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned);
        Kind::InvalidInput { field, message }.into()
    }
}

/// Appends `n` in decimal (what `{n}` writes, without `core::fmt`).
pub(crate) fn push_decimal(out: &mut String, n: u64) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `n` in decimal: what `{n}` writes for an integer, without `core::fmt`'s integer formatting.
pub(crate) fn decimal(n: i64) -> String {
    let mut out = String::from(if n < 0 { "-" } else { "" });
    push_decimal(&mut out, n.unsigned_abs());
    out
}

/// Appends `n` in hexadecimal with at least `width` (at most 8) digits: what `{n:0width$x}`
/// writes, or `X` when `upper`, without `core::fmt`.
pub(crate) fn push_hex(out: &mut String, n: u32, width: u32, upper: bool) {
    let mut len = 1;
    while len < 8 && n >> (4 * len) != 0 {
        len += 1;
    }
    let ten = if upper { b'A' } else { b'a' };
    for i in (0..len.max(width).min(8)).rev() {
        let d = (n >> (4 * i) & 0xf) as u8;
        out.push(char::from(if d < 10 { b'0' + d } else { ten + d - 10 }));
    }
}

/// `s` without leading and trailing whitespace: exactly `str::trim`, in one forward pass (no
/// reverse UTF-8 decoding ships in the wasm).
pub(crate) fn trim(s: &str) -> &str {
    let mut start = None;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if !c.is_whitespace() {
            start.get_or_insert(i);
            end = i + c.len_utf8();
        }
    }
    start.and_then(|start| s.get(start..end)).unwrap_or_default()
}

/// Where `needle` first occurs in `s`: `str::find` for a `&str` needle, comparing bytes (no
/// two-way searcher ships in the wasm). A match found this way starts at a char boundary, as
/// the needle's first byte is never a UTF-8 continuation byte.
pub(crate) fn find_str(s: &str, needle: &str) -> Option<usize> {
    let (s, needle) = (s.as_bytes(), needle.as_bytes());
    let mut i = 0;
    while i + needle.len() <= s.len() {
        if s.get(i..i + needle.len()) == Some(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Where the ASCII byte `b` first occurs in `s` (`str::find` for an ASCII char, with a plain loop:
/// no char searcher or `memchr` ships in the wasm).
pub(crate) fn find_ascii(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|x| x == b)
}

/// Whether the ASCII byte `b` occurs in `s`.
pub(crate) fn has_ascii(s: &str, b: u8) -> bool {
    find_ascii(s, b).is_some()
}

/// `s.split_once(c)` for an ASCII `c`.
pub(crate) fn split_once_ascii(s: &str, b: u8) -> Option<(&str, &str)> {
    let i = find_ascii(s, b)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s.split(c)` for an ASCII `c`: the pieces between the occurrences of `c`.
pub(crate) fn split_ascii(s: &str, b: u8) -> SplitAscii<'_> {
    SplitAscii { rest: Some(s), sep: b }
}

/// The iterator of [`split_ascii`].
pub(crate) struct SplitAscii<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Iterator for SplitAscii<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest.take()?;
        match split_once_ascii(s, self.sep) {
            Some((piece, rest)) => {
                self.rest = Some(rest);
                Some(piece)
            }
            None => Some(s),
        }
    }
}

/// Whether `needle` occurs in `s` (`str::contains` for a `&str` needle, through [`find_str`]).
pub(crate) fn has_str(s: &str, needle: &str) -> bool {
    find_str(s, needle).is_some()
}

/// `s` without any trailing `c` (`str::trim_end_matches` for an ASCII `c`, in less wasm).
pub(crate) fn trim_end_ascii(s: &str, c: u8) -> &str {
    let mut s = s;
    while let Some(rest) = s.strip_suffix(char::from(c)) {
        s = rest;
    }
    s
}

/// `s` in double quotes for a message, control characters escaped as `\u{…}`: what `{:?}`
/// shows for them, without the ~3 KB of Unicode tables `<str as Debug>` pulls into the wasm.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                out.push_str("\\u{");
                push_hex(&mut out, u32::from(c), 1, false);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `x.round()` (half away from zero) from `trunc`, which is one wasm instruction, instead of
/// libm's `round`. The fraction `x - x.trunc()` is exact, and so is `±1` on an integer below
/// 2^53 (at or above it `x` has no fraction); NaN and the infinities come back unchanged.
pub(crate) fn round(x: f64) -> f64 {
    let whole = x.trunc();
    if (x - whole).abs() >= 0.5 {
        whole + x.signum()
    } else {
        whole
    }
}

/// A JavaScript number for a message, without pulling float formatting into the wasm: integers
/// as they are, others to three decimals.
pub fn show_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity".to_owned() } else { "-Infinity".to_owned() };
    }
    if x.abs() >= 1e15 {
        return format!("about {}e15", decimal((x / 1e15) as i64));
    }
    let millis = round(x * 1000.0) as i64;
    let mut out = String::from(if millis < 0 { "-" } else { "" });
    let (whole, frac) = (millis.unsigned_abs() / 1000, millis.unsigned_abs() % 1000);
    push_decimal(&mut out, whole);
    if frac != 0 {
        // Three digits, trailing zeros dropped.
        out.push('.');
        let (mut digits, mut rest) = (3, frac);
        while rest % 10 == 0 {
            rest /= 10;
            digits -= 1;
        }
        let mut divisor = match digits {
            3 => 100,
            2 => 10,
            _ => 1,
        };
        while divisor > 0 {
            out.push(char::from(b'0' + (rest / divisor % 10) as u8));
            divisor /= 10;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_like_debug_for_control_characters() {
        assert_eq!(quote("abc"), "\"abc\"");
        assert_eq!(quote("a\"b\\c"), format!("{:?}", "a\"b\\c"));
        assert_eq!(quote("x\u{7}y"), format!("{:?}", "x\u{7}y"));
        assert_eq!(quote("é€"), "\"é€\"");
    }

    #[test]
    fn show_number_writes_what_format_wrote() {
        // The formatting this replaced, kept as the reference.
        fn reference(x: f64) -> String {
            let millis = (x * 1000.0).round() as i64;
            let sign = if millis < 0 { "-" } else { "" };
            let (whole, frac) = (millis.unsigned_abs() / 1000, millis.unsigned_abs() % 1000);
            if frac == 0 {
                format!("{sign}{whole}")
            } else {
                format!("{sign}{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
            }
        }
        for x in [0.0, -0.0, 1.0, -1.0, 1.25, -2.5, 0.005, 0.05, 0.1, 100.1, 7.0004, 7.0006, 65_535.0, 1.5e14, -9.99e14]
        {
            assert_eq!(show_number(x), reference(x), "{x}");
        }
        let mut buf = String::new();
        for n in [0, 9, 10, 1234567890, u64::MAX] {
            buf.clear();
            push_decimal(&mut buf, n);
            assert_eq!(buf, n.to_string());
        }
        assert_eq!(trim_end_ascii("1.500", b'0'), "1.5");
        for s in ["", " ", "a", " a ", "\u{3000}x y\u{a0}\n", "\t\u{2028}", "é ", " ü"] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
        assert_eq!(trim_end_ascii("x//", b'/'), "x");
        for n in [0, 1, 9, 10, 15, 16, 0x1f, 0x7f, 0xff, 0x2028, 0x10ffff, u32::MAX] {
            for width in [1, 2, 4] {
                buf.clear();
                push_hex(&mut buf, n, width, false);
                assert_eq!(buf, format!("{n:0width$x}", width = width as usize));
                buf.clear();
                push_hex(&mut buf, n, width, true);
                assert_eq!(buf, format!("{n:0width$X}", width = width as usize));
            }
        }
    }

    #[test]
    fn round_at_the_edges() {
        for x in [0.5, -0.5, 2.5, -2.5, 0.49999999999999994, 4_503_599_627_370_495.5, -0.0, 0.0, 1e300, f64::INFINITY] {
            assert_eq!(round(x).to_bits(), x.round().to_bits(), "{x}");
        }
    }

    proptest::proptest! {
        #[test]
        fn find_str_is_str_find(s in "[a.é€\"=]{0,10}", needle in "[a.é€\"=]{0,3}") {
            proptest::prop_assert_eq!(find_str(&s, &needle), s.find(needle.as_str()));
            proptest::prop_assert_eq!(has_str(&s, &needle), s.contains(needle.as_str()));
        }

        #[test]
        fn ascii_searches_are_the_str_ones(s in "[a.:é€/@]{0,12}", c in "[.:/@]") {
            let (c, b) = (c.chars().next().unwrap_or('.'), c.as_bytes()[0]);
            proptest::prop_assert_eq!(find_ascii(&s, b), s.find(c));
            proptest::prop_assert_eq!(has_ascii(&s, b), s.contains(c));
            proptest::prop_assert_eq!(split_once_ascii(&s, b), s.split_once(c));
            proptest::prop_assert_eq!(split_ascii(&s, b).collect::<Vec<_>>(), s.split(c).collect::<Vec<_>>());
        }

        #[test]
        fn round_is_f64_round(x in proptest::num::f64::ANY) {
            proptest::prop_assert_eq!(round(x).to_bits(), x.round().to_bits());
        }

        #[test]
        fn trim_is_str_trim(s in "[ \t\n\u{a0}\u{2028}\u{3000}aé€]{0,12}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }

    #[test]
    fn every_variant_has_a_distinct_code() {
        let all = [
            Kind::InvalidInput { field: None, message: String::new() },
            Kind::MissingField { field: "a", action: "b" },
            Kind::UnexpectedField { field: "a", action: "b" },
            Kind::InvalidValue { field: "a", got: String::new(), allowed: String::new() },
            Kind::UnsupportedPair {
                action: "a",
                availability: String::new(),
                activity: String::new(),
                allowed: String::new(),
            },
            Kind::InvalidDuration { field: "a", input: String::new(), reason: String::new() },
            Kind::DurationOutOfRange { field: "a", got: String::new(), min: "", max: "" },
            Kind::TargetInPast { field: "a", now_ms: String::new(), target_ms: String::new() },
            Kind::CloudNotSupported { cloud: "china", action: String::new() },
            Kind::InvalidUserId { got: String::new(), reason: String::new() },
            Kind::InvalidUrl { field: "a", got: String::new(), reason: String::new() },
            Kind::InvalidText { field: "a", reason: String::new() },
            Kind::InvalidMeeting { field: "a", reason: String::new() },
        ];
        let mut codes: Vec<&str> = all.iter().map(|k| PresenceError::from(k.clone()).code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
