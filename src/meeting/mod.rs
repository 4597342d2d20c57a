//! Meeting pages and the meeting auto-set state machine.
//!
//! Two pure functions, wrapped 1:1 by the bindings:
//!
//! - [`match_meeting`] (`matchMeeting` in JS): is this URL a meeting, and which one? Built-in
//!   rules for Google Meet, the Zoom web client, Webex, Jitsi Meet and Whereby, plus the user's
//!   [`CustomPattern`]s (checked with [`validate_pattern`]).
//! - [`meeting_step`] (`meetingStep` in JS): one step of the state machine that sets Busy (or Do
//!   not disturb) while meeting tabs are open and puts back what was there afterwards. The
//!   lifecycle, retry and restart rules are documented on the [`machine`] module.
//!
//! # JSON shapes
//!
//! ```text
//! matchMeeting  -> null | { site: "googleMeet"|"zoom"|"webex"|"jitsi"|"whereby"|"custom", meetingId }
//! CustomPattern =  { pattern, host, port: number|null, path, permission }
//!
//! MeetingState  =  { config: { status: "Busy"|"DoNotDisturb", safetyExpirySeconds },
//!                    tabs: [{ tabId, site, meetingId, joinedAtMs }],
//!                    phase: { type: "idle" } | { type: "snapshot", resume?: Ours, before?: Presence }
//!                         | { type: "setting", before: Presence } | { type: "holding", ours?: Ours }
//!                         | { type: "checking", ours: Ours } | { type: "restoring", ours: Ours },
//!                    ownPreferred: null | { availability, activity, expiresAtMs },
//!                    inFlight: null | { type: "read" } | { type: "set", ours: Ours } | { type: "restore" },
//!                    retryAtMs: null | number, failures: number }      (every field optional on input)
//! Presence      =  { availability, activity }
//! Ours          =  { availability, activity, expiresAtMs, before: Presence }
//!
//! MeetingEvent  =  { type: "configure", status?: "Busy"|"DoNotDisturb", safetyExpiry?: "PT4H" }
//!               |  { type: "join", tabId, site, meetingId, ownPreferred?: null | { availability, activity, expiresAtMs } }
//!               |  { type: "leave" | "tabClosed", tabId }
//!               |  { type: "tabNavigated", tabId, meeting?: null | { site, meetingId } }
//!               |  { type: "presenceRead", availability, activity }
//!               |  { type: "requestResult", request: "read"|"set"|"restore", ok, retryAfterMs?, status? }
//!               |  { type: "workerStart", liveTabIds: [tabId] }
//!               |  { type: "browserStart" | "retryDue" | "userChanged" }
//!
//! Effect        =  { type: "readPresence", purpose: "snapshot"|"beforeRestore" }
//!               |  { type: "setPreferredPresence", availability, activity, expiration: "PT4H" }
//!               |  { type: "clearPreferredPresence" }
//!               |  { type: "restorePreferredPresence", availability, activity, expiration: "PT1H1M" }
//!               |  { type: "scheduleRetry", atMs }
//!               |  { type: "badge", active: boolean }
//! meetingStep   -> { state: MeetingState, effects: Effect[] }
//! ```
//!
//! Nothing here knows about browsers: no wasm-bindgen, no `chrome.*`. The shell owns I/O and
//! storage and feeds this module events.

pub mod machine;
pub mod url;
mod wire;

pub use machine::{
    meeting_step, Effect, InFlight, MeetingConfig, MeetingEvent, MeetingState, MeetingStatus, MeetingTab, Ours,
    OwnPreferred, Phase, Presence, ReadPurpose, RequestKind, StepOutput, TabMeeting, DEFAULT_SAFETY_EXPIRY_SECONDS,
};
pub use url::{match_meeting, validate_pattern, CustomPattern, MeetingMatch, Site};
