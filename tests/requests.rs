//! Request building: golden files for every action × cloud, and the validation rules
//! (issue "Core" §1, §3; graph-presence.md §1–§3, §11).
//!
//! Regenerate the golden files after an intended change with `UPDATE_GOLDEN=1 cargo test --test
//! requests`, then review the diff: each file is the exact request Graph documents.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::path::PathBuf;

use presence_switch::request::{build, GraphRequest, RequestInput};
use presence_switch::PresenceError;
use serde_json::{json, Value};

const REQUEST_ID: &str = "11111111-2222-4333-8444-555555555555";
const APP_ID: &str = "5e1f9c2a-8b3d-4f60-a7e4-1d2c3b4a5f60";
const USER: &str = "fa8bf3dc-eca7-46b7-bad1-db199b62afc3";

fn input(value: Value) -> RequestInput {
    serde_json::from_value(value).expect("input deserialises")
}

fn ok(value: Value) -> GraphRequest {
    build(&input(value.clone()), REQUEST_ID).unwrap_or_else(|e| panic!("{value} refused: {e}"))
}

fn err(value: Value) -> PresenceError {
    match build(&input(value.clone()), REQUEST_ID) {
        Ok(r) => panic!("{value} accepted: {r:?}"),
        Err(e) => e,
    }
}

fn to_value(result: Result<GraphRequest, PresenceError>) -> Value {
    match result {
        Ok(r) => json!({
            "method": r.method,
            "url": r.url,
            "headers": r.headers,
            "body": r.body.map(|b| serde_json::from_str::<Value>(&b).expect("body is JSON")),
        }),
        Err(e) => json!({ "error": { "code": e.code(), "field": e.field(), "message": e.to_string() } }),
    }
}

fn actions() -> Vec<(&'static str, Value)> {
    vec![
        (
            "setUserPreferredPresence",
            json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb", "expiration": "PT8H"}),
        ),
        ("setUserPreferredPresence-default-expiry", json!({"availability": "Offline"})),
        ("clearUserPreferredPresence", json!({})),
        (
            "setPresence",
            json!({"sessionId": APP_ID, "availability": "Busy", "activity": "InACall", "expiration": "PT1H"}),
        ),
        ("clearPresence", json!({"sessionId": APP_ID})),
        ("getPresence", json!({})),
        (
            "setStatusMessage",
            json!({"message": "Heads down \"until\" 3\npm", "messageExpiry": {"dateTime": "2026-12-01T17:30:00", "timeZone": "W. Europe Standard Time"}}),
        ),
    ]
}

fn clouds() -> Vec<(&'static str, Value)> {
    vec![
        ("global", json!({})),
        ("usGovL4", json!({"cloud": "usGovL4"})),
        ("usGovL5", json!({"cloud": "usGovL5"})),
        ("china", json!({"cloud": "china"})),
        ("custom", json!({"cloud": "custom", "graphBaseUrl": "http://127.0.0.1:8080/"})),
    ]
}

#[test]
fn golden_requests_for_every_action_and_cloud() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/requests");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut checked = 0;
    for (cloud_name, cloud) in clouds() {
        for (name, fields) in actions() {
            for user in ["me", USER] {
                let action = name.split('-').next().unwrap_or(name);
                let mut value = json!({ "action": action });
                let obj = value.as_object_mut().expect("object");
                obj.extend(cloud.as_object().expect("object").clone());
                obj.extend(fields.as_object().expect("object").clone());
                if user != "me" {
                    obj.insert("userId".into(), json!(user));
                }
                let got = to_value(build(&input(value.clone()), REQUEST_ID));
                let file = dir.join(format!("{name}.{cloud_name}.{}.json", if user == "me" { "me" } else { "user" }));
                let document = json!({ "input": value, "output": got });
                if update {
                    let text = serde_json::to_string_pretty(&document).expect("json") + "\n";
                    std::fs::write(&file, text).expect("write golden");
                } else {
                    let want: Value = serde_json::from_str(
                        &std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("missing {}", file.display())),
                    )
                    .expect("golden is JSON");
                    assert_eq!(document, want, "{}", file.display());
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 70);
}

#[test]
fn the_documented_example_is_built_exactly() {
    // setUserPreferredPresence page, "Request" example.
    let r = ok(
        json!({"action": "setUserPreferredPresence", "userId": USER, "availability": "DoNotDisturb", "activity": "DoNotDisturb", "expiration": "PT8H"}),
    );
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, format!("https://graph.microsoft.com/v1.0/users/{USER}/presence/setUserPreferredPresence"));
    assert_eq!(
        r.body.as_deref(),
        Some(r#"{"availability":"DoNotDisturb","activity":"DoNotDisturb","expirationDuration":"PT8H"}"#)
    );
    assert_eq!(r.headers.get("Content-Type").map(String::as_str), Some("application/json"));
    assert_eq!(r.headers.get("client-request-id").map(String::as_str), Some(REQUEST_ID));
    assert_eq!(r.headers.len(), 2);
}

#[test]
fn accepts_exactly_the_six_preferred_pairs_and_derives_the_activity() {
    for (availability, activity) in [
        ("Available", "Available"),
        ("Busy", "Busy"),
        ("DoNotDisturb", "DoNotDisturb"),
        ("BeRightBack", "BeRightBack"),
        ("Away", "Away"),
        ("Offline", "OffWork"),
    ] {
        let explicit =
            ok(json!({"action": "setUserPreferredPresence", "availability": availability, "activity": activity}));
        let derived = ok(json!({"action": "setUserPreferredPresence", "availability": availability.to_lowercase()}));
        let want = format!(r#"{{"availability":"{availability}","activity":"{activity}"}}"#);
        assert_eq!(explicit.body.as_deref(), Some(want.as_str()));
        assert_eq!(derived.body.as_deref(), Some(want.as_str()), "derived and emitted in Graph's spelling");
    }
    for (availability, activity) in [
        ("Busy", "InACall"),
        ("Available", "Busy"),
        ("Offline", "Offline"),
        ("DoNotDisturb", "Presenting"),
        ("Away", "BeRightBack"),
    ] {
        let e = err(json!({"action": "setUserPreferredPresence", "availability": availability, "activity": activity}));
        assert_eq!(e.code(), "unsupportedPair", "{availability}/{activity}");
        assert_eq!(e.field(), Some("activity"));
        assert!(e.to_string().contains("Offline/OffWork"), "{e}");
    }
    let e = err(json!({"action": "setUserPreferredPresence", "availability": "OutOfOffice"}));
    assert_eq!((e.code(), e.field()), ("invalidValue", Some("availability")));
    let e = err(json!({"action": "setUserPreferredPresence", "availability": "Busy", "activity": "InAMeeting"}));
    assert_eq!((e.code(), e.field()), ("unsupportedPair", Some("activity")), "InAMeeting cannot be set");
    let e = err(json!({"action": "setUserPreferredPresence", "availability": "Busy", "activity": "Bsy"}));
    assert_eq!((e.code(), e.field()), ("invalidValue", Some("activity")));
}

#[test]
fn set_presence_checks_its_five_pairs_and_the_session_range() {
    for (availability, activity) in [
        ("Available", Some("Available")),
        ("Busy", Some("InACall")),
        ("Busy", Some("InAConferenceCall")),
        ("Away", Some("Away")),
        ("DoNotDisturb", Some("Presenting")),
        ("DoNotDisturb", None),
        ("Available", None),
    ] {
        let mut v = json!({"action": "setPresence", "sessionId": APP_ID, "availability": availability});
        if let Some(a) = activity {
            v["activity"] = json!(a);
        }
        ok(v);
    }
    let e = err(json!({"action": "setPresence", "sessionId": APP_ID, "availability": "Busy"}));
    assert_eq!((e.code(), e.field()), ("missingField", Some("activity")));
    let e = err(json!({"action": "setPresence", "sessionId": APP_ID, "availability": "BeRightBack"}));
    assert_eq!(e.code(), "unsupportedPair");
    for (expiration, want) in [("PT5M", "PT5M"), ("PT4H", "PT4H"), ("240m", "PT4H"), ("PT300S", "PT5M")] {
        let r = ok(
            json!({"action": "setPresence", "sessionId": APP_ID, "availability": "Available", "expiration": expiration}),
        );
        assert!(
            r.body.as_deref().is_some_and(|b| b.contains(&format!(r#""expirationDuration":"{want}""#))),
            "{expiration}"
        );
    }
    for expiration in ["PT4M59S", "PT4H0.5S", "PT4H1M", "P1D"] {
        let e = err(
            json!({"action": "setPresence", "sessionId": APP_ID, "availability": "Available", "expiration": expiration}),
        );
        assert_eq!((e.code(), e.field()), ("durationOutOfRange", Some("expiration")), "{expiration}");
        assert!(e.to_string().contains("between PT5M and PT4H"), "{e}");
    }
    let r = ok(json!({"action": "setPresence", "sessionId": APP_ID.to_uppercase(), "availability": "Away"}));
    assert_eq!(
        r.body.as_deref(),
        Some(format!(r#"{{"sessionId":"{APP_ID}","availability":"Away","activity":"Away"}}"#).as_str())
    );
    let e = err(json!({"action": "setPresence", "sessionId": "my-app", "availability": "Away"}));
    assert_eq!((e.code(), e.field()), ("invalidText", Some("sessionId")));
    let e = err(json!({"action": "clearPresence"}));
    assert_eq!((e.code(), e.field()), ("missingField", Some("sessionId")));
}

#[test]
fn refuses_fields_the_action_does_not_use() {
    for (action, field, value) in [
        ("clearUserPreferredPresence", "availability", json!("Busy")),
        ("clearUserPreferredPresence", "expiration", json!("PT1H")),
        ("getPresence", "activity", json!("Busy")),
        ("setUserPreferredPresence", "sessionId", json!(APP_ID)),
        ("setUserPreferredPresence", "message", json!("hi")),
        ("clearPresence", "availability", json!("Busy")),
        ("setStatusMessage", "expiration", json!("PT1H")),
    ] {
        let mut v = json!({"action": action, field: value});
        if action == "setUserPreferredPresence" {
            v["availability"] = json!("Busy");
        }
        if action == "clearPresence" {
            v["sessionId"] = json!(APP_ID);
        }
        if action == "setStatusMessage" {
            v["message"] = json!("hi");
        }
        let e = err(v);
        assert_eq!((e.code(), e.field()), ("unexpectedField", Some(field)), "{action} {field}");
        assert!(e.to_string().contains(action), "{e}");
    }
    let e = err(json!({"action": "setUserPreferredPresence"}));
    assert_eq!((e.code(), e.field()), ("missingField", Some("availability")));
    let e = err(json!({"action": "setPrefferedPresence"}));
    assert_eq!((e.code(), e.field()), ("invalidValue", Some("action")));
    let typo = serde_json::from_value::<RequestInput>(json!({"action": "getPresence", "expirationDuraton": "PT1H"}));
    let message = typo.expect_err("unknown fields are refused").to_string();
    let e = PresenceError::from_serde_message(message);
    assert_eq!((e.code(), e.field()), ("invalidInput", Some("expirationDuraton")));
}

#[test]
fn validates_and_encodes_the_target_user() {
    for (user, path) in [
        ("me", "/me/presence/setUserPreferredPresence"),
        ("ME", "/me/presence/setUserPreferredPresence"),
        (&USER.to_uppercase(), &format!("/users/{USER}/presence/setUserPreferredPresence")),
        ("adele.vance@contoso.com", "/users/adele.vance@contoso.com/presence/setUserPreferredPresence"),
        ("o'brien+test@contoso.com", "/users/o%27brien%2Btest@contoso.com/presence/setUserPreferredPresence"),
    ] {
        let r = ok(json!({"action": "setUserPreferredPresence", "userId": user, "availability": "Busy"}));
        assert_eq!(r.url, format!("https://graph.microsoft.com/v1.0{path}"), "{user}");
    }
    for user in [
        "",
        "a/b@contoso.com",
        "../me",
        "x@contoso.com?$select=id",
        "guest#EXT#@contoso.onmicrosoft.com",
        "a\\b@c.com",
        "a b@c.com",
        "a\u{0}@c.com",
        "a%2F@c.com",
        "adele",
        "adele@",
        "@contoso.com",
        "a@b@c.com",
        "a@localhost",
        "a@..com",
    ] {
        let e = err(json!({"action": "setUserPreferredPresence", "userId": user, "availability": "Busy"}));
        assert_eq!((e.code(), e.field()), ("invalidUserId", Some("userId")), "{user:?}: {e}");
    }
    let e = err(json!({"action": "getPresence", "userId": "adele.vance@contoso.com"}));
    assert_eq!(e.code(), "invalidUserId");
    assert!(e.to_string().contains("GUID"), "{e}");
}

#[test]
fn clouds_select_hosts_and_china_is_refused_for_every_action() {
    for (cloud, host) in [
        ("global", "https://graph.microsoft.com"),
        ("usGovL4", "https://graph.microsoft.us"),
        ("usGovL5", "https://dod-graph.microsoft.us"),
        ("USGOVL5", "https://dod-graph.microsoft.us"),
    ] {
        assert_eq!(ok(json!({"action": "getPresence", "cloud": cloud})).url, format!("{host}/v1.0/me/presence"));
    }
    for (action, _) in actions() {
        let e = err(json!({"action": action.split('-').next(), "cloud": "china"}));
        assert_eq!((e.code(), e.field()), ("cloudNotSupported", Some("cloud")));
        assert!(e.to_string().contains("21Vianet"), "{e}");
    }
    for (url, want) in [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1.0/me/presence"),
        ("http://localhost:3000/", "http://localhost:3000/v1.0/me/presence"),
        ("https://graph.example.test/v1.0", "https://graph.example.test/v1.0/me/presence"),
    ] {
        assert_eq!(ok(json!({"action": "getPresence", "cloud": "custom", "graphBaseUrl": url})).url, want);
    }
    for url in [
        "http://example.com",
        "ftp://127.0.0.1",
        "https://user:pw@graph.example.test",
        "https://graph.example.test/?x=1",
        "https://graph.example.test/#x",
        "https://",
        "https://gra ph.example",
        "https://graph.example.test/../v1.0",
        "http://127.0.0.1:port",
    ] {
        let e = err(json!({"action": "getPresence", "cloud": "custom", "graphBaseUrl": url}));
        assert_eq!((e.code(), e.field()), ("invalidUrl", Some("graphBaseUrl")), "{url}");
    }
    let e = err(json!({"action": "getPresence", "cloud": "custom"}));
    assert_eq!((e.code(), e.field()), ("missingField", Some("graphBaseUrl")));
    let e = err(json!({"action": "getPresence", "graphBaseUrl": "http://127.0.0.1:1"}));
    assert_eq!((e.code(), e.field()), ("unexpectedField", Some("graphBaseUrl")));
    let e = err(json!({"action": "getPresence", "cloud": "gcc"}));
    assert_eq!((e.code(), e.field()), ("invalidValue", Some("cloud")));
}

#[test]
fn status_messages_are_checked_and_escaped() {
    let r = ok(json!({"action": "setStatusMessage", "message": "Lunch 🍜 \"back\" at 1\\2"}));
    let body: Value = serde_json::from_str(r.body.as_deref().expect("body")).expect("valid JSON");
    assert_eq!(
        body,
        json!({"statusMessage": {"message": {"content": "Lunch 🍜 \"back\" at 1\\2", "contentType": "text"}}})
    );
    let e = err(json!({"action": "setStatusMessage", "message": "x".repeat(281)}));
    assert_eq!((e.code(), e.field()), ("invalidText", Some("message")));
    ok(json!({"action": "setStatusMessage", "message": "é".repeat(280)}));
    for (date_time, time_zone) in [
        ("2026-12-01T17:30:00Z", "UTC"),
        ("2026-12-01T17:30:00+01:00", "UTC"),
        ("2026-12-01 17:30:00", "UTC"),
        ("2026-13-01T17:30:00", "UTC"),
        ("2026-12-01T24:00:00", "UTC"),
        ("2026-12-01T17:30:00", ""),
        ("2026-12-01T17:30:00.12345678", "UTC"),
    ] {
        let e = err(
            json!({"action": "setStatusMessage", "message": "x", "messageExpiry": {"dateTime": date_time, "timeZone": time_zone}}),
        );
        assert_eq!((e.code(), e.field()), ("invalidText", Some("messageExpiry")), "{date_time} {time_zone}");
    }
    ok(
        json!({"action": "setStatusMessage", "message": "x", "messageExpiry": {"dateTime": "2026-12-01T17:30:00.2079781", "timeZone": "Pacific Standard Time"}}),
    );
}

#[test]
fn client_request_id_is_fresh_or_the_callers_guid() {
    let r = build(&input(json!({"action": "getPresence"})), "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee").expect("valid");
    assert_eq!(r.headers.get("client-request-id").map(String::as_str), Some("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"));
    assert!(!r.headers.contains_key("Content-Type"), "GET has no body, so no Content-Type");
    assert_eq!(r.body, None);
    let r = ok(json!({"action": "getPresence", "clientRequestId": "ABCDEF01-2345-4678-9ABC-DEF012345678"}));
    assert_eq!(r.headers.get("client-request-id").map(String::as_str), Some("abcdef01-2345-4678-9abc-def012345678"));
    let e = err(json!({"action": "getPresence", "clientRequestId": "not-a-guid"}));
    assert_eq!((e.code(), e.field()), ("invalidText", Some("clientRequestId")));
}
