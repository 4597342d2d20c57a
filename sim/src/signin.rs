//! The sign-in side: the Entra ID v2.0 endpoints `@azure/msal-browser` 5.x uses through
//! `authorityMetadata` (mv3-auth-and-wasm.md §2), with the authorization-code flow and PKCE S256.
//!
//! Choices and deviations (also in README.md):
//! - Tokens are HS256 with a per-process secret; `/discovery/v2.0/keys` returns `{"keys":[]}`.
//! - The metadata `issuer` is `http://127.0.0.1:PORT/{tid}/v2.0` (all endpoints on the local
//!   base), while id_tokens carry Entra's `https://login.microsoftonline.com/{tid}/v2.0`; MSAL
//!   does not compare them when the metadata comes from `authorityMetadata`.
//! - Redirect URIs: any `https://<id>.chromiumapp.org/...` and loopback `http://127.0.0.1[:port]`
//!   / `http://localhost[:port]` count as registered for every configured client.
//! - An unknown client_id with an acceptable redirect URI is answered by redirecting
//!   `unauthorized_client` (AADSTS700016); Entra shows an error page.
//! - A refresh token is issued only when `offline_access` is requested, and an id_token only
//!   when `openid` is, as Entra does. SPA refresh tokens live 24 h of sim clock, not sliding.

use crate::graph::GRAPH_AUDIENCE;
use crate::util::{self, html_escape};
use crate::{json_response, jwt, response, set_header, AuthCode, Inner, RefreshGrant, Req, Resp, Shared};
use crate::{TENANT_DOMAIN, USER_NAME, USER_OID, USER_UPN};
use serde_json::{json, Value};

const GRAPH_PREFIX: &str = "https://graph.microsoft.com/";
const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];
const CODE_LIFETIME_MS: i64 = 10 * 60 * 1000;
const SPA_REFRESH_LIFETIME_MS: i64 = 24 * 3600 * 1000;
const COOKIE: &str = "sim_session";

enum Endpoint {
    Authorize(String),
    Token(String),
    Logout(String),
    OpenIdConfig(String),
    Keys,
}

fn endpoint(path: &str) -> Option<Endpoint> {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let l: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    let l: Vec<&str> = l.iter().map(String::as_str).collect();
    let tenant = segs.first().map(|s| s.to_string()).unwrap_or_default();
    Some(match l.as_slice() {
        [_, "oauth2", "v2.0", "authorize"] => Endpoint::Authorize(tenant),
        [_, "oauth2", "v2.0", "token"] => Endpoint::Token(tenant),
        [_, "oauth2", "v2.0", "logout"] => Endpoint::Logout(tenant),
        [_, "v2.0", ".well-known", "openid-configuration"] => Endpoint::OpenIdConfig(tenant),
        ["discovery", "v2.0", "keys"] | [_, "discovery", "v2.0", "keys"] => Endpoint::Keys,
        _ => return None,
    })
}

pub fn is_signin_path(path: &str) -> bool {
    endpoint(path).is_some()
}

pub fn is_token_path(path: &str) -> bool {
    matches!(endpoint(path), Some(Endpoint::Token(_)))
}

fn tenant_ok(shared: &Shared, t: &str) -> bool {
    t.eq_ignore_ascii_case(&shared.opts.tenant_id)
        || t.eq_ignore_ascii_case("organizations")
        || t.eq_ignore_ascii_case("common")
        || (t.contains('.') && !t.starts_with('.') && !t.ends_with('.'))
}

fn known_client(shared: &Shared, id: &str) -> bool {
    shared.opts.client_ids.iter().any(|c| c.eq_ignore_ascii_case(id))
}

/// Adds CORS headers for cross-origin (SPA) calls.
pub fn add_cors(r: &mut Resp, req: &Req) {
    set_header(r, "access-control-allow-origin", req.header("origin").unwrap_or("*"));
    set_header(r, "vary", "Origin");
    set_header(r, "access-control-expose-headers", "client-request-id, x-ms-request-id");
}

pub fn handle(shared: &Shared, g: &mut Inner, req: &Req) -> Resp {
    match endpoint(&req.path) {
        Some(Endpoint::Authorize(t)) => authorize(shared, g, req, &t),
        Some(Endpoint::Token(t)) => token(shared, g, req, &t),
        Some(Endpoint::Logout(t)) => logout(g, req, &t),
        Some(Endpoint::OpenIdConfig(t)) => openid_configuration(shared, req, &t),
        Some(Endpoint::Keys) => {
            let mut r = json_response(200, &json!({"keys": []}));
            add_cors(&mut r, req);
            r
        }
        None => json_response(404, &json!({"error": "not_found"})),
    }
}

fn params(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn param<'a>(p: &'a [(String, String)], key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The raw (still URL-encoded) value of `key` in a query string, to echo `state` verbatim.
fn raw_param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then_some(v)
    })
}

fn html_page(status: u16, title: &str, body_html: &str) -> Resp {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:'Segoe UI',system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}}\
         .card{{border:1px solid #ddd;border-radius:6px;padding:2rem;box-shadow:0 2px 6px rgba(0,0,0,.08)}}\
         button{{background:#0067b8;color:#fff;border:0;padding:.6rem 2rem;font-size:1rem;border-radius:2px;cursor:pointer}}\
         code{{word-break:break-all}}</style></head><body><div class=\"card\">{body_html}</div></body></html>",
        t = html_escape(title)
    );
    response(status, &[("content-type", "text/html; charset=utf-8".to_string())], html)
}

fn error_page(message: &str) -> Resp {
    html_page(
        400,
        "Sign in to your account",
        &format!(
            "<h1>Sorry, but we're having trouble signing you in.</h1><p><code>{}</code></p><p>Presence simulator (no redirect was made).</p>",
            html_escape(message)
        ),
    )
}

/// `https://<id>.chromiumapp.org/...`, `http://127.0.0.1[:port]/...` or `http://localhost[:port]/...`.
pub fn redirect_uri_allowed(uri: &str) -> bool {
    if uri.contains('#') || uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let (host_port, https) = if let Some(rest) = uri.strip_prefix("https://") {
        (rest.split(['/', '?']).next().unwrap_or(""), true)
    } else if let Some(rest) = uri.strip_prefix("http://") {
        (rest.split(['/', '?']).next().unwrap_or(""), false)
    } else {
        return false;
    };
    if host_port.contains('@') {
        return false;
    }
    if https {
        let Some(label) = host_port.to_ascii_lowercase().strip_suffix(".chromiumapp.org").map(str::to_string) else {
            return false;
        };
        let path_ok = uri.len() > "https://".len() + host_port.len()
            && uri.as_bytes().get("https://".len() + host_port.len()) == Some(&b'/');
        !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') && path_ok
    } else {
        let (host, port) = match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        };
        let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
        (host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost")) && port_ok
    }
}

fn redirect_with(uri: &str, mode: &str, pairs: &[(&str, String)], raw_state: Option<&str>) -> Resp {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    let mut qs = ser.finish();
    if let Some(s) = raw_state {
        qs.push_str("&state=");
        qs.push_str(s);
    }
    if mode == "form_post" {
        let mut inputs = String::new();
        for (k, v) in form_urlencoded::parse(qs.as_bytes()) {
            inputs.push_str(&format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                html_escape(&k),
                html_escape(&v)
            ));
        }
        return html_page(
            200,
            "Working...",
            &format!(
                "<form method=\"POST\" action=\"{}\">{inputs}<noscript><button>Continue</button></noscript></form><script>document.forms[0].submit()</script>",
                html_escape(uri)
            ),
        );
    }
    let location = if mode == "fragment" {
        format!("{uri}#{qs}")
    } else if uri.contains('?') {
        format!("{uri}&{qs}")
    } else {
        format!("{uri}?{qs}")
    };
    response(302, &[("location", location), ("cache-control", "no-store".to_string())], "")
}

fn aad_code(description: &str) -> Option<u64> {
    let rest = description.strip_prefix("AADSTS")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn error_redirect(uri: &str, mode: &str, error: &str, description: &str, raw_state: Option<&str>, now: i64) -> Resp {
    let trace = util::uuid_v4();
    let desc = format!(
        "{description}\r\nTrace ID: {trace}\r\nCorrelation ID: {}\r\nTimestamp: {}Z",
        util::uuid_v4(),
        util::iso_seconds(now).replace('T', " ")
    );
    let mut pairs = vec![("error", error.to_string()), ("error_description", desc)];
    if let Some(c) = aad_code(description) {
        pairs.push(("error_uri", format!("https://login.microsoftonline.com/error?code={c}")));
    }
    redirect_with(uri, mode, &pairs, raw_state)
}

fn cookie_session(req: &Req) -> Option<String> {
    let cookies = req.header("cookie")?;
    cookies.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == COOKIE).then(|| v.to_string())
    })
}

/// Splits a scope parameter into Graph short names (with their requested form) and OIDC scopes.
struct Scopes {
    /// (short name, form as requested)
    graph: Vec<(String, String)>,
    oidc: Vec<String>,
    default_requested: bool,
}

fn parse_scopes(scope: &str) -> Scopes {
    let mut s = Scopes { graph: Vec::new(), oidc: Vec::new(), default_requested: false };
    for item in scope.split(' ').filter(|x| !x.is_empty()) {
        let lower = item.to_ascii_lowercase();
        if OIDC_SCOPES.contains(&lower.as_str()) {
            if !s.oidc.contains(&lower) {
                s.oidc.push(lower);
            }
            continue;
        }
        let short = if lower.starts_with(GRAPH_PREFIX) { &item[GRAPH_PREFIX.len()..] } else { item };
        if short == ".default" {
            s.default_requested = true;
            continue;
        }
        if !s.graph.iter().any(|(n, _)| n.eq_ignore_ascii_case(short)) {
            s.graph.push((short.to_string(), item.to_string()));
        }
    }
    s
}

/// Granted (short, as requested) scopes: requested ∩ consented.
fn grant(s: &Scopes, consented: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if s.default_requested {
        for c in consented {
            out.push((c.clone(), format!("{GRAPH_PREFIX}{c}")));
        }
    }
    for (short, form) in &s.graph {
        if let Some(c) = consented.iter().find(|c| c.eq_ignore_ascii_case(short)) {
            if !out.iter().any(|(n, _)| n == c) {
                out.push((c.clone(), form.clone()));
            }
        }
    }
    if out.is_empty() && s.graph.is_empty() && !s.default_requested {
        // Only OIDC scopes requested: Entra issues a Graph token for User.Read.
        if let Some(c) = consented.iter().find(|c| c.eq_ignore_ascii_case("User.Read")) {
            out.push((c.clone(), c.clone()));
        }
    }
    out
}

fn missing_consent(s: &Scopes, consented: &[String]) -> Vec<String> {
    s.graph
        .iter()
        .filter(|(short, _)| !consented.iter().any(|c| c.eq_ignore_ascii_case(short)))
        .map(|(_, form)| form.clone())
        .collect()
}

fn authorize(shared: &Shared, g: &mut Inner, req: &Req, tenant: &str) -> Resp {
    if req.method != "GET" && req.method != "POST" {
        return response(405, &[("allow", "GET, POST".to_string())], "");
    }
    let raw_query = req.query.clone().unwrap_or_default();
    let mut p = params(raw_query.as_bytes());
    if req.method == "POST" {
        p.extend(params(&req.body));
    }
    let now = req.now_ms;
    if !tenant_ok(shared, tenant) {
        return error_page(&format!("AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
    }
    let client_id = param(&p, "client_id").unwrap_or("").to_string();
    let Some(redirect_uri) = param(&p, "redirect_uri").map(str::to_string) else {
        return error_page("AADSTS900144: The request body must contain the following parameter: 'redirect_uri'.");
    };
    if !redirect_uri_allowed(&redirect_uri) {
        return error_page(&format!(
            "AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal."
        ));
    }
    let mode = match param(&p, "response_mode") {
        None | Some("query") => "query",
        Some("fragment") => "fragment",
        Some("form_post") => "form_post",
        Some(other) => {
            let msg = format!("AADSTS90014: The response_mode '{other}' is not supported.");
            return error_page(&msg);
        }
    };
    let raw_state = raw_param(&raw_query, "state").map(str::to_string);
    let state_ref = raw_state.as_deref();
    let fail = |error: &str, desc: &str| error_redirect(&redirect_uri, mode, error, desc, state_ref, now);
    if client_id.is_empty() {
        return fail(
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
        );
    }
    if !known_client(shared, &client_id) {
        return fail(
            "unauthorized_client",
            &format!("AADSTS700016: Application with identifier '{client_id}' was not found in the directory '{TENANT_DOMAIN}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."),
        );
    }
    match param(&p, "response_type") {
        Some("code") => {}
        None => {
            return fail(
                "invalid_request",
                "AADSTS900144: The request body must contain the following parameter: 'response_type'.",
            )
        }
        Some(other) => {
            return fail(
                "unsupported_response_type",
                &format!("AADSTS70005: response_type '{other}' is not enabled for the application."),
            )
        }
    }
    let Some(scope) = param(&p, "scope").filter(|s| !s.trim().is_empty()).map(str::to_string) else {
        return fail(
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'scope'.",
        );
    };
    let Some(challenge) = param(&p, "code_challenge").map(str::to_string) else {
        return fail(
            "invalid_request",
            "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
        );
    };
    if param(&p, "code_challenge_method") != Some("S256") {
        return fail("invalid_request", "AADSTS501491: The code_challenge_method must be 'S256' (this simulator does not accept 'plain' or a missing method).");
    }
    if challenge.len() != 43 || !challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return fail("invalid_request", "AADSTS501491: Invalid size of Code_Challenge parameter.");
    }
    let prompt = param(&p, "prompt").unwrap_or("");
    if !matches!(prompt, "" | "none" | "login" | "select_account" | "consent") {
        return fail("invalid_request", &format!("AADSTS90023: Invalid prompt value '{prompt}'."));
    }
    let scopes = parse_scopes(&scope);
    let existing = cookie_session(req).filter(|s| g.signin_sessions.contains(s));
    if prompt == "none" {
        if existing.is_none() || g.config.require_interaction {
            return fail("interaction_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD.");
        }
        if !missing_consent(&scopes, &g.config.granted_scopes).is_empty() {
            return fail(
                "consent_required",
                &format!("AADSTS65001: The user or administrator has not consented to use the application with ID '{client_id}' named 'Presence Switch'. Send an interactive authorization request for this user and resource."),
            );
        }
    } else if shared.opts.consent_page && param(&p, "sim_consent") != Some("accept") {
        return consent_page(req, &p, &scopes);
    }
    let session = existing.unwrap_or_else(|| {
        let s = util::random_token(24);
        g.signin_sessions.insert(s.clone());
        s
    });
    let code = format!("1.A{}", util::random_token(48));
    g.codes.insert(
        code.clone(),
        AuthCode {
            client_id: client_id.clone(),
            redirect_uri: redirect_uri.clone(),
            code_challenge: challenge,
            nonce: param(&p, "nonce").map(str::to_string),
            scopes: scope.split(' ').filter(|x| !x.is_empty()).map(str::to_string).collect(),
            issued_ms: now,
            used: false,
        },
    );
    let pairs = vec![
        ("code", code),
        ("client_info", client_info(shared)),
        ("session_state", util::b64url(&sha256_bytes(&session))[..22].to_string()),
    ];
    let mut r = redirect_with(&redirect_uri, mode, &pairs, state_ref);
    set_header(&mut r, "set-cookie", &format!("{COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax"));
    r
}

fn sha256_bytes(s: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes()).to_vec()
}

fn consent_page(req: &Req, p: &[(String, String)], scopes: &Scopes) -> Resp {
    let mut inputs = String::new();
    for (k, v) in p {
        if k == "sim_consent" {
            continue;
        }
        inputs.push_str(&format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", html_escape(k), html_escape(v)));
    }
    let perms: String = scopes.graph.iter().map(|(short, _)| format!("<li>{}</li>", html_escape(short))).collect();
    html_page(
        200,
        "Permissions requested",
        &format!(
            "<p>{upn}</p><h1>Permissions requested</h1><p><b>Presence Switch</b> (presence simulator) would like to:</p>\
             <ul>{perms}<li>Maintain access to data you have given it access to</li></ul>\
             <form method=\"GET\" action=\"{action}\">{inputs}<input type=\"hidden\" name=\"sim_consent\" value=\"accept\">\
             <button type=\"submit\" id=\"accept\">Accept</button></form>",
            upn = html_escape(USER_UPN),
            action = html_escape(&req.path),
        ),
    )
}

fn client_info(shared: &Shared) -> String {
    util::b64url(json!({"uid": USER_OID, "utid": shared.opts.tenant_id}).to_string().as_bytes())
}

fn token_error(req: &Req, error: &str, description: &str, suberror: Option<&str>) -> Resp {
    let trace = util::uuid_v4();
    let correlation = req.header("client-request-id").map(str::to_string).unwrap_or_else(util::uuid_v4);
    let ts = format!("{}Z", util::iso_seconds(req.now_ms).replace('T', " "));
    let mut v = json!({
        "error": error,
        "error_description": format!("{description}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {ts}"),
        "error_codes": aad_code(description).map(|c| vec![c]).unwrap_or_default(),
        "timestamp": ts,
        "trace_id": trace,
        "correlation_id": correlation,
    });
    if let (Some(s), Value::Object(o)) = (suberror, &mut v) {
        o.insert("suberror".into(), json!(s));
    }
    if let (Some(c), Value::Object(o)) = (aad_code(description), &mut v) {
        o.insert("error_uri".into(), json!(format!("https://login.microsoftonline.com/error?code={c}")));
    }
    let mut r = json_response(400, &v);
    add_cors(&mut r, req);
    set_header(&mut r, "cache-control", "no-store, no-cache");
    r
}

/// Mints an access token for the test user (also used by `POST /_sim/token`).
pub fn access_token(
    shared: &Shared,
    client_id: &str,
    short_scopes: &[String],
    lifetime_s: i64,
    audience: &str,
    now_ms: i64,
) -> String {
    let now = now_ms.div_euclid(1000);
    let tid = &shared.opts.tenant_id;
    jwt::sign(
        &shared.secret,
        &json!({
            "aud": audience,
            "iss": format!("https://sts.windows.net/{tid}/"),
            "iat": now,
            "nbf": now,
            "exp": now.saturating_add(lifetime_s),
            "tid": tid,
            "oid": USER_OID,
            "sub": pairwise_sub(client_id),
            "upn": USER_UPN,
            "unique_name": USER_UPN,
            "name": USER_NAME,
            "scp": short_scopes.join(" "),
            "appid": client_id,
            "azp": client_id,
            "idtyp": "user",
            "ver": "1.0",
            "uti": util::random_token(16),
        }),
    )
}

fn pairwise_sub(client_id: &str) -> String {
    util::b64url(&sha256_bytes(&format!("{USER_OID}/{client_id}")))[..43].to_string()
}

fn id_token(shared: &Shared, g: &Inner, client_id: &str, nonce: Option<&str>, now_ms: i64) -> String {
    let now = now_ms.div_euclid(1000);
    let tid = &shared.opts.tenant_id;
    let mut claims = json!({
        "aud": client_id,
        "iss": format!("https://login.microsoftonline.com/{tid}/v2.0"),
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "tid": tid,
        "oid": USER_OID,
        "sub": pairwise_sub(client_id),
        "preferred_username": USER_UPN,
        "name": USER_NAME,
        "ver": "2.0",
        "uti": util::random_token(16),
    });
    if let Value::Object(o) = &mut claims {
        if let Some(n) = nonce {
            o.insert("nonce".into(), json!(n));
        }
        if g.config.kmsi {
            o.insert("signin_state".into(), json!(["kmsi"]));
        }
    }
    jwt::sign(&shared.secret, &claims)
}

fn issue(
    shared: &Shared,
    g: &mut Inner,
    req: &Req,
    client_id: &str,
    requested: &str,
    nonce: Option<&str>,
    refresh_expiry: Option<i64>,
) -> Resp {
    let now = req.now_ms;
    let scopes = parse_scopes(requested);
    let granted = grant(&scopes, &g.config.granted_scopes);
    let shorts: Vec<String> = granted.iter().map(|(s, _)| s.clone()).collect();
    let lifetime = g.config.token_lifetime_seconds;
    let mut scope_out: Vec<String> = granted.iter().map(|(_, f)| f.clone()).collect();
    for o in &scopes.oidc {
        if o != "offline_access" {
            scope_out.push(o.clone());
        }
    }
    let mut body = serde_json::Map::new();
    body.insert("token_type".into(), json!("Bearer"));
    body.insert("scope".into(), json!(scope_out.join(" ")));
    body.insert("expires_in".into(), json!(lifetime));
    body.insert("ext_expires_in".into(), json!(lifetime));
    body.insert("access_token".into(), json!(access_token(shared, client_id, &shorts, lifetime, GRAPH_AUDIENCE, now)));
    if scopes.oidc.iter().any(|o| o == "offline_access") {
        let rt = format!("1.A{}", util::random_token(64));
        g.refresh_tokens.insert(
            rt.clone(),
            RefreshGrant {
                client_id: client_id.to_string(),
                scopes: requested.split(' ').filter(|x| !x.is_empty()).map(str::to_string).collect(),
                expires_at_ms: refresh_expiry.unwrap_or(now + SPA_REFRESH_LIFETIME_MS),
            },
        );
        body.insert("refresh_token".into(), json!(rt));
        body.insert(
            "refresh_token_expires_in".into(),
            json!((refresh_expiry.unwrap_or(now + SPA_REFRESH_LIFETIME_MS) - now) / 1000),
        );
    }
    if scopes.oidc.iter().any(|o| o == "openid") {
        body.insert("id_token".into(), json!(id_token(shared, g, client_id, nonce, now)));
    }
    body.insert("client_info".into(), json!(client_info(shared)));
    let mut r = json_response(200, &Value::Object(body));
    add_cors(&mut r, req);
    set_header(&mut r, "cache-control", "no-store, no-cache");
    set_header(&mut r, "pragma", "no-cache");
    r
}

fn token(shared: &Shared, g: &mut Inner, req: &Req, tenant: &str) -> Resp {
    if req.method == "OPTIONS" {
        let mut r = response(204, &[], "");
        add_cors(&mut r, req);
        set_header(&mut r, "access-control-allow-methods", "POST, OPTIONS");
        let allow = req.header("access-control-request-headers").unwrap_or("content-type").to_string();
        set_header(&mut r, "access-control-allow-headers", &allow);
        set_header(&mut r, "access-control-max-age", "86400");
        return r;
    }
    if req.method != "POST" {
        let mut r = token_error(
            req,
            "invalid_request",
            "AADSTS900561: The endpoint only accepts POST, OPTIONS requests.",
            None,
        );
        *r.status_mut() = hyper::StatusCode::METHOD_NOT_ALLOWED;
        return r;
    }
    if req.header("origin").is_none() {
        return token_error(req, "invalid_request", "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.", None);
    }
    let ct = req.header("content-type").unwrap_or("");
    if !ct.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return token_error(
            req,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
            None,
        );
    }
    if !tenant_ok(shared, tenant) {
        return token_error(req, "invalid_request", &format!("AADSTS90002: Tenant '{tenant}' not found."), None);
    }
    let p = params(&req.body);
    let Some(grant_type) = param(&p, "grant_type") else {
        return token_error(
            req,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
            None,
        );
    };
    let Some(client_id) = param(&p, "client_id") else {
        return token_error(
            req,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
            None,
        );
    };
    if !known_client(shared, client_id) {
        return token_error(req, "unauthorized_client", &format!("AADSTS700016: Application with identifier '{client_id}' was not found in the directory '{TENANT_DOMAIN}'."), None);
    }
    let now = req.now_ms;
    match grant_type {
        "authorization_code" => {
            let Some(code) = param(&p, "code") else {
                return token_error(
                    req,
                    "invalid_request",
                    "AADSTS900144: The request body must contain the following parameter: 'code'.",
                    None,
                );
            };
            let Some(entry) = g.codes.get(code).cloned() else {
                return token_error(
                    req,
                    "invalid_grant",
                    "AADSTS70000: The provided authorization code is invalid or malformed.",
                    None,
                );
            };
            if entry.used {
                return token_error(req, "invalid_grant", "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.", None);
            }
            if now - entry.issued_ms > CODE_LIFETIME_MS {
                return token_error(req, "invalid_grant", "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.", None);
            }
            if !entry.client_id.eq_ignore_ascii_case(client_id) {
                return token_error(
                    req,
                    "invalid_grant",
                    "AADSTS70000: The provided authorization code was issued to a different client.",
                    None,
                );
            }
            if param(&p, "redirect_uri") != Some(entry.redirect_uri.as_str()) {
                return token_error(req, "invalid_grant", "AADSTS50148: The redirect_uri specified in the token request does not match the redirect_uri used in the authorization request.", None);
            }
            let Some(verifier) = param(&p, "code_verifier") else {
                return token_error(req, "invalid_request", "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.", None);
            };
            if util::s256(verifier) != entry.code_challenge {
                return token_error(req, "invalid_grant", "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.", None);
            }
            if let Some(c) = g.codes.get_mut(code) {
                c.used = true;
            }
            let requested = entry.scopes.join(" ");
            issue(shared, g, req, client_id, &requested, entry.nonce.as_deref(), None)
        }
        "refresh_token" => {
            let Some(rt) = param(&p, "refresh_token") else {
                return token_error(
                    req,
                    "invalid_request",
                    "AADSTS900144: The request body must contain the following parameter: 'refresh_token'.",
                    None,
                );
            };
            let Some(grant) = g.refresh_tokens.get(rt).cloned() else {
                return token_error(
                    req,
                    "invalid_grant",
                    "AADSTS9002313: Invalid request. Request is malformed or invalid. The refresh token is not valid.",
                    None,
                );
            };
            if !grant.client_id.eq_ignore_ascii_case(client_id) {
                return token_error(
                    req,
                    "invalid_grant",
                    "AADSTS700005: Provided refresh token was issued to a different client.",
                    None,
                );
            }
            if now >= grant.expires_at_ms {
                return token_error(req, "invalid_grant", "AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.", None);
            }
            if g.config.require_interaction {
                return token_error(req, "interaction_required", "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.", None);
            }
            let requested = param(&p, "scope").map(str::to_string).unwrap_or_else(|| grant.scopes.join(" "));
            let missing = missing_consent(&parse_scopes(&requested), &g.config.granted_scopes);
            if !missing.is_empty() {
                return token_error(
                    req,
                    "invalid_grant",
                    &format!("AADSTS65001: The user or administrator has not consented to use the application with ID '{client_id}' named 'Presence Switch'. Send an interactive authorization request for this user and resource."),
                    Some("consent_required"),
                );
            }
            issue(shared, g, req, client_id, &requested, None, Some(grant.expires_at_ms))
        }
        other => token_error(
            req,
            "unsupported_grant_type",
            &format!("AADSTS70003: The app requested an unsupported grant type '{other}'."),
            None,
        ),
    }
}

fn logout(g: &mut Inner, req: &Req, _tenant: &str) -> Resp {
    let q = params(req.query.as_deref().unwrap_or("").as_bytes());
    if let Some(s) = cookie_session(req) {
        g.signin_sessions.remove(&s);
    }
    let mut r = match param(&q, "post_logout_redirect_uri").filter(|u| redirect_uri_allowed(u)) {
        Some(uri) => {
            let raw_state = req.query.as_deref().and_then(|qs| raw_param(qs, "state"));
            let location = match raw_state {
                Some(s) if uri.contains('?') => format!("{uri}&state={s}"),
                Some(s) => format!("{uri}?state={s}"),
                None => uri.to_string(),
            };
            response(302, &[("location", location)], "")
        }
        None => html_page(
            200,
            "Signed out",
            "<h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>",
        ),
    };
    set_header(&mut r, "set-cookie", &format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"));
    r
}

fn openid_configuration(shared: &Shared, req: &Req, tenant: &str) -> Resp {
    if !tenant_ok(shared, tenant) {
        let mut r = json_response(
            400,
            &json!({
                "error": "invalid_tenant",
                "error_description": format!("AADSTS90002: Tenant '{tenant}' not found."),
                "error_codes": [90002],
            }),
        );
        add_cors(&mut r, req);
        return r;
    }
    let b = &shared.base_url;
    let tid = &shared.opts.tenant_id;
    let v = json!({
        "token_endpoint": format!("{b}/{tenant}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{b}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["HS256"],
        "response_types_supported": ["code"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{b}/{tid}/v2.0"),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
        "authorization_endpoint": format!("{b}/{tenant}/oauth2/v2.0/authorize"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{b}/{tenant}/oauth2/v2.0/logout"),
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "name", "nonce", "oid", "preferred_username", "tid", "ver", "signin_state"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "msgraph_host": "graph.microsoft.com",
    });
    let mut r = json_response(200, &v);
    add_cors(&mut r, req);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris() {
        for ok in [
            "https://abcdefghijklmnop.chromiumapp.org/",
            "https://abcdefghijklmnop.chromiumapp.org/cb",
            "http://127.0.0.1:5173/",
            "http://127.0.0.1",
            "http://localhost:8080/auth",
        ] {
            assert!(redirect_uri_allowed(ok), "{ok}");
        }
        for bad in [
            "https://evil.example/",
            "https://chromiumapp.org/",
            "https://abc.chromiumapp.org",
            "https://abc.chromiumapp.org.evil.example/",
            "http://abc.chromiumapp.org/",
            "http://127.0.0.1.evil.example/",
            "http://user@127.0.0.1/",
            "https://abc.chromiumapp.org/#x",
            "chrome-extension://abc/",
            "http://127.0.0.1:abc/",
        ] {
            assert!(!redirect_uri_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn scope_grant() {
        let consented = vec!["Presence.ReadWrite".to_string(), "User.Read".to_string()];
        let s =
            parse_scopes("openid profile offline_access https://graph.microsoft.com/Presence.ReadWrite Presence.Read");
        let g = grant(&s, &consented);
        assert_eq!(
            g,
            vec![("Presence.ReadWrite".to_string(), "https://graph.microsoft.com/Presence.ReadWrite".to_string())]
        );
        assert_eq!(missing_consent(&s, &consented), vec!["Presence.Read".to_string()]);
    }
}
