//! Presence simulator: a local stand-in for Microsoft Graph presence and the Entra ID sign-in
//! endpoints that `@azure/msal-browser` uses, plus a control API for tests (`/_sim/*`) and a
//! status page (`/`). See `sim/README.md`.

// Handlers return `Result<_, Resp>` where the error is the finished HTTP answer; it is built once
// per failing request, so boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

pub mod control;
pub mod duration;
pub mod graph;
pub mod jwt;
pub mod page;
pub mod presence;
pub mod signin;
pub mod tz;
pub mod util;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{HeaderMap, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use presence::Presence;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpListener;

pub const DEFAULT_CLIENT_ID: &str = "5e1f9c2a-8b3d-4f60-a7e4-1d2c3b4a5f60";
pub const DEFAULT_TENANT_ID: &str = "7b0e1a8c-3f52-4d6e-9a41-2c5d8e9f0b13";
pub const USER_OID: &str = "a1b2c3d4-0000-4000-8000-000000000001";
pub const USER_UPN: &str = "adele.vance@contoso.example";
pub const USER_NAME: &str = "Adele Vance";
pub const TENANT_DOMAIN: &str = "contoso.example";
/// Largest request body accepted; larger ones get 413 (Graph-shaped).
pub const MAX_BODY: usize = 64 * 1024;
/// Longest a fault may delay an answer.
pub const MAX_DELAY_MS: u64 = 60_000;

/// Start-up options (the command-line flags).
#[derive(Clone, Debug)]
pub struct Options {
    pub port: u16,
    pub client_ids: Vec<String>,
    pub tenant_id: String,
    pub token_lifetime_seconds: i64,
    pub consent_page: bool,
    /// Start with a signed-in Teams client (Available), for the demo.
    pub teams_client: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port: 0,
            client_ids: vec![DEFAULT_CLIENT_ID.to_string()],
            tenant_id: DEFAULT_TENANT_ID.to_string(),
            token_lifetime_seconds: 3600,
            consent_page: false,
            teams_client: false,
        }
    }
}

/// Settings tests can change at run time through `/_sim/config`.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    pub granted_scopes: Vec<String>,
    pub require_interaction: bool,
    pub token_lifetime_seconds: i64,
    pub kmsi: bool,
    pub write_status: u16,
}

impl RuntimeConfig {
    fn from_options(o: &Options) -> Self {
        RuntimeConfig {
            granted_scopes: vec!["Presence.ReadWrite".into(), "Presence.Read".into(), "User.Read".into()],
            require_interaction: false,
            token_lifetime_seconds: o.token_lifetime_seconds,
            kmsi: true,
            write_status: 200,
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "grantedScopes": self.granted_scopes,
            "requireInteraction": self.require_interaction,
            "tokenLifetimeSeconds": self.token_lifetime_seconds,
            "kmsi": self.kmsi,
            "writeStatus": self.write_status,
        })
    }
}

/// One received request, as `GET /_sim/requests` shows it.
#[derive(Clone, Debug)]
pub struct LogEntry {
    pub index: u64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub time_ms: i64,
    /// The same instant in microseconds (benchmarks compare latencies of a few ms).
    pub time_us: i64,
    pub status: Option<u16>,
    pub dropped: bool,
}

impl LogEntry {
    pub fn to_json(&self) -> Value {
        let mut headers = serde_json::Map::new();
        for (k, v) in &self.headers {
            headers.insert(k.clone(), Value::String(v.clone()));
        }
        json!({
            "index": self.index,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": headers,
            "body": self.body,
            "timeMs": self.time_ms,
            "timeUs": self.time_us,
            "status": self.status,
            "dropped": self.dropped,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Fault {
    pub path: Option<String>,
    pub method: Option<String>,
    pub remaining: u64,
    pub status: Option<u16>,
    pub retry_after: Option<u64>,
    pub delay_ms: u64,
    pub drop: bool,
}

impl Fault {
    fn matches(&self, method: &str, path: &str) -> bool {
        let path_ok = self.path.as_ref().is_none_or(|p| path.to_ascii_lowercase().contains(&p.to_ascii_lowercase()));
        let method_ok = self.method.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(method));
        path_ok && method_ok && self.remaining > 0
    }

    pub fn to_json(&self) -> Value {
        json!({
            "path": self.path,
            "method": self.method,
            "count": self.remaining,
            "status": self.status,
            "retryAfter": self.retry_after,
            "delayMs": self.delay_ms,
            "drop": self.drop,
        })
    }
}

#[derive(Clone, Debug)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub nonce: Option<String>,
    pub scopes: Vec<String>,
    pub issued_ms: i64,
    pub used: bool,
}

#[derive(Clone, Debug)]
pub struct RefreshGrant {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires_at_ms: i64,
}

/// Everything mutable, behind one lock so that log order, fault order and write order agree.
pub struct Inner {
    pub config: RuntimeConfig,
    pub presence: Presence,
    pub log: Vec<LogEntry>,
    pub next_index: u64,
    pub faults: Vec<Fault>,
    pub codes: HashMap<String, AuthCode>,
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    pub signin_sessions: HashSet<String>,
}

impl Inner {
    fn new(opts: &Options, now: i64) -> Self {
        let mut presence = Presence::new();
        if opts.teams_client {
            presence.set_session(
                now,
                graph::TEAMS_CLIENT_SESSION_ID,
                presence::Kind::TeamsClient,
                "Available",
                "Available",
                None,
            );
        }
        Inner {
            config: RuntimeConfig::from_options(opts),
            presence,
            log: Vec::new(),
            next_index: 0,
            faults: Vec::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            signin_sessions: HashSet::new(),
        }
    }
}

/// State shared by all connections.
pub struct Shared {
    pub opts: Options,
    pub base_url: String,
    pub secret: [u8; 32],
    offset_ms: AtomicI64,
    inner: Mutex<Inner>,
}

impl Shared {
    /// The simulator clock: real time plus the offset tests have added.
    pub fn now_ms(&self) -> i64 {
        util::real_now_ms().saturating_add(self.offset_ms.load(Ordering::SeqCst))
    }

    /// The simulator clock in microseconds (same offset), for the request log.
    pub fn now_us(&self) -> i64 {
        util::real_now_us().saturating_add(self.offset_ms.load(Ordering::SeqCst).saturating_mul(1000))
    }

    pub fn advance_ms(&self, ms: i64) -> i64 {
        // Saturating, so that no number of advances can wrap the clock backwards.
        let step = ms.max(0);
        let _ = self.offset_ms.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| Some(o.saturating_add(step)));
        self.now_ms()
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn reset(&self) {
        let now = self.now_ms();
        let mut g = self.lock();
        *g = Inner::new(&self.opts, now);
    }
}

pub type Resp = Response<Full<Bytes>>;

/// Builds a response; invalid header values are skipped rather than panicking.
pub fn response(status: u16, headers: &[(&str, String)], body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        set_header(&mut r, k, v);
    }
    r
}

pub fn set_header(r: &mut Resp, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
        r.headers_mut().insert(n, v);
    }
}

pub fn json_response(status: u16, v: &Value) -> Resp {
    response(status, &[("content-type", "application/json".to_string())], v.to_string())
}

pub fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// What the handlers see of a request.
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub now_ms: i64,
    /// When the request head arrived, in microseconds; `now_ms` is the same instant in ms.
    pub now_us: i64,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        header_str(&self.headers, name)
    }
}

/// Error returned to hyper to close a connection without answering (fault `drop`).
#[derive(Debug)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

enum BodyError {
    TooLarge,
    Timeout,
    Io,
}

async fn read_body(headers: &HeaderMap, body: Incoming) -> Result<Bytes, BodyError> {
    if let Some(len) = header_str(headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok()) {
        if len > MAX_BODY as u64 {
            return Err(BodyError::TooLarge);
        }
    }
    let limited = Limited::new(body, MAX_BODY);
    match tokio::time::timeout(Duration::from_secs(10), limited.collect()).await {
        Err(_) => Err(BodyError::Timeout),
        Ok(Err(e)) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
                Err(BodyError::TooLarge)
            } else {
                Err(BodyError::Io)
            }
        }
        Ok(Ok(c)) => Ok(c.to_bytes()),
    }
}

fn redact_value(v: &str) -> String {
    let chars: Vec<char> = v.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(6)..].iter().collect();
    format!("…{tail}")
}

/// `Bearer eyJ…abcdef` → `Bearer …abcdef`.
pub fn redact_authorization(v: &str) -> String {
    match v.split_once(' ') {
        Some((scheme, token)) => format!("{scheme} {}", redact_value(token.trim())),
        None => redact_value(v),
    }
}

fn redact_form(body: &[u8]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(body) {
        if matches!(k.as_ref(), "code" | "refresh_token" | "code_verifier") {
            ser.append_pair(&k, &redact_value(&v));
        } else {
            ser.append_pair(&k, &v);
        }
    }
    ser.finish()
}

fn log_entry(index: u64, req: &Req) -> LogEntry {
    let mut headers: Vec<(String, String)> = Vec::new();
    for (k, v) in req.headers.iter() {
        let name = k.as_str().to_ascii_lowercase();
        let mut value = String::from_utf8_lossy(v.as_bytes()).into_owned();
        if name == "authorization" {
            value = redact_authorization(&value);
        }
        match headers.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            None => headers.push((name, value)),
        }
    }
    let body = if req.body.is_empty() {
        None
    } else if signin::is_token_path(&req.path) {
        Some(redact_form(&req.body))
    } else {
        Some(String::from_utf8_lossy(&req.body).into_owned())
    };
    LogEntry {
        index,
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers,
        body,
        time_ms: req.now_ms,
        time_us: req.now_us,
        status: None,
        dropped: false,
    }
}

fn is_control_path(path: &str) -> bool {
    path == "/_sim" || path.starts_with("/_sim/")
}

/// The answer to a fault: Graph-shaped error, with Retry-After when configured.
fn fault_response(shared: &Shared, req: &Req, status: u16, retry_after: Option<u64>) -> Resp {
    let (code, message, inner_code) = match status {
        429 => (
            "TooManyRequests",
            "Too many requests are being made. Please retry after the time given in the Retry-After header.",
            Some("throttledRequest"),
        ),
        503 => ("ServiceUnavailable", "The service is temporarily unavailable. Please retry later.", None),
        504 => ("GatewayTimeout", "The gateway did not receive a timely response from the upstream service.", None),
        401 => ("InvalidAuthenticationToken", "Access token validation failure.", None),
        _ => ("InternalServerError", "An internal server error occurred.", None),
    };
    let ctx = graph::Ctx::new(req);
    let mut r = ctx.error_with_inner(status, code, message, inner_code);
    if let Some(s) = retry_after {
        set_header(&mut r, "retry-after", &s.to_string());
    }
    if signin::is_signin_path(&req.path) {
        signin::add_cors(&mut r, req);
    }
    let _ = shared;
    r
}

async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Resp, DropConnection> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().map(str::to_string);
    let method = parts.method.as_str().to_string();
    let now_us = shared.now_us();
    let body_result = read_body(&parts.headers, body).await;
    let mut req = Req {
        method,
        path,
        query,
        headers: parts.headers,
        body: Bytes::new(),
        now_ms: now_us.div_euclid(1000),
        now_us,
    };
    let body_error = match body_result {
        Ok(b) => {
            req.body = b;
            None
        }
        Err(e) => Some(e),
    };

    if is_control_path(&req.path) {
        if body_error.is_some() {
            return Ok(json_response(413, &json!({"error": "body too large or unreadable"})));
        }
        return Ok(control::handle(&shared, &req));
    }

    let mut delay = 0u64;
    let mut drop_it = false;
    let resp = {
        let mut g = shared.lock();
        let index = g.next_index;
        g.next_index += 1;
        let mut entry = log_entry(index, &req);
        let resp = if let Some(e) = body_error {
            let ctx = graph::Ctx::new(&req);
            match e {
                BodyError::TooLarge => ctx.error(
                    413,
                    "RequestEntityTooLarge",
                    "The request body exceeds the maximum allowed size of 65536 bytes.",
                ),
                BodyError::Timeout => ctx.error(408, "RequestTimeout", "The request body was not received in time."),
                BodyError::Io => ctx.error(400, "BadRequest", "The request body could not be read."),
            }
        } else {
            let faultable = req.path.to_ascii_lowercase().starts_with("/v1.0") || signin::is_signin_path(&req.path);
            let fault = if req.method == "OPTIONS" || !faultable {
                None
            } else {
                g.faults.iter_mut().find(|f| f.matches(&req.method, &req.path)).map(|f| {
                    f.remaining -= 1;
                    f.clone()
                })
            };
            g.faults.retain(|f| f.remaining > 0);
            match fault {
                Some(f) => {
                    delay = f.delay_ms.min(MAX_DELAY_MS);
                    if f.drop {
                        drop_it = true;
                        response(500, &[], Bytes::new())
                    } else if let Some(status) = f.status {
                        fault_response(&shared, &req, status, f.retry_after)
                    } else {
                        dispatch(&shared, &mut g, &req)
                    }
                }
                None => dispatch(&shared, &mut g, &req),
            }
        };
        if drop_it {
            entry.dropped = true;
        } else {
            entry.status = Some(resp.status().as_u16());
        }
        g.log.push(entry);
        resp
    };
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if drop_it {
        return Err(DropConnection);
    }
    Ok(resp)
}

fn dispatch(shared: &Shared, g: &mut Inner, req: &Req) -> Resp {
    let lower = req.path.to_ascii_lowercase();
    if req.path == "/" || req.path == "/index.html" {
        return page::status_page(shared, req);
    }
    if lower == "/v1.0" || lower.starts_with("/v1.0/") {
        return graph::handle(shared, g, req);
    }
    if signin::is_signin_path(&req.path) {
        return signin::handle(shared, g, req);
    }
    graph::Ctx::new(req).error(
        404,
        "UnknownError",
        &format!("No HTTP resource was found that matches the request URI '{}'.", req.path),
    )
}

/// A bound, not yet running simulator.
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
}

impl Server {
    /// Binds 127.0.0.1:`opts.port` (0 = any free port).
    pub async fn bind(opts: Options) -> std::io::Result<Server> {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], opts.port))).await?;
        let addr = listener.local_addr()?;
        let mut secret = [0u8; 32];
        util::fill_random(&mut secret);
        let now = util::real_now_ms();
        let shared = Arc::new(Shared {
            base_url: format!("http://127.0.0.1:{}", addr.port()),
            inner: Mutex::new(Inner::new(&opts, now)),
            opts,
            secret,
            offset_ms: AtomicI64::new(0),
        });
        Ok(Server { listener, shared })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    pub fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    /// Serves until `shutdown` completes. Then it stops accepting, lets requests in progress
    /// finish (closing idle keep-alive connections) and returns after at most 2 s.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        let shared = self.shared.clone();
                        let mut stop_rx = stop_rx.clone();
                        let active = active.clone();
                        active.fetch_add(1, Ordering::SeqCst);
                        tokio::spawn(async move {
                            let svc = hyper::service::service_fn(move |req| handle(shared.clone(), req));
                            let conn = hyper::server::conn::http1::Builder::new()
                                .timer(TokioTimer::new())
                                .header_read_timeout(Duration::from_secs(10))
                                .serve_connection(TokioIo::new(stream), svc);
                            tokio::pin!(conn);
                            tokio::select! {
                                _ = conn.as_mut() => {}
                                _ = stop_rx.changed() => {
                                    conn.as_mut().graceful_shutdown();
                                    let _ = conn.as_mut().await;
                                }
                            }
                            active.fetch_sub(1, Ordering::SeqCst);
                        });
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                },
            }
        }
        let _ = stop_tx.send(true);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        while active.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Starts a simulator on its own task (for tests). Returns its base URL and a handle that stops
/// it when dropped.
pub async fn spawn(opts: Options) -> std::io::Result<Running> {
    let server = Server::bind(opts).await?;
    let addr = server.local_addr()?;
    let shared = server.shared();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run_until(async move {
        let _ = rx.await;
    }));
    Ok(Running { addr, shared, _stop: tx })
}

pub struct Running {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Running {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}
