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
