//! Graph responses: success, a presence, or a typed error with the next step for the shell.
//!
//! Sources: `graph-presence.md` §2 (any 2xx is success), §6 (presence resource), §9 (error
//! shape, PascalCase presence codes, empty 403 message, `insufficient_claims`), §10 (429 and
//! Retry-After, backoff when it is missing, large values).

use serde::Serialize;

use crate::duration::{check_ms, parse_u32};
use crate::error::{find_ascii, find_str, has_str, push_decimal, split_ascii, trim, PresenceError};
use crate::value::{name, FromValue, Obj, Out, Shape, StringMap, ToValue, Value};

/// Retries allowed after the first answer; `attempt` counts retries already made.
pub const MAX_RETRIES: u32 = 5;
/// Total time we are willing to wait across retries, in seconds (Terraform's provider caps a
/// single delay at 600 s; a status change later than ten minutes is no longer what the user
/// asked for).
pub const MAX_TOTAL_WAIT_SECONDS: f64 = 600.0;
/// Backoff without Retry-After: 1 s, 2 s, 4 s … capped here, then jittered.
pub const MAX_BACKOFF_SECONDS: f64 = 60.0;

/// Input of `interpretResponse`.
#[derive(Debug, Clone)]
pub struct ResponseInput {
    /// HTTP status; 0 means no response arrived (network error).
    pub status: u16,
    pub headers: StringMap,
    pub body: Option<String>,
    /// Retries already made for this request (0 on the first answer).
    pub attempt: u32,
    /// Seconds already waited across earlier retries.
    pub waited_seconds: f64,
    /// Now, for HTTP-date Retry-After values.
    pub now_ms: Option<f64>,
    /// A random number in [0, 1) that spreads backoff delays; without it the full delay is used.
    pub jitter: Option<f64>,
}

impl FromValue for ResponseInput {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["status", "headers", "body", "attempt", "waitedSeconds", "nowMs", "jitter"])?;
        Ok(Self {
            status: o.req("status")?,
            headers: o.or_default("headers")?,
            body: o.opt("body")?,
            attempt: o.or_default("attempt")?,
            waited_seconds: o.or_default("waitedSeconds")?,
            now_ms: o.opt("nowMs")?,
            jitter: o.opt("jitter")?,
        })
    }
}

/// A response body, parsed from JSON by the caller (the bindings use the browser's
/// `JSON.parse`, so no JSON parser ships in the wasm). Unknown properties are ignored: Graph adds
/// fields over time (`@odata.context`, `workLocation`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseBody {
    pub error: Option<ErrorObject>,
    pub id: Option<String>,
    pub availability: Option<String>,
    pub activity: Option<String>,
    pub sequence_number: Option<String>,
    /// `presenceStatusMessage` as read through `STATUS_MESSAGE`.
    pub status_message: Option<Value>,
    /// `outOfOfficeSettings` as read through `OUT_OF_OFFICE_SETTINGS`.
    pub out_of_office_settings: Option<Value>,
}

impl FromValue for ResponseBody {
    #[allow(clippy::field_reassign_with_default)]
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::lenient(v)?;
        // Filled in place: one drop of the whole on a refusal instead of one per field read.
        let mut x = Self::default();
        x.error = o.opt("error")?;
        x.id = o.opt("id")?;
        x.availability = o.opt("availability")?;
        x.activity = o.opt("activity")?;
        x.sequence_number = o.opt("sequenceNumber")?;
        x.status_message = o.pass_opt("statusMessage", &STATUS_MESSAGE)?;
        x.out_of_office_settings = o.pass_opt("outOfOfficeSettings", &OUT_OF_OFFICE_SETTINGS)?;
        Ok(x)
    }
}

/// Graph's `error` object, and each nested `innerError` (also spelled `innererror`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorObject {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
    pub inner_error: Option<Box<ErrorObject>>,
}

impl FromValue for ErrorObject {
    #[allow(clippy::field_reassign_with_default)]
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::lenient(v)?;
        let inner_key = if o.get("innerError").is_some() { "innerError" } else { "innererror" };
        // Filled in place: one drop of the whole on a refusal instead of one per field read.
        let mut e = Self::default();
        e.code = o.opt("code")?;
        e.message = o.opt("message")?;
        e.request_id = o.opt("request-id")?;
        e.client_request_id = o.opt("client-request-id")?;
        e.date = o.opt("date")?;
        e.inner_error = o.opt(inner_key)?;
        Ok(e)
    }
}

/// The presence resource, as far as the shell uses it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Presence {
    pub id: Option<String>,
    pub availability: String,
    pub activity: String,
    pub sequence_number: Option<String>,
    /// `presenceStatusMessage` as read through `STATUS_MESSAGE`.
    pub status_message: Option<Value>,
    /// `outOfOfficeSettings` as read through `OUT_OF_OFFICE_SETTINGS`.
    pub out_of_office_settings: Option<Value>,
}

/// `presenceStatusMessage`, passed through as Graph sent it (unknown fields dropped).
const STATUS_MESSAGE: Shape = Shape::Obj(&[
    ("message", Shape::Obj(&[("content", Shape::Str), ("contentType", Shape::Str)])),
    ("expiryDateTime", Shape::Obj(&[("dateTime", Shape::Str), ("timeZone", Shape::Str)])),
    ("publishedDateTime", Shape::Str),
]);

/// `outOfOfficeSettings`, passed through the same way.
const OUT_OF_OFFICE_SETTINGS: Shape = Shape::Obj(&[("message", Shape::Str), ("isOutOfOffice", Shape::Bool)]);

crate::deserialize_via_value!(ResponseInput, ResponseBody, ErrorObject);

/// What the shell should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Next {
    /// Wait `retryAfterSeconds`, then resend with `attempt + 1`.
    Retry,
    /// Get a fresh token (with `claims` when given) and resend once.
    SignIn,
    /// The app lacks consent: an admin must grant Presence.ReadWrite.
    Consent,
    /// The request itself is wrong; resending it cannot help.
    FixRequest,
    /// Stop and report.
    GiveUp,
}

/// A failed request, interpreted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub code: &'static str,
    pub message: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    pub next: Next,
}

/// The result of `interpretResponse`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interpretation {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence: Option<Presence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Failure>,
}

impl ToValue for Presence {
    fn to_value(&self) -> Value {
        Out::new()
            .put("id", self.id.to_value())
            .put("availability", self.availability.to_value())
            .put("activity", self.activity.to_value())
            .put("sequenceNumber", self.sequence_number.to_value())
            .put("statusMessage", self.status_message.to_value())
            .put("outOfOfficeSettings", self.out_of_office_settings.to_value())
            .done()
    }
}

impl ToValue for Next {
    fn to_value(&self) -> Value {
        name(match self {
            Self::Retry => "retry",
            Self::SignIn => "signIn",
            Self::Consent => "consent",
            Self::FixRequest => "fixRequest",
            Self::GiveUp => "giveUp",
        })
    }
}

impl ToValue for Failure {
    fn to_value(&self) -> Value {
        Out::new()
            .sparse("code", self.code.to_value())
            .sparse("message", self.message.to_value())
            .sparse("status", self.status.to_value())
            .sparse("graphCode", self.graph_code.to_value())
            .sparse("requestId", self.request_id.to_value())
            .sparse("clientRequestId", self.client_request_id.to_value())
            .sparse("date", self.date.to_value())
            .sparse("retryAfterSeconds", self.retry_after_seconds.to_value())
            .sparse("claims", self.claims.to_value())
            .sparse("field", self.field.to_value())
            .sparse("next", self.next.to_value())
            .done()
    }
}

impl ToValue for Interpretation {
    fn to_value(&self) -> Value {
        Out::new()
            .sparse("ok", self.ok.to_value())
            .sparse("presence", self.presence.to_value())
            .sparse("error", self.error.to_value())
            .done()
    }
}

/// The parts of a Graph error body the interpretation uses, borrowed from it (copied only into
/// the result).
#[derive(Default)]
struct GraphErrorBody<'a> {
    code: Option<&'a str>,
    innermost_code: Option<&'a str>,
    message: Option<&'a str>,
    request_id: Option<&'a str>,
    client_request_id: Option<&'a str>,
    date: Option<&'a str>,
}

/// Walks nested inner errors for the most detailed code and the ids.
fn flatten_error(error: Option<&ErrorObject>) -> GraphErrorBody<'_> {
    let mut out = GraphErrorBody::default();
    let Some(error) = error else {
        return out;
    };
    out.code = error.code.as_deref();
    out.message = error.message.as_deref();
    let mut node = error.inner_error.as_deref();
    let mut depth = 0;
    while let (Some(inner), true) = (node, depth < 16) {
        // A deeper value replaces the one found so far; a missing one keeps it.
        for (slot, value) in [
            (&mut out.innermost_code, &inner.code),
            (&mut out.request_id, &inner.request_id),
            (&mut out.client_request_id, &inner.client_request_id),
            (&mut out.date, &inner.date),
        ] {
            if value.is_some() {
                *slot = value.as_deref();
            }
        }
        node = inner.inner_error.as_deref();
        depth += 1;
    }
    out
}

fn header<'a>(headers: &'a StringMap, name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Interprets a response. `body` is `input.body` parsed as JSON, or `None` when it is empty or
/// not JSON of the expected shape. Fails only for unusable input (a bad `nowMs`), never for a bad
/// body.
#[inline(never)]
pub fn interpret(input: &ResponseInput, body: Option<&ResponseBody>) -> Result<Interpretation, PresenceError> {
    let now_ms = input.now_ms.map(|ms| check_ms("nowMs", ms)).transpose()?;
    let status = input.status;
    if (200..300).contains(&status) {
        let presence = body.and_then(|b| match (&b.availability, &b.activity) {
            (Some(availability), Some(activity)) => Some(Presence {
                id: b.id.clone(),
                availability: availability.clone(),
                activity: activity.clone(),
                sequence_number: b.sequence_number.clone(),
                status_message: b.status_message.clone(),
                out_of_office_settings: b.out_of_office_settings.clone(),
            }),
            _ => None,
        });
        return Ok(Interpretation { ok: true, presence, error: None });
    }
    let parsed = flatten_error(body.and_then(|b| b.error.as_ref()));
    let graph_code = parsed.innermost_code.or(parsed.code);
    let codes_say = |needle: &str| {
        [parsed.code, parsed.innermost_code].iter().any(|c| c.is_some_and(|c| c.eq_ignore_ascii_case(needle)))
    };
    let graph_message = parsed.message.filter(|m| !trim(m).is_empty());
    let www_authenticate = header(&input.headers, "www-authenticate");
    let claims = www_authenticate.and_then(claims_from_challenge);

    let (code, next, summary): (&'static str, Next, &'static str) = match status {
        0 => ("networkError", Next::Retry, "no response from the server"),
        401 => (
            "unauthenticated",
            if input.attempt == 0 { Next::SignIn } else { Next::GiveUp },
            "the access token was refused",
        ),
        403 if claims.is_some()
            || codes_say("insufficient_claims")
            || graph_message.is_some_and(|m| has_str(m, "insufficient_claims")) =>
        {
            (
                "claimsChallenge",
                if input.attempt == 0 { Next::SignIn } else { Next::GiveUp },
                "a conditional access policy asks for a fresh sign-in",
            )
        }
        403 => (
            "consentMissing",
            Next::Consent,
            "access denied: the app lacks the Presence.ReadWrite permission or admin consent",
        ),
        400 | 422 => ("invalidArgument", Next::FixRequest, "Graph refused the request as invalid"),
        404 => ("notFound", Next::GiveUp, "Graph found no such user or presence session"),
        413 => ("graphError", Next::FixRequest, "the request body is too large"),
        429 => ("throttled", Next::Retry, "Graph is throttling requests"),
        502..=504 => ("serviceUnavailable", Next::Retry, "the presence service is unavailable"),
        // Empty: "Graph answered HTTP {status}", written with the message below.
        _ => ("graphError", Next::GiveUp, ""),
    };

    let mut next = next;
    let mut retry_after_seconds = None;
    if next == Next::Retry {
        let hinted = header(&input.headers, "retry-after").and_then(|v| parse_retry_after(v, now_ms));
        let delay = hinted.unwrap_or_else(|| backoff_seconds(input.attempt, input.jitter));
        if input.attempt >= MAX_RETRIES || input.waited_seconds + delay > MAX_TOTAL_WAIT_SECONDS {
            next = Next::GiveUp;
        }
        retry_after_seconds = Some(delay);
    }

    let field = graph_message.and_then(field_named_in);
    // "{summary} (HTTP {status} {code}: {message})", pushed piece by piece (no core::fmt).
    let mut message = String::from(summary);
    if summary.is_empty() {
        message.push_str("Graph answered HTTP ");
        push_decimal(&mut message, u64::from(status));
    }
    match (graph_code, graph_message) {
        (Some(c), m) => {
            message.push_str(" (HTTP ");
            push_decimal(&mut message, u64::from(status));
            message.push(' ');
            message.push_str(c);
            if let Some(m) = m {
                message.push_str(": ");
                message.push_str(m);
            }
            message.push(')');
        }
        (None, _) if status == 0 => {}
        (None, _) => {
            message.push_str(" (HTTP ");
            push_decimal(&mut message, u64::from(status));
            message.push_str(", no Graph error body)");
        }
    }
    Ok(Interpretation {
        ok: false,
        presence: None,
        error: Some(Failure {
            code,
            message,
            status,
            graph_code: graph_code.map(str::to_owned),
            request_id: parsed.request_id.or_else(|| header(&input.headers, "request-id")).map(str::to_owned),
            client_request_id: parsed
                .client_request_id
                .or_else(|| header(&input.headers, "client-request-id"))
                .map(str::to_owned),
            date: parsed.date.or_else(|| header(&input.headers, "date")).map(str::to_owned),
            retry_after_seconds,
            claims,
            field,
            next,
        }),
    })
}

/// Names the input field a Graph 400 message points at (e.g. `[ExpirationDuration]`).
fn field_named_in(message: &str) -> Option<&'static str> {
    let lower = message.to_ascii_lowercase();
    [
        ("expirationduration", "expiration"),
        ("sessionid", "sessionId"),
        ("availability", "availability"),
        ("activity", "activity"),
        ("statusmessage", "message"),
    ]
    .into_iter()
    .find(|(needle, _)| has_str(&lower, needle))
    .map(|(_, field)| field)
}

/// Exponential backoff: 1 s × 2^attempt capped at [`MAX_BACKOFF_SECONDS`], scaled by
/// 0.5 + jitter/2 so that clients spread out.
pub fn backoff_seconds(attempt: u32, jitter: Option<f64>) -> f64 {
    // 2^attempt exactly, as `2f64.powi` gives it, without the `__powidf2` routine.
    let base = f64::from(1u32 << attempt.min(16)).min(MAX_BACKOFF_SECONDS);
    let jitter = jitter.filter(|j| j.is_finite()).map(|j| j.clamp(0.0, 1.0)).unwrap_or(1.0);
    let seconds = base * (0.5 + jitter / 2.0);
    crate::error::round(seconds * 1000.0) / 1000.0
}

/// `Retry-After` as delta-seconds or an HTTP-date (IMF-fixdate). A date needs `now_ms`; one in
/// the past means 0. Unreadable values return `None` (the caller backs off instead).
pub fn parse_retry_after(value: &str, now_ms: Option<f64>) -> Option<f64> {
    let v = trim(value);
    if !v.is_empty() && v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()) {
        return parse_u32(v).map(f64::from);
    }
    let target = parse_http_date(v)?;
    let now = now_ms?;
    Some(((target - now) / 1000.0).ceil().max(0.0))
}

/// Parses `Sun, 06 Nov 1994 08:49:37 GMT` into milliseconds since the epoch.
pub fn parse_http_date(text: &str) -> Option<f64> {
    let mut words = text.split_whitespace();
    let mut word = || words.next();
    // Exactly six words, the last `GMT`.
    let (Some(_weekday), Some(day), Some(month), Some(year), Some(time), Some("GMT"), None) =
        (word(), word(), word(), word(), word(), word(), word())
    else {
        return None;
    };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as i64 + 1;
    let day = i64::from(parse_u32(day)?);
    let year = i64::from(parse_u32(year)?);
    // Unsigned parts: a sign can never sneak past the range checks into the arithmetic. All are
    // read as u32 (the range checks below bound them): no parser for u8 ships.
    let mut hms = [0i64; 3];
    let mut parts = split_ascii(time, b':');
    for slot in &mut hms {
        *slot = i64::from(parse_u32(parts.next()?)?);
    }
    let [h, m, s] = hms;
    if parts.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || !(1970..=9999).contains(&year) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3_600 + m * 60 + s) * 1000) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The `claims` parameter of a `WWW-Authenticate: Bearer … claims="<base64>"` challenge,
/// decoded to the JSON string MSAL expects in `claims`.
fn claims_from_challenge(value: &str) -> Option<String> {
    let start = find_str(value, "claims=\"")? + "claims=\"".len();
    let rest = value.get(start..)?;
    let encoded = rest.get(..find_ascii(rest, b'"')?)?;
    utf8_string(&base64_decode(encoded)?)
}

/// `String::from_utf8(bytes.to_vec()).ok()`, decoded char by char: the same strict rules (no
/// overlong forms, no surrogates, nothing above U+10FFFF) in less wasm than core's validator.
fn utf8_string(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        let (len, min, mut c) = match lead {
            0x00..=0x7F => (1, 0, u32::from(lead)),
            0xC0..=0xDF => (2, 0x80, u32::from(lead & 0x1F)),
            0xE0..=0xEF => (3, 0x800, u32::from(lead & 0x0F)),
            0xF0..=0xF7 => (4, 0x1_0000, u32::from(lead & 0x07)),
            _ => return None,
        };
        for k in 1..len {
            let b = *bytes.get(i + k)?;
            if b & 0xC0 != 0x80 {
                return None;
            }
            c = c << 6 | u32::from(b & 0x3F);
        }
        if c < min {
            return None;
        }
        // `from_u32` refuses surrogates and values above U+10FFFF.
        out.push(char::from_u32(c)?);
        i += len;
    }
    Some(out)
}

/// Decodes standard or URL-safe base64, with or without padding.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in text.bytes().filter(|b| *b != b'=') {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn utf8_string_is_string_from_utf8(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..12)) {
            proptest::prop_assert_eq!(utf8_string(&bytes), String::from_utf8(bytes.clone()).ok());
        }

        #[test]
        fn utf8_string_reads_any_string(s in "\\PC{0,8}") {
            proptest::prop_assert_eq!(utf8_string(s.as_bytes()), Some(s.clone()));
        }
    }

    #[test]
    fn utf8_string_refuses_what_from_utf8_refuses() {
        let cases: [&[u8]; 12] = [
            b"\xC0\x80",
            b"\xC1\xBF",
            b"\xE0\x80\x80",
            b"\xE0\x9F\xBF",
            b"\xED\xA0\x80",
            b"\xED\xBF\xBF",
            b"\xF0\x80\x80\x80",
            b"\xF4\x90\x80\x80",
            b"\xF5\x80\x80\x80",
            b"\xF8",
            b"\xE2\x82",
            b"\xEF\xBF\xBF",
        ];
        for bytes in cases {
            assert_eq!(utf8_string(bytes), String::from_utf8(bytes.to_vec()).ok(), "{bytes:?}");
        }
    }

    #[test]
    fn pass_through_fields_are_refused_with_their_path() {
        let content = Value::Obj(vec![("content".to_owned(), Value::Num(1.0))]);
        let status = Value::Obj(vec![("message".to_owned(), content)]);
        let body = Value::Obj(vec![("statusMessage".to_owned(), status)]);
        let err = ResponseBody::from_value(&body).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: statusMessage: message: content: invalid type: number 1, expected a string"
        );
        let ooo = Value::Obj(vec![("outOfOfficeSettings".to_owned(), Value::Str("x".to_owned()))]);
        let err = ResponseBody::from_value(&ooo).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: outOfOfficeSettings: invalid type: string \"x\", expected an object"
        );
    }

    #[test]
    fn http_date_of_the_rfc_example() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000.0));
    }

    #[test]
    fn decodes_base64_claims() {
        assert_eq!(base64_decode("eyJhIjoxfQ==").unwrap(), br#"{"a":1}"#);
    }
}
