//! Response interpretation: success, presence, Graph errors and the next step
//! (issue "Core" §4; graph-presence.md §2, §6, §9, §10).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use presence_switch::value::{StringMap, Value};

use presence_switch::response::{
    backoff_seconds, interpret, parse_http_date, parse_retry_after, Failure, Interpretation, Next, ResponseBody,
    ResponseInput, MAX_RETRIES,
};

fn answer(status: u16, headers: &[(&str, &str)], body: Option<&str>) -> ResponseInput {
    ResponseInput {
        status,
        headers: headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<StringMap>(),
        body: body.map(str::to_owned),
        attempt: 0,
        waited_seconds: 0.0,
        now_ms: Some(1_764_590_400_000.0),
        jitter: None,
    }
}

/// Parses the body the way the bindings do (the browser's JSON.parse; serde here).
fn run(input: &ResponseInput) -> Interpretation {
    let body: Option<ResponseBody> = input.body.as_deref().and_then(|b| serde_json::from_str(b).ok());
    interpret(input, body.as_ref()).expect("interpretable")
}

fn failure(input: &ResponseInput) -> Failure {
    let r = run(input);
    assert!(!r.ok, "expected a failure");
    r.error.expect("error present")
}

fn graph_error(code: &str, message: &str) -> String {
    format!(
        r#"{{"error":{{"code":"{code}","message":"{message}","innerError":{{"date":"2026-12-01T12:00:00","request-id":"req-1","client-request-id":"cli-1"}}}}}}"#
    )
}

#[test]
fn any_2xx_is_success() {
    for status in [200, 201, 202, 204] {
        let r = run(&answer(status, &[], None));
        assert!(r.ok && r.error.is_none() && r.presence.is_none(), "{status}");
    }
    assert!(run(&answer(200, &[], Some(""))).ok);
    assert!(run(&answer(200, &[], Some("not json"))).ok, "a write's odd body does not turn success into failure");
}

/// The value at `path` in nested objects.
fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, key| match v {
        Value::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    })
}

#[test]
fn parses_a_presence_body() {
    let body = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('x')/presence/$entity","id":"fa8bf3dc-eca7-46b7-bad1-db199b62afc3","availability":"Busy","activity":"InAMeeting","sequenceNumber":"C1234","statusMessage":{"message":{"content":"Hi","contentType":"text"},"expiryDateTime":{"dateTime":"2026-12-02T00:00:00.0000000","timeZone":"UTC"},"publishedDateTime":"2026-12-01T10:00:00Z"},"outOfOfficeSettings":{"message":null,"isOutOfOffice":false},"workLocation":{"workLocationType":"office"}}"#;
    let p = run(&answer(200, &[], Some(body))).presence.expect("presence");
    assert_eq!((p.availability.as_str(), p.activity.as_str()), ("Busy", "InAMeeting"));
    assert_eq!(p.sequence_number.as_deref(), Some("C1234"));
    assert_eq!(p.id.as_deref(), Some("fa8bf3dc-eca7-46b7-bad1-db199b62afc3"));
    let message = p.status_message.expect("status message");
    assert_eq!(at(&message, &["message", "content"]), Some(&Value::Str("Hi".to_owned())));
    assert_eq!(at(&message, &["expiryDateTime", "timeZone"]), Some(&Value::Str("UTC".to_owned())));
    assert_eq!(p.out_of_office_settings.as_ref().and_then(|o| at(o, &["isOutOfOffice"])), Some(&Value::Bool(false)));
    let p = run(&answer(200, &[], Some(r#"{"availability":"Offline","activity":"Offline","statusMessage":null}"#)))
        .presence
        .expect("presence");
    assert_eq!(p.availability, "Offline");
}

#[test]
fn maps_each_error_to_a_next_step() {
    for (status, code, message, want_code, want_next) in [
        (
            400,
            "InvalidArgument",
            "The provided [ExpirationDuration] is out of range.",
            "invalidArgument",
            Next::FixRequest,
        ),
        (401, "InvalidAuthenticationToken", "Access token has expired.", "unauthenticated", Next::SignIn),
        (403, "Forbidden", "", "consentMissing", Next::Consent),
        (404, "NotFound", "Session not found", "notFound", Next::GiveUp),
        (413, "RequestEntityTooLarge", "too big", "graphError", Next::FixRequest),
        (429, "TooManyRequests", "slow down", "throttled", Next::Retry),
        (503, "ServiceUnavailable", "later", "serviceUnavailable", Next::Retry),
        (504, "GatewayTimeout", "later", "serviceUnavailable", Next::Retry),
        (502, "BadGateway", "later", "serviceUnavailable", Next::Retry),
        (500, "InternalServerError", "boom", "graphError", Next::GiveUp),
        (409, "Conflict", "x", "graphError", Next::GiveUp),
    ] {
        let f = failure(&answer(status, &[], Some(&graph_error(code, message))));
        assert_eq!((f.code, f.next), (want_code, want_next), "{status} {code}");
        assert_eq!(f.status, status);
        assert_eq!(f.graph_code.as_deref(), Some(code));
        assert_eq!(f.request_id.as_deref(), Some("req-1"));
        assert_eq!(f.client_request_id.as_deref(), Some("cli-1"));
        assert_eq!(f.date.as_deref(), Some("2026-12-01T12:00:00"));
        assert!(f.message.contains(&status.to_string()) && f.message.contains(code), "{}", f.message);
    }
}

#[test]
fn names_the_field_graph_complains_about() {
    let f = failure(&answer(
        400,
        &[],
        Some(&graph_error("InvalidArgument", "The provided [ExpirationDuration] is out of range.")),
    ));
    assert_eq!(f.field, Some("expiration"));
    let f = failure(&answer(400, &[], Some(&graph_error("InvalidArgument", "Invalid sessionId"))));
    assert_eq!(f.field, Some("sessionId"));
    let f = failure(&answer(400, &[], Some(&graph_error("BadRequest", "Unable to read JSON request payload."))));
    assert_eq!(f.field, None);
}

#[test]
fn the_forbidden_with_an_empty_message_is_missing_consent() {
    // Real Graph answers a token without Presence.ReadWrite like this (ms-teams-cli#70).
    let f = failure(&answer(403, &[], Some(r#"{"error":{"code":"Forbidden","message":""}}"#)));
    assert_eq!((f.code, f.next), ("consentMissing", Next::Consent));
    assert!(f.message.contains("Presence.ReadWrite"), "{}", f.message);
}

#[test]
fn a_claims_challenge_asks_for_a_fresh_sign_in_with_the_claims() {
    let claims = r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#;
    let encoded = "eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiYzEifX19";
    let header = format!(
        r#"Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{encoded}""#
    );
    let f =
        failure(&answer(403, &[("WWW-Authenticate", &header)], Some(&graph_error("Forbidden", "insufficient_claims"))));
    assert_eq!((f.code, f.next), ("claimsChallenge", Next::SignIn));
    assert_eq!(f.claims.as_deref(), Some(claims));
    let f = failure(&answer(403, &[], Some(&graph_error("insufficient_claims", "CA policy"))));
    assert_eq!(f.code, "claimsChallenge");
}

#[test]
fn a_second_401_gives_up() {
    let mut input = answer(401, &[], Some(&graph_error("InvalidAuthenticationToken", "expired")));
    input.attempt = 1;
    assert_eq!(failure(&input).next, Next::GiveUp);
}

#[test]
fn honours_retry_after_in_seconds_and_as_a_date() {
    let f = failure(&answer(429, &[("retry-after", "41")], Some(&graph_error("TooManyRequests", "x"))));
    assert_eq!(f.retry_after_seconds, Some(41.0));
    let now = 1_764_590_400_000.0; // Mon, 01 Dec 2025 12:00:00 GMT
    assert_eq!(parse_http_date("Mon, 01 Dec 2025 12:00:00 GMT"), Some(now));
    let f = failure(&answer(503, &[("Retry-After", "Mon, 01 Dec 2025 12:00:30 GMT")], None));
    assert_eq!(f.retry_after_seconds, Some(30.0));
    assert_eq!(parse_retry_after("Mon, 01 Dec 2025 11:00:00 GMT", Some(now)), Some(0.0), "a past date means now");
    assert_eq!(parse_retry_after("soon", Some(now)), None);
    for bad in [
        "Mon, 01 Dec 2025 -9223372036854775808:00:00 GMT",
        "Mon, 01 Dec 2025 12:-1:00 GMT",
        "Mon, 01 Dec 2025 12:00:00:00 GMT",
        "Mon, 01 Dec 2025 24:00:00 GMT",
        "Mon, 32 Dec 2025 12:00:00 GMT",
        "Mon, 01 Dec 1969 12:00:00 GMT",
        "Mon, 01 Foo 2025 12:00:00 GMT",
        "Mon, 01 Dec 2025 12:00:00 UTC",
    ] {
        assert_eq!(parse_http_date(bad), None, "{bad}");
    }
    assert_eq!(parse_retry_after("-5", Some(now)), None);
    assert_eq!(parse_retry_after("Mon, 01 Dec 2025 12:00:30 GMT", None), None);
    let f = failure(&answer(429, &[("Retry-After", "later please")], None));
    assert_eq!(f.retry_after_seconds, Some(backoff_seconds(0, None)), "unreadable → backoff");
}

#[test]
fn backs_off_exponentially_with_jitter_within_bounds() {
    assert_eq!(backoff_seconds(0, None), 1.0);
    assert_eq!(backoff_seconds(1, None), 2.0);
    assert_eq!(backoff_seconds(3, None), 8.0);
    assert_eq!(backoff_seconds(10, None), 60.0, "capped");
    assert_eq!(backoff_seconds(2, Some(0.0)), 2.0, "jitter spreads between half and all of the delay");
    assert_eq!(backoff_seconds(2, Some(0.5)), 3.0);
    assert_eq!(backoff_seconds(2, Some(f64::NAN)), 4.0);
    let mut input = answer(429, &[], None);
    input.jitter = Some(0.0);
    input.attempt = 2;
    assert_eq!(failure(&input).retry_after_seconds, Some(2.0));
}

#[test]
fn caps_attempts_and_total_wait() {
    let mut input = answer(429, &[("Retry-After", "5")], None);
    input.attempt = MAX_RETRIES;
    assert_eq!(failure(&input).next, Next::GiveUp);
    input.attempt = MAX_RETRIES - 1;
    assert_eq!(failure(&input).next, Next::Retry);
    input.waited_seconds = 598.0;
    assert_eq!(failure(&input).next, Next::GiveUp, "600 s in total at most");
    let f = failure(&answer(429, &[("Retry-After", "3600")], None));
    assert_eq!((f.next, f.retry_after_seconds), (Next::GiveUp, Some(3600.0)));
}

#[test]
fn handles_bodies_that_are_not_graph_errors() {
    for body in
        [None, Some(""), Some("<html>502 Bad Gateway</html>"), Some("{}"), Some(r#"{"error":"denied"}"#), Some("[1,2]")]
    {
        let f = failure(&answer(502, &[("request-id", "hdr-req"), ("client-request-id", "hdr-cli")], body));
        assert_eq!((f.code, f.next), ("serviceUnavailable", Next::Retry), "{body:?}");
        assert_eq!(f.graph_code, None);
        assert_eq!(f.request_id.as_deref(), Some("hdr-req"), "ids from headers when the body has none");
        assert_eq!(f.client_request_id.as_deref(), Some("hdr-cli"));
        assert!(f.message.contains("no Graph error body"), "{}", f.message);
    }
}

#[test]
fn walks_nested_inner_errors_for_the_most_detailed_code() {
    let body = r#"{"error":{"code":"activityLimitReached","message":"throttled","innerError":{"code":"throttledRequest","innerError":{"code":"deeper","request-id":"deep-req"},"date":"d1","request-id":"r1"}}}"#;
    let f = failure(&answer(429, &[], Some(body)));
    assert_eq!(f.graph_code.as_deref(), Some("deeper"));
    assert_eq!(f.request_id.as_deref(), Some("deep-req"));
    assert_eq!(f.date.as_deref(), Some("d1"));
    let lower = r#"{"error":{"code":"Forbidden","message":"","innererror":{"request-id":"lower"}}}"#;
    assert_eq!(failure(&answer(403, &[], Some(lower))).request_id.as_deref(), Some("lower"));
}

#[test]
fn no_response_is_a_network_error_with_backoff() {
    let f = failure(&answer(0, &[], None));
    assert_eq!((f.code, f.next, f.retry_after_seconds), ("networkError", Next::Retry, Some(1.0)));
}
