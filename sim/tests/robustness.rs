//! Bad input of every kind gets an answer (Graph-shaped on Graph paths), never a panic or a hang.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn garbage_bodies_paths_and_headers() {
    let sim = start().await;
    let tok = sim.rw().await;
    let deep = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000));
    let deep_obj = format!("{}1{}", r#"{"a":"#.repeat(5000), "}".repeat(5000));
    let bodies: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00, 0x01],
        b"\0\0\0".to_vec(),
        deep.clone().into_bytes(),
        deep_obj.into_bytes(),
        br#"{"availability":"Busy","activity":"Busy","availability":"Away"}"#.to_vec(),
        br#"{"availability":"Busy","activity":"Busy","expirationDuration":"P99999999999999999999D"}"#.to_vec(),
        br#"{"availability":"Busy","activity":"Busy","expirationDuration":"PT1.00000000000000000000000001S"}"#.to_vec(),
        br#"{"sessionId":null,"availability":null,"activity":null}"#.to_vec(),
        br#"{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"99999-01-01T00:00:00","timeZone":"UTC"}}}"#.to_vec(),
        br#"{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"2026-01-01T00:00:00.","timeZone":"UTC"}}}"#.to_vec(),
        br#"{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"2026-01-01T00:00:00.\u00e9","timeZone":"UTC"}}}"#.to_vec(),
        "{\"availability\":\"Büsy\u{1F600}\",\"activity\":\"Busy\"}".as_bytes().to_vec(),
        b"1e999999".to_vec(),
        b"{\"a\":1".to_vec(),
    ];
    let actions =
        ["setPresence", "clearPresence", "setUserPreferredPresence", "clearUserPreferredPresence", "setStatusMessage"];
    for action in actions {
        for body in &bodies {
            let r = sim
                .post(&tok, &format!("/v1.0/me/presence/{action}"), std::str::from_utf8(body).unwrap_or("\u{fffd}"))
                .await;
            assert!(r.status >= 200 && r.status < 500, "{action}: {}", r.status);
            if r.status >= 400 {
                r.graph_error();
            }
            let auth = format!("Bearer {tok}");
            let r = sim
                .send(
                    "POST",
                    &format!("/v1.0/me/presence/{action}"),
                    &[("authorization", &auth), ("content-type", "application/json")],
                    Some(body.clone()),
                )
                .await;
            if r.status >= 400 {
                r.graph_error();
            }
        }
    }
    let long_path = format!("/v1.0/users/{}/presence", "a".repeat(6000));
    let paths = [
        "/v1.0/users/%ZZ/presence",
        "/v1.0/users/%C3%28/presence",
        "/v1.0/users//presence",
        "/v1.0/users/%00/presence",
        "/v1.0//me/presence",
        "/v1.0/me/presence/setPresence/extra",
        "/v1.0/me/presence/..%2f..%2f",
        long_path.as_str(),
    ];
    for p in paths {
        let r = sim.get(&tok, p).await;
        assert!(r.status >= 400 && r.status < 500, "{p}: {}", r.status);
        r.graph_error();
    }
    // Sign-in side with junk.
    for p in [
        "/x/oauth2/v2.0/authorize?%%%",
        "/common/oauth2/v2.0/authorize?redirect_uri=%ZZ",
        "/common/oauth2/v2.0/authorize?redirect_uri=https%3A%2F%2Fa.chromiumapp.org%2F&state=%ZZ",
        "/common/oauth2/v2.0/logout?post_logout_redirect_uri=javascript:alert(1)",
        "/../../etc/passwd",
    ] {
        let r = sim.send("GET", p, &[], None).await;
        assert!(r.status < 500, "{p}: {}", r.status);
    }
    let r = sim
        .send(
            "POST",
            "/common/oauth2/v2.0/token",
            &[("origin", ORIGIN), ("content-type", "application/x-www-form-urlencoded")],
            Some(vec![0xff, b'=', 0xfe, b'&']),
        )
        .await;
    assert_eq!(r.status, 400);
    // Control API with junk.
    for p in ["/_sim/clock", "/_sim/faults", "/_sim/token", "/_sim/config", "/_sim/teams-client"] {
        let r = sim.send("POST", p, &[("content-type", "application/json")], Some(deep.clone().into_bytes())).await;
        assert_eq!(r.status, 400, "{p}");
        let r = sim.send("POST", p, &[], Some(b"{\"advanceSeconds\":1e400}".to_vec())).await;
        assert_eq!(r.status, 400, "{p}");
    }
    // Still healthy.
    assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 200);
}

#[tokio::test]
async fn malformed_http_and_slow_clients_do_not_hang_the_server() {
    let sim = start().await;
    let tok = sim.rw().await;
    // Raw garbage instead of HTTP.
    let mut s = tokio::net::TcpStream::connect(sim.addr).await.unwrap();
    s.write_all(b"\x16\x03\x01\x02\x00GARBAGE\r\n\r\n").await.unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await.unwrap();
    // A client that sends half a request and stalls, and one that promises a body it never sends.
    let mut stalled = tokio::net::TcpStream::connect(sim.addr).await.unwrap();
    stalled.write_all(b"GET /v1.0/me/presence HTTP/1.1\r\nhost: x\r\n").await.unwrap();
    let mut short = tokio::net::TcpStream::connect(sim.addr).await.unwrap();
    short
        .write_all(format!("POST /v1.0/me/presence/setStatusMessage HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {tok}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{").as_bytes())
        .await
        .unwrap();
    // Meanwhile others are served promptly.
    for _ in 0..20 {
        let r = tokio::time::timeout(Duration::from_secs(2), sim.get(&tok, "/v1.0/me/presence")).await.unwrap();
        assert_eq!(r.status, 200);
    }
    drop(stalled);
    drop(short);
}
