//! Control API: faults, request log, clock, reset, and the binary's start-up contract.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[tokio::test]
async fn faults_table() {
    let sim = start().await;
    let tok = sim.rw().await;
    let table: &[(u16, &str)] = &[
        (429, "TooManyRequests"),
        (500, "InternalServerError"),
        (503, "ServiceUnavailable"),
        (504, "GatewayTimeout"),
        (401, "InvalidAuthenticationToken"),
    ];
    for (status, code) in table {
        sim.control(
            "POST",
            "/_sim/faults",
            json!({"path": "/me/presence", "count": 2, "status": status, "retryAfter": 7}),
        )
        .await;
        for _ in 0..2 {
            let r = sim.get(&tok, "/v1.0/me/presence").await;
            assert_eq!(r.status, *status);
            assert_eq!(r.graph_error().0, *code);
            assert_eq!(r.header("retry-after"), Some("7"));
            assert!(r.header("request-id").is_some() && r.header("client-request-id").is_some());
        }
        // Used up: the next request is answered normally.
        assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 200);
    }
    // 429 carries the throttledRequest inner code; without retryAfter, no header.
    sim.control("POST", "/_sim/faults", json!({"count": 1, "status": 429})).await;
    let r = sim.get(&tok, "/v1.0/me/presence").await;
    assert_eq!(r.json()["error"]["innerError"]["code"], "throttledRequest");
    assert!(r.header("retry-after").is_none());
}

#[tokio::test]
async fn fault_matching_by_path_and_method_and_not_control() {
    let sim = start().await;
    let tok = sim.rw().await;
    sim.control("POST", "/_sim/faults", json!({"path": "SETUSERPREFERREDPRESENCE", "count": 1, "status": 503})).await;
    // Non-matching path passes; control paths are never faulted.
    assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 200);
    assert_eq!(sim.control("GET", "/_sim/faults", Value::Null).await["faults"].as_array().unwrap().len(), 1);
    let body = r#"{"availability":"Away","activity":"Away"}"#;
    assert_eq!(sim.post(&tok, "/v1.0/me/presence/setUserPreferredPresence", body).await.status, 503);
    // The faulted write was not applied.
    assert!(sim.state().await["preferred"].is_null());
    assert_eq!(sim.post(&tok, "/v1.0/me/presence/setUserPreferredPresence", body).await.status, 200);
    // Method filter.
    sim.control("POST", "/_sim/faults", json!({"method": "POST", "count": 1, "status": 500})).await;
    assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 200);
    assert_eq!(sim.post(&tok, "/v1.0/me/presence/clearUserPreferredPresence", "{}").await.status, 500);
    // Sign-in paths can be faulted too.
    sim.control(
        "POST",
        "/_sim/faults",
        json!({"path": "/oauth2/v2.0/token", "count": 1, "status": 503, "retryAfter": 1}),
    )
    .await;
    let r = sim
        .send(
            "POST",
            &format!("/{TENANT_ID}/oauth2/v2.0/token"),
            &[("origin", ORIGIN), ("content-type", "application/x-www-form-urlencoded")],
            Some(b"grant_type=refresh_token".to_vec()),
        )
        .await;
    assert_eq!(r.status, 503);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    // DELETE clears pending faults; bad fault specs are refused.
    sim.control("POST", "/_sim/faults", json!({"count": 5, "status": 500})).await;
    sim.control("DELETE", "/_sim/faults", Value::Null).await;
    assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 200);
    for bad in [
        json!({"count": 1, "status": 418}),
        json!({"count": 1}),
        json!({"count": 0, "status": 500}),
        json!({"count": 1, "status": 500, "bogus": 1}),
        json!({"count": 1, "delayMs": 600000}),
    ] {
        let r = sim
            .send("POST", "/_sim/faults", &[("content-type", "application/json")], Some(bad.to_string().into_bytes()))
            .await;
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn drop_and_delay() {
    let sim = start().await;
    let tok = sim.rw().await;
    sim.control("POST", "/_sim/faults", json!({"path": "/v1.0/me/presence", "count": 1, "drop": true})).await;
    let auth = format!("Bearer {tok}");
    let r = sim.try_send("GET", "/v1.0/me/presence", &[("authorization", &auth)], None).await;
    assert!(r.is_err(), "a dropped request gets no answer: {r:?}");
    assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 200);
    // Delay then answer normally; delay then fail.
    sim.control("POST", "/_sim/faults", json!({"count": 1, "delayMs": 300})).await;
    let t = Instant::now();
    assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(290));
    sim.control("POST", "/_sim/faults", json!({"count": 1, "delayMs": 200, "status": 504})).await;
    let t = Instant::now();
    assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 504);
    assert!(t.elapsed() >= Duration::from_millis(190));
    // Delayed drop.
    sim.control("POST", "/_sim/faults", json!({"count": 1, "delayMs": 100, "drop": true})).await;
    assert!(sim.try_send("GET", "/v1.0/me/presence", &[("authorization", &auth)], None).await.is_err());
    let log = sim.control("GET", "/_sim/requests", Value::Null).await;
    let entries = log.as_array().unwrap();
    assert_eq!(entries[0]["dropped"], true);
    assert!(entries[0]["status"].is_null());
    assert_eq!(entries[2]["status"], 200);
    assert_eq!(entries[3]["status"], 504);
}

#[tokio::test]
async fn request_log_order_and_redaction() {
    let sim = start().await;
    let tok = sim.rw().await;
    let auth = format!("Bearer {tok}");
    sim.send(
        "GET",
        "/v1.0/me/presence?$select=availability",
        &[("authorization", &auth), ("client-request-id", "c1")],
        None,
    )
    .await;
    sim.post(&tok, "/v1.0/me/presence/setUserPreferredPresence", r#"{"availability":"Busy","activity":"Busy"}"#).await;
    sim.send(
        "POST",
        &format!("/{TENANT_ID}/oauth2/v2.0/token"),
        &[("origin", ORIGIN), ("content-type", "application/x-www-form-urlencoded")],
        Some(b"client_id=5e1f9c2a-8b3d-4f60-a7e4-1d2c3b4a5f60&grant_type=authorization_code&code=SECRETCODE123456&code_verifier=VERIFIERxyz987654&redirect_uri=x".to_vec()),
    )
    .await;
    sim.send(
        "POST",
        &format!("/{TENANT_ID}/oauth2/v2.0/token"),
        &[("origin", ORIGIN), ("content-type", "application/x-www-form-urlencoded")],
        Some(b"client_id=x&grant_type=refresh_token&refresh_token=REFRESHTOKEN_abcdef".to_vec()),
    )
    .await;
    sim.state().await; // control calls are not logged
    let log = sim.control("GET", "/_sim/requests", Value::Null).await;
    let e = log.as_array().unwrap();
    assert_eq!(e.len(), 4, "{log:#}");
    assert_eq!(e[0]["method"], "GET");
    assert_eq!(e[0]["path"], "/v1.0/me/presence");
    assert_eq!(e[0]["query"], "$select=availability");
    assert!(e[0]["body"].is_null());
    assert_eq!(e[0]["status"], 200);
    assert_eq!(e[0]["headers"]["client-request-id"], "c1");
    let last6: String = tok.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    assert_eq!(e[0]["headers"]["authorization"], format!("Bearer …{last6}"));
    assert!(!log.to_string().contains(&tok));
    assert_eq!(e[1]["body"], r#"{"availability":"Busy","activity":"Busy"}"#);
    assert!(e[1]["query"].is_null());
    let form = e[2]["body"].as_str().unwrap();
    assert!(!form.contains("SECRETCODE") && !form.contains("VERIFIERxyz"), "{form}");
    let parsed: Vec<(String, String)> =
        form_urlencoded::parse(form.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert!(parsed.contains(&("code".into(), "…123456".into())));
    assert!(parsed.contains(&("code_verifier".into(), "…987654".into())));
    assert!(parsed.contains(&("grant_type".into(), "authorization_code".into())));
    assert!(e[3]["body"].as_str().unwrap().contains("refresh_token=%E2%80%A6abcdef"));
    let times: Vec<i64> = e.iter().map(|x| x["timeMs"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    // timeUs is the same instant in microseconds.
    for x in e {
        assert_eq!(x["timeUs"].as_i64().unwrap().div_euclid(1000), x["timeMs"].as_i64().unwrap(), "{x}");
    }
    let idx: Vec<i64> = e.iter().map(|x| x["index"].as_i64().unwrap()).collect();
    assert_eq!(idx, vec![0, 1, 2, 3]);
    // Filter and clear.
    let only = sim.control("GET", "/_sim/requests?path=setUserPreferred", Value::Null).await;
    assert_eq!(only.as_array().unwrap().len(), 1);
    sim.control("DELETE", "/_sim/requests", Value::Null).await;
    assert_eq!(sim.control("GET", "/_sim/requests", Value::Null).await, json!([]));
    // 413 bodies and unknown paths are logged with their status.
    sim.post(&tok, "/v1.0/me/presence/setStatusMessage", &"x".repeat(70_000)).await;
    sim.send("GET", "/nope", &[], None).await;
    let e = sim.control("GET", "/_sim/requests", Value::Null).await;
    assert_eq!(e[0]["status"], 413);
    assert!(e[0]["body"].is_null());
    assert_eq!(e[1]["status"], 404);
}

#[tokio::test]
async fn clock_and_reset() {
    let sim = start().await;
    let tok = sim.rw().await;
    let t0 = sim.control("GET", "/_sim/clock", Value::Null).await["nowMs"].as_i64().unwrap();
    let real = presence_sim::util::real_now_ms();
    assert!((t0 - real).abs() < 5_000, "starts at wall time");
    let t1 = sim.control("POST", "/_sim/clock", json!({"advanceSeconds": 90.5})).await["nowMs"].as_i64().unwrap();
    assert!(t1 - t0 >= 90_500 && t1 - t0 < 95_000);
    for bad in
        [json!({"advanceSeconds": -1}), json!({"advanceSeconds": "5"}), json!({}), json!({"advanceSeconds": 1, "x": 2})]
    {
        let r = sim
            .send("POST", "/_sim/clock", &[("content-type", "application/json")], Some(bad.to_string().into_bytes()))
            .await;
        assert_eq!(r.status, 400, "{bad}");
    }
    sim.teams(Some("Busy")).await;
    sim.post(&tok, "/v1.0/me/presence/setUserPreferredPresence", r#"{"availability":"Away","activity":"Away"}"#).await;
    sim.control("POST", "/_sim/faults", json!({"count": 3, "status": 500})).await;
    sim.control("POST", "/_sim/config", json!({"writeStatus": 204, "kmsi": false})).await;
    let st = sim.control("POST", "/_sim/reset", json!({})).await;
    assert!(st["preferred"].is_null());
    assert_eq!(st["sessions"], json!([]));
    assert_eq!(st["presence"]["availability"], "Offline");
    assert_eq!(sim.control("GET", "/_sim/requests", Value::Null).await, json!([]));
    assert_eq!(sim.control("GET", "/_sim/faults", Value::Null).await["faults"], json!([]));
    let cfg = sim.control("GET", "/_sim/config", Value::Null).await;
    assert_eq!((cfg["writeStatus"].as_i64(), cfg["kmsi"].as_bool()), (Some(200), Some(true)));
    assert_eq!(sim.get(&tok, "/v1.0/me/presence").await.status, 200, "tokens stay valid");
    let r = sim.send("GET", "/_sim/unknown", &[], None).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn status_page() {
    let sim = start().await;
    let r = sim.send("GET", "/", &[], None).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = r.text();
    assert!(html.contains("Adele Vance") && html.contains("/_sim/state") && html.contains("setInterval"));
}

/// The binary: first line `listening on http://127.0.0.1:PORT`, serves, stops on SIGTERM.
#[tokio::test]
async fn binary_prints_address_and_stops_on_sigterm() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_presence-sim"))
        .args([
            "--port",
            "0",
            "--client-id",
            "0a0b0c0d-0000-4000-8000-00000000abcd",
            "--token-lifetime",
            "77",
            "--teams-client",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = tokio::time::timeout(Duration::from_secs(10), lines.next_line()).await.unwrap().unwrap().unwrap();
    let url = first.strip_prefix("listening on http://127.0.0.1:").unwrap_or_else(|| panic!("{first}"));
    let port: u16 = url.parse().unwrap();
    assert!(port > 0);
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut s = connect(addr).await.unwrap();
    let r = send_on(&mut s, addr, "POST", "/_sim/token", &[], Some(br#"{"scopes":["Presence.Read"]}"#.to_vec()))
        .await
        .unwrap();
    let v = r.json();
    assert_eq!(v["expires_in"], 77);
    let tok = v["access_token"].as_str().unwrap().to_string();
    let auth = format!("Bearer {tok}");
    let r = send_on(&mut s, addr, "GET", "/v1.0/me/presence", &[("authorization", &auth)], None).await.unwrap();
    assert_eq!(r.json()["availability"], "Available", "--teams-client starts signed in");
    // A request in flight (delayed 400 ms) when SIGTERM arrives still gets its answer.
    let r = send_on(&mut s, addr, "POST", "/_sim/faults", &[], Some(br#"{"count":1,"delayMs":400}"#.to_vec()))
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let auth2 = auth.clone();
    let in_flight = tokio::spawn(async move {
        let mut c = connect(addr).await.unwrap();
        send_on(&mut c, addr, "GET", "/v1.0/me/presence", &[("authorization", &auth2)], None).await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let pid = child.id().unwrap();
    let killed = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(in_flight.await.unwrap().unwrap().status, 200);
    // Bad flags exit with 2.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_presence-sim")).args(["--port", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
