//! The presence model of one user (graph-presence.md §2–§5).
//!
//! - Sessions: one per application `sessionId` (setPresence) plus simulated Teams clients.
//! - An app session at `Available` fades to `Available/AvailableInactive` 5 minutes after its last
//!   refresh and to `Away/Away` 10 minutes after it; a session at or past its expiry is gone.
//!   Teams clients keep themselves refreshed: they neither fade nor expire.
//! - Preferred presence (setUserPreferredPresence) wins over sessions while it has not expired,
//!   but only when at least one session exists; with no session the user is `Offline/Offline`.
//! - Among sessions: DoNotDisturb > Busy > Available > BeRightBack > Away. The docs rank only
//!   DoNotDisturb > Busy > Available > Away; BeRightBack is an explicit form of Away, so it is
//!   placed just above Away (our reading). Ties go to an active state, then the latest refresh.
//! - `sequenceNumber` is a zero-padded counter (lexicographically sortable). It changes on every
//!   write and whenever an observation finds that time has changed the state (a fade, an expiry).

use serde_json::{json, Value};

pub const FADE_INACTIVE_MS: i64 = 5 * 60 * 1000;
pub const FADE_AWAY_MS: i64 = 10 * 60 * 1000;
pub const DAY_MS: i64 = 86_400_000;

/// The six availability/activity pairs setUserPreferredPresence accepts (§2).
pub const PREFERRED_PAIRS: [(&str, &str); 6] = [
    ("Available", "Available"),
    ("Busy", "Busy"),
    ("DoNotDisturb", "DoNotDisturb"),
    ("BeRightBack", "BeRightBack"),
    ("Away", "Away"),
    ("Offline", "OffWork"),
];

/// The five pairs setPresence accepts (§3).
pub const SESSION_PAIRS: [(&str, &str); 5] = [
    ("Available", "Available"),
    ("Busy", "InACall"),
    ("Busy", "InAConferenceCall"),
    ("Away", "Away"),
    ("DoNotDisturb", "Presenting"),
];

/// Availabilities a simulated Teams client can show, with their default activity.
pub const TEAMS_CLIENT_STATES: [&str; 5] = ["Available", "Busy", "DoNotDisturb", "Away", "BeRightBack"];

/// Activities a Teams client may report next to its availability (Teams state table, §4).
pub const TEAMS_CLIENT_PAIRS: [(&str, &str); 10] = [
    ("Available", "Available"),
    ("Busy", "Busy"),
    ("Busy", "InACall"),
    ("Busy", "InAConferenceCall"),
    ("Busy", "InAMeeting"),
    ("DoNotDisturb", "DoNotDisturb"),
    ("DoNotDisturb", "Presenting"),
    ("Away", "Away"),
    ("BeRightBack", "BeRightBack"),
    ("Available", "OutOfOffice"),
];

/// Default preferred-presence expiry when `expirationDuration` is omitted (§2).
pub fn default_preferred_ms(availability: &str) -> i64 {
    match availability {
        "Busy" | "DoNotDisturb" => DAY_MS,
        _ => 7 * DAY_MS,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    App,
    TeamsClient,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub session_id: String,
    pub kind: Kind,
    pub availability: String,
    pub activity: String,
    pub last_refresh_ms: i64,
    pub expires_at_ms: Option<i64>,
}

impl Session {
    /// The state this session shows at `now`, after fading.
    pub fn effective(&self, now: i64) -> (String, String) {
        if self.kind == Kind::App && self.availability == "Available" {
            let idle = now - self.last_refresh_ms;
            if idle >= FADE_AWAY_MS {
                return ("Away".into(), "Away".into());
            }
            if idle >= FADE_INACTIVE_MS {
                return ("Available".into(), "AvailableInactive".into());
            }
        }
        (self.availability.clone(), self.activity.clone())
    }
}

#[derive(Clone, Debug)]
pub struct Preferred {
    pub availability: String,
    pub activity: String,
    pub set_at_ms: i64,
    pub expires_at_ms: i64,
}

#[derive(Clone, Debug)]
pub struct StatusMessage {
    /// The `statusMessage` object as it is read back (message, expiryDateTime, publishedDateTime).
    pub value: Value,
    pub expires_at_ms: Option<i64>,
    pub published_ms: i64,
}

#[derive(Debug, Default)]
pub struct Presence {
    pub sessions: Vec<Session>,
    pub preferred: Option<Preferred>,
    pub status_message: Option<StatusMessage>,
    counter: u64,
    fingerprint: String,
}

fn rank(availability: &str) -> u8 {
    match availability {
        "DoNotDisturb" => 5,
        "Busy" => 4,
        "Available" => 3,
        "BeRightBack" => 2,
        "Away" => 1,
        _ => 0,
    }
}

impl Presence {
    pub fn new() -> Self {
        Presence { counter: 1, ..Default::default() }
    }

    /// Drops what has expired at `now`.
    fn purge(&mut self, now: i64) {
        self.sessions.retain(|s| s.expires_at_ms.is_none_or(|e| now < e));
        if self.preferred.as_ref().is_some_and(|p| now >= p.expires_at_ms) {
            self.preferred = None;
        }
        if self.status_message.as_ref().is_some_and(|m| m.expires_at_ms.is_some_and(|e| now >= e)) {
            self.status_message = None;
        }
    }

    /// The aggregated availability and activity at `now` (call after `purge`).
    fn aggregate(&self, now: i64) -> (String, String) {
        if self.sessions.is_empty() {
            return ("Offline".into(), "Offline".into());
        }
        if let Some(p) = &self.preferred {
            return (p.availability.clone(), p.activity.clone());
        }
        let mut best: Option<(u8, bool, i64, (String, String))> = None;
        for s in &self.sessions {
            let eff = s.effective(now);
            let key = (rank(&eff.0), eff.1 != "AvailableInactive", s.last_refresh_ms);
            let better = match &best {
                None => true,
                Some((r, a, t, _)) => key > (*r, *a, *t),
            };
            if better {
                best = Some((key.0, key.1, key.2, eff));
            }
        }
        best.map(|b| b.3).unwrap_or_else(|| ("Offline".into(), "Offline".into()))
    }

    fn compute_fingerprint(&self, now: i64) -> String {
        let agg = self.aggregate(now);
        let mut fp = format!("{}/{}", agg.0, agg.1);
        for s in &self.sessions {
            let e = s.effective(now);
            fp.push_str(&format!("|{}={}/{}", s.session_id, e.0, e.1));
        }
        if let Some(p) = &self.preferred {
            fp.push_str(&format!("|pref={}/{}", p.availability, p.activity));
        }
        if let Some(m) = &self.status_message {
            fp.push_str(&format!("|msg={}", m.published_ms));
        }
        fp
    }

    /// Brings the state up to `now`: expiries, fades and the sequence number.
    pub fn observe(&mut self, now: i64) {
        self.purge(now);
        let fp = self.compute_fingerprint(now);
        if fp != self.fingerprint {
            self.counter += 1;
            self.fingerprint = fp;
        }
    }

    /// Records that a write changed the stored state: always a new sequence number.
    pub fn changed(&mut self, now: i64) {
        self.purge(now);
        self.counter += 1;
        self.fingerprint = self.compute_fingerprint(now);
    }

    pub fn sequence_number(&self) -> String {
        format!("{:020}", self.counter)
    }

    /// Aggregated state at `now`; call `observe(now)` first.
    pub fn current(&self, now: i64) -> (String, String) {
        self.aggregate(now)
    }

    pub fn set_session(
        &mut self,
        now: i64,
        session_id: &str,
        kind: Kind,
        availability: &str,
        activity: &str,
        expires_at_ms: Option<i64>,
    ) {
        self.purge(now);
        let s = Session {
            session_id: session_id.to_string(),
            kind,
            availability: availability.to_string(),
            activity: activity.to_string(),
            last_refresh_ms: now,
            expires_at_ms,
        };
        match self.sessions.iter_mut().find(|x| x.session_id == session_id && x.kind == kind) {
            Some(existing) => *existing = s,
            None => self.sessions.push(s),
        }
        self.changed(now);
    }

    /// Removes a session; false when there was none.
    pub fn remove_session(&mut self, now: i64, session_id: &str, kind: Kind) -> bool {
        self.purge(now);
        let before = self.sessions.len();
        self.sessions.retain(|s| !(s.session_id == session_id && s.kind == kind));
        let removed = self.sessions.len() != before;
        if removed {
            self.changed(now);
        }
        removed
    }

    pub fn set_preferred(&mut self, now: i64, availability: &str, activity: &str, ttl_ms: i64) {
        self.preferred = Some(Preferred {
            availability: availability.to_string(),
            activity: activity.to_string(),
            set_at_ms: now,
            expires_at_ms: now.saturating_add(ttl_ms),
        });
        self.changed(now);
    }

    pub fn clear_preferred(&mut self, now: i64) {
        self.preferred = None;
        self.changed(now);
    }

    pub fn set_status_message(&mut self, now: i64, msg: Option<StatusMessage>) {
        self.status_message = msg;
        self.changed(now);
    }

    /// `/_sim/state` view; call `observe(now)` first.
    pub fn state_json(&self, now: i64) -> Value {
        let (availability, activity) = self.current(now);
        let sessions: Vec<Value> = self
            .sessions
            .iter()
            .map(|s| {
                let (ea, eact) = s.effective(now);
                json!({
                    "sessionId": s.session_id,
                    "kind": match s.kind { Kind::App => "app", Kind::TeamsClient => "teamsClient" },
                    "availability": s.availability,
                    "activity": s.activity,
                    "effectiveAvailability": ea,
                    "effectiveActivity": eact,
                    "lastRefreshMs": s.last_refresh_ms,
                    "expiresAtMs": s.expires_at_ms,
                })
            })
            .collect();
        json!({
            "presence": {
                "availability": availability,
                "activity": activity,
                "sequenceNumber": self.sequence_number(),
            },
            "preferred": self.preferred.as_ref().map(|p| json!({
                "availability": p.availability,
                "activity": p.activity,
                "expiresAtMs": p.expires_at_ms,
                "setAtMs": p.set_at_ms,
            })),
            "sessions": sessions,
            "statusMessage": self.status_message.as_ref().map(|m| {
                let mut v = m.value.clone();
                if let Value::Object(o) = &mut v {
                    o.insert("expiresAtMs".into(), json!(m.expires_at_ms));
                }
                v
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn fading_timeline() {
        let mut p = Presence::new();
        p.set_session(0, "app", Kind::App, "Available", "Available", Some(60 * MIN));
        let table = [
            (0, "Available", "Available"),
            (5 * MIN - 1, "Available", "Available"),
            (5 * MIN, "Available", "AvailableInactive"),
            (10 * MIN - 1, "Available", "AvailableInactive"),
            (10 * MIN, "Away", "Away"),
            (60 * MIN - 1, "Away", "Away"),
            (60 * MIN, "Offline", "Offline"),
        ];
        let mut last_seq = p.sequence_number();
        for (t, a, act) in table {
            p.observe(t);
            assert_eq!(p.current(t), (a.to_string(), act.to_string()), "at {t}");
            assert!(p.sequence_number() >= last_seq);
            last_seq = p.sequence_number();
        }
    }

    #[test]
    fn sequence_changes_on_first_observation_of_fade_only() {
        let mut p = Presence::new();
        p.set_session(0, "app", Kind::App, "Available", "Available", Some(60 * MIN));
        p.observe(MIN);
        let s1 = p.sequence_number();
        p.observe(2 * MIN);
        assert_eq!(p.sequence_number(), s1);
        p.observe(6 * MIN);
        let s2 = p.sequence_number();
        assert!(s2 > s1);
        p.observe(7 * MIN);
        assert_eq!(p.sequence_number(), s2);
    }
}
