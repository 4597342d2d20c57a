//! Boundary tests shared by the page and service-worker test crates: what JavaScript sees.

use js_sys::{Reflect, JSON};
use presence_switch::bindings;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test input is JSON")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).expect("property access")
}

fn text(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_else(|| panic!("{key} is not a string"))
}

/// The thrown value is a real `Error` named PresenceError with `code` and `field`.
/// Rust-side calls return `PresenceError`; the generated shim throws `JsValue::from` of it, which
/// is what is checked here.
fn assert_presence_error(err: impl Into<JsValue>, code: &str, field: Option<&str>) {
    let err: JsValue = err.into();
    let error: &js_sys::Error = err.dyn_ref().expect("an Error instance");
    assert_eq!(String::from(error.name()), "PresenceError");
    assert_eq!(text(&err, "code"), code, "message: {}", String::from(error.message()));
    assert_eq!(get(&err, "field").as_string().as_deref(), field);
    assert!(!String::from(error.message()).is_empty());
}

fn sim() -> (&'static str, &'static str) {
    match (option_env!("PRESENCE_SIM_URL"), option_env!("PRESENCE_SIM_TOKEN")) {
        (Some(url), Some(token)) => (url, token),
        _ => panic!("PRESENCE_SIM_URL and PRESENCE_SIM_TOKEN are unset: run these tests through ./build.sh test"),
    }
}

#[wasm_bindgen_test]
fn build_request_returns_a_plain_object() {
    let request = bindings::build_request(&json(
        r#"{"action":"setUserPreferredPresence","availability":"busy","expiration":"90m"}"#,
    ))
    .expect("valid input");
    assert_eq!(
        js_sys::Object::get_prototype_of(&request),
        js_sys::Object::get_prototype_of(&js_sys::Object::new()),
        "a plain object, not a Map"
    );
    assert_eq!(text(&request, "method"), "POST");
    assert_eq!(text(&request, "url"), "https://graph.microsoft.com/v1.0/me/presence/setUserPreferredPresence");
    assert_eq!(text(&request, "body"), r#"{"availability":"Busy","activity":"Busy","expirationDuration":"PT1H30M"}"#);
    let headers = get(&request, "headers");
    assert_eq!(text(&headers, "Content-Type"), "application/json");
    let id = text(&headers, "client-request-id");
    assert!(presence_switch::cloud::is_guid(&id), "client-request-id {id} is a UUID");
    let again = bindings::build_request(&json(r#"{"action":"getPresence"}"#)).expect("valid input");
    assert_ne!(text(&get(&again, "headers"), "client-request-id"), id, "every request gets a fresh id");
    assert!(get(&again, "body").is_null(), "no body is null, not undefined");
}

#[wasm_bindgen_test]
fn refusals_arrive_as_errors_with_code_and_field() {
    let typo = bindings::build_request(&json(
        r#"{"action":"setUserPreferredPresence","availability":"Busy","expirationDuraton":"PT1H"}"#,
    ));
    assert_presence_error(typo.expect_err("unknown field"), "invalidInput", Some("expirationDuraton"));
    let nested = bindings::build_request(&json(
        r#"{"action":"setStatusMessage","message":"x","messageExpiry":{"dateTime":"2026-12-01T17:30:00","timezone":"UTC"}}"#,
    ));
    assert_presence_error(nested.expect_err("unknown nested key"), "invalidText", Some("messageExpiry"));
    let undefined_is_absent = js_sys::Object::new();
    Reflect::set(&undefined_is_absent, &"action".into(), &"getPresence".into()).expect("set");
    Reflect::set(&undefined_is_absent, &"userId".into(), &JsValue::UNDEFINED).expect("set");
    bindings::build_request(&undefined_is_absent.into()).expect("an undefined optional field is absent");
    let pair = bindings::build_request(&json(
        r#"{"action":"setUserPreferredPresence","availability":"Busy","activity":"InACall"}"#,
    ));
    assert_presence_error(pair.expect_err("pair"), "unsupportedPair", Some("activity"));
    let china = bindings::build_request(&json(r#"{"action":"getPresence","cloud":"china"}"#));
    assert_presence_error(china.expect_err("china"), "cloudNotSupported", Some("cloud"));
    let user = bindings::build_request(&json(r#"{"action":"getPresence","userId":"../admin"}"#));
    assert_presence_error(user.expect_err("path"), "invalidUserId", Some("userId"));
    assert_presence_error(
        bindings::parse_duration(&JsValue::from(5)).expect_err("number"),
        "invalidInput",
        Some("text"),
    );
    assert_presence_error(
        bindings::parse_duration(&"-PT1H".into()).expect_err("sign"),
        "invalidDuration",
        Some("duration"),
    );
    assert_presence_error(
        bindings::duration_until(&JsValue::from(1000.0), &JsValue::from(10.0)).expect_err("past"),
        "targetInPast",
        Some("targetMs"),
    );
}

#[wasm_bindgen_test]
fn durations_cross_the_boundary() {
    let parsed = bindings::parse_duration(&"PT90M".into()).expect("valid");
    assert_eq!(text(&parsed, "iso"), "PT1H30M");
    assert_eq!(get(&parsed, "seconds").as_f64(), Some(5400.0));
    assert_eq!(
        bindings::format_duration(&JsValue::from(604_800.0)).expect("valid").as_string().as_deref(),
        Some("P7D")
    );
    let until = bindings::duration_until(&JsValue::from(0.0), &JsValue::from(90_001.0)).expect("valid");
    assert_eq!(text(&until, "iso"), "PT2M");
    let expiry = bindings::effective_expiry(&json(r#"{"availability":"DoNotDisturb","nowMs":1000}"#)).expect("valid");
    assert_eq!(text(&expiry, "iso"), "P1D");
    assert_eq!(get(&expiry, "untilMs").as_f64(), Some(1000.0 + 86_400_000.0));
    assert_eq!(get(&expiry, "isDefault").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn interpret_response_reads_errors_and_presence() {
    let throttled = bindings::interpret_response(&json(
        r#"{"status":429,"headers":{"Retry-After":"7"},"body":"{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\",\"innerError\":{\"request-id\":\"r-1\",\"date\":\"2026-12-01T10:00:00\"}}}"}"#,
    ))
    .expect("interpretable");
    assert_eq!(get(&throttled, "ok").as_bool(), Some(false));
    let error = get(&throttled, "error");
    assert_eq!(text(&error, "code"), "throttled");
    assert_eq!(text(&error, "next"), "retry");
    assert_eq!(get(&error, "retryAfterSeconds").as_f64(), Some(7.0));
    assert_eq!(text(&error, "requestId"), "r-1");
    let ok = bindings::interpret_response(&json(
        r#"{"status":200,"headers":{},"body":"{\"availability\":\"Busy\",\"activity\":\"InACall\",\"sequenceNumber\":\"C2\",\"workLocation\":{}}"}"#,
    ))
    .expect("interpretable");
    assert_eq!(text(&get(&ok, "presence"), "activity"), "InACall");
    let not_json =
        bindings::interpret_response(&json(r#"{"status":502,"headers":{},"body":"<html>bad gateway</html>"}"#))
            .expect("interpretable");
    assert_eq!(text(&get(&not_json, "error"), "code"), "serviceUnavailable");
}

async fn send(request: JsValue, token: &str, timeout_ms: f64) -> Result<JsValue, JsValue> {
    let options = js_sys::Object::new();
    Reflect::set(&options, &"timeoutMs".into(), &timeout_ms.into()).expect("set");
    bindings::send_request(&request, &token.into(), &options.into()).await
}

fn sim_request(path: &str, method: &str, body: Option<&str>) -> JsValue {
    let (url, _) = sim();
    let request = js_sys::Object::new();
    Reflect::set(&request, &"method".into(), &method.into()).expect("set");
    Reflect::set(&request, &"url".into(), &format!("{url}{path}").into()).expect("set");
    let headers = js_sys::Object::new();
    Reflect::set(&headers, &"client-request-id".into(), &"6f1c2b8e-0d4a-4b7e-9c3f-2a1b0c9d8e7f".into()).expect("set");
    if body.is_some() {
        Reflect::set(&headers, &"Content-Type".into(), &"application/json".into()).expect("set");
    }
    Reflect::set(&request, &"headers".into(), &headers).expect("set");
    Reflect::set(&request, &"body".into(), &body.map_or(JsValue::NULL, JsValue::from)).expect("set");
    request.into()
}

#[wasm_bindgen_test]
async fn send_request_reaches_the_simulator() {
    let (_, token) = sim();
    let body = r#"{"availability":"Busy","activity":"Busy","expirationDuration":"PT30M"}"#;
    let set = send(sim_request("/v1.0/me/presence/setUserPreferredPresence", "POST", Some(body)), token, 5000.0)
        .await
        .expect("the simulator answers");
    let status = get(&set, "status").as_f64();
    assert!(matches!(status, Some(200.0) | Some(204.0)), "status {status:?}");
    let read = send(sim_request("/v1.0/me/presence", "GET", None), token, 5000.0).await.expect("answer");
    assert_eq!(get(&read, "status").as_f64(), Some(200.0));
    let presence = JSON::parse(&text(&read, "body")).expect("JSON body");
    assert_eq!(text(&presence, "availability"), "Busy", "a Teams client session exists, so the preferred state shows");
    assert!(!text(&get(&read, "headers"), "request-id").is_empty(), "headers are readable, lowercased");
}

#[wasm_bindgen_test]
async fn send_request_reports_network_errors_and_timeouts() {
    let (url, token) = sim();
    let closed = js_sys::Object::new();
    Reflect::set(&closed, &"method".into(), &"GET".into()).expect("set");
    Reflect::set(&closed, &"url".into(), &"http://127.0.0.1:9/v1.0/me/presence".into()).expect("set");
    let err = send(closed.into(), token, 5000.0).await.expect_err("nothing listens there");
    assert_presence_error(err, "networkError", None);
    // build.sh makes the simulator answer this path after 2 s.
    let slow = sim_request("/v1.0/users/00000000-0000-0000-0000-00000000dead/presence", "GET", None);
    let err = send(slow, token, 200.0).await.expect_err("slower than the timeout");
    assert_presence_error(err, "timeout", None);
    let bad = send(sim_request("/v1.0/me/presence", "DELETE", None), token, 5000.0).await.expect_err("method");
    assert_presence_error(bad, "invalidValue", Some("method"));
    let _ = url;
}

#[wasm_bindgen_test]
fn meeting_exports_cross_the_boundary() {
    let m = bindings::match_meeting(&"https://meet.google.com/abc-defg-hij?authuser=0".into(), &JsValue::UNDEFINED)
        .expect("valid");
    assert_eq!((text(&m, "site"), text(&m, "meetingId")), ("googleMeet".to_owned(), "abc-defg-hij".to_owned()));
    let none = bindings::match_meeting(&"https://meet.google.com.example.net/abc-defg-hij".into(), &JsValue::UNDEFINED)
        .expect("valid");
    assert!(none.is_null(), "a look-alike host is not a meeting");
    let custom = js_sys::Array::of1(&"https://jitsi.example.org/*".into());
    let m = bindings::match_meeting(&"https://jitsi.example.org/standup".into(), &custom.into()).expect("valid");
    assert_eq!(text(&m, "site"), "custom");
    let bad = js_sys::Array::of1(&"http://*.com/*".into());
    assert_presence_error(
        bindings::match_meeting(&"https://x.com/".into(), &bad.into()).expect_err("pattern"),
        "invalidMeeting",
        Some("customPatterns"),
    );
    let pattern = bindings::validate_meeting_pattern(&"https://*.video.example.com/room/*".into()).expect("valid");
    assert!(text(&pattern, "permission").starts_with("https://"), "the host permission to request");

    let step = bindings::meeting_step(
        &JsValue::NULL,
        &json(r#"{"type":"join","tabId":7,"site":"googleMeet","meetingId":"abc-defg-hij"}"#),
        &JsValue::from(1_000_000.0),
    )
    .expect("valid");
    let effects: js_sys::Array = get(&step, "effects").dyn_into().expect("an array");
    let read = effects.iter().find(|e| text(e, "type") == "readPresence").expect("first read what to restore");
    assert_eq!(text(&read, "purpose"), "snapshot");
    assert!(!effects.iter().any(|e| text(&e, "type") == "setPreferredPresence"), "nothing is set blind");
    let state = get(&step, "state");
    let stored = JSON::parse(&String::from(JSON::stringify(&state).expect("JSON-safe"))).expect("round trip");
    let next = bindings::meeting_step(
        &stored,
        &json(r#"{"type":"presenceRead","availability":"Available","activity":"Available"}"#),
        &JsValue::from(1_000_500.0),
    )
    .expect("valid");
    let effects: js_sys::Array = get(&next, "effects").dyn_into().expect("an array");
    let set = effects.iter().find(|e| text(e, "type") == "setPreferredPresence").expect("a set effect");
    assert_eq!((text(&set, "availability"), text(&set, "expiration")), ("Busy".to_owned(), "PT4H".to_owned()));
    assert_presence_error(
        bindings::meeting_step(
            &JsValue::NULL,
            &json(r#"{"type":"join","tabId":1,"site":"googleMeet","meetingId":"x","tabid":2}"#),
            &JsValue::from(1.0),
        )
        .expect_err("unknown field"),
        "invalidInput",
        Some("tabid"),
    );
}
