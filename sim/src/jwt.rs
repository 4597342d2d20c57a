//! HS256 JSON Web Tokens signed with a per-process random secret.
//!
//! Deviation from Entra ID: Entra signs with RS256 keys published at the JWKS endpoint. The
//! simulator signs with an HMAC secret that never leaves the process, so `/discovery/v2.0/keys`
//! returns `{"keys":[]}`. MSAL never verifies id_token signatures; the Graph side of the
//! simulator verifies access tokens itself.

use crate::util::{b64url, b64url_decode};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub fn sign(secret: &[u8], claims: &Value) -> String {
    let header = serde_json::json!({"typ": "JWT", "alg": "HS256", "kid": "presence-sim-hs256"});
    let h = b64url(header.to_string().as_bytes());
    let p = b64url(claims.to_string().as_bytes());
    let input = format!("{h}.{p}");
    let sig = match HmacSha256::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(input.as_bytes());
            b64url(&mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    };
    format!("{input}.{sig}")
}

#[derive(Debug, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts of JSON.
    Malformed,
    /// Well formed, but not signed by this process.
    BadSignature,
}

/// Checks the structure and the signature; returns the claims.
pub fn verify(secret: &[u8], token: &str) -> Result<serde_json::Map<String, Value>, JwtError> {
    let mut it = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(JwtError::Malformed);
    };
    let header: Value = b64url_decode(h).and_then(|b| serde_json::from_slice(&b).ok()).ok_or(JwtError::Malformed)?;
    let claims: Value = b64url_decode(p).and_then(|b| serde_json::from_slice(&b).ok()).ok_or(JwtError::Malformed)?;
    let Value::Object(claims) = claims else {
        return Err(JwtError::Malformed);
    };
    let sig = b64url_decode(s).ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::BadSignature);
    }
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| JwtError::BadSignature)?;
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    mac.verify_slice(&sig).map_err(|_| JwtError::BadSignature)?;
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let t = sign(b"k1", &serde_json::json!({"a": 1}));
        assert_eq!(verify(b"k1", &t).ok().and_then(|c| c.get("a").cloned()), Some(1.into()));
        assert_eq!(verify(b"k2", &t), Err(JwtError::BadSignature));
        assert_eq!(verify(b"k1", "abc"), Err(JwtError::Malformed));
        assert_eq!(verify(b"k1", "a.b.c"), Err(JwtError::Malformed));
    }
}
