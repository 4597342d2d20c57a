//! Bounded load test on loopback: 50 concurrent clients, mixed reads and writes.
//!
//! Each client owns one keep-alive connection and loops: set the status message to
//! "c<client>-<n>" (n counts up), read /me/presence, and every fourth round set a preferred
//! presence. Afterwards the request log must show every client's writes complete and in order,
//! the final state must equal the last logged writes, and every client's observed
//! sequenceNumber must never go down. Prints throughput and p50/p99 latency.
//!
//! Runs 3 s by default; `SIM_LOAD_SECONDS=10 cargo test --release -p presence-sim --test load -- --nocapture`
//! for the 10 s version.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const CLIENTS: usize = 50;
const PAIRS: [(&str, &str); 4] =
    [("Busy", "Busy"), ("DoNotDisturb", "DoNotDisturb"), ("Away", "Away"), ("Available", "Available")];

struct ClientResult {
    id: usize,
    writes: usize,
    latencies_us: Vec<u64>,
    requests: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_clients_mixed_reads_and_writes() {
    let seconds: f64 = std::env::var("SIM_LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let sim = start().await;
    sim.teams(Some("Available")).await;
    let tok = sim.rw_for(86400).await;
    let addr = sim.addr;
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for id in 0..CLIENTS {
        let auth = format!("Bearer {tok}");
        tasks.push(tokio::spawn(async move {
            let mut conn = connect(addr).await.unwrap();
            let mut res = ClientResult { id, writes: 0, latencies_us: Vec::new(), requests: 0 };
            let mut last_seq = String::new();
            let mut round = 0usize;
            while Instant::now() < deadline {
                let body = json!({"statusMessage": {"message": {"content": format!("c{id}-{}", res.writes), "contentType": "text"}}}).to_string();
                let t = Instant::now();
                let r = send_on(&mut conn, addr, "POST", "/v1.0/me/presence/setStatusMessage", &[("authorization", &auth), ("content-type", "application/json")], Some(body.into_bytes()))
                    .await
                    .unwrap();
                res.latencies_us.push(t.elapsed().as_micros() as u64);
                assert_eq!(r.status, 200, "{}", r.text());
                res.writes += 1;
                let t = Instant::now();
                let r = send_on(&mut conn, addr, "GET", "/v1.0/me/presence", &[("authorization", &auth)], None).await.unwrap();
                res.latencies_us.push(t.elapsed().as_micros() as u64);
                assert_eq!(r.status, 200);
                let seq = r.json()["sequenceNumber"].as_str().unwrap().to_string();
                assert!(seq >= last_seq, "sequenceNumber went down: {last_seq} → {seq}");
                last_seq = seq;
                res.requests += 2;
                if round % 4 == 3 {
                    let (a, b) = PAIRS[(id + round) % PAIRS.len()];
                    let body = json!({"availability": a, "activity": b, "expirationDuration": "PT1H"}).to_string();
                    let t = Instant::now();
                    let r = send_on(&mut conn, addr, "POST", "/v1.0/me/presence/setUserPreferredPresence", &[("authorization", &auth), ("content-type", "application/json")], Some(body.into_bytes()))
                        .await
                        .unwrap();
                    res.latencies_us.push(t.elapsed().as_micros() as u64);
                    assert_eq!(r.status, 200);
                    res.requests += 1;
                }
                round += 1;
            }
            res
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total: usize = results.iter().map(|r| r.requests).sum();
    let mut lat: Vec<u64> = results.iter().flat_map(|r| r.latencies_us.iter().copied()).collect();
    lat.sort_unstable();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "load: {CLIENTS} clients, {elapsed:.1} s, {total} requests, {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        total as f64 / elapsed,
        pct(0.50) as f64 / 1000.0,
        pct(0.99) as f64 / 1000.0,
        *lat.last().unwrap() as f64 / 1000.0
    );

    // Every write is in the log, complete and in each client's order.
    let log = sim.control("GET", "/_sim/requests?path=setStatusMessage", Value::Null).await;
    let entries = log.as_array().unwrap();
    let mut next: HashMap<usize, usize> = HashMap::new();
    let mut last_content = String::new();
    for e in entries {
        assert_eq!(e["status"], 200);
        let body: Value = serde_json::from_str(e["body"].as_str().unwrap()).unwrap();
        let content = body["statusMessage"]["message"]["content"].as_str().unwrap().to_string();
        let (c, n) = content[1..].split_once('-').unwrap();
        let (c, n): (usize, usize) = (c.parse().unwrap(), n.parse().unwrap());
        let expected = next.entry(c).or_insert(0);
        assert_eq!(n, *expected, "client {c}: write {n} logged out of order");
        *expected += 1;
        last_content = content;
    }
    for r in &results {
        assert_eq!(next.get(&r.id).copied().unwrap_or(0), r.writes, "client {}: writes lost", r.id);
    }
    // The final state is the last logged write.
    let st = sim.state().await;
    assert_eq!(st["statusMessage"]["message"]["content"], last_content.as_str());
    let prefs = sim.control("GET", "/_sim/requests?path=setUserPreferredPresence", Value::Null).await;
    if let Some(last) = prefs.as_array().unwrap().last() {
        let body: Value = serde_json::from_str(last["body"].as_str().unwrap()).unwrap();
        assert_eq!(st["preferred"]["availability"], body["availability"]);
        assert_eq!(st["presence"]["availability"], body["availability"]);
    }
    let all = sim.control("GET", "/_sim/requests", Value::Null).await;
    assert_eq!(all.as_array().unwrap().len(), total, "every request logged");
}
