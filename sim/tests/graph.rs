//! Graph side: validation, errors, auth and headers, table-driven from graph-presence.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::json;

const PREF: &str = "/v1.0/me/presence/setUserPreferredPresence";
const SETP: &str = "/v1.0/me/presence/setPresence";

/// §2: exactly six preferred pairs; everything else is refused, including wrong case.
#[tokio::test]
async fn preferred_pairs_table() {
    let sim = start().await;
    let tok = sim.rw().await;
    let ok = [
        ("Available", "Available"),
        ("Busy", "Busy"),
        ("DoNotDisturb", "DoNotDisturb"),
        ("BeRightBack", "BeRightBack"),
        ("Away", "Away"),
        ("Offline", "OffWork"),
    ];
    for (a, b) in ok {
        let r = sim.post(&tok, PREF, &json!({"availability": a, "activity": b}).to_string()).await;
        assert_eq!(r.status, 200, "{a}/{b}: {}", r.text());
        assert!(r.body.is_empty());
    }
    let bad = [
        ("Available", "Busy"),
        ("Busy", "InACall"),
        ("DoNotDisturb", "Presenting"),
        ("Offline", "Offline"),
        ("Away", "BeRightBack"),
        ("available", "available"),
        ("Busy", "busy"),
        ("OutOfOffice", "OutOfOffice"),
        ("Available", "AvailableInactive"),
    ];
    for (a, b) in bad {
        let r = sim.post(&tok, PREF, &json!({"availability": a, "activity": b}).to_string()).await;
        assert_eq!(r.status, 400, "{a}/{b}");
        assert_eq!(r.graph_error().0, "InvalidArgument", "{a}/{b}");
    }
}

/// §3: five setPresence pairs.
#[tokio::test]
async fn set_presence_pairs_table() {
    let sim = start().await;
    let tok = sim.rw().await;
    let ok = [
        ("Available", "Available"),
        ("Busy", "InACall"),
        ("Busy", "InAConferenceCall"),
        ("Away", "Away"),
        ("DoNotDisturb", "Presenting"),
    ];
    for (a, b) in ok {
        let body = json!({"sessionId": CLIENT_ID, "availability": a, "activity": b});
        let r = sim.post(&tok, SETP, &body.to_string()).await;
        assert_eq!(r.status, 200, "{a}/{b}: {}", r.text());
        assert_eq!(sim.pair(&tok).await, pair(a, b));
    }
    for (a, b) in [
        ("Busy", "Busy"),
        ("DoNotDisturb", "DoNotDisturb"),
        ("BeRightBack", "BeRightBack"),
        ("Offline", "OffWork"),
        ("Busy", "InAMeeting"),
        ("Away", "away"),
    ] {
        let body = json!({"sessionId": CLIENT_ID, "availability": a, "activity": b});
        let r = sim.post(&tok, SETP, &body.to_string()).await;
        assert_eq!(r.status, 400, "{a}/{b}");
        assert_eq!(r.graph_error().0, "InvalidArgument");
    }
}

/// §3/§5: setPresence expiry PT5M..=PT4H inclusive, default PT5M; strict Edm.Duration.
#[tokio::test]
async fn set_presence_expiry_range_and_syntax() {
    let sim = start().await;
    let tok = sim.rw().await;
    let cases: &[(&str, u16, Option<&str>)] = &[
        ("PT5M", 200, None),
        ("PT4H", 200, None),
        ("PT300S", 200, None),
        ("PT1H30M", 200, None),
        ("PT239M59.5S", 200, None),
        ("PT4H0.001S", 400, Some("InvalidArgument")),
        ("PT4M59S", 400, Some("InvalidArgument")),
        ("PT241M", 400, Some("InvalidArgument")),
        ("P1D", 400, Some("InvalidArgument")),
        ("PT0S", 400, Some("InvalidArgument")),
        ("PT1.5H", 400, Some("BadRequest")),
        ("P1W", 400, Some("BadRequest")),
        ("-PT5M", 400, Some("BadRequest")),
        ("PT", 400, Some("BadRequest")),
        ("P", 400, Some("BadRequest")),
        ("00:10:00", 400, Some("BadRequest")),
        ("PT10m", 400, Some("BadRequest")),
        ("P0Y0M0DT1H", 400, Some("BadRequest")),
    ];
    for (d, status, code) in cases {
        let body =
            json!({"sessionId": CLIENT_ID, "availability": "Busy", "activity": "InACall", "expirationDuration": d});
        let r = sim.post(&tok, SETP, &body.to_string()).await;
        assert_eq!(r.status, *status, "{d}: {}", r.text());
        if let Some(c) = code {
            let (code, msg) = r.graph_error();
            assert_eq!(code, *c, "{d}");
            if *c == "InvalidArgument" {
                assert_eq!(msg, "The provided [ExpirationDuration] is out of range.");
            }
        }
    }
    // Number instead of a duration string.
    let r = sim
        .post(
            &tok,
            SETP,
            &json!({"sessionId": CLIENT_ID, "availability": "Away", "activity": "Away", "expirationDuration": 300})
                .to_string(),
        )
        .await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (400, "BadRequest"));
}

/// sessionId must be the calling app's client id.
#[tokio::test]
async fn session_id_must_be_app_id() {
    let sim = start().await;
    let tok = sim.rw().await;
    let r = sim
        .post(&tok, SETP, &json!({"sessionId": "00000000-0000-0000-0000-000000000000", "availability": "Available", "activity": "Available"}).to_string())
        .await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (400, "InvalidArgument"));
    // clearPresence without a session → 404 NotFound; after setPresence → 200; again → 404.
    let clear = json!({"sessionId": CLIENT_ID}).to_string();
    let r = sim.post(&tok, "/v1.0/me/presence/clearPresence", &clear).await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (404, "NotFound"));
    let set = json!({"sessionId": CLIENT_ID, "availability": "Available", "activity": "Available"}).to_string();
    assert_eq!(sim.post(&tok, SETP, &set).await.status, 200);
    assert_eq!(sim.post(&tok, "/v1.0/me/presence/clearPresence", &clear).await.status, 200);
    assert_eq!(sim.pair(&tok).await, pair("Offline", "Offline"));
    assert_eq!(sim.post(&tok, "/v1.0/me/presence/clearPresence", &clear).await.status, 404);
}

/// Malformed JSON, unknown properties, wrong types, missing parameters: 400 Graph-shaped.
#[tokio::test]
async fn bad_bodies_get_graph_errors() {
    let sim = start().await;
    let tok = sim.rw().await;
    let cases: &[(&str, &str, &str)] = &[
        (PREF, "{", "BadRequest"),
        (PREF, "not json", "BadRequest"),
        (PREF, "[1,2]", "BadRequest"),
        (PREF, "\"Busy\"", "BadRequest"),
        (PREF, r#"{"availability":"Busy","activity":"Busy","extra":true}"#, "BadRequest"),
        (PREF, r#"{"Availability":"Busy","activity":"Busy"}"#, "BadRequest"),
        (PREF, r#"{"availability":1,"activity":"Busy"}"#, "BadRequest"),
        (PREF, r#"{"availability":["Busy"],"activity":"Busy"}"#, "BadRequest"),
        (PREF, r#"{"availability":"Busy"}"#, "BadRequest"),
        (PREF, r#"{}"#, "BadRequest"),
        (PREF, r#"{"availability":"Busy","activity":"Busy","expirationDuration":"PT1.5H"}"#, "BadRequest"),
        (PREF, r#"{"availability":"Busy","activity":"Busy","expirationDuration":{}}"#, "BadRequest"),
        (SETP, r#"{"availability":"Busy","activity":"InACall"}"#, "BadRequest"),
        (SETP, r#"{"sessionId":5,"availability":"Busy","activity":"InACall"}"#, "BadRequest"),
        ("/v1.0/me/presence/clearUserPreferredPresence", r#"{"x":1}"#, "BadRequest"),
        ("/v1.0/me/presence/clearUserPreferredPresence", r#"[]"#, "BadRequest"),
        ("/v1.0/me/presence/clearPresence", r#"{}"#, "BadRequest"),
        ("/v1.0/me/presence/setStatusMessage", r#"{}"#, "BadRequest"),
        ("/v1.0/me/presence/setStatusMessage", r#"{"statusMessage":"hi"}"#, "BadRequest"),
        (
            "/v1.0/me/presence/setStatusMessage",
            r#"{"statusMessage":{"message":{"content":"x","contentType":"html"}}}"#,
            "InvalidArgument",
        ),
        (
            "/v1.0/me/presence/setStatusMessage",
            r#"{"statusMessage":{"message":{"content":"x","contentType":"Text"}}}"#,
            "InvalidArgument",
        ),
        (
            "/v1.0/me/presence/setStatusMessage",
            r#"{"statusMessage":{"message":{"content":"x","bogus":1}}}"#,
            "BadRequest",
        ),
        ("/v1.0/me/presence/setStatusMessage", r#"{"statusMessage":{"message":{"content":7}}}"#, "BadRequest"),
        (
            "/v1.0/me/presence/setStatusMessage",
            r#"{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"2030-01-01T00:00:00Z","timeZone":"UTC"}}}"#,
            "InvalidArgument",
        ),
        (
            "/v1.0/me/presence/setStatusMessage",
            r#"{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"2030-01-01T00:00:00"}}}"#,
            "InvalidArgument",
        ),
    ];
    for (path, body, code) in cases {
        let r = sim.post(&tok, path, body).await;
        assert_eq!(r.status, 400, "{path} {body}: {}", r.text());
        assert_eq!(r.graph_error().0, *code, "{path} {body}");
    }
    // Empty body where parameters are required.
    let auth = format!("Bearer {tok}");
    let r = sim.send("POST", PREF, &[("authorization", &auth)], None).await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (400, "BadRequest"));
    // clearUserPreferredPresence with {} or no body is fine.
    assert_eq!(sim.post(&tok, "/v1.0/me/presence/clearUserPreferredPresence", "{}").await.status, 200);
    let r = sim.send("POST", "/v1.0/me/presence/clearUserPreferredPresence", &[("authorization", &auth)], None).await;
    assert_eq!(r.status, 200);
    // Nothing was changed by the bad requests.
    assert!(sim.state().await["preferred"].is_null());
}

#[tokio::test]
async fn content_type_and_size_limits() {
    let sim = start().await;
    let tok = sim.rw().await;
    let auth = format!("Bearer {tok}");
    let body = br#"{"availability":"Busy","activity":"Busy"}"#.to_vec();
    let r =
        sim.send("POST", PREF, &[("authorization", &auth), ("content-type", "text/plain")], Some(body.clone())).await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (415, "UnsupportedMediaType"));
    let r = sim.send("POST", PREF, &[("authorization", &auth)], Some(body.clone())).await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (400, "BadRequest"));
    let r = sim
        .send(
            "POST",
            PREF,
            &[("authorization", &auth), ("content-type", "application/json; charset=utf-8")],
            Some(body),
        )
        .await;
    assert_eq!(r.status, 200);
    // > 64 KiB → 413, with a declared length and chunked.
    let big = format!(r#"{{"availability":"Busy","activity":"Busy","pad":"{}"}}"#, "x".repeat(70 * 1024));
    let r = sim.post(&tok, PREF, &big).await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (413, "RequestEntityTooLarge"));
    // Exactly at the limit is read (and then refused for its content, not its size).
    let pad = 64 * 1024 - r#"{"availability":"Busy","activity":"Busy","pad":""}"#.len();
    let edge = format!(r#"{{"availability":"Busy","activity":"Busy","pad":"{}"}}"#, "x".repeat(pad));
    assert_eq!(edge.len(), 64 * 1024);
    let r = sim.post(&tok, PREF, &edge).await;
    assert_eq!(r.status, 400);
    // The simulator still answers afterwards; the preferred presence is stored (but with no
    // session the user shows Offline, §2).
    assert_eq!(sim.state().await["preferred"]["availability"], "Busy");
    assert_eq!(sim.presence(&tok).await["availability"], "Offline");
}

#[tokio::test]
async fn chunked_oversized_body_is_413() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sim = start().await;
    let tok = sim.rw().await;
    let mut s = tokio::net::TcpStream::connect(sim.addr).await.unwrap();
    let head = format!(
        "POST {PREF} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {tok}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'x'; 16 * 1024];
    for _ in 0..5 {
        let _ = s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await;
        let _ = s.write_all(&chunk).await;
        let _ = s.write_all(b"\r\n").await;
    }
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("RequestEntityTooLarge"));
}

/// Auth: missing, malformed, bad signature, wrong audience, expired → 401; scope → 403 "".
#[tokio::test]
async fn auth_table() {
    let sim = start().await;
    let rw = sim.rw().await;
    let read = sim.token(&["Presence.Read"]).await;
    let user_read = sim.token(&["User.Read"]).await;
    let wrong_aud = sim
        .control("POST", "/_sim/token", json!({"scopes": ["Presence.ReadWrite"], "audience": "api://other"}))
        .await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let unknown_app = sim
        .control(
            "POST",
            "/_sim/token",
            json!({"scopes": ["Presence.ReadWrite"], "clientId": "11111111-2222-3333-4444-555555555555"}),
        )
        .await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut tampered = rw.clone();
    tampered.pop();
    tampered.push(if rw.ends_with('A') { 'B' } else { 'A' });
    let body = r#"{"availability":"Busy","activity":"Busy"}"#;
    let cases: Vec<(Option<String>, &str, u16, &str)> = vec![
        (None, "GET", 401, "InvalidAuthenticationToken"),
        (Some("Bearer".into()), "GET", 401, "InvalidAuthenticationToken"),
        (Some("Basic abc".into()), "GET", 401, "InvalidAuthenticationToken"),
        (Some("Bearer not-a-jwt".into()), "GET", 401, "InvalidAuthenticationToken"),
        (Some("Bearer a.b.c".into()), "POST", 401, "InvalidAuthenticationToken"),
        (Some(format!("Bearer {tampered}")), "GET", 401, "InvalidAuthenticationToken"),
        (Some(format!("Bearer {wrong_aud}")), "GET", 401, "InvalidAuthenticationToken"),
        (Some(format!("Bearer {unknown_app}")), "GET", 401, "InvalidAuthenticationToken"),
        (Some(format!("Bearer {read}")), "POST", 403, "Forbidden"),
        (Some(format!("Bearer {user_read}")), "POST", 403, "Forbidden"),
        (Some(format!("Bearer {user_read}")), "GET", 403, "Forbidden"),
        (Some(format!("Bearer {read}")), "GET", 200, ""),
        (Some(format!("bearer {rw}")), "GET", 200, ""),
        (Some(format!("Bearer {rw}")), "POST", 200, ""),
    ];
    for (auth, method, status, code) in cases {
        let mut h: Vec<(&str, &str)> = vec![("content-type", "application/json")];
        if let Some(a) = &auth {
            h.push(("authorization", a));
        }
        let (path, b) =
            if method == "GET" { ("/v1.0/me/presence", None) } else { (PREF, Some(body.as_bytes().to_vec())) };
        let r = sim.send(method, path, &h, b).await;
        assert_eq!(r.status, status, "{auth:?} {method}: {}", r.text());
        if status >= 400 {
            let (c, m) = r.graph_error();
            assert_eq!(c, code);
            if status == 403 {
                assert_eq!(m, "", "403 has an empty message, as real Graph");
            }
            if status == 401 {
                assert!(r.header("www-authenticate").is_some());
            }
        }
    }
}

#[tokio::test]
async fn expired_token_by_clock_and_lifetime() {
    let sim = start().await;
    let short = sim.rw_for(60).await;
    assert_eq!(sim.get(&short, "/v1.0/me/presence").await.status, 200);
    sim.advance(61.0).await;
    let r = sim.get(&short, "/v1.0/me/presence").await;
    let (code, msg) = r.graph_error();
    assert_eq!((r.status, code.as_str()), (401, "InvalidAuthenticationToken"));
    assert!(msg.contains("expired"), "{msg}");
}

/// /users/{id}: the oid (any case) everywhere; the UPN for writes only; anyone else 404.
#[tokio::test]
async fn user_ids() {
    let sim = start().await;
    let tok = sim.rw().await;
    let ok = format!("/v1.0/users/{OID}/presence");
    assert_eq!(sim.get(&tok, &ok).await.status, 200);
    assert_eq!(
        sim.get(&tok, &ok.to_uppercase().replace("/V1.0/USERS/", "/v1.0/users/").replace("/PRESENCE", "/presence"))
            .await
            .status,
        200
    );
    let r = sim.get(&tok, &format!("/v1.0/users/{UPN}/presence")).await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (400, "BadRequest"));
    let body = r#"{"availability":"Away","activity":"Away"}"#;
    assert_eq!(sim.post(&tok, &format!("/v1.0/users/{UPN}/presence/setUserPreferredPresence"), body).await.status, 200);
    assert_eq!(sim.post(&tok, &format!("/v1.0/users/{OID}/presence/setUserPreferredPresence"), body).await.status, 200);
    let other = "/v1.0/users/99999999-0000-4000-8000-000000000009/presence";
    let r = sim.get(&tok, other).await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (404, "NotFound"));
    let r = sim.post(&tok, &format!("{other}/setUserPreferredPresence"), body).await;
    assert_eq!((r.status, r.graph_error().0.as_str()), (404, "NotFound"));
    let r = sim.get(&tok, "/v1.0/users/someone@contoso.example/presence").await;
    assert_eq!(r.status, 404);
}

/// Action names and path segments match case-insensitively; wrong method 405; unknown 404.
#[tokio::test]
async fn routing() {
    let sim = start().await;
    let tok = sim.rw().await;
    let body = r#"{"availability":"Away","activity":"Away"}"#;
    for p in [
        "/v1.0/me/presence/setuserpreferredpresence",
        "/v1.0/me/presence/SETUSERPREFERREDPRESENCE",
        "/v1.0/Me/Presence/setUserPreferredPresence",
        "/V1.0/me/presence/setUserPreferredPresence",
    ] {
        assert_eq!(sim.post(&tok, p, body).await.status, 200, "{p}");
    }
    assert_eq!(sim.get(&tok, "/v1.0/ME/PRESENCE").await.status, 200);
    let r = sim.get(&tok, PREF).await;
    assert_eq!(r.status, 405);
    r.graph_error();
    let r = sim.post(&tok, "/v1.0/me/presence", "{}").await;
    assert_eq!(r.status, 405);
    for p in ["/v1.0/me/presence/setFoo", "/v1.0/me/calendar", "/v1.0/foo", "/nothing/here"] {
        let r = sim.get(&tok, p).await;
        assert_eq!(r.status, 404, "{p}");
        r.graph_error();
    }
}

/// Headers on every Graph response; client-request-id echoed; CORS preflight.
#[tokio::test]
async fn headers_and_cors() {
    let sim = start().await;
    let tok = sim.rw().await;
    let auth = format!("Bearer {tok}");
    let r = sim
        .send(
            "GET",
            "/v1.0/me/presence",
            &[("authorization", &auth), ("client-request-id", "my-crid-1"), ("origin", ORIGIN)],
            None,
        )
        .await;
    assert_eq!(r.header("client-request-id"), Some("my-crid-1"));
    assert!(r.header("request-id").is_some_and(|v| v.len() == 36));
    assert!(r.header("date").is_some_and(|d| d.ends_with("GMT")));
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let expose = r.header("access-control-expose-headers").unwrap().to_ascii_lowercase();
    assert!(expose.contains("request-id") && expose.contains("client-request-id"));
    assert!(!expose.contains("retry-after"), "real Graph does not expose Retry-After");
    // Errors echo it in innerError too.
    let r = sim.send("GET", "/v1.0/me/presence", &[("client-request-id", "crid-err")], None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["innerError"]["client-request-id"], "crid-err");
    assert_eq!(r.header("client-request-id"), Some("crid-err"));
    // Without one, a fresh id is generated.
    let r = sim.get(&tok, "/v1.0/me/presence").await;
    assert!(r.header("client-request-id").is_some_and(|v| v.len() == 36));
    // Preflight needs no token.
    let r = sim
        .send(
            "OPTIONS",
            PREF,
            &[
                ("origin", ORIGIN),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "authorization, content-type, client-request-id"),
            ],
            None,
        )
        .await;
    assert!(r.status == 200 || r.status == 204);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let allow = r.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    assert!(allow.contains("authorization") && allow.contains("content-type") && allow.contains("client-request-id"));
    assert!(r.header("access-control-allow-methods").unwrap().contains("POST"));
}

/// GET presence returns the documented resource fields.
#[tokio::test]
async fn presence_resource_shape() {
    let sim = start().await;
    let tok = sim.rw().await;
    let p = sim.presence(&tok).await;
    assert_eq!(
        p["@odata.context"],
        format!("https://graph.microsoft.com/v1.0/$metadata#users('{OID}')/presence/$entity")
    );
    assert_eq!(p["id"], OID);
    assert_eq!((p["availability"].as_str(), p["activity"].as_str()), (Some("Offline"), Some("Offline")));
    assert!(p["sequenceNumber"].is_string());
    assert!(p["statusMessage"].is_null());
    assert_eq!(p["outOfOfficeSettings"], json!({"message": null, "isOutOfOffice": false}));
    assert!(p["workLocation"].is_object());
}

#[tokio::test]
async fn write_status_can_be_204() {
    let sim = start().await;
    let tok = sim.rw().await;
    sim.control("POST", "/_sim/config", json!({"writeStatus": 204})).await;
    let r = sim.post(&tok, PREF, r#"{"availability":"Away","activity":"Away"}"#).await;
    assert_eq!(r.status, 204);
    let r = sim.post(&tok, "/v1.0/me/presence/clearUserPreferredPresence", "{}").await;
    assert_eq!(r.status, 204);
    // setPresence and setStatusMessage keep 200.
    let r = sim
        .post(&tok, SETP, &json!({"sessionId": CLIENT_ID, "availability": "Away", "activity": "Away"}).to_string())
        .await;
    assert_eq!(r.status, 200);
}

/// §7: status message stored with its expiry; no expiry = never; expiry honoured via the clock.
#[tokio::test]
async fn status_message() {
    let sim = start().await;
    let tok = sim.rw_for(86400).await;
    let path = "/v1.0/me/presence/setStatusMessage";
    let r =
        sim.post(&tok, path, r#"{"statusMessage":{"message":{"content":"Heads down","contentType":"text"}}}"#).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let p = sim.presence(&tok).await;
    assert_eq!(p["statusMessage"]["message"]["content"], "Heads down");
    assert_eq!(p["statusMessage"]["message"]["contentType"], "text");
    assert!(p["statusMessage"]["expiryDateTime"]["dateTime"].as_str().unwrap().starts_with("9999-"));
    assert!(p["statusMessage"]["publishedDateTime"].is_string());
    // With an expiry one hour ahead (UTC), in the sim clock.
    let now = sim.control("GET", "/_sim/clock", json!(null)).await["nowMs"].as_i64().unwrap();
    // dateTime has whole seconds: from the next whole second, so the expiry is never earlier
    // than an hour from `now` (truncating `now + 1 h` could make it up to 999 ms earlier, and the
    // 3599 s check below then raced the real time the requests take).
    let when = iso((now.div_euclid(1000) + 1) * 1000 + 3_600_000);
    let body = json!({"statusMessage": {"message": {"content": "Back at 3", "contentType": "text"}, "expiryDateTime": {"dateTime": when, "timeZone": "UTC"}}});
    assert_eq!(sim.post(&tok, path, &body.to_string()).await.status, 200);
    let p = sim.presence(&tok).await;
    assert_eq!(p["statusMessage"]["expiryDateTime"], json!({"dateTime": when, "timeZone": "UTC"}));
    let seq = p["sequenceNumber"].as_str().unwrap().to_string();
    sim.advance(3599.0).await;
    assert_eq!(sim.presence(&tok).await["statusMessage"]["message"]["content"], "Back at 3");
    sim.advance(2.0).await;
    let p = sim.presence(&tok).await;
    assert!(p["statusMessage"].is_null());
    assert!(p["sequenceNumber"].as_str().unwrap() > seq.as_str());
    // Windows zone names work; content null clears.
    let body = json!({"statusMessage": {"message": {"content": "x"}, "expiryDateTime": {"dateTime": "2099-07-01T12:00:00.0000000", "timeZone": "Pacific Standard Time"}}});
    assert_eq!(sim.post(&tok, path, &body.to_string()).await.status, 200);
    assert!(sim.presence(&tok).await["statusMessage"].is_object());
    assert_eq!(
        sim.post(&tok, path, r#"{"statusMessage":{"message":{"content":null,"contentType":"text"}}}"#).await.status,
        200
    );
    assert!(sim.presence(&tok).await["statusMessage"].is_null());
}

fn iso(ms: i64) -> String {
    presence_sim::util::iso_seconds(ms)
}

/// §1/§6: the other documented read forms.
#[tokio::test]
async fn communications_reads() {
    let sim = start().await;
    let tok = sim.token(&["Presence.Read.All"]).await;
    let r = sim.get(&tok, &format!("/v1.0/communications/presences/{OID}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["id"], OID);
    let other = "99999999-0000-4000-8000-000000000009";
    let r =
        sim.post(&tok, "/v1.0/communications/getPresencesByUserId", &json!({"ids": [OID, other]}).to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    assert_eq!(v["value"][0]["availability"], "Offline");
    let many: Vec<String> = (0..651).map(|_| OID.to_string()).collect();
    for body in [
        json!({"ids": many}),
        json!({"ids": []}),
        json!({"ids": ["not-a-guid"]}),
        json!({"ids": OID}),
        json!({"ids": [OID], "x": 1}),
    ] {
        let r = sim.post(&tok, "/v1.0/communications/getPresencesByUserId", &body.to_string()).await;
        assert_eq!((r.status, r.graph_error().0.as_str()), (400, "BadRequest"));
    }
    // Needs Presence.Read.All.
    let rw = sim.rw().await;
    let r = sim.post(&rw, "/v1.0/communications/getPresencesByUserId", &json!({"ids": [OID]}).to_string()).await;
    assert_eq!((r.status, r.graph_error().1.as_str()), (403, ""));
}
