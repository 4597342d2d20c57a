//! Sign-in side: what @azure/msal-browser 5.x needs (mv3-auth-and-wasm.md §1.7, §2).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::*;
use presence_sim::util::s256;
use serde_json::{json, Value};
use std::collections::HashMap;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXkAAAAAAAAAA";
const SCOPE: &str = "https://graph.microsoft.com/Presence.ReadWrite openid profile offline_access";

fn claims(jwt: &str) -> Value {
    let p = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn authorize_url(tenant: &str, extra: &[(&str, &str)]) -> String {
    let mut p: Vec<(String, String)> = vec![
        ("client_id".into(), CLIENT_ID.into()),
        ("response_type".into(), "code".into()),
        ("redirect_uri".into(), REDIRECT.into()),
        ("scope".into(), SCOPE.into()),
        ("state".into(), "eyJpZCI6IjEyMyJ9|user-state".into()),
        ("nonce".into(), "nonce-123".into()),
        ("code_challenge".into(), s256(VERIFIER)),
        ("code_challenge_method".into(), "S256".into()),
        ("response_mode".into(), "fragment".into()),
    ];
    for (k, v) in extra {
        p.retain(|(pk, _)| pk != k);
        if !v.is_empty() {
            p.push((k.to_string(), v.to_string()));
        }
    }
    let qs: Vec<String> = p.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect();
    format!("/{tenant}/oauth2/v2.0/authorize?{}", qs.join("&"))
}

/// Parses the fragment (or query) of a redirect Location.
fn redirect_params(location: &str) -> HashMap<String, String> {
    let part = location.split_once('#').map(|x| x.1).or_else(|| location.split_once('?').map(|x| x.1)).unwrap_or("");
    form_urlencoded::parse(part.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

async fn authorize(sim: &Sim, url: &str, cookie: Option<&str>) -> common::Resp {
    let mut h = vec![];
    if let Some(c) = cookie {
        h.push(("cookie", c));
    }
    sim.send("GET", url, &h, None).await
}

async fn token_request(sim: &Sim, form: &[(&str, &str)], origin: Option<&str>) -> common::Resp {
    let body: Vec<String> = form.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect();
    let mut h = vec![("content-type", "application/x-www-form-urlencoded")];
    if let Some(o) = origin {
        h.push(("origin", o));
    }
    sim.send("POST", &format!("/{TENANT_ID}/oauth2/v2.0/token"), &h, Some(body.join("&").into_bytes())).await
}

async fn code_flow(sim: &Sim) -> (String, String) {
    let r = authorize(sim, &authorize_url(TENANT_ID, &[]), None).await;
    assert_eq!(r.status, 302, "{}", r.text());
    let cookie = r.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
    let p = redirect_params(r.header("location").unwrap());
    (p["code"].clone(), cookie)
}

async fn redeem(sim: &Sim, code: &str) -> common::Resp {
    token_request(
        sim,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("scope", SCOPE),
        ],
        Some(ORIGIN),
    )
    .await
}

#[tokio::test]
async fn full_code_flow_with_pkce_state_nonce_client_info() {
    let sim = start().await;
    for tenant in [TENANT_ID, "organizations", "common", "contoso.example"] {
        let r = authorize(&sim, &authorize_url(tenant, &[]), None).await;
        assert_eq!(r.status, 302, "{tenant}: {}", r.text());
        let loc = r.header("location").unwrap();
        assert!(loc.starts_with(&format!("{REDIRECT}#")), "{loc}");
        // State echoed verbatim (still URL-encoded as sent).
        assert!(loc.contains(&format!("state={}", enc("eyJpZCI6IjEyMyJ9|user-state"))), "{loc}");
        let p = redirect_params(loc);
        assert_eq!(p["state"], "eyJpZCI6IjEyMyJ9|user-state");
        assert!(p.contains_key("session_state"));
        let ci: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&p["client_info"]).unwrap()).unwrap();
        assert_eq!(ci, json!({"uid": OID, "utid": TENANT_ID}));
        assert!(r.header("set-cookie").unwrap().starts_with("sim_session="));
        let t = redeem(&sim, &p["code"]).await;
        assert_eq!(t.status, 200, "{}", t.text());
        assert_eq!(t.header("access-control-allow-origin"), Some(ORIGIN));
        let v = t.json();
        assert_eq!(v["token_type"], "Bearer");
        assert_eq!(v["expires_in"], 3600);
        assert!(v["ext_expires_in"].is_number());
        assert!(v["refresh_token"].is_string());
        assert_eq!(v["client_info"], p["client_info"].as_str());
        let scope = v["scope"].as_str().unwrap();
        assert!(scope.contains("https://graph.microsoft.com/Presence.ReadWrite"), "{scope}");
        let id = claims(v["id_token"].as_str().unwrap());
        assert_eq!(id["nonce"], "nonce-123");
        assert_eq!(id["aud"], CLIENT_ID);
        assert_eq!(id["iss"], format!("https://login.microsoftonline.com/{TENANT_ID}/v2.0"));
        assert_eq!((id["tid"].as_str(), id["oid"].as_str()), (Some(TENANT_ID), Some(OID)));
        assert_eq!(id["preferred_username"], UPN);
        assert_eq!(id["name"], "Adele Vance");
        assert_eq!(id["ver"], "2.0");
        assert_eq!(id["signin_state"], json!(["kmsi"]));
        for k in ["sub", "exp", "iat", "nbf"] {
            assert!(!id[k].is_null(), "{k}");
        }
        let at = v["access_token"].as_str().unwrap();
        let ac = claims(at);
        assert_eq!(ac["aud"], "https://graph.microsoft.com");
        assert_eq!(ac["iss"], format!("https://sts.windows.net/{TENANT_ID}/"));
        assert_eq!(ac["tid"], TENANT_ID);
        assert_eq!(ac["oid"], OID);
        assert_eq!(ac["upn"], UPN);
        assert_eq!(ac["scp"], "Presence.ReadWrite");
        assert_eq!((ac["appid"].as_str(), ac["azp"].as_str()), (Some(CLIENT_ID), Some(CLIENT_ID)));
        assert_eq!(ac["ver"], "1.0");
        // The token works on the Graph side.
        assert_eq!(sim.get(at, "/v1.0/me/presence").await.status, 200);
    }
}

#[tokio::test]
async fn response_mode_query_is_default() {
    let sim = start().await;
    let r = authorize(&sim, &authorize_url(TENANT_ID, &[("response_mode", "")]), None).await;
    assert_eq!(r.status, 302);
    assert!(r.header("location").unwrap().starts_with(&format!("{REDIRECT}?code=")));
}

#[tokio::test]
async fn pkce_code_reuse_expiry_and_redirect_mismatch() {
    let sim = start().await;
    // Wrong verifier.
    let (code, _) = code_flow(&sim).await;
    let r = token_request(
        &sim,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", "wrong-verifier-wrong-verifier-wrong-verifier-1"),
        ],
        Some(ORIGIN),
    )
    .await;
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(v["error"], "invalid_grant");
    assert!(v["error_description"].as_str().unwrap().starts_with("AADSTS501481"));
    assert_eq!(v["error_codes"], json!([501481]));
    for k in ["timestamp", "trace_id", "correlation_id"] {
        assert!(v[k].is_string(), "{k}");
    }
    // Missing verifier.
    let r = token_request(
        &sim,
        &[("client_id", CLIENT_ID), ("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT)],
        Some(ORIGIN),
    )
    .await;
    assert_eq!(r.status, 400);
    // Different redirect_uri.
    let r = token_request(
        &sim,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/"),
            ("code_verifier", VERIFIER),
        ],
        Some(ORIGIN),
    )
    .await;
    assert_eq!((r.status, r.json()["error"].as_str()), (400, Some("invalid_grant")));
    // Right one works once, then AADSTS54005.
    assert_eq!(redeem(&sim, &code).await.status, 200);
    let r = redeem(&sim, &code).await;
    assert_eq!(r.json()["error"], "invalid_grant");
    assert!(r.json()["error_description"].as_str().unwrap().starts_with("AADSTS54005"));
    // Expired after 10 minutes of sim clock.
    let (code, _) = code_flow(&sim).await;
    sim.advance(601.0).await;
    let r = redeem(&sim, &code).await;
    assert!(r.json()["error_description"].as_str().unwrap().starts_with("AADSTS70008"));
    // Unknown code.
    let r = redeem(&sim, "1.Agarbage").await;
    assert_eq!(r.json()["error"], "invalid_grant");
}

#[tokio::test]
async fn spa_redemption_needs_origin_and_cors_preflight() {
    let sim = start().await;
    let (code, _) = code_flow(&sim).await;
    let r = token_request(
        &sim,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_request");
    assert!(r.json()["error_description"].as_str().unwrap().starts_with("AADSTS9002327"));
    // The code was not consumed by the refused attempt.
    assert_eq!(redeem(&sim, &code).await.status, 200);
    let r = sim
        .send(
            "OPTIONS",
            &format!("/{TENANT_ID}/oauth2/v2.0/token"),
            &[
                ("origin", ORIGIN),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type,client-request-id"),
            ],
            None,
        )
        .await;
    assert!(r.status == 200 || r.status == 204);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    assert!(r.header("access-control-allow-headers").unwrap().contains("client-request-id"));
}

#[tokio::test]
async fn refresh_token_grant() {
    let sim = start().await;
    let (code, _) = code_flow(&sim).await;
    let v = redeem(&sim, &code).await.json();
    let rt = v["refresh_token"].as_str().unwrap().to_string();
    let refresh = |rt: String, scope: &'static str| {
        let sim = &sim;
        async move {
            token_request(
                sim,
                &[("client_id", CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt), ("scope", scope)],
                Some(ORIGIN),
            )
            .await
        }
    };
    sim.advance(3601.0).await;
    let old = v["access_token"].as_str().unwrap();
    assert_eq!(sim.get(old, "/v1.0/me/presence").await.status, 401);
    let r = refresh(rt.clone(), SCOPE).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let nv = r.json();
    assert!(nv["id_token"].is_string());
    assert!(nv["refresh_token"].is_string());
    assert_eq!(sim.get(nv["access_token"].as_str().unwrap(), "/v1.0/me/presence").await.status, 200);
    // Wrong client, unknown token.
    let r = token_request(
        &sim,
        &[
            ("client_id", "11111111-2222-3333-4444-555555555555"),
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
        ],
        Some(ORIGIN),
    )
    .await;
    assert_eq!(r.json()["error"], "unauthorized_client");
    assert!(r.json()["error_description"].as_str().unwrap().starts_with("AADSTS700016"));
    assert_eq!(refresh("nope".into(), SCOPE).await.json()["error"], "invalid_grant");
    // Consent withdrawn → consent_required; interaction forced → interaction_required.
    sim.control("POST", "/_sim/config", json!({"grantedScopes": ["User.Read"]})).await;
    let r = refresh(rt.clone(), SCOPE).await;
    assert_eq!(
        (r.json()["error"].as_str(), r.json()["suberror"].as_str()),
        (Some("invalid_grant"), Some("consent_required"))
    );
    sim.control(
        "POST",
        "/_sim/config",
        json!({"grantedScopes": ["Presence.ReadWrite", "Presence.Read", "User.Read"], "requireInteraction": true}),
    )
    .await;
    assert_eq!(refresh(rt.clone(), SCOPE).await.json()["error"], "interaction_required");
    sim.control("POST", "/_sim/config", json!({"requireInteraction": false})).await;
    // SPA refresh tokens expire 24 h after the first sign-in, not sliding.
    sim.advance(20.0 * 3600.0).await;
    let r2 = refresh(nv["refresh_token"].as_str().unwrap().to_string(), SCOPE).await;
    assert_eq!(r2.status, 200);
    sim.advance(3.0 * 3600.0).await;
    let r3 = refresh(r2.json()["refresh_token"].as_str().unwrap().to_string(), SCOPE).await;
    assert!(r3.json()["error_description"].as_str().unwrap().starts_with("AADSTS700084"), "{}", r3.text());
}

#[tokio::test]
async fn configurable_lifetime_and_granted_scopes() {
    let sim = start().await;
    sim.control(
        "POST",
        "/_sim/config",
        json!({"tokenLifetimeSeconds": 120, "grantedScopes": ["Presence.Read", "User.Read"], "kmsi": false}),
    )
    .await;
    let (code, _) = code_flow(&sim).await;
    let v = redeem(&sim, &code).await.json();
    assert_eq!(v["expires_in"], 120);
    let at = v["access_token"].as_str().unwrap();
    assert_eq!(claims(at)["scp"], "");
    assert!(claims(v["id_token"].as_str().unwrap())["signin_state"].is_null());
    // Presence.ReadWrite requested but not consented → not granted → a write is 403 Forbidden "".
    let r = sim
        .post(at, "/v1.0/me/presence/setUserPreferredPresence", r#"{"availability":"Busy","activity":"Busy"}"#)
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.graph_error(), ("Forbidden".to_string(), String::new()));
    sim.advance(121.0).await;
    assert_eq!(sim.get(at, "/v1.0/me/presence").await.status, 401);
    let cfg = sim.control("GET", "/_sim/config", Value::Null).await;
    assert_eq!(cfg["tokenLifetimeSeconds"], 120);
    assert_eq!(cfg["writeStatus"], 200);
}

#[tokio::test]
async fn authorize_refusals() {
    let sim = start().await;
    // Unregistered redirect URI: an error page, no redirect.
    for bad in ["https://evil.example/", "chrome-extension://abc/", "https://x.chromiumapp.org.evil.example/"] {
        let r = authorize(&sim, &authorize_url(TENANT_ID, &[("redirect_uri", bad)]), None).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.header("location").is_none());
        assert!(r.text().contains("AADSTS50011"));
    }
    // Loopback redirect URIs are accepted.
    let r = authorize(&sim, &authorize_url(TENANT_ID, &[("redirect_uri", "http://127.0.0.1:5173/cb")]), None).await;
    assert_eq!(r.status, 302);
    // Errors that redirect: (params, error, description prefix)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let table: &[Case] = &[
        (&[("client_id", "11111111-2222-3333-4444-555555555555")], "unauthorized_client", "AADSTS700016"),
        (&[("code_challenge", "")], "invalid_request", "AADSTS9002325"),
        (&[("code_challenge_method", "plain")], "invalid_request", "AADSTS"),
        (&[("code_challenge_method", "")], "invalid_request", "AADSTS"),
        (&[("response_type", "token")], "unsupported_response_type", "AADSTS70005"),
        (&[("scope", "")], "invalid_request", "AADSTS900144"),
        (&[("prompt", "none")], "interaction_required", "AADSTS50058"),
    ];
    for (extra, error, prefix) in table {
        let r = authorize(&sim, &authorize_url(TENANT_ID, extra), None).await;
        assert_eq!(r.status, 302, "{extra:?}: {}", r.text());
        let p = redirect_params(r.header("location").unwrap());
        assert_eq!(p["error"], *error, "{extra:?}");
        assert!(p["error_description"].starts_with(prefix), "{extra:?}: {}", p["error_description"]);
        assert_eq!(p["state"], "eyJpZCI6IjEyMyJ9|user-state");
    }
    // Unknown tenant.
    let r = authorize(&sim, &authorize_url("00000000-0000-0000-0000-000000000000", &[]), None).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn silent_sign_in_uses_the_session_cookie() {
    let sim = start().await;
    let (_, cookie) = code_flow(&sim).await;
    let silent = authorize_url(TENANT_ID, &[("prompt", "none")]);
    let r = authorize(&sim, &silent, Some(&cookie)).await;
    let p = redirect_params(r.header("location").unwrap());
    assert!(p.contains_key("code"), "{p:?}");
    assert_eq!(redeem(&sim, &p["code"]).await.status, 200);
    // requireInteraction forces interaction_required even with the cookie.
    sim.control("POST", "/_sim/config", json!({"requireInteraction": true})).await;
    let p = redirect_params(authorize(&sim, &silent, Some(&cookie)).await.header("location").unwrap());
    assert_eq!(p["error"], "interaction_required");
    sim.control("POST", "/_sim/config", json!({"requireInteraction": false})).await;
    // Missing consent with prompt=none → consent_required.
    sim.control("POST", "/_sim/config", json!({"grantedScopes": ["User.Read"]})).await;
    let p = redirect_params(authorize(&sim, &silent, Some(&cookie)).await.header("location").unwrap());
    assert_eq!(p["error"], "consent_required");
    assert!(p["error_description"].starts_with("AADSTS65001"));
    sim.control("POST", "/_sim/config", json!({"grantedScopes": ["Presence.ReadWrite", "User.Read"]})).await;
    // Logout clears the session and redirects.
    let r = sim
        .send(
            "GET",
            &format!("/{TENANT_ID}/oauth2/v2.0/logout?post_logout_redirect_uri={}", enc(REDIRECT)),
            &[("cookie", &cookie)],
            None,
        )
        .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some(REDIRECT));
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    let p = redirect_params(authorize(&sim, &silent, Some(&cookie)).await.header("location").unwrap());
    assert_eq!(p["error"], "interaction_required");
}

#[tokio::test]
async fn consent_page_mode() {
    let sim = start_with(presence_sim::Options { consent_page: true, ..Default::default() }).await;
    let r = authorize(&sim, &authorize_url(TENANT_ID, &[]), None).await;
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("Accept"));
    assert_eq!(html.matches("<button").count(), 1);
    let r = authorize(&sim, &format!("{}&sim_consent=accept", authorize_url(TENANT_ID, &[])), None).await;
    assert_eq!(r.status, 302);
    let p = redirect_params(r.header("location").unwrap());
    assert_eq!(p["state"], "eyJpZCI6IjEyMyJ9|user-state");
    assert_eq!(redeem(&sim, &p["code"]).await.status, 200);
}

#[tokio::test]
async fn metadata_and_keys() {
    let sim = start().await;
    let base = sim.base();
    for tenant in [TENANT_ID, "organizations", "common", "contoso.example"] {
        let r = sim.send("GET", &format!("/{tenant}/v2.0/.well-known/openid-configuration"), &[], None).await;
        assert_eq!(r.status, 200);
        let v = r.json();
        assert_eq!(v["authorization_endpoint"], format!("{base}/{tenant}/oauth2/v2.0/authorize"));
        assert_eq!(v["token_endpoint"], format!("{base}/{tenant}/oauth2/v2.0/token"));
        assert_eq!(v["end_session_endpoint"], format!("{base}/{tenant}/oauth2/v2.0/logout"));
        assert!(v["issuer"].as_str().unwrap().starts_with(&base));
        assert!(v["jwks_uri"].as_str().unwrap().starts_with(&base));
        assert!(v["response_modes_supported"].as_array().unwrap().contains(&json!("fragment")));
    }
    let r = sim.send("GET", "/discovery/v2.0/keys", &[], None).await;
    assert_eq!(r.json(), json!({"keys": []}));
}
