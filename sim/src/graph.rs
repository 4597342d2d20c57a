//! The Graph side: `/v1.0/me/presence`, `/v1.0/users/{id}/presence` and the presence actions.
//!
//! Choices where the docs are silent (also in README.md):
//! - Path segments (`me`, `users`, `presence`, action names) match case-insensitively, as Graph
//!   does. Enum values (`availability`, `activity`, `contentType`) and property names match
//!   exactly, in Graph's spelling, so a client sending the wrong case is caught.
//! - `GET /users/{upn}/presence` → 400 `BadRequest`: presence-get says to pass the user's GUID
//!   (graph-presence.md §6). Writes accept the GUID or the UPN. Any other user → 404 `NotFound`.
//! - A body with a Content-Type other than `application/json` → 415 `UnsupportedMediaType`; a
//!   body without Content-Type → 400 `BadRequest` (Graph's "Unable to read JSON request payload").
//! - Unknown paths → 404 `UnknownError` (real Graph answers 400 `BadRequest` "Resource not found
//!   for the segment" for unknown segments under a version; tests rely on 404 here).

use crate::duration::parse_duration_ms;
use crate::presence::{self, Kind, StatusMessage, PREFERRED_PAIRS, SESSION_PAIRS};
use crate::{header_str, jwt, response, set_header, tz, util, Inner, Req, Resp, Shared};
use crate::{USER_OID, USER_UPN};
use serde_json::{json, Map, Value};

pub const TEAMS_CLIENT_SESSION_ID: &str = "teams-desktop-client";
pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";
const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// Per-request values every Graph response and error carries.
pub struct Ctx {
    pub request_id: String,
    pub client_request_id: String,
    pub now_ms: i64,
    pub origin: Option<String>,
}

impl Ctx {
    pub fn new(req: &Req) -> Ctx {
        let crid = req
            .header("client-request-id")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .unwrap_or_else(util::uuid_v4);
        Ctx {
            request_id: util::uuid_v4(),
            client_request_id: crid,
            now_ms: req.now_ms,
            origin: req.header("origin").map(str::to_string),
        }
    }

    /// Adds request-id, client-request-id, Date and CORS headers.
    pub fn finish(&self, mut r: Resp) -> Resp {
        set_header(&mut r, "request-id", &self.request_id);
        set_header(&mut r, "client-request-id", &self.client_request_id);
        set_header(&mut r, "date", &util::http_date(self.now_ms));
        set_header(&mut r, "access-control-allow-origin", self.origin.as_deref().unwrap_or("*"));
        if self.origin.is_some() {
            set_header(&mut r, "vary", "Origin");
        }
        // Deliberately not Retry-After: real Graph's CORS does not expose it (§10).
        set_header(&mut r, "access-control-expose-headers", "request-id, client-request-id");
        r
    }

    pub fn error(&self, status: u16, code: &str, message: &str) -> Resp {
        self.error_with_inner(status, code, message, None)
    }

    pub fn error_with_inner(&self, status: u16, code: &str, message: &str, inner_code: Option<&str>) -> Resp {
        let mut inner = Map::new();
        if let Some(c) = inner_code {
            inner.insert("code".into(), json!(c));
        }
        inner.insert("date".into(), json!(util::iso_seconds(self.now_ms)));
        inner.insert("request-id".into(), json!(self.request_id));
        inner.insert("client-request-id".into(), json!(self.client_request_id));
        let body = json!({"error": {"code": code, "message": message, "innerError": inner}});
        let r = response(status, &[("content-type", "application/json".to_string())], body.to_string());
        let mut r = self.finish(r);
        if status == 401 {
            set_header(
                &mut r,
                "www-authenticate",
                &format!(
                    "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"{GRAPH_APP_ID}\""
                ),
            );
        }
        r
    }

    fn ok_empty(&self, status: u16) -> Resp {
        let r = if status == 204 {
            response(204, &[], "")
        } else {
            response(200, &[("content-length", "0".to_string())], "")
        };
        self.finish(r)
    }

    fn ok_json(&self, v: &Value) -> Resp {
        self.finish(response(
            200,
            &[(
                "content-type",
                "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8".to_string(),
            )],
            v.to_string(),
        ))
    }
}

/// Who called, from a verified access token.
pub struct Caller {
    pub app_id: String,
    pub scopes: Vec<String>,
}

fn unauthorized(ctx: &Ctx, message: &str) -> Resp {
    ctx.error(401, "InvalidAuthenticationToken", message)
}

/// Verifies `Authorization: Bearer <jwt>` against the sim clock.
pub fn authenticate(shared: &Shared, req: &Req, ctx: &Ctx) -> Result<Caller, Resp> {
    let Some(value) = req.header("authorization") else {
        return Err(unauthorized(ctx, "Access token is empty."));
    };
    let token = match value.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ => return Err(unauthorized(ctx, "Access token is empty.")),
    };
    if token.is_empty() {
        return Err(unauthorized(ctx, "Access token is empty."));
    }
    let claims =
        match jwt::verify(&shared.secret, token) {
            Ok(c) => c,
            Err(jwt::JwtError::Malformed) => return Err(unauthorized(
                ctx,
                "IDX14100: JWT is not well formed, there are no dots (.) or the parts are not valid base64url JSON.",
            )),
            Err(jwt::JwtError::BadSignature) => {
                return Err(unauthorized(ctx, "Access token validation failure. Invalid signature."))
            }
        };
    let s = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let n = |k: &str| claims.get(k).and_then(Value::as_i64);
    let aud = s("aud");
    if aud != GRAPH_AUDIENCE && aud != GRAPH_APP_ID {
        return Err(unauthorized(ctx, "Access token validation failure. Invalid audience."));
    }
    let now_s = ctx.now_ms.div_euclid(1000);
    match n("exp") {
        Some(exp) if now_s < exp => {}
        _ => return Err(unauthorized(ctx, "Lifetime validation failed, the token is expired.")),
    }
    if n("nbf").is_some_and(|nbf| now_s < nbf) {
        return Err(unauthorized(ctx, "Lifetime validation failed, the token is not yet valid."));
    }
    if s("tid") != shared.opts.tenant_id || s("oid") != USER_OID {
        return Err(unauthorized(ctx, "Access token validation failure. Invalid issuer or tenant."));
    }
    let app_id = s("appid");
    if !shared.opts.client_ids.iter().any(|c| c.eq_ignore_ascii_case(&app_id)) {
        return Err(unauthorized(ctx, "Access token validation failure. Unknown application."));
    }
    let scopes = s("scp").split(' ').filter(|x| !x.is_empty()).map(str::to_string).collect();
    Ok(Caller { app_id, scopes })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Action {
    SetPresence,
    ClearPresence,
    SetUserPreferredPresence,
    ClearUserPreferredPresence,
    SetStatusMessage,
}

impl Action {
    fn parse(seg: &str) -> Option<Action> {
        Some(match seg.to_ascii_lowercase().as_str() {
            "setpresence" => Action::SetPresence,
            "clearpresence" => Action::ClearPresence,
            "setuserpreferredpresence" => Action::SetUserPreferredPresence,
            "clearuserpreferredpresence" => Action::ClearUserPreferredPresence,
            "setstatusmessage" => Action::SetStatusMessage,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Action::SetPresence => "setPresence",
            Action::ClearPresence => "clearPresence",
            Action::SetUserPreferredPresence => "setUserPreferredPresence",
            Action::ClearUserPreferredPresence => "clearUserPreferredPresence",
            Action::SetStatusMessage => "setStatusMessage",
        }
    }
}

enum UserRef {
    Me,
    Id(String),
}

enum Route {
    Get(UserRef),
    /// `POST /communications/getPresencesByUserId`
    GetMany,
    Post(UserRef, Action),
}

enum RouteError {
    NotFound(String),
    Method(&'static str),
}

fn route(req: &Req) -> Result<Route, RouteError> {
    let trimmed = req.path.trim_end_matches('/');
    let segs: Vec<&str> = trimmed.split('/').skip(2).collect(); // skip "" and "v1.0"
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    let l: Vec<&str> = lower.iter().map(String::as_str).collect();
    match l.as_slice() {
        ["communications", "presences", _id] => {
            let id = percent_decode(segs.get(2).copied().unwrap_or(""));
            return if req.method == "GET" { Ok(Route::Get(UserRef::Id(id))) } else { Err(RouteError::Method("GET")) };
        }
        ["communications", "getpresencesbyuserid"] => {
            return if req.method == "POST" { Ok(Route::GetMany) } else { Err(RouteError::Method("POST")) };
        }
        _ => {}
    }
    let (user, rest) = match l.as_slice() {
        ["me", rest @ ..] => (UserRef::Me, rest),
        ["users", _id, rest @ ..] => (UserRef::Id(segs.get(1).copied().unwrap_or("").to_string()), rest),
        _ => {
            let seg = segs.first().copied().unwrap_or("");
            return Err(RouteError::NotFound(seg.to_string()));
        }
    };
    let user = match user {
        UserRef::Id(id) => UserRef::Id(percent_decode(&id)),
        me => me,
    };
    match rest {
        ["presence"] => {
            if req.method == "GET" {
                Ok(Route::Get(user))
            } else {
                Err(RouteError::Method("GET"))
            }
        }
        ["presence", action] => match Action::parse(action) {
            Some(a) => {
                if req.method == "POST" {
                    Ok(Route::Post(user, a))
                } else {
                    Err(RouteError::Method("POST"))
                }
            }
            None => Err(RouteError::NotFound(action.to_string())),
        },
        [] => Err(RouteError::NotFound("presence".into())),
        [first, ..] => Err(RouteError::NotFound(first.to_string())),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Some(Ok(v)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn preflight(ctx: &Ctx, req: &Req) -> Resp {
    let allow_headers = req
        .header("access-control-request-headers")
        .map(str::to_string)
        .unwrap_or_else(|| "authorization, content-type, client-request-id".to_string());
    let mut r = ctx.finish(response(200, &[("content-length", "0".to_string())], ""));
    set_header(&mut r, "access-control-allow-methods", "GET, POST, OPTIONS");
    set_header(&mut r, "access-control-allow-headers", &allow_headers);
    set_header(&mut r, "access-control-max-age", "3600");
    r
}

/// Entry point for `/v1.0/...`.
pub fn handle(shared: &Shared, g: &mut Inner, req: &Req) -> Resp {
    let ctx = Ctx::new(req);
    if req.method == "OPTIONS" {
        return preflight(&ctx, req);
    }
    let caller = match authenticate(shared, req, &ctx) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let route = match route(req) {
        Ok(r) => r,
        Err(RouteError::NotFound(seg)) => {
            return ctx.error(404, "UnknownError", &format!("Resource not found for the segment '{seg}'."))
        }
        Err(RouteError::Method(allowed)) => {
            let mut r = ctx.error(
                405,
                "MethodNotAllowed",
                &format!("The HTTP method '{}' is not allowed for this resource; use {allowed}.", req.method),
            );
            set_header(&mut r, "allow", allowed);
            return r;
        }
    };
    let has = |s: &str| caller.scopes.iter().any(|x| x.eq_ignore_ascii_case(s));
    match route {
        Route::GetMany => {
            if !has("Presence.Read.All") {
                return ctx.error(403, "Forbidden", "");
            }
            get_many(g, req, &ctx)
        }
        Route::Get(user) => {
            if !(has("Presence.Read") || has("Presence.ReadWrite") || has("Presence.Read.All")) {
                return ctx.error(403, "Forbidden", "");
            }
            if let UserRef::Id(id) = &user {
                if id.eq_ignore_ascii_case(USER_UPN) {
                    return ctx.error(
                        400,
                        "BadRequest",
                        "The user id must be the user's object id (a GUID) for this request.",
                    );
                }
                if !id.eq_ignore_ascii_case(USER_OID) {
                    return user_not_found(&ctx, id);
                }
            }
            let now = req.now_ms;
            g.presence.observe(now);
            ctx.ok_json(&presence_resource(&g.presence, now))
        }
        Route::Post(user, action) => {
            if !has("Presence.ReadWrite") {
                return ctx.error(403, "Forbidden", "");
            }
            if let UserRef::Id(id) = &user {
                if !id.eq_ignore_ascii_case(USER_OID) && !id.eq_ignore_ascii_case(USER_UPN) {
                    return user_not_found(&ctx, id);
                }
            }
            match write(g, req, &ctx, &caller, action) {
                Ok(status) => ctx.ok_empty(status),
                Err(r) => r,
            }
        }
    }
}

/// `POST /communications/getPresencesByUserId {"ids":[…]}`: at most 650 GUIDs (§6). Ids of
/// users the simulator does not know are left out of the answer.
fn get_many(g: &mut Inner, req: &Req, ctx: &Ctx) -> Resp {
    let body = match body_object(req, ctx, false) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = only_known(ctx, &body, &["ids"], Owner::Action("getPresencesByUserId")) {
        return r;
    }
    let ids: Vec<&str> = match body.get("ids") {
        Some(Value::Array(a)) => {
            let mut out = Vec::new();
            for v in a {
                match v {
                    Value::String(s) => out.push(s.as_str()),
                    other => {
                        return bad(ctx, &format!("Cannot convert the literal '{}' to the expected type 'Edm.String'.", literal(other)))
                    }
                }
            }
            out
        }
        None | Some(Value::Null) => {
            return bad(ctx, "One or more parameters of the operation 'getPresencesByUserId' are missing from the request payload. The missing parameters are: ids.")
        }
        Some(other) => {
            return bad(ctx, &format!("Cannot convert the literal '{}' to the expected type 'Collection(Edm.String)'.", literal(other)))
        }
    };
    if ids.is_empty() || ids.len() > 650 {
        return bad(ctx, &format!("The number of ids must be between 1 and 650, got {}.", ids.len()));
    }
    if let Some(bad_id) = ids.iter().find(|i| !util::is_guid(i)) {
        return bad(ctx, &format!("The id '{bad_id}' is not a valid user object id (GUID)."));
    }
    let now = req.now_ms;
    g.presence.observe(now);
    let mut value = Vec::new();
    if ids.iter().any(|i| i.eq_ignore_ascii_case(USER_OID)) {
        let mut p = presence_resource(&g.presence, now);
        if let Value::Object(o) = &mut p {
            o.remove("@odata.context");
        }
        value.push(p);
    }
    ctx.ok_json(&json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.presence)",
        "value": value,
    }))
}

fn user_not_found(ctx: &Ctx, id: &str) -> Resp {
    ctx.error(404, "NotFound", &format!("The requested user '{id}' was not found."))
}

/// The presence resource as GET returns it (graph-presence.md §6).
pub fn presence_resource(p: &presence::Presence, now: i64) -> Value {
    let (availability, activity) = p.current(now);
    json!({
        "@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#users('{USER_OID}')/presence/$entity"),
        "id": USER_OID,
        "availability": availability,
        "activity": activity,
        "sequenceNumber": p.sequence_number(),
        "statusMessage": p.status_message.as_ref().map(|m| m.value.clone()),
        "outOfOfficeSettings": {"message": null, "isOutOfOffice": false},
        "workLocation": {"workLocationType": "unspecified", "source": "none", "placeId": null},
    })
}

// ---- body validation -------------------------------------------------------------------------

fn bad(ctx: &Ctx, message: &str) -> Resp {
    ctx.error(400, "BadRequest", message)
}

fn invalid(ctx: &Ctx, message: &str) -> Resp {
    ctx.error(400, "InvalidArgument", message)
}

fn literal(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads the JSON body as an object (Content-Type and syntax checks).
fn body_object(req: &Req, ctx: &Ctx, allow_empty: bool) -> Result<Map<String, Value>, Resp> {
    if req.body.iter().all(|b| b.is_ascii_whitespace()) {
        if allow_empty {
            return Ok(Map::new());
        }
        return Err(bad(ctx, "Empty Payload. JSON content expected."));
    }
    match header_str(&req.headers, "content-type") {
        None => {
            return Err(bad(
                ctx,
                "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
            ))
        }
        Some(ct) => {
            let mime = ct.split(';').next().unwrap_or("").trim();
            if !mime.eq_ignore_ascii_case("application/json") {
                return Err(ctx.error(
                    415,
                    "UnsupportedMediaType",
                    &format!("The content type '{ct}' is not supported; use application/json."),
                ));
            }
        }
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(bad(
            ctx,
            &format!("The request payload must be a JSON object, got '{}'.", literal(&other)),
        )),
        Err(_) => Err(bad(
            ctx,
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )),
    }
}

/// Rejects properties the type does not define (OData annotations `@…` are allowed).
fn only_known(ctx: &Ctx, m: &Map<String, Value>, known: &[&str], owner: Owner) -> Result<(), Resp> {
    for k in m.keys() {
        if k.starts_with('@') || known.contains(&k.as_str()) {
            continue;
        }
        let msg = match owner {
            Owner::Action(a) => format!(
                "The parameter '{k}' in the request payload is not a valid parameter for the operation '{a}'."
            ),
            Owner::Type(t) => format!(
                "The property '{k}' does not exist on type 'microsoft.graph.{t}'. Make sure to only use property names that are defined by the type or mark the type as open type."
            ),
        };
        return Err(bad(ctx, &msg));
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Owner {
    Action(&'static str),
    Type(&'static str),
}

/// A string property: `Ok(None)` when absent or null.
fn opt_string<'a>(ctx: &Ctx, m: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, Resp> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(bad(
            ctx,
            &format!("Cannot convert the literal '{}' to the expected type 'Edm.String'.", literal(other)),
        )),
    }
}

fn opt_object<'a>(
    ctx: &Ctx,
    m: &'a Map<String, Value>,
    key: &str,
    ty: &str,
) -> Result<Option<&'a Map<String, Value>>, Resp> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(other) => Err(bad(
            ctx,
            &format!("Cannot convert the literal '{}' to the expected type 'microsoft.graph.{ty}'.", literal(other)),
        )),
    }
}

fn require<'a>(ctx: &Ctx, m: &'a Map<String, Value>, keys: &[&str], action: &str) -> Result<Vec<&'a str>, Resp> {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for k in keys {
        match opt_string(ctx, m, k)? {
            Some(v) => out.push(v),
            None => missing.push(*k),
        }
    }
    if !missing.is_empty() {
        return Err(bad(
            ctx,
            &format!(
                "One or more parameters of the operation '{action}' are missing from the request payload. The missing parameters are: {}.",
                missing.join(", ")
            ),
        ));
    }
    Ok(out)
}

fn duration_ms(ctx: &Ctx, m: &Map<String, Value>) -> Result<Option<i64>, Resp> {
    match opt_string(ctx, m, "expirationDuration") {
        Err(_) => Err(bad(
            ctx,
            &format!(
                "Cannot convert the literal '{}' to the expected type 'Edm.Duration'.",
                m.get("expirationDuration").map(literal).unwrap_or_default()
            ),
        )),
        Ok(None) => Ok(None),
        Ok(Some(s)) => match parse_duration_ms(s) {
            Some(ms) => Ok(Some(ms)),
            None => Err(bad(ctx, &format!("Cannot convert the literal '{s}' to the expected type 'Edm.Duration'."))),
        },
    }
}

fn check_pair(ctx: &Ctx, pairs: &[(&str, &str)], availability: &str, activity: &str) -> Result<(), Resp> {
    if pairs.iter().any(|(a, b)| *a == availability && *b == activity) {
        return Ok(());
    }
    let allowed: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}/{b}")).collect();
    Err(invalid(
        ctx,
        &format!(
            "The provided [Availability, Activity] pair '{availability}/{activity}' is not supported. Supported pairs: {}.",
            allowed.join(", ")
        ),
    ))
}

fn check_session_id(ctx: &Ctx, caller: &Caller, session_id: &str) -> Result<(), Resp> {
    if session_id.eq_ignore_ascii_case(&caller.app_id) {
        Ok(())
    } else {
        Err(invalid(ctx, "The provided [SessionId] does not match the application id of the caller."))
    }
}

const PT5M: i64 = 5 * 60 * 1000;
const PT4H: i64 = 4 * 60 * 60 * 1000;

/// Validates and applies one write; returns the success status.
fn write(g: &mut Inner, req: &Req, ctx: &Ctx, caller: &Caller, action: Action) -> Result<u16, Resp> {
    let now = req.now_ms;
    let name = action.name();
    let body = body_object(req, ctx, action == Action::ClearUserPreferredPresence)?;
    match action {
        Action::SetPresence => {
            only_known(
                ctx,
                &body,
                &["sessionId", "availability", "activity", "expirationDuration"],
                Owner::Action(name),
            )?;
            let dur = duration_ms(ctx, &body)?;
            let v = require(ctx, &body, &["sessionId", "availability", "activity"], name)?;
            let (sid, availability, activity) = (v[0], v[1], v[2]);
            check_session_id(ctx, caller, sid)?;
            check_pair(ctx, &SESSION_PAIRS, availability, activity)?;
            let ttl = dur.unwrap_or(PT5M);
            if !(PT5M..=PT4H).contains(&ttl) {
                return Err(invalid(ctx, "The provided [ExpirationDuration] is out of range."));
            }
            let sid = caller.app_id.clone();
            g.presence.set_session(now, &sid, Kind::App, availability, activity, Some(now + ttl));
            Ok(200)
        }
        Action::ClearPresence => {
            only_known(ctx, &body, &["sessionId"], Owner::Action(name))?;
            let v = require(ctx, &body, &["sessionId"], name)?;
            check_session_id(ctx, caller, v[0])?;
            let sid = caller.app_id.clone();
            if g.presence.remove_session(now, &sid, Kind::App) {
                Ok(200)
            } else {
                Err(ctx.error(404, "NotFound", "The presence session was not found."))
            }
        }
        Action::SetUserPreferredPresence => {
            only_known(ctx, &body, &["availability", "activity", "expirationDuration"], Owner::Action(name))?;
            let dur = duration_ms(ctx, &body)?;
            let v = require(ctx, &body, &["availability", "activity"], name)?;
            let (availability, activity) = (v[0], v[1]);
            check_pair(ctx, &PREFERRED_PAIRS, availability, activity)?;
            let ttl = dur.unwrap_or_else(|| presence::default_preferred_ms(availability));
            g.presence.set_preferred(now, availability, activity, ttl);
            Ok(g.config.write_status)
        }
        Action::ClearUserPreferredPresence => {
            only_known(ctx, &body, &[], Owner::Action(name))?;
            g.presence.clear_preferred(now);
            Ok(g.config.write_status)
        }
        Action::SetStatusMessage => {
            only_known(ctx, &body, &["statusMessage"], Owner::Action(name))?;
            let Some(sm) = opt_object(ctx, &body, "statusMessage", "presenceStatusMessage")? else {
                return Err(bad(
                    ctx,
                    "One or more parameters of the operation 'setStatusMessage' are missing from the request payload. The missing parameters are: statusMessage.",
                ));
            };
            only_known(
                ctx,
                sm,
                &["message", "expiryDateTime", "publishedDateTime"],
                Owner::Type("presenceStatusMessage"),
            )?;
            if sm.get("publishedDateTime").is_some_and(|v| !v.is_null()) {
                return Err(bad(ctx, "The property 'publishedDateTime' is read-only and cannot be set."));
            }
            let message = opt_object(ctx, sm, "message", "itemBody")?;
            let content = match message {
                None => None,
                Some(msg) => {
                    only_known(ctx, msg, &["content", "contentType"], Owner::Type("itemBody"))?;
                    let content = opt_string(ctx, msg, "content")?;
                    let ct = opt_string(ctx, msg, "contentType")?.unwrap_or("text");
                    if ct != "text" {
                        return Err(invalid(
                            ctx,
                            &format!("The provided [ContentType] '{ct}' is not supported; the only supported format is 'text'."),
                        ));
                    }
                    content
                }
            };
            let expiry = match opt_object(ctx, sm, "expiryDateTime", "dateTimeTimeZone")? {
                None => None,
                Some(e) => {
                    only_known(ctx, e, &["dateTime", "timeZone"], Owner::Type("dateTimeTimeZone"))?;
                    let dt = opt_string(ctx, e, "dateTime")?;
                    let zone = opt_string(ctx, e, "timeZone")?;
                    let (Some(dt), Some(zone)) = (dt, zone) else {
                        return Err(invalid(ctx, "expiryDateTime needs both 'dateTime' and 'timeZone'."));
                    };
                    match tz::local_to_utc_ms(dt, zone) {
                        Ok(ms) => Some((dt.to_string(), zone.to_string(), ms)),
                        Err(m) => return Err(invalid(ctx, &m)),
                    }
                }
            };
            let msg = match content {
                None | Some("") => None,
                Some(c) => {
                    let (expiry_json, expires_at) = match &expiry {
                        Some((dt, zone, ms)) => (json!({"dateTime": dt, "timeZone": zone}), Some(*ms)),
                        // Graph's "never expires" value.
                        None => (json!({"dateTime": "9999-12-30T23:59:59.9999999", "timeZone": "UTC"}), None),
                    };
                    Some(StatusMessage {
                        value: json!({
                            "message": {"content": c, "contentType": "text"},
                            "expiryDateTime": expiry_json,
                            "publishedDateTime": util::iso_millis_z(now),
                        }),
                        expires_at_ms: expires_at,
                        published_ms: now,
                    })
                }
            };
            g.presence.set_status_message(now, msg);
            Ok(200)
        }
    }
}
