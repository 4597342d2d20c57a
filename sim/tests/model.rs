//! Presence model through the HTTP API and the controllable clock (graph-presence.md §2–§5).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::json;

const PREF: &str = "/v1.0/me/presence/setUserPreferredPresence";
const SETP: &str = "/v1.0/me/presence/setPresence";

async fn long_token(sim: &Sim) -> String {
    sim.rw_for(30 * 86400).await
}

fn set_presence(a: &str, b: &str, d: Option<&str>) -> String {
    let mut v = json!({"sessionId": CLIENT_ID, "availability": a, "activity": b});
    if let Some(d) = d {
        v["expirationDuration"] = json!(d);
    }
    v.to_string()
}

/// §2/§12.1: preferred presence with no session at all shows Offline/Offline.
#[tokio::test]
async fn no_session_means_offline_even_with_preferred() {
    let sim = start().await;
    let tok = long_token(&sim).await;
    assert_eq!(sim.pair(&tok).await, pair("Offline", "Offline"));
    assert_eq!(sim.post(&tok, PREF, r#"{"availability":"DoNotDisturb","activity":"DoNotDisturb"}"#).await.status, 200);
    assert_eq!(sim.pair(&tok).await, pair("Offline", "Offline"));
    // A Teams client signs in: the preferred presence shows.
    sim.teams(Some("Available")).await;
    assert_eq!(sim.pair(&tok).await, pair("DoNotDisturb", "DoNotDisturb"));
    // Signs out: Offline again, the preferred presence is still stored.
    sim.teams(None).await;
    assert_eq!(sim.pair(&tok).await, pair("Offline", "Offline"));
    assert_eq!(sim.state().await["preferred"]["availability"], "DoNotDisturb");
    // An app session is a session too.
    assert_eq!(sim.post(&tok, SETP, &set_presence("Available", "Available", None)).await.status, 200);
    assert_eq!(sim.pair(&tok).await, pair("DoNotDisturb", "DoNotDisturb"));
}

/// §2/§5: default expiry 1 day for Busy/DoNotDisturb, 7 days otherwise; explicit durations.
#[tokio::test]
async fn preferred_default_expiries() {
    let table: &[(&str, &str, Option<&str>, f64)] = &[
        ("Busy", "Busy", None, 86_400.0),
        ("DoNotDisturb", "DoNotDisturb", None, 86_400.0),
        ("Available", "Available", None, 7.0 * 86_400.0),
        ("Away", "Away", None, 7.0 * 86_400.0),
        ("BeRightBack", "BeRightBack", None, 7.0 * 86_400.0),
        ("Offline", "OffWork", None, 7.0 * 86_400.0),
        ("DoNotDisturb", "DoNotDisturb", Some("PT8H"), 8.0 * 3600.0),
        ("Busy", "Busy", Some("PT1H30M"), 5400.0),
        ("Away", "Away", Some("P10D"), 10.0 * 86_400.0),
        ("Busy", "Busy", Some("PT1M"), 60.0),
    ];
    for (a, b, d, secs) in table {
        let sim = start().await;
        let tok = long_token(&sim).await;
        sim.teams(Some("Available")).await;
        let mut body = json!({"availability": a, "activity": b});
        if let Some(d) = d {
            body["expirationDuration"] = json!(d);
        }
        assert_eq!(sim.post(&tok, PREF, &body.to_string()).await.status, 200);
        let st = sim.state().await;
        let pref = &st["preferred"];
        assert_eq!(
            pref["expiresAtMs"].as_i64().unwrap() - pref["setAtMs"].as_i64().unwrap(),
            (*secs * 1000.0) as i64,
            "{a}/{b} {d:?}"
        );
        assert_eq!(sim.pair(&tok).await, pair(a, b));
        sim.advance(secs - 1.0).await;
        assert_eq!(sim.pair(&tok).await, pair(a, b), "{a}/{b} just before expiry");
        sim.advance(2.0).await;
        assert_eq!(sim.pair(&tok).await, pair("Available", "Available"), "{a}/{b} after expiry");
        assert!(sim.state().await["preferred"].is_null());
    }
}

/// §4: DoNotDisturb > Busy > Available > (BeRightBack) > Away among sessions; preferred wins.
#[tokio::test]
async fn aggregation_table() {
    // (Teams client state, app session pair, expected)
    type Pair<'a> = (&'a str, &'a str);
    let table: &[(&str, Pair, Pair)] = &[
        ("Available", ("Busy", "InACall"), ("Busy", "InACall")),
        ("Busy", ("Available", "Available"), ("Busy", "Busy")),
        ("Away", ("Available", "Available"), ("Available", "Available")),
        ("Available", ("Away", "Away"), ("Available", "Available")),
        ("DoNotDisturb", ("Busy", "InAConferenceCall"), ("DoNotDisturb", "DoNotDisturb")),
        ("Busy", ("DoNotDisturb", "Presenting"), ("DoNotDisturb", "Presenting")),
        ("BeRightBack", ("Away", "Away"), ("BeRightBack", "BeRightBack")),
        ("BeRightBack", ("Available", "Available"), ("Available", "Available")),
    ];
    for (teams, (a, b), expected) in table {
        let sim = start().await;
        let tok = long_token(&sim).await;
        sim.teams(Some(teams)).await;
        assert_eq!(sim.post(&tok, SETP, &set_presence(a, b, Some("PT1H"))).await.status, 200);
        assert_eq!(sim.pair(&tok).await, pair(expected.0, expected.1), "teams {teams} + app {a}/{b}");
        // Preferred presence overrides every session state.
        assert_eq!(sim.post(&tok, PREF, r#"{"availability":"Away","activity":"Away"}"#).await.status, 200);
        assert_eq!(sim.pair(&tok).await, pair("Away", "Away"));
        assert_eq!(sim.post(&tok, PREF, r#"{"availability":"Offline","activity":"OffWork"}"#).await.status, 200);
        assert_eq!(sim.pair(&tok).await, pair("Offline", "OffWork"), "appear offline masks everything");
        assert_eq!(sim.post(&tok, "/v1.0/me/presence/clearUserPreferredPresence", "{}").await.status, 200);
        assert_eq!(sim.pair(&tok).await, pair(expected.0, expected.1), "after clearing preferred");
    }
}

/// §4: an app session at Available fades after 5 and 10 minutes without refresh; expiry ends it.
#[tokio::test]
async fn fading_and_expiry_timeline() {
    let sim = start().await;
    let tok = long_token(&sim).await;
    assert_eq!(sim.post(&tok, SETP, &set_presence("Available", "Available", Some("PT1H"))).await.status, 200);
    let mut last_seq = sim.presence(&tok).await["sequenceNumber"].as_str().unwrap().to_string();
    // (advance by seconds, expected pair, whether sequenceNumber must change)
    let timeline: &[(f64, (&str, &str), bool)] = &[
        (240.0, ("Available", "Available"), false),
        (59.0, ("Available", "Available"), false),
        (1.0, ("Available", "AvailableInactive"), true),
        (200.0, ("Available", "AvailableInactive"), false),
        (100.0, ("Away", "Away"), true),
        (2999.0, ("Away", "Away"), false),
        (1.0, ("Offline", "Offline"), true),
    ];
    for (adv, expected, seq_changes) in timeline {
        sim.advance(*adv).await;
        let p = sim.presence(&tok).await;
        assert_eq!((p["availability"].as_str().unwrap(), p["activity"].as_str().unwrap()), *expected, "after +{adv}s");
        let seq = p["sequenceNumber"].as_str().unwrap().to_string();
        assert_eq!(seq != last_seq, *seq_changes, "sequence change after +{adv}s");
        assert!(seq >= last_seq, "sequenceNumber sorts upward");
        last_seq = seq;
    }
    assert_eq!(sim.state().await["sessions"].as_array().unwrap().len(), 0);
}

/// Refreshing with setPresence resets the fade; non-Available sessions do not fade.
#[tokio::test]
async fn refresh_resets_fade_and_busy_does_not_fade() {
    let sim = start().await;
    let tok = long_token(&sim).await;
    let body = set_presence("Available", "Available", Some("PT4H"));
    assert_eq!(sim.post(&tok, SETP, &body).await.status, 200);
    for _ in 0..5 {
        sim.advance(270.0).await;
        assert_eq!(sim.post(&tok, SETP, &body).await.status, 200);
        assert_eq!(sim.pair(&tok).await, pair("Available", "Available"));
    }
    sim.advance(301.0).await;
    assert_eq!(sim.pair(&tok).await, pair("Available", "AvailableInactive"));
    assert_eq!(sim.post(&tok, SETP, &set_presence("Busy", "InACall", Some("PT4H"))).await.status, 200);
    sim.advance(3.0 * 3600.0).await;
    assert_eq!(sim.pair(&tok).await, pair("Busy", "InACall"));
    sim.advance(3600.0).await;
    assert_eq!(sim.pair(&tok).await, pair("Offline", "Offline"));
}

/// Default setPresence expiry is 5 minutes.
#[tokio::test]
async fn set_presence_default_expiry_is_five_minutes() {
    let sim = start().await;
    let tok = long_token(&sim).await;
    assert_eq!(sim.post(&tok, SETP, &set_presence("Busy", "InACall", None)).await.status, 200);
    let st = sim.state().await;
    let s = &st["sessions"][0];
    assert_eq!(s["kind"], "app");
    assert_eq!(s["sessionId"], CLIENT_ID);
    assert_eq!(s["expiresAtMs"].as_i64().unwrap() - s["lastRefreshMs"].as_i64().unwrap(), 300_000);
    sim.advance(299.0).await;
    assert_eq!(sim.pair(&tok).await, pair("Busy", "InACall"));
    sim.advance(1.0).await;
    assert_eq!(sim.pair(&tok).await, pair("Offline", "Offline"));
}

/// The Teams client session neither fades nor expires.
#[tokio::test]
async fn teams_client_keeps_itself_alive() {
    let sim = start().await;
    let tok = long_token(&sim).await;
    sim.teams(Some("Available")).await;
    sim.advance(3.0 * 86_400.0).await;
    assert_eq!(sim.pair(&tok).await, pair("Available", "Available"));
    let st = sim.state().await;
    assert_eq!(st["sessions"][0]["kind"], "teamsClient");
    assert!(st["sessions"][0]["expiresAtMs"].is_null());
    // Bad control input is refused.
    let r = sim
        .send(
            "POST",
            "/_sim/teams-client",
            &[("content-type", "application/json")],
            Some(br#"{"signedIn":true,"availability":"Offline"}"#.to_vec()),
        )
        .await;
    assert_eq!(r.status, 400);
}

/// sequenceNumber changes on every write, even one that leaves the state as it was.
#[tokio::test]
async fn sequence_number_changes_on_every_write() {
    let sim = start().await;
    let tok = long_token(&sim).await;
    sim.teams(Some("Available")).await;
    let mut seen = vec![sim.presence(&tok).await["sequenceNumber"].as_str().unwrap().to_string()];
    let writes = [
        (PREF, r#"{"availability":"Busy","activity":"Busy"}"#),
        (PREF, r#"{"availability":"Busy","activity":"Busy"}"#),
        ("/v1.0/me/presence/clearUserPreferredPresence", "{}"),
        ("/v1.0/me/presence/setStatusMessage", r#"{"statusMessage":{"message":{"content":"a","contentType":"text"}}}"#),
    ];
    for (path, body) in writes {
        assert_eq!(sim.post(&tok, path, body).await.status, 200);
        let s = sim.presence(&tok).await["sequenceNumber"].as_str().unwrap().to_string();
        assert!(s > *seen.last().unwrap(), "{path}");
        seen.push(s);
    }
    // Reads alone do not change it.
    let again = sim.presence(&tok).await["sequenceNumber"].as_str().unwrap().to_string();
    assert_eq!(&again, seen.last().unwrap());
}

/// /_sim/state has the documented shape.
#[tokio::test]
async fn state_shape() {
    let sim = start().await;
    let tok = long_token(&sim).await;
    sim.teams(Some("Busy")).await;
    assert_eq!(
        sim.post(&tok, PREF, r#"{"availability":"Away","activity":"Away","expirationDuration":"PT1H"}"#).await.status,
        200
    );
    let st = sim.state().await;
    assert!(st["nowMs"].is_i64());
    assert_eq!(st["user"]["id"], OID);
    assert_eq!(st["user"]["upn"], UPN);
    assert_eq!(st["presence"]["availability"], "Away");
    assert!(st["presence"]["sequenceNumber"].is_string());
    for k in ["availability", "activity", "expiresAtMs", "setAtMs"] {
        assert!(!st["preferred"][k].is_null(), "{k}");
    }
    let s = &st["sessions"][0];
    for k in
        ["sessionId", "kind", "availability", "activity", "effectiveAvailability", "effectiveActivity", "lastRefreshMs"]
    {
        assert!(!s[k].is_null(), "{k}");
    }
    assert!(st["statusMessage"].is_null());
}
