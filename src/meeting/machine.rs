//! The meeting auto-set state machine: `meetingStep(state, event, nowMs) -> { state, effects }`.
//!
//! # Model
//!
//! The machine is pure: the shell feeds it events, performs the effects it returns, and stores the
//! returned state as-is (see [`MeetingState`]). It keeps two things apart:
//!
//! - the **intent**: are meeting tabs open (`tabs` non-empty), and has the user taken over;
//! - the **server side**: the [`Phase`], i.e. what we know we (may) have written to Graph.
//!
//! Every step first applies the event to the intent, then reconciles the phase with it, then
//! emits at most one request. **Exactly one request is in flight at a time** (`inFlight`): the
//! next one is emitted only after the previous one's answer (`presenceRead` / `requestResult`), a
//! `retryDue`, or a `workerStart`/`browserStart` that declares it lost. Events that arrive while a
//! request is in flight only change the intent; when the answer comes, the phase moves on from
//! there. So a join followed by a leave while the snapshot read is still failing sends nothing at
//! all, and nothing is ever applied twice.
//!
//! # Lifecycle
//!
//! 1. First meeting tab: `readPresence{purpose:"snapshot"}`.
//! 2. On `presenceRead`: if the user already shows `Busy`, `DoNotDisturb` (any activity: in a
//!    Teams call, presenting, in a meeting, or a manual choice) or `Offline` (appear offline, or
//!    not signed in to Teams, where a preferred presence would not show anyway), we set nothing
//!    and keep our hands off for this meeting. Otherwise `setPreferredPresence{status, status,
//!    safetyExpiry}`. We do not upgrade Busy to DoNotDisturb: the Busy may be a manual choice that
//!    Graph gives us no way to restore afterwards.
//! 3. If the snapshot read fails it is retried with backoff for as long as the meeting lasts; we
//!    never set blind. A blind set could replace a deliberate DoNotDisturb or appear-offline that
//!    we would then clear at the end, and reads and writes go to the same Graph host, so when
//!    reads fail a set would most likely fail too.
//! 4. More tabs join: nothing happens. A tab navigating to another meeting stays counted; one
//!    navigating to a non-meeting page leaves.
//! 5. Last tab gone (leave, close, navigate away, tab missing at `workerStart`, `browserStart`): if
//!    we set something, `readPresence{purpose:"beforeRestore"}`. If it shows exactly what we set,
//!    or exactly what the snapshot showed before we set it (our set has not shown yet, or the
//!    user put back what they had: both mean "put back what was there"), restore; anything else
//!    means the user changed it in Teams, and we leave it alone.
//! 6. Restore: Graph cannot tell us whether a preferred presence existed before the meeting, so
//!    the shell tells us what *our extension* last set via the popup (`ownPreferred` on the join
//!    that starts the meeting, read from `chrome.storage.local`, only if still unexpired). If that
//!    is still unexpired at restore time, `restorePreferredPresence` with its remaining time,
//!    rounded up to the minute; otherwise `clearPreferredPresence` and Teams goes back to
//!    automatic presence. **Limitation:** a preferred presence the user set in Teams itself
//!    before the meeting is not known to us and is cleared, not restored.
//! 7. `userChanged` (the user picked a status in our popup or with the shortcut) during a meeting:
//!    hands off until the meeting ends; no restore, no read.
//! 8. Safety expiry: our set carries `safetyExpiry` (default `PT4H`), so a crash can never leave
//!    a stale status for days. Once `nowMs` passes it, Graph has dropped it by itself, so we forget
//!    it and never "restore" over whatever the user has by then. A meeting longer than the safety
//!    expiry therefore returns to automatic presence at that point.
//!
//! # Failures, retries, restarts
//!
//! - **Writes are only ever emitted in the same step as the successful read that justified
//!   them** (snapshot → set, beforeRestore → clear/restore). Only reads are retried: a failed
//!   write (`requestResult{ok:false}`) goes back to reading, so a retry can never overwrite a
//!   status the user picked in Teams while we were waiting.
//! - A failure schedules `scheduleRetry{atMs}` with exponential backoff 2 s, 4 s, 8 s … capped
//!   at 5 min; a `retryAfterMs` (429/503 `Retry-After`) is honoured instead, capped at 10 min.
//!   The retry sends whatever the phase needs *then* (if the meeting ended meanwhile, that may
//!   be nothing at all). Any event at or after `atMs` also sends it, so a lost alarm only delays,
//!   never blocks.
//! - A write that failed with an HTTP 4xx `status` was certainly not applied. One that failed
//!   without a status (network, timeout) or with a 5xx may have been applied: the next read
//!   tells. If it shows our status, we hold it (nothing is applied twice); if it shows what was
//!   there before, we set again; anything else was picked by someone else during the wait, and
//!   we keep our hands off. If the meeting ended meanwhile, we check and restore as usual. The
//!   same applies to a rejoin while we were checking or restoring at the end of a meeting.
//! - `workerStart{liveTabIds}`: drops records of tabs that no longer exist (running the leave path
//!   if none remain), and re-issues the request that was in flight when the worker died, whose
//!   answer was lost. A read is re-sent as is. A write is preceded by a fresh read (the worker
//!   may have been gone for minutes) and re-sent only if that read still calls for it; re-sending
//!   is safe because setUserPreferredPresence and clearUserPreferredPresence are idempotent.
//! - `browserStart{}`: no tab id survives a browser restart, so every tab record is stale; they
//!   are all dropped and the leave path runs if we had set something. For this to work the shell
//!   must keep the state in `chrome.storage.local` (not only `session`, which a browser restart
//!   clears).
//!
//! # Shell contract
//!
//! - Persist the returned `state` after every step, before performing the effects.
//! - Report the answer of every request effect: `presenceRead` for a successful read,
//!   `requestResult{request:"read", ok:false}` for a failed one, `requestResult{request:"set" |
//!   "restore", ok}` for writes (`restore` covers both clear and restore effects). Answers that do
//!   not match the request in flight are ignored.
//! - Send the popup's own writes through the same queue as these effects, and `userChanged`
//!   after such a write succeeded, so that our set and the user's choice cannot race.
//! - Keep one alarm for `scheduleRetry` (a later one replaces it) and send `retryDue` when it
//!   fires. Chrome fires alarms no sooner than 30 s after they are set; that only delays a retry.
//!   A `retryDue` with nothing to retry is ignored.
//! - Do not store our meeting set as `ownPreferred`: that record is only the popup's.

use serde::{Deserialize, Serialize};

use crate::value::{pick, FromValue, Obj, Value};

use super::url::Site;
use super::wire::{WireInFlight, WirePhase};
use crate::availability::PREFERRED_PAIRS;
use crate::duration::Duration;
use crate::error::{decimal, quote, show_number, Kind, PresenceError};

/// The status we show during meetings. Serialised in Graph's spelling, `"Busy"` or
/// `"DoNotDisturb"`; the activity is the same word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum MeetingStatus {
    /// Busy/Busy (the default).
    #[default]
    Busy,
    /// DoNotDisturb/DoNotDisturb.
    DoNotDisturb,
}

impl MeetingStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Busy => "Busy",
            Self::DoNotDisturb => "DoNotDisturb",
        }
    }
}

/// Auto-set settings, changed with the `configure` event; they apply to the next request sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingConfig {
    /// What to show during a meeting. Default `Busy`.
    pub status: MeetingStatus,
    /// Expiry of our meeting status, in seconds: 300 (PT5M) to 86400 (P1D). Default 14400 (PT4H).
    pub safety_expiry_seconds: u32,
}

/// Default safety expiry: 4 hours.
pub const DEFAULT_SAFETY_EXPIRY_SECONDS: u32 = 4 * 3600;
const MIN_SAFETY_EXPIRY_SECONDS: u32 = 5 * 60;
const MAX_SAFETY_EXPIRY_SECONDS: u32 = 24 * 3600;

impl Default for MeetingConfig {
    fn default() -> Self {
        Self { status: MeetingStatus::Busy, safety_expiry_seconds: DEFAULT_SAFETY_EXPIRY_SECONDS }
    }
}

/// An availability/activity pair as `GET /me/presence` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Presence {
    /// e.g. `Available`, `Busy`, `DoNotDisturb`, `Away`, `BeRightBack`, `Offline`.
    pub availability: String,
    /// e.g. `Available`, `InACall`, `Presenting`, `OffWork`.
    pub activity: String,
}

impl Presence {
    fn same(&self, availability: &str, activity: &str) -> bool {
        self.availability.eq_ignore_ascii_case(availability) && self.activity.eq_ignore_ascii_case(activity)
    }

    /// Already at least as "do not interrupt" as any status we would set, or deliberately
    /// offline: we do not touch it.
    fn leave_alone(&self) -> bool {
        super::url::in_list("Busy BusyIdle DoNotDisturb Offline", &self.availability, true)
    }
}

/// What our extension itself last set as preferred presence (from the popup), as the shell keeps
/// it in `chrome.storage.local`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnPreferred {
    /// One of the six preferred pairs.
    pub availability: String,
    /// The activity of that pair.
    pub activity: String,
    /// When Graph expires it, in ms since the epoch.
    pub expires_at_ms: f64,
}

/// A status we set (or may have set: a failed or lost attempt).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ours {
    /// What we set: `Busy` or `DoNotDisturb`.
    pub availability: String,
    /// Same as the availability.
    pub activity: String,
    /// Our safety expiry, counted from when we sent it (Graph's runs from when it arrived, so
    /// it is never earlier than this).
    pub expires_at_ms: f64,
    /// What the snapshot read showed before we set it.
    pub before: Presence,
}

impl Ours {
    fn shown_in(&self, p: &Presence) -> bool {
        p.same(&self.availability, &self.activity)
    }
}

/// One meeting tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTab {
    /// The browser's tab id (a non-negative integer).
    pub tab_id: i64,
    /// The site the tab's meeting is on.
    pub site: Site,
    /// The meeting's id, as `match_meeting` gave it.
    pub meeting_id: String,
    /// When the tab joined (ms since the epoch).
    pub joined_at_ms: f64,
}

/// Where we are with Graph. JSON: `{ "type": "idle" }`, `{ "type": "snapshot", "resume": … }`, …
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(into = "WirePhase")]
pub enum Phase {
    /// Nothing of ours to manage.
    #[default]
    Idle,
    /// In a meeting; reading presence to decide whether to set.
    ///
    /// `resume` is our status when it may still be shown (a set whose answer failed or was lost,
    /// a rejoin while we were checking or restoring): if the read shows it, we keep it. `before`
    /// is what the snapshot showed before a set that the server refused (4xx). In both cases a
    /// read showing neither ours nor what was there before means someone else picked a status
    /// meanwhile, and we keep our hands off.
    Snapshot {
        /// Our status, possibly still shown.
        resume: Option<Ours>,
        /// What was there before our refused set.
        #[serde(default)]
        before: Option<Presence>,
    },
    /// In a meeting; our set is in flight (it is only ever sent right after the read that
    /// justified it).
    Setting {
        /// What the snapshot showed.
        before: Presence,
    },
    /// In a meeting; nothing to send. `ours` is what we set, or `null` for hands off (the user
    /// already had a strong status, changed it themselves, or ours expired).
    Holding {
        /// Our status, if we hold one.
        ours: Option<Ours>,
    },
    /// The meeting ended; reading presence to see whether ours is still shown.
    Checking {
        /// What we set.
        ours: Ours,
    },
    /// The meeting ended and ours is still shown: the clear or restore is in flight (sent right
    /// after the read that showed ours).
    Restoring {
        /// What we set.
        ours: Ours,
    },
}

/// The request awaiting its answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(into = "WireInFlight")]
pub enum InFlight {
    /// A `readPresence` effect.
    Read,
    /// A `setPreferredPresence` effect and the status it sets.
    Set {
        /// What this attempt sets.
        ours: Ours,
    },
    /// A `clearPreferredPresence` or `restorePreferredPresence` effect.
    Restore,
}

/// The whole machine state, a plain JSON object the shell stores as-is (in
/// `chrome.storage.local`, so that `browserStart` can clean up after a restart). Every field
/// has a default, so `{}` and JSON `null` (see [`meeting_step`]) are the empty state.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingState {
    /// Settings.
    pub config: MeetingConfig,
    /// Open meeting tabs (in-call, not lobbies: the shell sends `join` when the call starts).
    pub tabs: Vec<MeetingTab>,
    /// Where we are with Graph.
    pub phase: Phase,
    /// The popup's own preferred presence when this meeting started, to restore afterwards.
    pub own_preferred: Option<OwnPreferred>,
    /// The request awaiting its answer.
    pub in_flight: Option<InFlight>,
    /// When the next request may be sent after a failure (ms since the epoch).
    pub retry_at_ms: Option<f64>,
    /// Consecutive failures, for the backoff; reset by any success.
    pub failures: u32,
}

/// A meeting that a tab is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TabMeeting {
    /// The site.
    pub site: Site,
    /// The meeting id.
    pub meeting_id: String,
}

/// Which request a `requestResult` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RequestKind {
    /// `readPresence`.
    Read,
    /// `setPreferredPresence`.
    Set,
    /// `clearPreferredPresence` or `restorePreferredPresence`.
    Restore,
}

/// What happened. JSON: `{ "type": "join", "tabId": 3, … }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum MeetingEvent {
    /// Change the settings. Absent fields keep their value.
    Configure {
        /// `"Busy"` or `"DoNotDisturb"`.
        status: Option<MeetingStatus>,
        /// An ISO 8601 duration from `PT5M` to `P1D`, e.g. `"PT4H"`.
        safety_expiry: Option<String>,
    },
    /// A tab is in a meeting call (not the lobby).
    Join {
        /// The tab.
        tab_id: i64,
        /// From `match_meeting`.
        site: Site,
        /// From `match_meeting`.
        meeting_id: String,
        /// What our popup last set, if still unexpired (used only if this join starts the
        /// meeting).
        #[serde(default)]
        own_preferred: Option<OwnPreferred>,
    },
    /// A tab left its call (the page says so).
    Leave {
        /// The tab.
        tab_id: i64,
    },
    /// A tab was closed.
    TabClosed {
        /// The tab.
        tab_id: i64,
    },
    /// A tab navigated: to another meeting (still in a meeting) or away (`null`: a leave).
    TabNavigated {
        /// The tab.
        tab_id: i64,
        /// The meeting the tab is now on, or `null`.
        #[serde(default)]
        meeting: Option<TabMeeting>,
    },
    /// The answer to a `readPresence` effect.
    PresenceRead {
        /// As Graph returned it.
        availability: String,
        /// As Graph returned it.
        activity: String,
    },
    /// The outcome of a request effect (for reads, only failures: a success is `presenceRead`).
    RequestResult {
        /// Which request.
        request: RequestKind,
        /// Whether it succeeded (any 2xx).
        ok: bool,
        /// The server's Retry-After, in ms, if it gave one.
        #[serde(default)]
        retry_after_ms: Option<f64>,
        /// The HTTP status, if there was a response.
        #[serde(default)]
        status: Option<u16>,
    },
    /// The service worker (re)started; these tabs exist.
    WorkerStart {
        /// Ids of all tabs that exist now.
        live_tab_ids: Vec<i64>,
    },
    /// The browser started: no earlier tab exists any more.
    BrowserStart {},
    /// The retry alarm fired.
    RetryDue {},
    /// The user set a status in our popup or with the shortcut.
    UserChanged {},
}

/// Why a presence read is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReadPurpose {
    /// Before setting our status, to know what to put back.
    Snapshot,
    /// Before restoring, to see whether ours is still shown.
    BeforeRestore,
}

/// Something for the shell to do. JSON: `{ "type": "setPreferredPresence", … }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Effect {
    /// `GET /me/presence`; answer with `presenceRead` or `requestResult{request:"read"}`.
    ReadPresence {
        /// Why.
        purpose: ReadPurpose,
    },
    /// `POST /me/presence/setUserPreferredPresence`; answer with `requestResult{request:"set"}`.
    SetPreferredPresence {
        /// `Busy` or `DoNotDisturb`.
        availability: String,
        /// Same as the availability.
        activity: String,
        /// Canonical ISO 8601 duration, e.g. `PT4H`.
        expiration: String,
    },
    /// `POST /me/presence/clearUserPreferredPresence`; answer with `requestResult{request:"restore"}`.
    ClearPreferredPresence {},
    /// `setUserPreferredPresence` with the popup's earlier status and its remaining time;
    /// answer with `requestResult{request:"restore"}`.
    RestorePreferredPresence {
        /// The earlier availability.
        availability: String,
        /// The earlier activity.
        activity: String,
        /// Remaining time, rounded up to the minute, canonical ISO 8601.
        expiration: String,
    },
    /// Set the retry alarm for `atMs` (replacing any earlier one); send `retryDue` then.
    ScheduleRetry {
        /// ms since the epoch.
        at_ms: f64,
    },
    /// Show (or hide) the "in a meeting" badge; emitted when that changes and on every start.
    Badge {
        /// Whether meeting tabs are open.
        active: bool,
    },
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StepOutput {
    /// Store this as-is.
    pub state: MeetingState,
    /// Perform these in order.
    pub effects: Vec<Effect>,
}

/// First retry delay.
impl FromValue for MeetingStatus {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        pick(v, &["Busy", "DoNotDisturb"], &[Self::Busy, Self::DoNotDisturb])
    }
}

impl FromValue for RequestKind {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        pick(v, &["read", "set", "restore"], &[Self::Read, Self::Set, Self::Restore])
    }
}

impl FromValue for MeetingConfig {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["status", "safetyExpirySeconds"])?;
        let d = MeetingConfig::default();
        Ok(MeetingConfig {
            status: o.or("status", d.status)?,
            safety_expiry_seconds: o.or("safetyExpirySeconds", d.safety_expiry_seconds)?,
        })
    }
}

impl FromValue for Presence {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["availability", "activity"])?;
        Ok(Presence { availability: o.req("availability")?, activity: o.req("activity")? })
    }
}

impl FromValue for OwnPreferred {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["availability", "activity", "expiresAtMs"])?;
        Ok(OwnPreferred {
            availability: o.req("availability")?,
            activity: o.req("activity")?,
            expires_at_ms: o.req("expiresAtMs")?,
        })
    }
}

impl FromValue for Ours {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["availability", "activity", "expiresAtMs", "before"])?;
        Ok(Ours {
            availability: o.req("availability")?,
            activity: o.req("activity")?,
            expires_at_ms: o.req("expiresAtMs")?,
            before: o.req("before")?,
        })
    }
}

impl FromValue for MeetingTab {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["tabId", "site", "meetingId", "joinedAtMs"])?;
        Ok(MeetingTab {
            tab_id: o.req("tabId")?,
            site: o.req("site")?,
            meeting_id: o.req("meetingId")?,
            joined_at_ms: o.req("joinedAtMs")?,
        })
    }
}

impl FromValue for TabMeeting {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["site", "meetingId"])?;
        Ok(TabMeeting { site: o.req("site")?, meeting_id: o.req("meetingId")? })
    }
}

impl FromValue for MeetingState {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["config", "tabs", "phase", "ownPreferred", "inFlight", "retryAtMs", "failures"])?;
        Ok(MeetingState {
            config: o.or_default("config")?,
            tabs: o.or_default("tabs")?,
            phase: o.or_default("phase")?,
            own_preferred: o.opt("ownPreferred")?,
            in_flight: o.opt("inFlight")?,
            retry_at_ms: o.opt("retryAtMs")?,
            failures: o.or_default("failures")?,
        })
    }
}

crate::deserialize_via_value!(
    MeetingStatus,
    RequestKind,
    MeetingConfig,
    Presence,
    OwnPreferred,
    Ours,
    MeetingTab,
    TabMeeting,
    MeetingState,
    Phase,
    InFlight,
    MeetingEvent
);

const BACKOFF_BASE_MS: f64 = 2_000.0;
/// Longest backoff delay.
const BACKOFF_CAP_MS: f64 = 300_000.0;
/// Longest Retry-After we wait for.
const RETRY_AFTER_CAP_MS: f64 = 600_000.0;
/// JS `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Advances the meeting machine by one event. This is `meetingStep(state, event, nowMs)` in JS.
///
/// `state` is what the previous step returned, or `None` (JSON `null`/`undefined`) for the empty
/// state. The step is total: every well-formed input gives a result, and it never panics.
///
/// # Errors
///
/// `invalidMeeting` for garbage: `now_ms` not a finite non-negative number, a tab id that is
/// negative or above 2^53 − 1, duplicate tab ids, non-finite times, empty or overlong ids and
/// presence strings, a status outside 100–599, a stored state whose pairs are not preferred
/// pairs. `invalidDuration` / `durationOutOfRange` for a `configure` safety expiry that is not an
/// ISO 8601 duration from PT5M to P1D.
///
/// # Examples
///
/// ```
/// use presence_switch::meeting::{meeting_step, Effect, MeetingEvent, ReadPurpose, Site};
///
/// let join = MeetingEvent::Join {
///     tab_id: 7,
///     site: Site::GoogleMeet,
///     meeting_id: "abc-defg-hij".into(),
///     own_preferred: None,
/// };
/// let out = meeting_step(None, join, 1_000.0).unwrap();
/// assert!(out.effects.contains(&Effect::ReadPresence { purpose: ReadPurpose::Snapshot }));
///
/// let read = MeetingEvent::PresenceRead { availability: "Available".into(), activity: "Available".into() };
/// let out = meeting_step(Some(out.state), read, 2_000.0).unwrap();
/// assert_eq!(
///     out.effects,
///     [Effect::SetPreferredPresence {
///         availability: "Busy".into(),
///         activity: "Busy".into(),
///         expiration: "PT4H".into(),
///     }]
/// );
/// ```
#[inline(never)]
pub fn meeting_step(
    state: Option<MeetingState>,
    event: MeetingEvent,
    now_ms: f64,
) -> Result<StepOutput, PresenceError> {
    // The only `?` while `state` and `event` are owned: one copy of their drop glue.
    let safety_expiry_seconds = check_step(state.as_ref(), &event, now_ms)?;
    let mut s = state.unwrap_or_default();

    let mut effects = Vec::new();
    let was_active = !s.tabs.is_empty();
    let mut force = false;
    let mut restart = false;
    let mut just_read = false;

    s.forget_expired(now_ms);
    match event {
        MeetingEvent::Configure { status, .. } => {
            if let Some(seconds) = safety_expiry_seconds {
                s.config.safety_expiry_seconds = seconds;
            }
            if let Some(status) = status {
                s.config.status = status;
            }
        }
        MeetingEvent::Join { tab_id, site, meeting_id, own_preferred } => {
            if s.tabs.is_empty() && s.phase == Phase::Idle {
                s.own_preferred = own_preferred.filter(|o| o.expires_at_ms > now_ms);
            }
            match s.tabs.iter_mut().find(|t| t.tab_id == tab_id) {
                Some(tab) => {
                    tab.site = site;
                    tab.meeting_id = meeting_id;
                }
                None => s.tabs.push(MeetingTab { tab_id, site, meeting_id, joined_at_ms: now_ms }),
            }
        }
        MeetingEvent::Leave { tab_id } | MeetingEvent::TabClosed { tab_id } => s.remove_tab(tab_id),
        MeetingEvent::TabNavigated { tab_id, meeting } => match meeting {
            // A tab we do not count that opens a meeting page is in the lobby: `join` comes later.
            Some(m) => {
                if let Some(tab) = s.tabs.iter_mut().find(|t| t.tab_id == tab_id) {
                    tab.site = m.site;
                    tab.meeting_id = m.meeting_id;
                }
            }
            None => s.remove_tab(tab_id),
        },
        MeetingEvent::PresenceRead { availability, activity } => {
            if s.in_flight == Some(InFlight::Read) {
                s.in_flight = None;
                s.failures = 0;
                s.on_read(Presence { availability, activity });
                just_read = true;
            }
        }
        MeetingEvent::RequestResult { request, ok, retry_after_ms, status } => {
            s.on_result(request, ok, retry_after_ms, status, now_ms, &mut effects);
        }
        MeetingEvent::WorkerStart { live_tab_ids } => {
            s.keep_tabs(Some(&live_tab_ids), 0);
            restart = true;
        }
        MeetingEvent::BrowserStart {} => {
            s.keep_tabs(Some(&[]), 0);
            restart = true;
        }
        MeetingEvent::RetryDue {} => force = true,
        MeetingEvent::UserChanged {} => {
            s.phase = match s.phase {
                Phase::Idle | Phase::Checking { .. } | Phase::Restoring { .. } => Phase::Idle,
                Phase::Snapshot { .. } | Phase::Setting { .. } | Phase::Holding { .. } => Phase::Holding { ours: None },
            };
        }
    }
    // Either start: the answer to what was in flight is lost.
    if restart {
        s.lose_in_flight();
    }
    s.reconcile();

    let active = !s.tabs.is_empty();
    if restart || active != was_active {
        effects.push(Effect::Badge { active });
    }
    s.drive(now_ms, force, restart, just_read, &mut effects);
    Ok(StepOutput { state: s, effects })
}

/// Everything [`meeting_step`] refuses, in order: `now_ms`, the stored state (the empty state is
/// valid), the event, then a `configure` event's safety expiry, which is returned parsed.
#[inline(never)]
fn check_step(state: Option<&MeetingState>, event: &MeetingEvent, now_ms: f64) -> Result<Option<u32>, PresenceError> {
    if !now_ms.is_finite() || now_ms < 0.0 {
        return Err(invalid(
            "nowMs",
            format!("must be a finite, non-negative number of ms; got {}", show_number(now_ms)),
        ));
    }
    if let Some(s) = state {
        s.validate()?;
    }
    validate_event(event)?;
    match event {
        MeetingEvent::Configure { safety_expiry: Some(text), .. } => parse_safety_expiry(text).map(Some),
        _ => Ok(None),
    }
}

/// A refusal of the checks.
fn invalid(field: &'static str, reason: String) -> PresenceError {
    Kind::InvalidMeeting { field, reason }.into()
}

impl MeetingState {
    /// Forgets the tab `tab_id` (if counted).
    fn remove_tab(&mut self, tab_id: i64) {
        self.keep_tabs(None, tab_id);
    }

    /// Keeps the tabs in `live` (all but `gone` when `None`): one `retain` for every use.
    #[inline(never)]
    fn keep_tabs(&mut self, live: Option<&[i64]>, gone: i64) {
        self.tabs.retain(|t| live.map_or(t.tab_id != gone, |ids| ids.contains(&t.tab_id)));
    }

    /// Drops what Graph has already expired by itself.
    fn forget_expired(&mut self, now: f64) {
        let live = |o: &Ours| o.expires_at_ms > now;
        let expired = |o: &Ours| !live(o);
        // In place: moving whole phases around costs more wasm than these few writes.
        let ended = match &mut self.phase {
            Phase::Holding { ours } => {
                if ours.as_ref().is_some_and(expired) {
                    *ours = None;
                }
                false
            }
            // Keep what was there before, so the next read can still tell a change by someone else.
            Phase::Snapshot { resume, before } => {
                if let Some(o) = resume.take_if(|o| expired(o)) {
                    *before = Some(o.before);
                }
                false
            }
            Phase::Checking { ours } | Phase::Restoring { ours } => expired(ours),
            Phase::Idle | Phase::Setting { .. } => false,
        };
        if ended {
            self.phase = Phase::Idle;
        }
        if self.own_preferred.as_ref().is_some_and(|o| o.expires_at_ms <= now) {
            self.own_preferred = None;
        }
    }

    /// Moves the phase to match the intent (tabs open or not).
    fn reconcile(&mut self) {
        let in_meeting = !self.tabs.is_empty();
        self.phase = match (in_meeting, std::mem::take(&mut self.phase)) {
            (true, Phase::Idle) => Phase::Snapshot { resume: None, before: None },
            // Rejoined before the check: the read (in flight or next) decides whether ours is
            // still shown, in which case we keep it without writing anything.
            (true, Phase::Checking { ours }) => Phase::Snapshot { resume: Some(ours), before: None },
            (true, Phase::Restoring { ours }) => Phase::Snapshot { resume: Some(ours), before: None },
            (false, Phase::Snapshot { resume, .. }) => resume.map_or(Phase::Idle, |ours| Phase::Checking { ours }),
            (false, Phase::Setting { .. }) => match &self.in_flight {
                Some(InFlight::Set { ours }) => Phase::Checking { ours: ours.clone() },
                _ => Phase::Idle,
            },
            (false, Phase::Holding { ours }) => ours.map_or(Phase::Idle, |ours| Phase::Checking { ours }),
            (_, other) => other,
        };
        if self.phase == Phase::Idle {
            self.own_preferred = None;
        }
    }

    /// A successful read, interpreted by the phase we are in now.
    fn on_read(&mut self, p: Presence) {
        self.phase = match std::mem::take(&mut self.phase) {
            Phase::Snapshot { resume: Some(ours), .. } if ours.shown_in(&p) => Phase::Holding { ours: Some(ours) },
            Phase::Snapshot { resume, before } => {
                // After a write of ours that was refused or may not have landed, only the status
                // from before it means "set again"; anything else was picked by someone else.
                let expected = resume.map(|o| o.before).or(before);
                let changed = expected.is_some_and(|b| !b.same(&p.availability, &p.activity));
                if changed || p.leave_alone() {
                    Phase::Holding { ours: None }
                } else {
                    Phase::Setting { before: p }
                }
            }
            Phase::Checking { ours } if ours.shown_in(&p) || ours.before.same(&p.availability, &p.activity) => {
                Phase::Restoring { ours }
            }
            Phase::Checking { .. } => Phase::Idle,
            other => other,
        };
    }

    fn on_result(
        &mut self,
        request: RequestKind,
        ok: bool,
        retry_after_ms: Option<f64>,
        status: Option<u16>,
        now: f64,
        effects: &mut Vec<Effect>,
    ) {
        let matches = matches!(
            (&self.in_flight, request),
            (Some(InFlight::Read), RequestKind::Read)
                | (Some(InFlight::Set { .. }), RequestKind::Set)
                | (Some(InFlight::Restore), RequestKind::Restore)
        );
        // A read's success is reported by `presenceRead`; a stray answer changes nothing.
        if !matches || (ok && request == RequestKind::Read) {
            return;
        }
        let Some(done) = self.in_flight.take() else {
            return;
        };
        if ok {
            self.failures = 0;
            self.retry_at_ms = None;
            self.phase = match (done, std::mem::take(&mut self.phase)) {
                (InFlight::Set { ours }, Phase::Setting { .. } | Phase::Holding { ours: Some(_) }) => {
                    Phase::Holding { ours: Some(ours) }
                }
                (InFlight::Set { ours }, Phase::Checking { .. }) => Phase::Checking { ours },
                (InFlight::Restore, Phase::Restoring { .. } | Phase::Checking { .. }) => Phase::Idle,
                (InFlight::Restore, Phase::Snapshot { .. }) => Phase::Snapshot { resume: None, before: None },
                (_, other) => other,
            };
            return;
        }
        // A 4xx means the server refused it: certainly not applied. Anything else (no response,
        // timeout, 5xx) may have been applied. A failed write is never re-sent blind: the retry
        // is a fresh read, and the write follows only if that read still calls for it.
        let surely_not_applied = status.is_some_and(|s| (400..500).contains(&s));
        self.phase = match (done, std::mem::take(&mut self.phase)) {
            (InFlight::Set { ours }, Phase::Setting { .. } | Phase::Holding { ours: Some(_) }) => {
                if surely_not_applied {
                    Phase::Snapshot { resume: None, before: Some(ours.before) }
                } else {
                    Phase::Snapshot { resume: Some(ours), before: None }
                }
            }
            (InFlight::Set { ours: sent }, Phase::Checking { ours }) if surely_not_applied && sent == ours => {
                Phase::Idle
            }
            (InFlight::Restore, Phase::Restoring { ours }) => Phase::Checking { ours },
            (_, other) => other,
        };
        self.failures = self.failures.saturating_add(1);
        // 2^k exactly, as `2f64.powi` gives it, without the `__powidf2` routine.
        let backoff = BACKOFF_BASE_MS * f64::from(1u32 << self.failures.saturating_sub(1).min(30));
        let delay = match retry_after_ms {
            Some(ms) => ms.clamp(1_000.0, RETRY_AFTER_CAP_MS),
            None => backoff.min(BACKOFF_CAP_MS),
        };
        let at_ms = now + delay;
        self.reconcile();
        if self.needed().is_some() {
            self.retry_at_ms = Some(at_ms);
            effects.push(Effect::ScheduleRetry { at_ms });
        } else {
            self.retry_at_ms = None;
        }
    }

    /// The request in flight died with the worker and its answer is lost. A read is simply sent
    /// again. A write may or may not have been applied, and the worker may have been gone for a
    /// while, so instead of re-sending it blind we read first and write only if still needed
    /// (which re-sends the same idempotent body if it had not been applied).
    fn lose_in_flight(&mut self) {
        self.phase = match (self.in_flight.take(), std::mem::take(&mut self.phase)) {
            (Some(InFlight::Set { ours }), Phase::Setting { .. } | Phase::Holding { ours: Some(_) }) => {
                Phase::Snapshot { resume: Some(ours), before: None }
            }
            (Some(InFlight::Restore), Phase::Restoring { ours }) => Phase::Checking { ours },
            (_, other) => other,
        };
    }

    fn needed(&self) -> Option<RequestKind> {
        match self.phase {
            Phase::Idle | Phase::Holding { .. } => None,
            Phase::Snapshot { .. } | Phase::Checking { .. } => Some(RequestKind::Read),
            Phase::Setting { .. } => Some(RequestKind::Set),
            Phase::Restoring { .. } => Some(RequestKind::Restore),
        }
    }

    /// Emits the request the phase needs, if none is in flight and no retry is pending.
    ///
    /// A write goes out only in the step of the read that justified it (`just_read`). A stored
    /// state that wants a write at any other time (hand-edited, or written by another version)
    /// reads again first.
    fn drive(&mut self, now: f64, force: bool, announce: bool, just_read: bool, effects: &mut Vec<Effect>) {
        if self.in_flight.is_some() {
            return;
        }
        if !just_read {
            self.phase = match std::mem::take(&mut self.phase) {
                Phase::Setting { before } => Phase::Snapshot { resume: None, before: Some(before) },
                Phase::Restoring { ours } => Phase::Checking { ours },
                other => other,
            };
        }
        let Some(kind) = self.needed() else {
            self.retry_at_ms = None;
            return;
        };
        if let Some(at_ms) = self.retry_at_ms {
            if !force && now < at_ms {
                if announce {
                    effects.push(Effect::ScheduleRetry { at_ms });
                }
                return;
            }
        }
        self.retry_at_ms = None;
        let (effect, in_flight) = match (kind, &self.phase) {
            (RequestKind::Read, phase) => {
                let purpose = match phase {
                    Phase::Checking { .. } => ReadPurpose::BeforeRestore,
                    _ => ReadPurpose::Snapshot,
                };
                (Effect::ReadPresence { purpose }, InFlight::Read)
            }
            (RequestKind::Set, Phase::Setting { before, .. }) => {
                let status = self.config.status.as_str();
                let seconds = self.config.safety_expiry_seconds;
                let ours = Ours {
                    availability: status.into(),
                    activity: status.into(),
                    expires_at_ms: now + f64::from(seconds) * 1000.0,
                    before: before.clone(),
                };
                let effect = Effect::SetPreferredPresence {
                    availability: ours.availability.clone(),
                    activity: ours.activity.clone(),
                    expiration: format_duration(u64::from(seconds)),
                };
                (effect, InFlight::Set { ours })
            }
            (RequestKind::Restore, _) => {
                let effect = match &self.own_preferred {
                    Some(own) if own.expires_at_ms > now => {
                        let minutes = ((own.expires_at_ms - now) / 60_000.0).ceil().max(1.0);
                        Effect::RestorePreferredPresence {
                            availability: own.availability.clone(),
                            activity: own.activity.clone(),
                            expiration: format_duration(minutes_to_seconds(minutes)),
                        }
                    }
                    _ => Effect::ClearPreferredPresence {},
                };
                (effect, InFlight::Restore)
            }
            // `needed` only says Set in the Setting phase.
            (RequestKind::Set, _) => return,
        };
        effects.push(effect);
        self.in_flight = Some(in_flight);
    }

    fn validate(&self) -> Result<(), PresenceError> {
        let secs = self.config.safety_expiry_seconds;
        if !(MIN_SAFETY_EXPIRY_SECONDS..=MAX_SAFETY_EXPIRY_SECONDS).contains(&secs) {
            return Err(invalid(
                "config",
                format!("safetyExpirySeconds must be 300 to 86400; got {}", decimal(secs.into())),
            ));
        }
        for (i, tab) in self.tabs.iter().enumerate() {
            check_tab_id("tabs", tab.tab_id)?;
            check_id("tabs", &tab.meeting_id)?;
            check_time("tabs", tab.joined_at_ms)?;
            if self.tabs.iter().skip(i + 1).any(|t| t.tab_id == tab.tab_id) {
                return Err(invalid("tabs", format!("tab {} is listed twice", decimal(tab.tab_id))));
            }
        }
        match &self.phase {
            Phase::Idle | Phase::Holding { ours: None } | Phase::Snapshot { resume: None, before: None } => {}
            Phase::Snapshot { resume: None, before: Some(before) } | Phase::Setting { before } => {
                check_presence("phase", before)?;
            }
            Phase::Holding { ours: Some(o) }
            | Phase::Snapshot { resume: Some(o), .. }
            | Phase::Checking { ours: o }
            | Phase::Restoring { ours: o } => check_ours(o)?,
        }
        if let Some(InFlight::Set { ours }) = &self.in_flight {
            check_ours(ours)?;
        }
        if let Some(own) = &self.own_preferred {
            check_own(own)?;
        }
        if let Some(at) = self.retry_at_ms {
            check_time("retryAtMs", at)?;
        }
        Ok(())
    }
}

fn validate_event(event: &MeetingEvent) -> Result<(), PresenceError> {
    match event {
        MeetingEvent::Configure { .. }
        | MeetingEvent::BrowserStart {}
        | MeetingEvent::RetryDue {}
        | MeetingEvent::UserChanged {} => Ok(()),
        MeetingEvent::Join { tab_id, meeting_id, own_preferred, .. } => {
            check_tab_id("tabId", *tab_id)?;
            check_id("meetingId", meeting_id)?;
            if let Some(own) = own_preferred {
                check_own(own)?;
            }
            Ok(())
        }
        MeetingEvent::Leave { tab_id } | MeetingEvent::TabClosed { tab_id } => check_tab_id("tabId", *tab_id),
        MeetingEvent::TabNavigated { tab_id, meeting } => {
            check_tab_id("tabId", *tab_id)?;
            meeting.as_ref().map_or(Ok(()), |m| check_id("meeting", &m.meeting_id))
        }
        MeetingEvent::PresenceRead { availability, activity } => {
            check_word("presenceRead", availability)?;
            check_word("presenceRead", activity)
        }
        MeetingEvent::RequestResult { retry_after_ms, status, .. } => {
            if let Some(ms) = retry_after_ms {
                if !ms.is_finite() || *ms < 0.0 {
                    return Err(invalid(
                        "retryAfterMs",
                        format!("must be a finite, non-negative number; got {}", show_number(*ms)),
                    ));
                }
            }
            match status {
                Some(s) if !(100..=599).contains(s) => Err(invalid(
                    "status",
                    format!("must be an HTTP status from 100 to 599; got {}", decimal((*s).into())),
                )),
                _ => Ok(()),
            }
        }
        MeetingEvent::WorkerStart { live_tab_ids } => {
            for id in live_tab_ids {
                check_tab_id("liveTabIds", *id)?;
            }
            Ok(())
        }
    }
}

/// The popup's own status, in the stored state or on a join.
fn check_own(own: &OwnPreferred) -> Result<(), PresenceError> {
    check_preferred_pair("ownPreferred", &own.availability, &own.activity)?;
    check_time("ownPreferred", own.expires_at_ms)
}

/// A status of ours in the stored state (`phase` or `inFlight`).
fn check_ours(o: &Ours) -> Result<(), PresenceError> {
    check_preferred_pair("phase", &o.availability, &o.activity)?;
    check_time("phase", o.expires_at_ms)?;
    check_presence("phase", &o.before)
}

fn check_tab_id(field: &'static str, id: i64) -> Result<(), PresenceError> {
    if (0..=MAX_SAFE_INTEGER).contains(&id) {
        Ok(())
    } else {
        Err(invalid(field, format!("tab ids are integers from 0 to 2^53 - 1; got {}", decimal(id))))
    }
}

fn check_time(field: &'static str, ms: f64) -> Result<(), PresenceError> {
    if ms.is_finite() {
        Ok(())
    } else {
        Err(invalid(field, format!("times must be finite numbers of ms; got {}", show_number(ms))))
    }
}

fn check_id(field: &'static str, id: &str) -> Result<(), PresenceError> {
    if id.is_empty() || id.len() > 2048 || id.chars().any(char::is_control) {
        Err(invalid(
            field,
            format!("meeting ids are 1 to 2048 characters without control characters; got {}", quote(id)),
        ))
    } else {
        Ok(())
    }
}

fn check_word(field: &'static str, w: &str) -> Result<(), PresenceError> {
    if w.is_empty() || w.len() > 64 || !w.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Err(invalid(field, format!("availability and activity are 1 to 64 ASCII letters or digits; got {}", quote(w))))
    } else {
        Ok(())
    }
}

fn check_presence(field: &'static str, p: &Presence) -> Result<(), PresenceError> {
    check_word(field, &p.availability)?;
    check_word(field, &p.activity)
}

fn check_preferred_pair(field: &'static str, availability: &str, activity: &str) -> Result<(), PresenceError> {
    // Exact Graph spelling: the state holds what the machine itself wrote.
    if PREFERRED_PAIRS.iter().any(|(av, act)| av.as_str() == availability && act.as_str() == activity) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!(
                "{availability}/{activity} is not a preferred presence pair; allowed: Available/Available, \
                 Busy/Busy, DoNotDisturb/DoNotDisturb, BeRightBack/BeRightBack, Away/Away, Offline/OffWork"
            ),
        ))
    }
}

fn minutes_to_seconds(minutes: f64) -> u64 {
    // `minutes` is finite and >= 1 here; the clamp keeps the cast exact.
    let m = minutes.clamp(1.0, 1.0e12);
    // At most 6e13: no overflow (and no 128-bit multiply of `saturating_mul`).
    m as u64 * 60
}

/// Canonical ISO 8601 / Edm.Duration for whole seconds: `PT4H`, `PT1H30M`, `P1DT2H`, `P7D`
/// ([`Duration::to_iso`], which the request builder uses too). Callers pass at least 60 s and
/// far less than [`crate::duration::MAX_SECONDS`]; zero, which `Duration` refuses, is `PT0S`.
fn format_duration(total: u64) -> String {
    Duration::from_secs("expiration", total).map_or_else(|_| "PT0S".to_owned(), |d| d.to_iso())
}

/// Parses `P[nD][T[nH][nM][nS]]` (whole numbers) into seconds within PT5M..=P1D.
fn parse_safety_expiry(text: &str) -> Result<u32, PresenceError> {
    match expiry_seconds(text) {
        Ok(total) => match u32::try_from(total) {
            Ok(secs) if (MIN_SAFETY_EXPIRY_SECONDS..=MAX_SAFETY_EXPIRY_SECONDS).contains(&secs) => Ok(secs),
            _ => {
                Err(Kind::DurationOutOfRange { field: "safetyExpiry", got: text.to_string(), min: "PT5M", max: "P1D" }
                    .into())
            }
        },
        Err(reason) => {
            Err(Kind::InvalidDuration { field: "safetyExpiry", input: text.to_string(), reason: reason.to_string() }
                .into())
        }
    }
}

/// The seconds `P[nD][T[nH][nM][nS]]` adds up to, or why it is not of that form: one refusal
/// site for [`parse_safety_expiry`].
fn expiry_seconds(text: &str) -> Result<u64, &'static str> {
    let Some(body) = text.strip_prefix('P') else {
        return Err("it must start with P, e.g. PT4H");
    };
    let mut total: u64 = 0;
    let mut in_time = false;
    let mut number: Option<u64> = None;
    let mut components = 0;
    let mut time_components = 0;
    let mut last_rank = 0;
    for c in body.chars() {
        if let Some(digit) = c.to_digit(10) {
            // `number` is at most 2^40: no overflow (and no 128-bit multiply of `saturating_mul`).
            let n = number.unwrap_or(0) * 10 + u64::from(digit);
            number = Some(n.min(1 << 40));
            continue;
        }
        if c == 'T' {
            if in_time || number.is_some() {
                return Err("T must appear once, after the days and before the time");
            }
            in_time = true;
            continue;
        }
        let (rank, unit) = match (c, in_time) {
            ('D', false) => (1, 86_400),
            ('H', true) => (2, 3600),
            ('M', true) => (3, 60),
            ('S', true) => (4, 1),
            _ => return Err("only whole days (D), hours (H), minutes (M) and seconds (S) are allowed"),
        };
        let Some(n) = number.take() else {
            return Err("a number must come before each designator");
        };
        if rank <= last_rank {
            return Err("designators must appear once each, in the order D, T, H, M, S");
        }
        last_rank = rank;
        components += 1;
        if in_time {
            time_components += 1;
        }
        // At most four components, each at most 2^40 * 86400 < 2^57: no overflow.
        total += n * unit;
    }
    if number.is_some() || components == 0 || (in_time && time_components == 0) {
        return Err("it must end with a designator and have at least one component");
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_canonical_durations() {
        assert_eq!(format_duration(14_400), "PT4H");
        assert_eq!(format_duration(5_400), "PT1H30M");
        assert_eq!(format_duration(86_400), "P1D");
        assert_eq!(format_duration(93_600), "P1DT2H");
        assert_eq!(format_duration(604_800), "P7D");
        assert_eq!(format_duration(61), "PT1M1S");
        assert_eq!(format_duration(0), "PT0S");
    }

    #[test]
    fn parses_safety_expiries() {
        assert_eq!(parse_safety_expiry("PT4H"), Ok(14_400));
        assert_eq!(parse_safety_expiry("PT1H30M"), Ok(5_400));
        assert_eq!(parse_safety_expiry("P1D"), Ok(86_400));
        assert_eq!(parse_safety_expiry("PT300S"), Ok(300));
        for bad in ["", "P", "PT", "4H", "PT4", "PT1M", "P2D", "PT4H4H", "PT1M1H", "P1W", "PT1.5H", "-PT4H", "P1DT"] {
            assert!(parse_safety_expiry(bad).is_err(), "{bad}");
        }
    }
}
