//! The control API for tests (`/_sim/*`). Not logged, never faulted.

use crate::graph::{GRAPH_AUDIENCE, TEAMS_CLIENT_SESSION_ID};
use crate::presence::{Kind, TEAMS_CLIENT_PAIRS, TEAMS_CLIENT_STATES};
use crate::{json_response, set_header, signin, Fault, Req, Resp, Shared, MAX_DELAY_MS};
use crate::{USER_OID, USER_UPN};
use serde::Deserialize;
use serde_json::{json, Value};

fn error(status: u16, message: &str) -> Resp {
    json_response(status, &json!({"error": message}))
}

fn parse<T: for<'de> Deserialize<'de>>(req: &Req) -> Result<T, Resp> {
    let body: &[u8] = if req.body.is_empty() { b"{}" } else { &req.body };
    serde_json::from_slice(body).map_err(|e| error(400, &format!("invalid control request body: {e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ClockBody {
    advance_seconds: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TeamsClientBody {
    signed_in: bool,
    availability: Option<String>,
    activity: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FaultBody {
    path: Option<String>,
    method: Option<String>,
    count: Option<u64>,
    status: Option<u16>,
    retry_after: Option<u64>,
    delay_ms: Option<u64>,
    drop: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TokenBody {
    scopes: Vec<String>,
    lifetime_seconds: Option<i64>,
    client_id: Option<String>,
    audience: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConfigBody {
    granted_scopes: Option<Vec<String>>,
    require_interaction: Option<bool>,
    token_lifetime_seconds: Option<i64>,
    kmsi: Option<bool>,
    write_status: Option<u16>,
}

fn short_scope(s: &str) -> String {
    s.strip_prefix("https://graph.microsoft.com/").unwrap_or(s).to_string()
}

pub fn state_json(shared: &Shared) -> Value {
    let now = shared.now_ms();
    let mut g = shared.lock();
    g.presence.observe(now);
    let mut v = g.presence.state_json(now);
    if let Value::Object(o) = &mut v {
        o.insert("nowMs".into(), json!(now));
        o.insert("user".into(), json!({"id": USER_OID, "upn": USER_UPN, "displayName": crate::USER_NAME}));
    }
    v
}

pub fn handle(shared: &Shared, req: &Req) -> Resp {
    let mut r = route(shared, req);
    set_header(&mut r, "access-control-allow-origin", "*");
    set_header(&mut r, "cache-control", "no-store");
    r
}

fn route(shared: &Shared, req: &Req) -> Resp {
    let path = req.path.trim_end_matches('/');
    match (req.method.as_str(), path) {
        ("OPTIONS", _) => {
            let mut r = crate::response(204, &[], "");
            set_header(&mut r, "access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
            set_header(&mut r, "access-control-allow-headers", "content-type");
            r
        }
        ("GET", "/_sim/requests") => {
            let filter = req.query.as_deref().and_then(|q| {
                form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "path").map(|(_, v)| v.to_ascii_lowercase())
            });
            let g = shared.lock();
            let entries: Vec<Value> = g
                .log
                .iter()
                .filter(|e| filter.as_ref().is_none_or(|f| e.path.to_ascii_lowercase().contains(f)))
                .map(|e| e.to_json())
                .collect();
            json_response(200, &Value::Array(entries))
        }
        ("DELETE", "/_sim/requests") => {
            shared.lock().log.clear();
            json_response(200, &json!({"cleared": true}))
        }
        ("GET", "/_sim/clock") => json_response(200, &json!({"nowMs": shared.now_ms()})),
        ("POST", "/_sim/clock") => {
            let b: ClockBody = match parse(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            if !b.advance_seconds.is_finite() || b.advance_seconds < 0.0 || b.advance_seconds > 1e10 {
                return error(400, "advanceSeconds must be a finite number >= 0");
            }
            let now = shared.advance_ms((b.advance_seconds * 1000.0).round() as i64);
            json_response(200, &json!({"nowMs": now}))
        }
        ("POST", "/_sim/teams-client") => {
            let b: TeamsClientBody = match parse(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let now = shared.now_ms();
            {
                let mut g = shared.lock();
                if b.signed_in {
                    let availability = b.availability.unwrap_or_else(|| "Available".into());
                    if !TEAMS_CLIENT_STATES.contains(&availability.as_str()) {
                        return error(400, &format!("availability must be one of {TEAMS_CLIENT_STATES:?}"));
                    }
                    let activity = b.activity.unwrap_or_else(|| availability.clone());
                    if !TEAMS_CLIENT_PAIRS.iter().any(|(a, c)| *a == availability && *c == activity) {
                        return error(400, &format!("unsupported Teams client pair {availability}/{activity}"));
                    }
                    g.presence.set_session(
                        now,
                        TEAMS_CLIENT_SESSION_ID,
                        Kind::TeamsClient,
                        &availability,
                        &activity,
                        None,
                    );
                } else {
                    g.presence.remove_session(now, TEAMS_CLIENT_SESSION_ID, Kind::TeamsClient);
                }
            }
            json_response(200, &state_json(shared))
        }
        ("GET", "/_sim/faults") => {
            let g = shared.lock();
            json_response(200, &json!({"faults": g.faults.iter().map(Fault::to_json).collect::<Vec<_>>()}))
        }
        ("DELETE", "/_sim/faults") => {
            shared.lock().faults.clear();
            json_response(200, &json!({"faults": []}))
        }
        ("POST", "/_sim/faults") => {
            let b: FaultBody = match parse(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            if let Some(s) = b.status {
                if ![429, 500, 503, 504, 401].contains(&s) {
                    return error(400, "status must be one of 429, 500, 503, 504, 401");
                }
            }
            let drop = b.drop.unwrap_or(false);
            let delay = b.delay_ms.unwrap_or(0);
            if delay > MAX_DELAY_MS {
                return error(400, &format!("delayMs must be <= {MAX_DELAY_MS}"));
            }
            if b.status.is_none() && !drop && delay == 0 {
                return error(400, "a fault needs status, drop or delayMs");
            }
            let count = b.count.unwrap_or(1);
            if count == 0 {
                return error(400, "count must be >= 1");
            }
            let mut g = shared.lock();
            g.faults.push(Fault {
                path: b.path,
                method: b.method,
                remaining: count,
                status: b.status,
                retry_after: b.retry_after,
                delay_ms: delay,
                drop,
            });
            json_response(200, &json!({"faults": g.faults.iter().map(Fault::to_json).collect::<Vec<_>>()}))
        }
        ("POST", "/_sim/token") => {
            let b: TokenBody = match parse(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let lifetime = match b.lifetime_seconds {
                Some(l) if l.abs() > 10 * 365 * 86_400 => {
                    return error(400, "lifetimeSeconds must be within ±315360000");
                }
                Some(l) => l,
                None => shared.lock().config.token_lifetime_seconds,
            };
            let client = b.client_id.unwrap_or_else(|| shared.opts.client_ids.first().cloned().unwrap_or_default());
            let scopes: Vec<String> = b
                .scopes
                .iter()
                .map(|s| short_scope(s))
                .filter(|s| !matches!(s.as_str(), "openid" | "profile" | "offline_access" | "email"))
                .collect();
            let audience = b.audience.unwrap_or_else(|| GRAPH_AUDIENCE.to_string());
            let token = signin::access_token(shared, &client, &scopes, lifetime, &audience, shared.now_ms());
            json_response(
                200,
                &json!({"access_token": token, "token_type": "Bearer", "expires_in": lifetime, "scope": scopes.join(" ")}),
            )
        }
        ("GET", "/_sim/state") => json_response(200, &state_json(shared)),
        ("GET", "/_sim/config") => json_response(200, &shared.lock().config.to_json()),
        ("POST", "/_sim/config") => {
            let b: ConfigBody = match parse(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            if let Some(ws) = b.write_status {
                if ws != 200 && ws != 204 {
                    return error(400, "writeStatus must be 200 or 204");
                }
            }
            let mut g = shared.lock();
            if let Some(s) = b.granted_scopes {
                g.config.granted_scopes = s.iter().map(|x| short_scope(x)).collect();
            }
            if let Some(v) = b.require_interaction {
                g.config.require_interaction = v;
            }
            if let Some(v) = b.token_lifetime_seconds {
                if v <= 0 || v > 10 * 365 * 86_400 {
                    return error(400, "tokenLifetimeSeconds must be between 1 and 315360000");
                }
                g.config.token_lifetime_seconds = v;
            }
            if let Some(v) = b.kmsi {
                g.config.kmsi = v;
            }
            if let Some(v) = b.write_status {
                g.config.write_status = v;
            }
            json_response(200, &g.config.to_json())
        }
        ("POST", "/_sim/reset") => {
            shared.reset();
            json_response(200, &state_json(shared))
        }
        (_, p) => {
            let known = [
                "/_sim/requests",
                "/_sim/clock",
                "/_sim/teams-client",
                "/_sim/faults",
                "/_sim/token",
                "/_sim/state",
                "/_sim/config",
                "/_sim/reset",
            ];
            if known.contains(&p) {
                error(405, &format!("method {} not allowed on {p}", req.method))
            } else {
                error(404, &format!("unknown control endpoint {p}"))
            }
        }
    }
}
