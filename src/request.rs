//! Graph presence requests as plain data: validated input in, method + URL + headers + body out.
//!
//! The body is exactly what the Graph v1.0 reference documents for each action, with no extra
//! fields; `expirationDuration` is present only when the caller gave one. A field the chosen
//! action does not use is refused rather than dropped, so nothing the caller asked for is silently
//! lost.

use serde::Serialize;

use crate::availability::{join, Pair, PairKind};
use crate::cloud::{is_guid, Cloud};
use crate::duration::{self, Duration};
use crate::error::{
    has_ascii, has_str, push_decimal, push_hex, split_ascii, split_once_ascii, trim, Kind, PresenceError,
};
use crate::value::{FromValue, Obj, Out, StringMap, ToValue, Value};

/// The presence actions the core can build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SetUserPreferredPresence,
    ClearUserPreferredPresence,
    SetPresence,
    ClearPresence,
    GetPresence,
    SetStatusMessage,
}

const ACTIONS: [Action; 6] = [
    Action::SetUserPreferredPresence,
    Action::ClearUserPreferredPresence,
    Action::SetPresence,
    Action::ClearPresence,
    Action::GetPresence,
    Action::SetStatusMessage,
];

impl Action {
    /// Graph's name, which is also the last path segment of every POST action.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SetUserPreferredPresence => "setUserPreferredPresence",
            Self::ClearUserPreferredPresence => "clearUserPreferredPresence",
            Self::SetPresence => "setPresence",
            Self::ClearPresence => "clearPresence",
            Self::GetPresence => "getPresence",
            Self::SetStatusMessage => "setStatusMessage",
        }
    }

    fn parse(text: &str) -> Result<Self, PresenceError> {
        ACTIONS.into_iter().find(|a| a.as_str().eq_ignore_ascii_case(trim(text))).ok_or_else(|| {
            Kind::InvalidValue {
                field: "action",
                got: text.to_owned(),
                allowed: join(ACTIONS.iter().map(|a| a.as_str())),
            }
            .into()
        })
    }
}

/// The lifetime range of an app presence session (setPresence): PT5M to PT4H inclusive.
pub const SESSION_MIN_SECONDS: u64 = 5 * 60;
/// See [`SESSION_MIN_SECONDS`].
pub const SESSION_MAX_SECONDS: u64 = 4 * 60 * 60;

/// Teams shows at most 280 characters of a status message.
pub const MESSAGE_MAX_CHARS: usize = 280;

/// Input of `buildRequest`.
#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    pub action: String,
    pub cloud: Option<String>,
    pub graph_base_url: Option<String>,
    pub user_id: Option<String>,
    pub availability: Option<String>,
    pub activity: Option<String>,
    pub expiration: Option<String>,
    pub session_id: Option<String>,
    pub message: Option<String>,
    /// `{ dateTime, timeZone }`; read as a map so that an unknown key is refused here too.
    pub message_expiry: Option<StringMap>,
    pub client_request_id: Option<String>,
}

impl FromValue for RequestInput {
    #[allow(clippy::field_reassign_with_default)]
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(
            v,
            &[
                "action",
                "cloud",
                "graphBaseUrl",
                "userId",
                "availability",
                "activity",
                "expiration",
                "sessionId",
                "message",
                "messageExpiry",
                "clientRequestId",
            ],
        )?;
        // Filled in place: one drop of the whole on a refusal instead of one per field read.
        let mut x = Self::default();
        x.action = o.req("action")?;
        x.cloud = o.opt("cloud")?;
        x.graph_base_url = o.opt("graphBaseUrl")?;
        x.user_id = o.opt("userId")?;
        x.availability = o.opt("availability")?;
        x.activity = o.opt("activity")?;
        x.expiration = o.opt("expiration")?;
        x.session_id = o.opt("sessionId")?;
        x.message = o.opt("message")?;
        x.message_expiry = o.opt("messageExpiry")?;
        x.client_request_id = o.opt("clientRequestId")?;
        Ok(x)
    }
}

crate::deserialize_via_value!(RequestInput);

/// Graph's `dateTimeTimeZone`: a local date-time without offset, and the zone it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeTimeZone {
    pub date_time: String,
    pub time_zone: String,
}

impl DateTimeTimeZone {
    fn from_map(map: &StringMap) -> Result<Self, PresenceError> {
        if let Some(key) = map.keys().find(|k| *k != "dateTime" && *k != "timeZone") {
            return Err(Kind::InvalidText {
                field: "messageExpiry",
                reason: format!("it has an unknown key \"{key}\"; it takes dateTime and timeZone"),
            }
            .into());
        }
        let get = |key: &str| {
            map.get(key).cloned().ok_or_else(|| Kind::InvalidText {
                field: "messageExpiry",
                reason: format!("{key} is missing; it takes dateTime and timeZone"),
            })
        };
        let value = Self { date_time: get("dateTime")?, time_zone: get("timeZone")? };
        check_date_time(&value)?;
        Ok(value)
    }
}

/// A built request, ready for `fetch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: StringMap,
    pub body: Option<String>,
}

impl ToValue for GraphRequest {
    fn to_value(&self) -> Value {
        Out::new()
            .put("method", self.method.to_value())
            .put("url", self.url.to_value())
            .put("headers", self.headers.to_value())
            .put("body", self.body.to_value())
            .done()
    }
}

/// Appends the member `"name":"value"` to a JSON object being written (a comma first unless it
/// is the object's first): the small bodies Graph takes are written straight into their text (no
/// JSON serializer, and no value tree, ships in the wasm). `name` is plain ASCII.
fn member(out: &mut String, name: &str, value: &str) {
    if out.as_bytes().last() != Some(&b'{') {
        out.push(',');
    }
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
    write_json_string(value, out);
}

/// Writes a JSON string literal (RFC 8259 §7).
fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u");
                push_hex(out, u32::from(c), 4, false);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Which optional input fields an action uses.
fn allowed_fields(action: Action) -> &'static [&'static str] {
    match action {
        Action::SetUserPreferredPresence => &["availability", "activity", "expiration"],
        Action::ClearUserPreferredPresence | Action::GetPresence => &[],
        Action::SetPresence => &["sessionId", "availability", "activity", "expiration"],
        Action::ClearPresence => &["sessionId"],
        Action::SetStatusMessage => &["message", "messageExpiry"],
    }
}

fn refuse_unused(action: Action, input: &RequestInput) -> Result<(), PresenceError> {
    let given: [(&'static str, bool); 6] = [
        ("availability", input.availability.is_some()),
        ("activity", input.activity.is_some()),
        ("expiration", input.expiration.is_some()),
        ("sessionId", input.session_id.is_some()),
        ("message", input.message.is_some()),
        ("messageExpiry", input.message_expiry.is_some()),
    ];
    let allowed = allowed_fields(action);
    match given.iter().find(|(name, present)| *present && !allowed.contains(name)) {
        Some((field, _)) => Err(Kind::UnexpectedField { field, action: action.as_str() }.into()),
        None => Ok(()),
    }
}

fn required<'a>(value: &'a Option<String>, field: &'static str, action: Action) -> Result<&'a str, PresenceError> {
    value.as_deref().ok_or(Kind::MissingField { field, action: action.as_str() }.into())
}

/// The path of the presence resource for a user: `/me/presence` or `/users/{id}/presence`.
fn user_segment(user_id: Option<&str>, action: Action) -> Result<String, PresenceError> {
    let raw = user_id.unwrap_or("me");
    let id = trim(raw);
    let bad = |reason: &str| Kind::InvalidUserId { got: raw.to_owned(), reason: reason.to_owned() };
    if id.is_empty() {
        return Err(bad("it is empty").into());
    }
    if id.eq_ignore_ascii_case("me") {
        return Ok("/me".to_owned());
    }
    if id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("it contains spaces or control characters").into());
    }
    if let Some(c) = id.chars().find(|c| matches!(c, '/' | '\\' | '?' | '#' | '%')) {
        return Err(bad(&format!("the character '{}' would change the request path", String::from(c))).into());
    }
    if has_str(id, "..") {
        return Err(bad("\"..\" would change the request path").into());
    }
    if is_guid(id) {
        return Ok(format!("/users/{}", id.to_ascii_lowercase()));
    }
    let Some((local, domain)) = split_once_ascii(id, b'@') else {
        return Err(bad("it is neither a GUID nor a UPN (name@domain)").into());
    };
    let domain_ok = has_ascii(domain, b'.')
        && split_ascii(domain, b'.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if local.is_empty() || has_ascii(domain, b'@') || !domain_ok {
        return Err(bad("it is neither a GUID nor a UPN (name@domain)").into());
    }
    if action == Action::GetPresence {
        return Err(bad(
            "reading presence needs the user's object id (GUID) or \"me\"; Graph does not accept a UPN there",
        )
        .into());
    }
    Ok(format!("/users/{}", percent_encode(id)))
}

/// Percent-encodes a path segment, keeping RFC 3986 unreserved characters and `@`.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push('%');
            push_hex(&mut out, b.into(), 2, true);
        }
    }
    out
}

fn check_session_id(value: &str) -> Result<String, PresenceError> {
    let id = trim(value);
    if !is_guid(id) {
        return Err(Kind::InvalidText {
            field: "sessionId",
            reason: format!("it must be the application (client) id, a GUID such as 5e1f9c2a-8b3d-4f60-a7e4-1d2c3b4a5f60; got \"{value}\""),
        }.into());
    }
    Ok(id.to_ascii_lowercase())
}

fn check_message(message: &str) -> Result<(), PresenceError> {
    // chars().count(): every byte but UTF-8 continuation bytes starts a char.
    let count = message.bytes().filter(|b| b & 0xC0 != 0x80).count();
    if count > MESSAGE_MAX_CHARS {
        return Err(Kind::InvalidText {
            field: "message",
            reason: {
                // "it has {count} characters; Teams shows at most {MESSAGE_MAX_CHARS}", digits pushed.
                let mut reason = String::from("it has ");
                push_decimal(&mut reason, count as u64);
                reason.push_str(" characters; Teams shows at most ");
                push_decimal(&mut reason, MESSAGE_MAX_CHARS as u64);
                reason
            },
        }
        .into());
    }
    if message.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Kind::InvalidText { field: "message", reason: "it contains control characters".to_owned() }.into());
    }
    Ok(())
}

/// `dateTime` must be `YYYY-MM-DDTHH:MM:SS` with an optional fraction of up to 7 digits and no
/// offset; the zone goes in `timeZone` (setStatusMessage page).
fn check_date_time(value: &DateTimeTimeZone) -> Result<(), PresenceError> {
    let dt = value.date_time.as_str();
    let bad = |reason: String| Kind::InvalidText { field: "messageExpiry", reason };
    let (main, fraction) = match split_once_ascii(dt, b'.') {
        Some((m, f)) => (m, Some(f)),
        None => (dt, None),
    };
    let shape_ok = main.len() == 19
        && main.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    let fraction_ok = fraction.is_none_or(|f| !f.is_empty() && f.len() <= 7 && f.bytes().all(|b| b.is_ascii_digit()));
    if !shape_ok || !fraction_ok {
        return Err(bad(format!(
            "dateTime must look like 2026-12-01T17:30:00 (local time, no offset; the zone goes in timeZone); got \"{dt}\""
        )).into());
    }
    let num = |range: std::ops::Range<usize>| main.get(range).and_then(duration::parse_u32).unwrap_or(99);
    let (month, day, hour, minute, second) = (num(5..7), num(8..10), num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return Err(bad(format!("dateTime \"{dt}\" is not a valid date and time")).into());
    }
    let tz = trim(&value.time_zone);
    if tz.is_empty() || tz.len() > 100 || tz.chars().any(char::is_control) {
        return Err(bad(format!(
            "timeZone must name a zone such as \"W. Europe Standard Time\" or \"UTC\"; got \"{}\"",
            value.time_zone
        ))
        .into());
    }
    Ok(())
}

/// Validates `input` and builds the request. `fresh_request_id` is used as `client-request-id`
/// unless the input names one (the shell passes `crypto.randomUUID()`).
#[inline(never)]
pub fn build(input: &RequestInput, fresh_request_id: &str) -> Result<GraphRequest, PresenceError> {
    let action = Action::parse(&input.action)?;
    let cloud = Cloud::resolve(input.cloud.as_deref(), input.graph_base_url.as_deref(), None)?;
    cloud.require_presence(action.as_str())?;
    refuse_unused(action, input)?;
    let user = user_segment(input.user_id.as_deref(), action)?;
    let request_id = match input.client_request_id.as_deref() {
        Some(id) if is_guid(trim(id)) => trim(id).to_ascii_lowercase(),
        Some(id) => {
            return Err(Kind::InvalidText {
                field: "clientRequestId",
                reason: format!("it must be a GUID; got \"{id}\""),
            }
            .into())
        }
        None => fresh_request_id.to_owned(),
    };

    let body = match action {
        Action::GetPresence => None,
        Action::SetUserPreferredPresence => {
            let pair = Pair::new(
                PairKind::Preferred,
                required(&input.availability, "availability", action)?,
                input.activity.as_deref(),
            )?;
            let iso = match input.expiration.as_deref() {
                Some(e) => Some(duration::parse("expiration", e)?.to_iso()),
                None => None,
            };
            let mut body = String::from("{");
            member(&mut body, "availability", pair.availability.as_str());
            member(&mut body, "activity", pair.activity.as_str());
            if let Some(iso) = &iso {
                member(&mut body, "expirationDuration", iso);
            }
            body.push('}');
            Some(body)
        }
        Action::ClearUserPreferredPresence => Some("{}".to_owned()),
        Action::SetPresence => {
            let session_id = check_session_id(required(&input.session_id, "sessionId", action)?)?;
            let pair = Pair::new(
                PairKind::Session,
                required(&input.availability, "availability", action)?,
                input.activity.as_deref(),
            )?;
            let iso = match input.expiration.as_deref() {
                Some(e) => Some(session_expiry(e)?.to_iso()),
                None => None,
            };
            let mut body = String::from("{");
            member(&mut body, "sessionId", &session_id);
            member(&mut body, "availability", pair.availability.as_str());
            member(&mut body, "activity", pair.activity.as_str());
            if let Some(iso) = &iso {
                member(&mut body, "expirationDuration", iso);
            }
            body.push('}');
            Some(body)
        }
        Action::ClearPresence => {
            let session_id = check_session_id(required(&input.session_id, "sessionId", action)?)?;
            let mut body = String::from("{");
            member(&mut body, "sessionId", &session_id);
            body.push('}');
            Some(body)
        }
        Action::SetStatusMessage => {
            let message = required(&input.message, "message", action)?;
            check_message(message)?;
            let expiry = match &input.message_expiry {
                Some(map) => Some(DateTimeTimeZone::from_map(map)?),
                None => None,
            };
            let mut body = String::from("{\"statusMessage\":{\"message\":{");
            member(&mut body, "content", message);
            member(&mut body, "contentType", "text");
            body.push('}');
            if let Some(expiry) = &expiry {
                body.push_str(",\"expiryDateTime\":{");
                member(&mut body, "dateTime", &expiry.date_time);
                member(&mut body, "timeZone", trim(&expiry.time_zone));
                body.push('}');
            }
            body.push_str("}}");
            Some(body)
        }
    };

    let path = match action {
        Action::GetPresence => format!("{user}/presence"),
        other => format!("{user}/presence/{}", other.as_str()),
    };
    // In the order a BTreeMap gave them before: uppercase first.
    let mut headers = StringMap::new();
    if body.is_some() {
        headers.insert("Content-Type".to_owned(), "application/json".to_owned());
    }
    headers.insert("client-request-id".to_owned(), request_id);
    Ok(GraphRequest {
        method: if action == Action::GetPresence { "GET" } else { "POST" },
        url: format!("{}/v1.0{path}", cloud.graph_base_url()),
        headers,
        body,
    })
}

/// An app presence session lifetime: a valid duration from PT5M to PT4H.
pub fn session_expiry(text: &str) -> Result<Duration, PresenceError> {
    let d = duration::parse("expiration", text)?;
    if d.cmp_secs(SESSION_MIN_SECONDS).is_lt() || d.cmp_secs(SESSION_MAX_SECONDS).is_gt() {
        return Err(Kind::DurationOutOfRange { field: "expiration", got: d.to_iso(), min: "PT5M", max: "PT4H" }.into());
    }
    Ok(d)
}

/// What `sendRequest` accepts: a request as `buildRequest` returns it.
#[derive(Debug, Clone)]
pub struct SendInput {
    pub method: String,
    pub url: String,
    pub headers: StringMap,
    pub body: Option<String>,
}

impl FromValue for SendInput {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["method", "url", "headers", "body"])?;
        Ok(Self {
            method: o.req("method")?,
            url: o.req("url")?,
            headers: o.or_default("headers")?,
            body: o.opt("body")?,
        })
    }
}

/// Options of `sendRequest`.
#[derive(Debug, Clone, Default)]
pub struct SendOptions {
    pub timeout_ms: Option<f64>,
}

impl FromValue for SendOptions {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["timeoutMs"])?;
        Ok(Self { timeout_ms: o.opt("timeoutMs")? })
    }
}

crate::deserialize_via_value!(SendInput, SendOptions);

/// Default and largest request timeout. A service worker's fetch is cut off after 30 s anyway.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;
/// See [`DEFAULT_TIMEOUT_MS`].
pub const MAX_TIMEOUT_MS: u32 = 30_000;

/// Checks a request before it is sent and returns the timeout to use, in milliseconds.
pub fn check_send(input: &SendInput, options: &SendOptions, token: &str) -> Result<u32, PresenceError> {
    if input.method != "GET" && input.method != "POST" {
        return Err(
            Kind::InvalidValue { field: "method", got: input.method.clone(), allowed: "GET, POST".to_owned() }.into()
        );
    }
    let url = input.url.as_str();
    let loopback =
        ["http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/", "http://[::1]:"];
    if !url.starts_with("https://") && !loopback.iter().any(|p| url.starts_with(p)) {
        return Err(Kind::InvalidUrl {
            field: "url",
            got: url.to_owned(),
            reason: "requests go to https:// hosts (or http:// on loopback only)".to_owned(),
        }
        .into());
    }
    if input.headers.keys().any(|k| k.eq_ignore_ascii_case("authorization")) {
        return Err(Kind::UnexpectedField {
            field: "headers.Authorization",
            action: "sendRequest (pass the token as its own argument)",
        }
        .into());
    }
    if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Kind::InvalidText {
            field: "accessToken",
            reason: "it is empty or contains whitespace".to_owned(),
        }
        .into());
    }
    match options.timeout_ms {
        None => Ok(DEFAULT_TIMEOUT_MS),
        Some(ms) if ms.is_finite() && ms >= 1.0 && ms <= f64::from(MAX_TIMEOUT_MS) => Ok(ms as u32),
        Some(ms) => Err(Kind::InvalidInput {
            field: Some("timeoutMs".to_owned()),
            message: format!("timeoutMs must be between 1 and {MAX_TIMEOUT_MS}, got {}", crate::error::show_number(ms)),
        }
        .into()),
    }
}
