//! National clouds: Graph and login hosts, scopes, and where the presence API exists.
//!
//! Source: `graph-presence.md` §11 (Graph deployments, Entra national clouds). GCC uses the global
//! endpoints. China (21Vianet) has Graph but no presence API, so every presence action is refused
//! there before anything is sent.

use serde::Serialize;

use crate::availability::join;
use crate::error::{find_ascii, has_ascii, split_ascii, trim, trim_end_ascii, Kind, PresenceError};
use crate::value::{FromValue, Obj, Out, ToValue, Value};

/// A Microsoft cloud, or explicit endpoints for tests and the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cloud {
    Global,
    UsGovL4,
    UsGovL5,
    China,
    /// Explicit endpoints (a local simulator); scopes use the global Graph resource.
    Custom {
        graph_base_url: String,
        login_base_url: Option<String>,
    },
}

const CLOUD_NAMES: [&str; 5] = ["global", "usGovL4", "usGovL5", "china", "custom"];

impl Cloud {
    /// Resolves the `cloud`, `graphBaseUrl` and `loginBaseUrl` input fields. Explicit URLs are
    /// allowed (and required) only with `custom`.
    pub fn resolve(
        cloud: Option<&str>,
        graph_base_url: Option<&str>,
        login_base_url: Option<&str>,
    ) -> Result<Self, PresenceError> {
        let name = cloud.unwrap_or("global");
        // By position in CLOUD_NAMES (no second string comparison).
        let matched = CLOUD_NAMES.iter().position(|n| n.eq_ignore_ascii_case(trim(name)));
        let resolved = match matched {
            Some(0) => Self::Global,
            Some(1) => Self::UsGovL4,
            Some(2) => Self::UsGovL5,
            Some(3) => Self::China,
            Some(4) => {
                let Some(graph) = graph_base_url else {
                    return Err(Kind::MissingField { field: "graphBaseUrl", action: "the custom cloud" }.into());
                };
                let graph = check_base_url("graphBaseUrl", graph)?;
                let graph = graph.strip_suffix("/v1.0").map(str::to_owned).unwrap_or(graph);
                let login = match login_base_url {
                    Some(u) => Some(check_base_url("loginBaseUrl", u)?),
                    None => None,
                };
                return Ok(Self::Custom { graph_base_url: graph, login_base_url: login });
            }
            _ => {
                return Err(
                    Kind::InvalidValue { field: "cloud", got: name.to_owned(), allowed: join(CLOUD_NAMES) }.into()
                )
            }
        };
        // One refusal site for both URLs (graphBaseUrl named first when both are given).
        let unexpected = match (graph_base_url, login_base_url) {
            (Some(_), _) => "graphBaseUrl",
            (None, Some(_)) => "loginBaseUrl",
            (None, None) => return Ok(resolved),
        };
        Err(Kind::UnexpectedField { field: unexpected, action: "a named cloud (use cloud \"custom\")" }.into())
    }

    /// The input spelling of the cloud.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::UsGovL4 => "usGovL4",
            Self::UsGovL5 => "usGovL5",
            Self::China => "china",
            Self::Custom { .. } => "custom",
        }
    }

    /// Human name used in messages.
    fn display_name(&self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::UsGovL4 => "US Government L4 (GCC High)",
            Self::UsGovL5 => "US Government L5 (DoD)",
            Self::China => "China (21Vianet)",
            Self::Custom { .. } => "custom",
        }
    }

    /// Graph root without a version segment.
    pub fn graph_base_url(&self) -> &str {
        match self {
            Self::Global => "https://graph.microsoft.com",
            Self::UsGovL4 => "https://graph.microsoft.us",
            Self::UsGovL5 => "https://dod-graph.microsoft.us",
            Self::China => "https://microsoftgraph.chinacloudapi.cn",
            Self::Custom { graph_base_url, .. } => graph_base_url,
        }
    }

    /// Entra sign-in root.
    pub fn login_base_url(&self) -> Option<&str> {
        match self {
            Self::Global => Some("https://login.microsoftonline.com"),
            Self::UsGovL4 | Self::UsGovL5 => Some("https://login.microsoftonline.us"),
            Self::China => Some("https://login.chinacloudapi.cn"),
            Self::Custom { login_base_url, .. } => login_base_url.as_deref(),
        }
    }

    /// The resource prefix of Graph scopes. National clouds need their own host in scope strings
    /// (`https://graph.microsoft.us/User.Read`); custom endpoints stand in for the global service.
    fn scope_resource(&self) -> &str {
        match self {
            Self::Custom { .. } => "https://graph.microsoft.com",
            other => other.graph_base_url(),
        }
    }

    /// Delegated scopes the extension asks for.
    pub fn scopes(&self) -> Vec<String> {
        let resource = self.scope_resource();
        vec![format!("{resource}/Presence.ReadWrite"), format!("{resource}/User.Read"), "offline_access".to_owned()]
    }

    /// Refuses presence actions where Graph has no presence API.
    pub fn require_presence(&self, action: &str) -> Result<(), PresenceError> {
        if *self == Self::China {
            return Err(Kind::CloudNotSupported { cloud: self.display_name(), action: action.to_owned() }.into());
        }
        Ok(())
    }
}

/// Checks an explicit base URL: https anywhere, or http only on loopback (a local simulator);
/// no credentials, query or fragment. Returns it without a trailing slash.
fn check_base_url(field: &'static str, url: &str) -> Result<String, PresenceError> {
    let trimmed = trim_end_ascii(trim(url), b'/');
    match base_url_problem(trimmed) {
        None => Ok(trimmed.to_owned()),
        Some(reason) => Err(Kind::InvalidUrl { field, got: url.to_owned(), reason: reason.to_owned() }.into()),
    }
}

/// What is wrong with a trimmed base URL, checked in order; one refusal site in
/// [`check_base_url`].
fn base_url_problem(trimmed: &str) -> Option<&'static str> {
    let lower = trimmed.to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return Some("it must start with https:// (or http:// for a loopback address)");
    };
    if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some("it contains spaces or control characters");
    }
    if has_ascii(rest, b'?') || has_ascii(rest, b'#') {
        return Some("it must not have a query or fragment");
    }
    let authority = split_ascii(rest, b'/').next().unwrap_or("");
    if has_ascii(authority, b'@') {
        return Some("it must not contain credentials");
    }
    let Some(host) = host_of(authority) else {
        return Some("it has no valid host");
    };
    if !secure && !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        return Some("http:// is allowed only for 127.0.0.1, localhost or [::1]; use https://");
    }
    if let Some(port) = authority.strip_prefix(host).and_then(|p| p.strip_prefix(':')) {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Some("its port is not a number");
        }
    }
    if split_ascii(rest, b'/').skip(1).any(|segment| segment == ".." || segment == ".") {
        return Some("it must not contain . or .. path segments");
    }
    None
}

fn host_of(authority: &str) -> Option<&str> {
    let host = if authority.starts_with('[') {
        let end = find_ascii(authority, b']')?;
        authority.get(..=end)?
    } else {
        split_ascii(authority, b':').next()?
    };
    let ok = !host.is_empty()
        && (host.starts_with('[') || host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    ok.then_some(host)
}

/// Tenant in an authority: a GUID, `organizations`, `common`, or a verified domain.
pub fn check_tenant(tenant: &str) -> Result<String, PresenceError> {
    let t = trim(tenant);
    let lower = t.to_ascii_lowercase();
    let domain_like = has_ascii(&lower, b'.')
        && split_ascii(&lower, b'.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    // One refusal site; consumers gets its own explanation.
    let allowed = if lower == "consumers" {
        "organizations, common, a tenant id (GUID) or a domain; personal Microsoft accounts have no presence API"
    } else if lower == "organizations" || lower == "common" || is_guid(&lower) || domain_like {
        return Ok(lower);
    } else {
        "organizations, common, a tenant id (GUID) or a domain such as contoso.onmicrosoft.com"
    };
    Err(Kind::InvalidValue { field: "tenant", got: t.to_owned(), allowed: allowed.to_owned() }.into())
}

/// True for the 8-4-4-4-12 hex form.
pub fn is_guid(text: &str) -> bool {
    // Groups of 8, 4, 4, 4 and 12 hex digits: hyphens at 8, 13, 18 and 23.
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Input of `cloudConfig`.
#[derive(Debug, Clone, Default)]
pub struct CloudConfigInput {
    pub cloud: Option<String>,
    pub graph_base_url: Option<String>,
    pub login_base_url: Option<String>,
    pub tenant: Option<String>,
}

impl FromValue for CloudConfigInput {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["cloud", "graphBaseUrl", "loginBaseUrl", "tenant"])?;
        Ok(Self {
            cloud: o.opt("cloud")?,
            graph_base_url: o.opt("graphBaseUrl")?,
            login_base_url: o.opt("loginBaseUrl")?,
            tenant: o.opt("tenant")?,
        })
    }
}

crate::deserialize_via_value!(CloudConfigInput);

/// What the shell needs to sign in and call Graph in a cloud.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudConfig {
    pub cloud: &'static str,
    pub graph_base_url: String,
    pub login_base_url: Option<String>,
    pub authority: Option<String>,
    pub tenant: String,
    pub scopes: Vec<String>,
    pub presence_supported: bool,
}

impl ToValue for CloudConfig {
    fn to_value(&self) -> Value {
        Out::new()
            .put("cloud", self.cloud.to_value())
            .put("graphBaseUrl", self.graph_base_url.to_value())
            .put("loginBaseUrl", self.login_base_url.to_value())
            .put("authority", self.authority.to_value())
            .put("tenant", self.tenant.to_value())
            .put("scopes", self.scopes.to_value())
            .put("presenceSupported", self.presence_supported.to_value())
            .done()
    }
}

/// Resolves a cloud and tenant into endpoints and scopes.
#[inline(never)]
pub fn cloud_config(input: &CloudConfigInput) -> Result<CloudConfig, PresenceError> {
    let cloud =
        Cloud::resolve(input.cloud.as_deref(), input.graph_base_url.as_deref(), input.login_base_url.as_deref())?;
    let tenant = check_tenant(input.tenant.as_deref().unwrap_or("organizations"))?;
    let login = cloud.login_base_url().map(str::to_owned);
    Ok(CloudConfig {
        cloud: cloud.name(),
        graph_base_url: cloud.graph_base_url().to_owned(),
        authority: login.as_ref().map(|l| format!("{l}/{tenant}")),
        login_base_url: login,
        tenant,
        scopes: cloud.scopes(),
        presence_supported: cloud != Cloud::China,
    })
}
