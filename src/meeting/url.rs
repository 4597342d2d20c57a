//! Which pages are meetings: a hand-written https URL splitter, the built-in site rules and the
//! user's custom patterns.
//!
//! No `url` or `regex` crate: the wasm must stay small, and the few rules we need are easier to
//! audit as code than as expressions.

use serde::{Deserialize, Serialize};

use crate::error::{decimal, has_ascii, quote, split_ascii, Kind, PresenceError};
use crate::value::{name, pick, FromValue, Out, ToValue, Value};

/// The meeting sites we recognise. Serialised as `"googleMeet"`, `"zoom"`, `"webex"`, `"jitsi"`,
/// `"whereby"`, `"custom"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Site {
    /// `https://meet.google.com/<abc-defg-hij>`.
    GoogleMeet,
    /// The Zoom web client and launch pages on `zoom.us`, `*.zoom.us`, `zoomgov.com`, `*.zoomgov.com`.
    Zoom,
    /// Webex personal rooms and join pages on `<site>.webex.com`.
    Webex,
    /// `https://meet.jit.si/<room>`.
    Jitsi,
    /// `https://whereby.com/<room>` and `https://<org>.whereby.com/<room>`.
    Whereby,
    /// A page matched by one of the user's [`CustomPattern`]s.
    Custom,
}

impl FromValue for Site {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        pick(
            v,
            &["googleMeet", "zoom", "webex", "jitsi", "whereby", "custom"],
            &[Self::GoogleMeet, Self::Zoom, Self::Webex, Self::Jitsi, Self::Whereby, Self::Custom],
        )
    }
}

crate::deserialize_via_value!(Site);

impl ToValue for Site {
    fn to_value(&self) -> Value {
        name(match self {
            Self::GoogleMeet => "googleMeet",
            Self::Zoom => "zoom",
            Self::Webex => "webex",
            Self::Jitsi => "jitsi",
            Self::Whereby => "whereby",
            Self::Custom => "custom",
        })
    }
}

impl ToValue for MeetingMatch {
    fn to_value(&self) -> Value {
        Out::new().put("site", self.site.to_value()).text("meetingId", &self.meeting_id).done()
    }
}

impl ToValue for CustomPattern {
    fn to_value(&self) -> Value {
        Out::new()
            .text("pattern", &self.pattern)
            .text("host", &self.host)
            .put("port", self.port.to_value())
            .text("path", &self.path)
            .text("permission", &self.permission)
            .done()
    }
}

/// A page that is a meeting: the JSON `{ site, meetingId }` of `matchMeeting`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeetingMatch {
    /// Which site rule matched.
    pub site: Site,
    /// The meeting code, room or numeric id, normalised per site: Meet code lowercased
    /// (`abc-defg-hij`); Zoom digits; Webex room name, join id or `MTID`; Jitsi room as in the
    /// path; Whereby room lowercased; custom: host (with `:port` if any) + path.
    pub meeting_id: String,
}

/// A checked custom meeting pattern, as the options page stores and shows it.
///
/// # Syntax
///
/// `https://HOST[:PORT]PATH`, where
///
/// - the scheme is `https` (any case); nothing else is accepted;
/// - `HOST` is an ASCII host name (letters, digits, `-`, dot-separated labels), compared in
///   lowercase, with a trailing dot dropped. It may start with a single `*.` wildcard label,
///   which (as in browser match patterns) matches the host itself and any subdomain; the rest
///   must then have at least two labels (`*.com` is refused). No other `*` in the host, no
///   userinfo (`user@`), no IP literals in brackets, no unicode (write the `xn--` form);
/// - `PORT` (optional) is 1–65535; `:443` is the https default and is dropped. Without a port
///   the pattern only matches URLs without one;
/// - `PATH` starts with `/`; `*` matches any run of characters, including `/`; there is no
///   `?` or `#` (query strings and fragments are ignored when matching).
///
/// Examples: `https://jitsi.example.org/*`, `https://*.video.example.com/room/*`,
/// `https://portal.example.com:8443/meet/*`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomPattern {
    /// The normalised pattern text (lowercase scheme and host, default port dropped).
    pub pattern: String,
    /// The host, with its `*.` prefix if it is a wildcard: `jitsi.example.org`,
    /// `*.video.example.com`.
    pub host: String,
    /// The explicit port, if the pattern has one (never 443).
    pub port: Option<u16>,
    /// The path glob, starting with `/`.
    pub path: String,
    /// The host permission the shell must request for it: `https://HOST[:PORT]/*`.
    pub permission: String,
}

/// The longest URL or pattern we look at; longer ones are not meetings / refused.
const MAX_URL_LEN: usize = 4096;

/// An https URL split into what matching needs.
struct Parts<'a> {
    /// Lowercase, trailing dot removed.
    host: String,
    /// `None` for no port or `:443`.
    port: Option<u16>,
    /// Always starts with `/`; no query or fragment.
    path: &'a str,
}

/// Whether `s` has a control character, white space or a backslash: never in a URL we match
/// or a pattern we accept.
#[inline(never)]
fn has_unusable_char(s: &str) -> bool {
    s.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

/// The index of the first of the ASCII bytes `set` in `s` (a byte search: no str searcher ships).
// `iter().any` rather than `contains`: a byte slice's `contains` is `memchr` (~0.2 KB gzipped).
#[allow(clippy::manual_contains)]
fn find_byte(s: &str, set: &[u8]) -> Option<usize> {
    s.bytes().position(|b| set.iter().any(|x| *x == b))
}

/// Splits `url` if it is an https URL we are willing to match; `None` otherwise.
fn split_https(url: &str) -> Option<Parts<'_>> {
    if url.len() > MAX_URL_LEN || has_unusable_char(url) {
        return None;
    }
    let scheme = url.get(..8)?;
    if !scheme.eq_ignore_ascii_case("https://") {
        return None;
    }
    let rest = url.get(8..)?;
    let end = find_byte(rest, b"/?#").unwrap_or(rest.len());
    let (authority, tail) = (rest.get(..end)?, rest.get(end..)?);
    let path_end = find_byte(tail, b"?#").unwrap_or(tail.len());
    let path = match tail.get(..path_end)? {
        "" => "/",
        p => p,
    };
    let (host, port) = split_authority(authority).ok()?;
    Some(Parts { host, port, path })
}

/// Splits `host[:port]`, normalising the host. The error says what is wrong (used for patterns).
fn split_authority(authority: &str) -> Result<(String, Option<u16>), &'static str> {
    if has_ascii(authority, b'@') {
        return Err("user names or passwords (`user@`) are not allowed");
    }
    // The last `:` by bytes (no str searcher): what follows is the port.
    let (host, port) = match authority.bytes().rposition(|b| b == b':') {
        Some(i) => {
            (authority.get(..i).unwrap_or_default(), Some(parse_port(authority.get(i + 1..).unwrap_or_default())?))
        }
        None => (authority, None),
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    check_host(&host)?;
    Ok((host, port.filter(|p| *p != 443)))
}

fn parse_port(p: &str) -> Result<u16, &'static str> {
    if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the port must be a number from 1 to 65535");
    }
    // At most five digits: no overflow in a u32, and the u16 conversion refuses above 65535.
    let n = p.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    match u16::try_from(n) {
        Ok(0) | Err(_) => Err("the port must be a number from 1 to 65535"),
        Ok(n) => Ok(n),
    }
}

/// A host name of dot-separated ASCII labels (letters, digits, inner `-`), lowercase already.
fn check_host(host: &str) -> Result<(), &'static str> {
    if host.is_empty() {
        return Err("the host is missing");
    }
    if host.len() > 253 {
        return Err("the host is longer than 253 characters");
    }
    if !host.is_ascii() {
        return Err("the host must be ASCII; write an international name in its xn-- form");
    }
    for label in split_ascii(host, b'.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err("the host must be dot-separated labels of letters, digits and inner hyphens");
        }
    }
    Ok(())
}

/// `host` is `base` or a subdomain of it.
fn is_domain_or_sub(host: &str, base: &str) -> bool {
    host == base || host.strip_suffix(base).is_some_and(|head| head.ends_with('.'))
}

/// Whether `word` is one of the space-separated words of `list` (ASCII case-insensitively if
/// `any_case`).
#[inline(never)]
pub(super) fn in_list(list: &str, word: &str, any_case: bool) -> bool {
    split_ascii(list, b' ').any(|w| if any_case { w.eq_ignore_ascii_case(word) } else { w == word })
}

/// The path's segments, with one trailing slash tolerated (`/j/123456789/`), kept in place
/// rather than collected into a Vec.
struct Segments<'a> {
    all: [&'a str; MAX_SEGMENTS],
    len: usize,
}

/// The most segments any built-in rule has; a longer path gives no segments (it matches none).
const MAX_SEGMENTS: usize = 7;

impl<'a> Segments<'a> {
    fn as_slice(&self) -> &[&'a str] {
        self.all.get(..self.len).unwrap_or_default()
    }
}

fn segments(path: &str) -> Segments<'_> {
    let inner = path.strip_prefix('/').unwrap_or(path);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    let mut out = Segments { all: [""; MAX_SEGMENTS], len: 0 };
    for segment in split_ascii(inner, b'/') {
        let Some(slot) = out.all.get_mut(out.len) else {
            out.len = 0;
            return out;
        };
        *slot = segment;
        out.len += 1;
    }
    out
}

/// Matches `url` against the built-in rules, then the custom patterns in order.
///
/// This is `matchMeeting` in JS. Only https URLs with an exact host match count; query strings
/// and fragments are ignored. A URL that cannot be parsed is simply not a meeting (`Ok(None)`).
///
/// # Errors
///
/// `invalidMeeting` (field `customPatterns`) if any custom pattern is invalid, whatever the URL,
/// so that a broken option is noticed rather than silently ignored.
///
/// # Examples
///
/// ```
/// use presence_switch::meeting::{match_meeting, Site};
///
/// let m = match_meeting("https://meet.google.com/ABC-defg-hij?authuser=1", &[]).unwrap().unwrap();
/// assert_eq!((m.site, m.meeting_id.as_str()), (Site::GoogleMeet, "abc-defg-hij"));
/// assert_eq!(match_meeting("https://meet.google.com.example.net/abc-defg-hij", &[]), Ok(None));
///
/// let own = ["https://jitsi.example.org/*".to_string()];
/// let m = match_meeting("https://jitsi.example.org/standup", &own).unwrap().unwrap();
/// assert_eq!((m.site, m.meeting_id.as_str()), (Site::Custom, "jitsi.example.org/standup"));
/// ```
#[inline(never)]
pub fn match_meeting(url: &str, custom_patterns: &[String]) -> Result<Option<MeetingMatch>, PresenceError> {
    // Every pattern is checked first, whatever the URL; the few that there are are parsed again
    // when matched, which takes less wasm than keeping them in a Vec.
    for p in custom_patterns {
        checked_pattern(p, "customPatterns")?;
    }
    let Some(parts) = split_https(url) else {
        return Ok(None);
    };
    if let Some(m) = match_builtin(&parts) {
        return Ok(Some(m));
    }
    let matches = |p: &String| parse_pattern(p).is_ok_and(|p| p.matches_parts(&parts));
    Ok(custom_patterns.iter().any(matches).then(|| MeetingMatch {
        site: Site::Custom,
        meeting_id: match parts.port {
            Some(port) => format!("{}:{}{}", parts.host, decimal(port.into()), parts.path),
            None => format!("{}{}", parts.host, parts.path),
        },
    }))
}

fn found(site: Site, meeting_id: impl Into<String>) -> Option<MeetingMatch> {
    Some(MeetingMatch { site, meeting_id: meeting_id.into() })
}

fn match_builtin(p: &Parts<'_>) -> Option<MeetingMatch> {
    // Built-in sites are served on the default port only.
    if p.port.is_some() {
        return None;
    }
    let host = p.host.as_str();
    if host == "meet.google.com" {
        return meet_code(p.path).and_then(|code| found(Site::GoogleMeet, code));
    }
    if is_domain_or_sub(host, "zoom.us") || is_domain_or_sub(host, "zoomgov.com") {
        return zoom_id(p.path).and_then(|id| found(Site::Zoom, id));
    }
    if host.strip_suffix(".webex.com").is_some_and(|label| !in_list(WEBEX_NON_SITE_HOSTS, label, false)) {
        return webex_id(p.path).and_then(|id| found(Site::Webex, id));
    }
    if host == "meet.jit.si" {
        return jitsi_room(p.path).and_then(|room| found(Site::Jitsi, room));
    }
    let whereby_sub = host.strip_suffix(".whereby.com");
    if is_domain_or_sub(host, "whereby.com")
        && !whereby_sub.is_some_and(|label| in_list(WHEREBY_NON_ROOM_HOSTS, label, false))
    {
        return whereby_room(p.path).and_then(|room| found(Site::Whereby, room));
    }
    None
}

/// `^/[a-z]{3}-[a-z]{4}-[a-z]{3}$`, case-insensitive, returned lowercase. Strict on purpose:
/// `/landing`, `/lookup/...`, `/new` and everything else on the host are not meetings.
fn meet_code(path: &str) -> Option<String> {
    let code = path.strip_prefix('/')?;
    // Twelve bytes: letters, with the dashes at 3 and 8.
    let shape_ok = code.len() == 12
        && code.bytes().enumerate().all(|(i, b)| if i == 3 || i == 8 { b == b'-' } else { b.is_ascii_alphabetic() });
    shape_ok.then(|| code.to_ascii_lowercase())
}

/// Zoom meeting ids are 9–11 digits in practice; we accept 9–12.
fn zoom_digits(s: &str) -> Option<String> {
    ((9..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.to_string())
}

/// Zoom web client `/wc/<id>/join`, `/wc/<id>/start`, `/wc/join/<id>`, and the launch pages
/// `/j/<id>` (join) and `/s/<id>` (host start). `/signin`, `/profile`, `/wc/` etc. are not.
fn zoom_id(path: &str) -> Option<String> {
    match segments(path).as_slice() {
        ["wc", id, "join" | "start"] | ["wc", "join", id] | ["j" | "s", id] => zoom_digits(id),
        _ => None,
    }
}

/// Webex hosts that are not meeting sites (marketing, sign-in, help, admin): the label before
/// `.webex.com`. These lists are space-separated words (see [`in_list`]): one string is smaller
/// in the wasm than a table of them.
const WEBEX_NON_SITE_HOSTS: &str = "www signin idbroker help blog developer admin settings status pricing";

/// Webex on `<site>.webex.com`:
/// - personal rooms `/meet/<name>` and `/join/<name>` (id: the name, lowercased);
/// - classic join links `/<site>/j.php` (id: the site segment; the `MTID` query is not read
///   because queries are ignored);
/// - the web-app join pages `/wbxmjs/joinservice/sites/<site>/meeting/download/<id>` and
///   `/webappng/sites/<site>/meeting/download/<id>` (id: the last segment).
fn webex_id(path: &str) -> Option<String> {
    let word =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    match segments(path).as_slice() {
        ["meet" | "join", name] if word(name) => Some(name.to_ascii_lowercase()),
        [site, "j.php"] if word(site) => Some(site.to_ascii_lowercase()),
        ["wbxmjs", "joinservice", "sites", site, "meeting", "download", id]
        | ["webappng", "sites", site, "meeting", "download", id]
            if word(site) && word(id) =>
        {
            Some(id.to_ascii_lowercase())
        }
        _ => None,
    }
}

/// First path segments on meet.jit.si that are its own files and endpoints, not rooms.
const JITSI_NON_ROOMS: &str =
    "static libs images sounds fonts css lang _api _unlock http-bind xmpp-websocket colibri-ws \
    conference-request room-census about settings";

/// A single path segment that is not a static page. Segments with a dot (`external_api.js`,
/// `config.js`, `favicon.ico`) or starting with `_`/`.` are files or endpoints, never rooms.
fn jitsi_room(path: &str) -> Option<String> {
    match segments(path).as_slice() {
        [room]
            if !room.is_empty()
                && !has_ascii(room, b'.')
                && !room.starts_with('_')
                && !in_list(JITSI_NON_ROOMS, room, true) =>
        {
            Some((*room).to_string())
        }
        _ => None,
    }
}

/// Whereby subdomains that are not organisation room hosts: the label before `.whereby.com`.
const WHEREBY_NON_ROOM_HOSTS: &str = "www docs dev api help status blog";

/// First path segments on whereby.com that are marketing or app pages, not rooms.
const WHEREBY_NON_ROOMS: &str =
    "information user org pricing login signup sign-up register blog about legal privacy terms \
    careers jobs download features embedded customers contact support help api static assets \
    dashboard settings account logout business enterprise education healthcare developers";

/// A single segment of lowercase-able letters, digits, `-` and `_`, not a marketing page.
/// Whereby room names are case-insensitive; the id is lowercased.
fn whereby_room(path: &str) -> Option<String> {
    match segments(path).as_slice() {
        [room]
            if !room.is_empty()
                && !matches!(room.as_bytes().first(), Some(b'-' | b'_'))
                && room.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !in_list(WHEREBY_NON_ROOMS, room, true) =>
        {
            Some(room.to_ascii_lowercase())
        }
        _ => None,
    }
}

/// Checks a custom meeting pattern (syntax on [`CustomPattern`]). This is what the options page
/// calls before saving, and what gives it the host permission to request.
///
/// # Errors
///
/// `invalidMeeting` with field `customPattern`, naming the pattern and what is allowed.
///
/// # Examples
///
/// ```
/// use presence_switch::meeting::validate_pattern;
///
/// let p = validate_pattern("https://*.Video.Example.com./room/*").unwrap();
/// assert_eq!(p.host, "*.video.example.com");
/// assert_eq!(p.permission, "https://*.video.example.com/*");
/// assert!(validate_pattern("http://jitsi.example.org/*").is_err());
/// ```
pub fn validate_pattern(p: &str) -> Result<CustomPattern, PresenceError> {
    checked_pattern(p, "customPattern")
}

/// [`validate_pattern`], refusing with `field` (`customPatterns` when [`match_meeting`] checks
/// the list).
#[inline(never)]
fn checked_pattern(p: &str, field: &'static str) -> Result<CustomPattern, PresenceError> {
    parse_pattern(p).map_err(|why| {
        Kind::InvalidMeeting {
            field,
            reason: format!(
                "pattern {}: {why}; write https://host/path with an exact host or one leading \
             `*.` label, an optional port, and `*` only in the path (e.g. https://*.video.example.com/room/*)",
                quote(p)
            ),
        }
        .into()
    })
}

fn parse_pattern(p: &str) -> Result<CustomPattern, &'static str> {
    if p.len() > MAX_URL_LEN {
        return Err("it is longer than 4096 characters");
    }
    if has_unusable_char(p) {
        return Err("it contains spaces, control characters or backslashes");
    }
    let rest = match p.get(..8) {
        Some(s) if s.eq_ignore_ascii_case("https://") => p.get(8..).unwrap_or(""),
        _ => return Err("it must start with https:// (meetings are only matched over https)"),
    };
    if find_byte(rest, b"?#").is_some() {
        return Err("it must not contain `?` or `#`: query strings and fragments are ignored");
    }
    let Some(slash) = find_byte(rest, b"/") else {
        return Err("the path is missing (add /* to match every page of the host)");
    };
    let (authority, path) = (rest.get(..slash).unwrap_or_default(), rest.get(slash..).unwrap_or_default());
    let (wildcard, authority) = match authority.strip_prefix("*.") {
        Some(a) => (true, a),
        None => (false, authority),
    };
    if has_ascii(authority, b'*') {
        return Err("`*` is only allowed as the whole first label of the host (`*.`) or in the path");
    }
    let (host, port) = split_authority(authority)?;
    if wildcard && find_byte(&host, b".").is_none() {
        return Err("a wildcard host needs at least two labels after `*.`");
    }
    let host = if wildcard { format!("*.{host}") } else { host };
    let origin = match port {
        Some(port) => format!("https://{host}:{}", decimal(port.into())),
        None => format!("https://{host}"),
    };
    Ok(CustomPattern {
        pattern: format!("{origin}{path}"),
        permission: format!("{origin}/*"),
        host,
        port,
        path: path.to_string(),
    })
}

impl CustomPattern {
    /// Whether `url` (an https URL) matches this pattern. Non-https and unparsable URLs never do.
    pub fn matches(&self, url: &str) -> bool {
        split_https(url).is_some_and(|parts| self.matches_parts(&parts))
    }

    fn matches_parts(&self, parts: &Parts<'_>) -> bool {
        let host_ok = match self.host.strip_prefix("*.") {
            Some(base) => is_domain_or_sub(&parts.host, base),
            None => parts.host == self.host,
        };
        host_ok && parts.port == self.port && glob_match(self.path.as_bytes(), parts.path.as_bytes())
    }
}

/// `*` matches any run of bytes (including `/`); everything else matches itself. Iterative
/// matching with a single backtrack point: no recursion, at worst pattern × text steps.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if Some(c) == text.get(t) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern.get(p..).is_some_and(|rest| rest.iter().all(|b| *b == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_match_whole_words_only() {
        let none = |url: &str| assert_eq!(match_meeting(url, &[]), Ok(None), "{url}");
        for host in ["www", "signin", "idbroker", "help", "blog", "developer", "admin", "settings", "status", "pricing"]
        {
            none(&format!("https://{host}.webex.com/meet/alice"));
        }
        for host in ["www", "docs", "dev", "api", "help", "status", "blog"] {
            none(&format!("https://{host}.whereby.com/standup"));
        }
        none("https://meet.jit.si/Static");
        none("https://meet.jit.si/room-census");
        none("https://whereby.com/Pricing");
        none("https://whereby.com/developers");
        let site = |url: &str| match_meeting(url, &[]).ok().flatten().map(|m| (m.site, m.meeting_id));
        assert_eq!(site("https://sign.webex.com/meet/Alice"), Some((Site::Webex, "alice".into())));
        assert_eq!(site("https://x.www.webex.com/meet/alice"), Some((Site::Webex, "alice".into())));
        assert_eq!(site("https://acme.whereby.com/standup"), Some((Site::Whereby, "standup".into())));
        assert_eq!(site("https://meet.jit.si/stat"), Some((Site::Jitsi, "stat".into())));
        assert_eq!(site("https://whereby.com/price"), Some((Site::Whereby, "price".into())));
        assert!(!in_list(WHEREBY_NON_ROOMS, "", true));
    }

    #[test]
    fn meet_codes_are_three_four_three_letters() {
        assert_eq!(meet_code("/ABC-defg-hij").as_deref(), Some("abc-defg-hij"));
        for bad in [
            "/abc-defg-hi",
            "/abcd-efg-hij",
            "/abc-defg-hij-",
            "/ab1-defg-hij",
            "/abc--efg-hij",
            "/abc-defg-h\u{ef}j",
            "/abc_defg_hij",
            "abc-defg-hij",
            "/",
        ] {
            assert_eq!(meet_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn glob_matches_like_a_shell_star() {
        assert!(glob_match(b"/*", b"/"));
        assert!(glob_match(b"/room/*", b"/room/a/b"));
        assert!(!glob_match(b"/room/*", b"/rooms"));
        assert!(glob_match(b"/*/x*y", b"/a/b/xzzy"));
        assert!(!glob_match(b"/a", b"/ab"));
        assert!(glob_match(b"/a**", b"/a"));
    }
}
