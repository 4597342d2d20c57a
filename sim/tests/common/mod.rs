//! Test helpers: start a simulator in-process on port 0 and talk to it over real HTTP/1.1.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::Request;
use hyper_util::rt::TokioIo;
use presence_sim::{Options, Running};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;

pub const CLIENT_ID: &str = presence_sim::DEFAULT_CLIENT_ID;
pub const TENANT_ID: &str = presence_sim::DEFAULT_TENANT_ID;
pub const OID: &str = presence_sim::USER_OID;
pub const UPN: &str = presence_sim::USER_UPN;
pub const ORIGIN: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";
pub const REDIRECT: &str = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
    /// The Graph error code, asserting the Graph error shape on the way.
    pub fn graph_error(&self) -> (String, String) {
        let v = self.json();
        let e = &v["error"];
        let inner = &e["innerError"];
        assert!(inner["date"].is_string(), "innerError.date missing: {v}");
        assert!(inner["request-id"].is_string(), "innerError.request-id missing: {v}");
        assert!(inner["client-request-id"].is_string(), "innerError.client-request-id missing: {v}");
        assert_eq!(inner["request-id"].as_str(), self.header("request-id"));
        (e["code"].as_str().expect("code").to_string(), e["message"].as_str().expect("message").to_string())
    }
}

pub struct Sim {
    pub running: Running,
    pub addr: SocketAddr,
}

pub async fn start() -> Sim {
    start_with(Options::default()).await
}

pub async fn start_with(opts: Options) -> Sim {
    let running = presence_sim::spawn(opts).await.expect("spawn");
    let addr = running.addr;
    Sim { running, addr }
}

pub async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = tokio::net::TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    stream.set_nodelay(true).ok();
    let (sender, conn) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

pub async fn send_on(
    sender: &mut SendRequest<Full<Bytes>>,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Result<Resp, String> {
    let mut b = Request::builder().method(method).uri(path).header("host", addr.to_string());
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let req = b.body(Full::new(Bytes::from(body.unwrap_or_default()))).map_err(|e| e.to_string())?;
    sender.ready().await.map_err(|e| e.to_string())?;
    let res = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let mut hm = HashMap::new();
    for (k, v) in res.headers() {
        hm.insert(k.as_str().to_string(), v.to_str().unwrap_or("").to_string());
    }
    let body = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes().to_vec();
    Ok(Resp { status, headers: hm, body })
}

impl Sim {
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// One request on a fresh connection. Err when the connection fails (e.g. a dropped one).
    pub async fn try_send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<Resp, String> {
        let mut s = connect(self.addr).await?;
        send_on(&mut s, self.addr, method, path, headers, body).await
    }

    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<Vec<u8>>) -> Resp {
        self.try_send(method, path, headers, body).await.expect("request failed")
    }

    pub async fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let body = if method == "GET" || method == "DELETE" { None } else { Some(body.to_string().into_bytes()) };
        let r = self.send(method, path, &[("content-type", "application/json")], body).await;
        assert!(r.status < 300, "{path}: {} {}", r.status, r.text());
        r.json()
    }

    pub async fn token(&self, scopes: &[&str]) -> String {
        let v = self.control("POST", "/_sim/token", json!({"scopes": scopes})).await;
        v["access_token"].as_str().unwrap().to_string()
    }

    /// A Presence.ReadWrite token that lives `seconds` of sim time.
    pub async fn rw_for(&self, seconds: u64) -> String {
        let v = self
            .control("POST", "/_sim/token", json!({"scopes": ["Presence.ReadWrite"], "lifetimeSeconds": seconds}))
            .await;
        v["access_token"].as_str().unwrap().to_string()
    }

    pub async fn rw(&self) -> String {
        self.token(&["Presence.ReadWrite"]).await
    }

    pub async fn get(&self, tok: &str, path: &str) -> Resp {
        let auth = format!("Bearer {tok}");
        self.send("GET", path, &[("authorization", &auth)], None).await
    }

    pub async fn post(&self, tok: &str, path: &str, body: &str) -> Resp {
        let auth = format!("Bearer {tok}");
        self.send(
            "POST",
            path,
            &[("authorization", &auth), ("content-type", "application/json")],
            Some(body.as_bytes().to_vec()),
        )
        .await
    }

    pub async fn presence(&self, tok: &str) -> Value {
        let r = self.get(tok, "/v1.0/me/presence").await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    pub async fn pair(&self, tok: &str) -> (String, String) {
        let p = self.presence(tok).await;
        (p["availability"].as_str().unwrap().to_string(), p["activity"].as_str().unwrap().to_string())
    }

    pub async fn advance(&self, seconds: f64) {
        self.control("POST", "/_sim/clock", json!({"advanceSeconds": seconds})).await;
    }

    pub async fn state(&self) -> Value {
        self.control("GET", "/_sim/state", Value::Null).await
    }

    pub async fn teams(&self, availability: Option<&str>) {
        let body = match availability {
            Some(a) => json!({"signedIn": true, "availability": a}),
            None => json!({"signedIn": false}),
        };
        self.control("POST", "/_sim/teams-client", body).await;
    }
}

pub fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}
