//! The JavaScript boundary: the only module that uses wasm-bindgen or js-sys (and src/send.js).
//!
//! It converts, delegates and maps errors; the logic lives in the pure modules. Every refusal is
//! thrown as a JS `Error` with `name = "PresenceError"`, a stable `code` and, where an input field
//! is at fault, `field`. Outputs are plain JSON-compatible objects (`json_compatible()`), so they
//! can go straight into `chrome.storage`, `runtime.sendMessage` or `JSON.stringify`.

use wasm_bindgen::prelude::*;

use crate::cloud::{self, CloudConfigInput};
use crate::duration::{self, DurationOut, EffectiveExpiryInput};
use crate::error::{Kind, PresenceError};
use crate::meeting;
use crate::request::{self, RequestInput, SendInput, SendOptions};
use crate::response::{self, ResponseBody, ResponseInput};
use crate::value::{self, FromValue, ToValue, Value};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type Availability = "Available" | "Busy" | "DoNotDisturb" | "BeRightBack" | "Away" | "Offline";
export type Cloud = "global" | "usGovL4" | "usGovL5" | "china" | "custom";
export type Action = "setUserPreferredPresence" | "clearUserPreferredPresence" | "setPresence"
  | "clearPresence" | "getPresence" | "setStatusMessage";
export interface DurationResult { iso: string; seconds: number; }
export interface ExpiryResult { iso: string; seconds: number; untilMs: number; isDefault: boolean; }
export interface EffectiveExpiryInput { availability: string; expiration?: string; nowMs: number; }
export interface DateTimeTimeZone { dateTime: string; timeZone: string; }
export interface RequestInput {
  action: Action; cloud?: Cloud; graphBaseUrl?: string; userId?: string;
  availability?: string; activity?: string; expiration?: string; sessionId?: string;
  message?: string; messageExpiry?: DateTimeTimeZone; clientRequestId?: string;
}
export interface GraphRequest { method: "GET" | "POST"; url: string; headers: Record<string, string>; body: string | null; }
export interface CloudConfigInput { cloud?: Cloud; graphBaseUrl?: string; loginBaseUrl?: string; tenant?: string; }
export interface CloudConfig {
  cloud: Cloud; graphBaseUrl: string; loginBaseUrl: string | null; authority: string | null;
  tenant: string; scopes: string[]; presenceSupported: boolean;
}
export interface RawResponse { status: number; headers: Record<string, string>; body: string | null; }
export interface ResponseInput extends RawResponse {
  attempt?: number; waitedSeconds?: number; nowMs?: number; jitter?: number;
}
export interface Presence {
  id: string | null; availability: string; activity: string; sequenceNumber: string | null;
  statusMessage: unknown; outOfOfficeSettings: { message: string | null; isOutOfOffice: boolean | null } | null;
}
export type Next = "retry" | "signIn" | "consent" | "fixRequest" | "giveUp";
export interface GraphFailure {
  code: "networkError" | "unauthenticated" | "claimsChallenge" | "consentMissing" | "invalidArgument"
    | "notFound" | "throttled" | "serviceUnavailable" | "graphError";
  message: string; status: number; graphCode?: string; requestId?: string; clientRequestId?: string;
  date?: string; retryAfterSeconds?: number; claims?: string; field?: string; next: Next;
}
export type Interpretation = { ok: true; presence?: Presence } | { ok: false; error: GraphFailure };
export interface SendOptions { timeoutMs?: number; }
"#;

impl From<PresenceError> for JsValue {
    fn from(e: PresenceError) -> Self {
        let err = js_sys::Error::new(&e.message());
        err.set_name("PresenceError");
        // Setting a property on a fresh, unfrozen Error cannot fail.
        let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
        if let Some(field) = e.field() {
            let _ = js_sys::Reflect::set(&err, &"field".into(), &field.into());
        }
        err.into()
    }
}

fn from_js<T: FromValue>(value: &JsValue) -> Result<T, PresenceError> {
    value::from_value(&read_js(value, 0))
}

fn to_js<T: ToValue>(value: &T) -> Result<JsValue, PresenceError> {
    Ok(write_js(value.to_value()))
}

/// Deeper than any input the core reads; guards against cyclic objects.
const MAX_DEPTH: u32 = 32;

/// Copies a JS value into a [`Value`]. An object key whose value is `undefined` is left out (it
/// counts as absent); objects are read through their own enumerable string keys.
fn read_js(v: &JsValue, depth: u32) -> Value {
    // The most frequent kinds first (strings, then objects): each test is a call into JS, and
    // a string is known after one instead of five.
    if let Some(s) = v.as_string() {
        Value::Str(s)
    } else if v.is_object() {
        if depth >= MAX_DEPTH {
            Value::Other("a value nested too deeply")
        } else if js_sys::Array::is_array(v) {
            let mut items = Vec::new();
            for item in v.unchecked_ref::<js_sys::Array>().iter() {
                items.push(read_js(&item, depth + 1));
            }
            Value::Arr(items)
        } else {
            let mut entries = Vec::new();
            for entry in js_sys::Object::entries(v.unchecked_ref()).iter() {
                let entry: js_sys::Array = entry.unchecked_into();
                let item = entry.get(1);
                if !item.is_undefined() {
                    entries.push((entry.get(0).as_string().unwrap_or_default(), read_js(&item, depth + 1)));
                }
            }
            Value::Obj(entries)
        }
    } else if let Some(x) = v.as_f64() {
        Value::Num(x)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if v.is_null() || v.is_undefined() {
        Value::Null
    } else {
        Value::Other(if v.is_function() { "a function" } else { "a value JSON has no form for" })
    }
}

/// A [`Value`] as a plain JS value (objects are plain objects, never `Map`s).
fn write_js(v: Value) -> JsValue {
    match v {
        Value::Null | Value::Other(_) => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(b),
        Value::Num(x) => JsValue::from_f64(x),
        Value::Str(s) => JsValue::from_str(&s),
        Value::Arr(items) => {
            let array = js_sys::Array::new();
            for item in items {
                array.push(&write_js(item));
            }
            array.into()
        }
        Value::Obj(entries) => {
            let object = js_sys::Object::new();
            for (key, item) in entries {
                // Setting a property on a fresh plain object cannot fail.
                let _ = js_sys::Reflect::set(&object, &JsValue::from_str(&key), &write_js(item));
            }
            object.into()
        }
    }
}

fn string_arg(value: &JsValue, field: &str) -> Result<String, PresenceError> {
    value.as_string().ok_or_else(|| {
        Kind::InvalidInput { field: Some(field.to_owned()), message: format!("{field} must be a string") }.into()
    })
}

fn number_arg(value: &JsValue, field: &str) -> Result<f64, PresenceError> {
    value.as_f64().ok_or_else(|| {
        Kind::InvalidInput { field: Some(field.to_owned()), message: format!("{field} must be a number") }.into()
    })
}

/// Parses an ISO 8601 / `Edm.Duration` or friendly duration (`90m`, `1h 30m`) into its canonical
/// form. Throws `invalidDuration`.
#[wasm_bindgen(js_name = "parseDuration", unchecked_return_type = "DurationResult")]
pub fn parse_duration(
    #[wasm_bindgen(unchecked_param_type = "string")] text: &JsValue,
) -> Result<JsValue, PresenceError> {
    let d = duration::parse("duration", &string_arg(text, "text")?)?;
    to_js(&DurationOut::from(&d))
}

/// Formats a positive number of seconds as a canonical duration. Throws `invalidDuration`.
#[wasm_bindgen(js_name = "formatDuration", unchecked_return_type = "string")]
pub fn format_duration(
    #[wasm_bindgen(unchecked_param_type = "number")] seconds: &JsValue,
) -> Result<JsValue, PresenceError> {
    Ok(JsValue::from_str(&duration::format_seconds(number_arg(seconds, "seconds")?)?.to_iso()))
}

/// The duration from `nowMs` to `targetMs`, rounded up to the minute. Throws `targetInPast`,
/// `invalidInput`.
#[wasm_bindgen(js_name = "durationUntil", unchecked_return_type = "DurationResult")]
pub fn duration_until(
    #[wasm_bindgen(unchecked_param_type = "number")] now_ms: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] target_ms: &JsValue,
) -> Result<JsValue, PresenceError> {
    let d = duration::until(number_arg(now_ms, "nowMs")?, number_arg(target_ms, "targetMs")?)?;
    to_js(&DurationOut::from(&d))
}

/// What a person typed into an expiry field: a duration, or `until 17:30` in local time.
/// Throws `invalidDuration`, `targetInPast`, `invalidInput`.
#[wasm_bindgen(js_name = "parseExpiry", unchecked_return_type = "ExpiryResult")]
pub fn parse_expiry(
    #[wasm_bindgen(unchecked_param_type = "string")] text: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now_ms: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] tz_offset_minutes: &JsValue,
) -> Result<JsValue, PresenceError> {
    let e = duration::parse_expiry(
        &string_arg(text, "text")?,
        number_arg(now_ms, "nowMs")?,
        number_arg(tz_offset_minutes, "tzOffsetMinutes")?,
    )?;
    to_js(&e)
}

/// How long a preferred presence will last, including Graph's 1 day / 7 days defaults.
/// Throws `invalidValue`, `invalidDuration`, `invalidInput`.
#[wasm_bindgen(js_name = "effectiveExpiry", unchecked_return_type = "ExpiryResult")]
pub fn effective_expiry(
    #[wasm_bindgen(unchecked_param_type = "EffectiveExpiryInput")] input: &JsValue,
) -> Result<JsValue, PresenceError> {
    let input: EffectiveExpiryInput = from_js(input)?;
    to_js(&duration::effective_expiry(&input)?)
}

/// Endpoints, authority and scopes of a cloud. Throws `invalidValue`, `invalidUrl`,
/// `missingField`, `unexpectedField`, `invalidInput`.
#[wasm_bindgen(js_name = "cloudConfig", unchecked_return_type = "CloudConfig")]
pub fn cloud_config(
    #[wasm_bindgen(unchecked_param_type = "CloudConfigInput")] input: &JsValue,
) -> Result<JsValue, PresenceError> {
    let input: CloudConfigInput =
        if input.is_undefined() || input.is_null() { CloudConfigInput::default() } else { from_js(input)? };
    to_js(&cloud::cloud_config(&input)?)
}

/// Validates `input` and builds the Graph request it describes.
///
/// Throws `invalidInput`, `invalidValue`, `missingField`, `unexpectedField`, `unsupportedPair`,
/// `invalidDuration`, `durationOutOfRange`, `cloudNotSupported`, `invalidUserId`, `invalidUrl`,
/// `invalidText`.
#[wasm_bindgen(js_name = "buildRequest", unchecked_return_type = "GraphRequest")]
pub fn build_request(
    #[wasm_bindgen(unchecked_param_type = "RequestInput")] input: &JsValue,
) -> Result<JsValue, PresenceError> {
    let input: RequestInput = from_js(input)?;
    let fresh_id = random_uuid();
    to_js(&request::build(&input, &fresh_id)?)
}

/// Interprets a Graph response. `nowMs` defaults to `Date.now()` and `jitter` to
/// `Math.random()`. Throws `invalidInput` for unusable input, never for a bad body.
#[wasm_bindgen(js_name = "interpretResponse", unchecked_return_type = "Interpretation")]
pub fn interpret_response(
    #[wasm_bindgen(unchecked_param_type = "ResponseInput")] input: &JsValue,
) -> Result<JsValue, PresenceError> {
    let mut input: ResponseInput = from_js(input)?;
    input.now_ms.get_or_insert_with(js_sys::Date::now);
    input.jitter.get_or_insert_with(js_sys::Math::random);
    // The browser's JSON parser; a body that is not JSON of the expected shape counts as none.
    let body: Option<ResponseBody> = input
        .body
        .as_deref()
        .and_then(|text| js_sys::JSON::parse(text).ok())
        .and_then(|value| value::from_value(&read_js(&value, 0)).ok());
    to_js(&response::interpret(&input, body.as_ref())?)
}

#[wasm_bindgen]
extern "C" {
    /// `crypto.randomUUID()` of the global scope: a window or a worker (service workers have no
    /// `window`).
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID)]
    fn random_uuid() -> String;
}

#[wasm_bindgen(module = "/src/send.js")]
extern "C" {
    /// Sends the checked request (src/send.js).
    #[wasm_bindgen(js_name = send)]
    fn js_send(method: &JsValue, url: &JsValue, headers: &JsValue, body: &JsValue, timeout_ms: u32) -> js_sys::Promise;
}

/// Sends a request built by `buildRequest` with the access token, and resolves with the raw
/// response (headers lowercased). Works in a service worker. Rejects with `networkError` or
/// `timeout`; with `invalidValue`, `invalidUrl`, `unexpectedField`, `invalidText`, `invalidInput`
/// for unusable arguments (it never throws). Rust checks everything; the fetch itself is
/// src/send.js.
#[wasm_bindgen(js_name = "sendRequest", unchecked_return_type = "Promise<RawResponse>")]
pub fn send_request(
    #[wasm_bindgen(unchecked_param_type = "GraphRequest")] request: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] access_token: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "SendOptions | undefined")] options: &JsValue,
) -> js_sys::Promise {
    start_send(request, access_token, options).unwrap_or_else(|e| js_sys::Promise::reject(&e.into()))
}

/// Validates and starts the request; the promise settles as `sendRequest` documents.
fn start_send(request: &JsValue, access_token: &JsValue, options: &JsValue) -> Result<js_sys::Promise, PresenceError> {
    let input: SendInput = from_js(request)?;
    let options: SendOptions =
        if options.is_undefined() || options.is_null() { SendOptions::default() } else { from_js(options)? };
    let token = string_arg(access_token, "accessToken")?;
    let timeout_ms = request::check_send(&input, &options, &token)?;

    let mut headers = Vec::with_capacity(input.headers.len() + 1);
    headers.push(("Authorization".to_owned(), Value::Str(["Bearer ", &token].concat())));
    for (name, value) in input.headers.iter() {
        headers.push((name.clone(), Value::Str(value.clone())));
    }
    let headers = write_js(Value::Obj(headers));
    let (method, url) = (JsValue::from_str(&input.method), JsValue::from_str(&input.url));
    let body = input.body.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
    // Everything Rust allocated is freed before the request starts: work on the thread right
    // after `fetch()` delays the request's departure (bench/README.md).
    drop((input, token));
    Ok(js_send(&method, &url, &headers, &body, timeout_ms))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_MEETING_TYPES: &str = r#"
export interface MeetingMatch { site: "googleMeet" | "zoom" | "webex" | "jitsi" | "whereby" | "custom"; meetingId: string; }
export interface CustomPattern { pattern: string; host: string; port: number | null; path: string; permission: string; }
export type MeetingState = Record<string, unknown>;
export type MeetingEvent = { type: string } & Record<string, unknown>;
export type MeetingEffect = { type: "readPresence"; purpose: "snapshot" | "beforeRestore" }
  | { type: "setPreferredPresence"; availability: string; activity: string; expiration: string }
  | { type: "clearPreferredPresence" }
  | { type: "restorePreferredPresence"; availability: string; activity: string; expiration: string }
  | { type: "scheduleRetry"; atMs: number }
  | { type: "badge"; active: boolean };
export interface MeetingStepResult { state: MeetingState; effects: MeetingEffect[]; }
"#;

fn string_list(value: &JsValue, field: &str) -> Result<Vec<String>, PresenceError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let bad = || Kind::InvalidInput {
        field: Some(field.to_owned()),
        message: format!("{field} must be an array of strings"),
    };
    let array = value.dyn_ref::<js_sys::Array>().ok_or_else(bad)?;
    let mut out = Vec::new();
    for item in array.iter() {
        out.push(item.as_string().ok_or_else(bad)?);
    }
    Ok(out)
}

/// Is `url` a meeting page (built-in rules first, then the user's patterns)? `null` if not.
/// Throws `invalidMeeting` for an invalid custom pattern, `invalidInput` for wrong types.
#[wasm_bindgen(js_name = "matchMeeting", unchecked_return_type = "MeetingMatch | null")]
pub fn match_meeting(
    #[wasm_bindgen(unchecked_param_type = "string")] url: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[] | undefined")] custom_patterns: &JsValue,
) -> Result<JsValue, PresenceError> {
    let patterns = string_list(custom_patterns, "customPatterns")?;
    match meeting::match_meeting(&string_arg(url, "url")?, &patterns)? {
        Some(m) => to_js(&m),
        None => Ok(JsValue::NULL),
    }
}

/// Checks a custom meeting URL pattern for the options page and returns the host permission
/// to request. Throws `invalidMeeting`.
#[wasm_bindgen(js_name = "validateMeetingPattern", unchecked_return_type = "CustomPattern")]
pub fn validate_meeting_pattern(
    #[wasm_bindgen(unchecked_param_type = "string")] pattern: &JsValue,
) -> Result<JsValue, PresenceError> {
    to_js(&meeting::validate_pattern(&string_arg(pattern, "pattern")?)?)
}

/// One step of the meeting auto-set state machine: store `state`, perform `effects` in order.
/// `state` may be `null` (the empty state). Throws `invalidMeeting`, `invalidDuration`,
/// `durationOutOfRange`, `invalidInput`.
#[wasm_bindgen(js_name = "meetingStep", unchecked_return_type = "MeetingStepResult")]
pub fn meeting_step(
    #[wasm_bindgen(unchecked_param_type = "MeetingState | null")] state: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "MeetingEvent")] event: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] now_ms: &JsValue,
) -> Result<JsValue, PresenceError> {
    let state = if state.is_undefined() || state.is_null() { None } else { Some(from_js(state)?) };
    let event = from_js(event)?;
    to_js(&meeting::meeting_step(state, event, number_arg(now_ms, "nowMs")?)?)
}
