//! The JSON forms of the meeting types, read with [`FromValue`] and written with [`ToValue`].
//!
//! The tagged enums are read by hand rather than through serde's derive for an internally
//! tagged enum (`#[serde(tag = "type")]`), which buffers the whole object and generates one
//! deserializer per variant. A [`MeetingEvent`] is read straight into its variant after its keys
//! are checked against its `type`; a [`Phase`] and an [`InFlight`] read all their optional parts,
//! and the combinations a variant does not have are refused by one function that looks up which
//! parts the `type` has. Either way a field the type does not use, or a missing one, is an
//! error, as with `deny_unknown_fields`. The `Serialize` derives (native tests, golden files)
//! give the same JSON as the [`ToValue`] impls (through the flat [`WirePhase`] and
//! [`WireInFlight`]).

use serde::Serialize;

use super::machine::{
    Effect, InFlight, MeetingConfig, MeetingEvent, MeetingState, MeetingStatus, MeetingTab, Ours, OwnPreferred, Phase,
    Presence, ReadPurpose, RequestKind, StepOutput,
};
use crate::error::{decimal, show_number, Kind, PresenceError};
use crate::value::{name, pick, type_error, FromValue, Obj, Out, ToValue, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventType {
    Configure,
    Join,
    Leave,
    TabClosed,
    TabNavigated,
    PresenceRead,
    RequestResult,
    WorkerStart,
    BrowserStart,
    RetryDue,
    UserChanged,
}

impl FromValue for EventType {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        pick(
            v,
            &[
                "configure",
                "join",
                "leave",
                "tabClosed",
                "tabNavigated",
                "presenceRead",
                "requestResult",
                "workerStart",
                "browserStart",
                "retryDue",
                "userChanged",
            ],
            &[
                Self::Configure,
                Self::Join,
                Self::Leave,
                Self::TabClosed,
                Self::TabNavigated,
                Self::PresenceRead,
                Self::RequestResult,
                Self::WorkerStart,
                Self::BrowserStart,
                Self::RetryDue,
                Self::UserChanged,
            ],
        )
    }
}

/// `status` is a meeting status on `configure` and an HTTP status on `requestResult`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum StatusField {
    Meeting(MeetingStatus),
    Http(u16),
}

impl FromValue for StatusField {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        match v {
            Value::Num(x) => {
                if x.fract() == 0.0 && (0.0..=65535.0).contains(x) {
                    // Exact: integral and in range.
                    Ok(Self::Http(*x as u16))
                } else {
                    Err(refused(format!("status {} is not an HTTP status", show_number(*x))))
                }
            }
            Value::Str(s) => match s.as_str() {
                "Busy" => Ok(Self::Meeting(MeetingStatus::Busy)),
                "DoNotDisturb" => Ok(Self::Meeting(MeetingStatus::DoNotDisturb)),
                _ => Err(refused(format!("status must be \"Busy\" or \"DoNotDisturb\"; got \"{s}\""))),
            },
            _ => Err(type_error(v, "\"Busy\", \"DoNotDisturb\" or an HTTP status number")),
        }
    }
}

/// Every field any event has (`type` first).
const EVENT_FIELDS: [&str; 14] = [
    "type",
    "status",
    "safetyExpiry",
    "tabId",
    "site",
    "meetingId",
    "ownPreferred",
    "meeting",
    "availability",
    "activity",
    "request",
    "ok",
    "retryAfterMs",
    "liveTabIds",
];

/// A wire form's refusal, as the bindings report it.
fn refused(message: String) -> PresenceError {
    Kind::InvalidInput { field: None, message }.into()
}

/// A phase's parts are all read first (so a mistyped part is reported before a misplaced one);
/// a combination its `type` does not have is refused by [`phase_refusal`].
impl FromValue for Phase {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        read_phase(v)
    }
}

fn read_phase(v: &Value) -> Result<Phase, PresenceError> {
    let o = Obj::strict(v, &["type", "resume", "before", "ours"])?;
    let kind: PhaseType = o.req("type")?;
    let resume: Option<Ours> = o.opt("resume")?;
    let before: Option<Presence> = o.opt("before")?;
    let ours: Option<Ours> = o.opt("ours")?;
    Ok(match (kind, resume, before, ours) {
        (PhaseType::Idle, None, None, None) => Phase::Idle,
        (PhaseType::Snapshot, resume, before, None) => Phase::Snapshot { resume, before },
        (PhaseType::Setting, None, Some(before), None) => Phase::Setting { before },
        (PhaseType::Holding, None, None, ours) => Phase::Holding { ours },
        (PhaseType::Checking, None, None, Some(ours)) => Phase::Checking { ours },
        (PhaseType::Restoring, None, None, Some(ours)) => Phase::Restoring { ours },
        (kind, resume, before, ours) => {
            return Err(phase_refusal(kind, [resume.is_some(), before.is_some(), ours.is_some()]))
        }
    })
}

/// Why a phase of type `kind` with these parts (`resume`, `before`, `ours` present) is refused:
/// the first part it does not have, else the part it needs.
#[inline(never)]
fn phase_refusal(kind: PhaseType, present: [bool; 3]) -> PresenceError {
    const PARTS: [&str; 3] = ["resume", "before", "ours"];
    // Which parts each type may have, and the one it needs.
    let (allowed, needs) = match kind {
        PhaseType::Idle => ([false, false, false], ""),
        PhaseType::Snapshot => ([true, true, false], ""),
        PhaseType::Setting => ([false, true, false], "before"),
        PhaseType::Holding => ([false, false, true], ""),
        PhaseType::Checking | PhaseType::Restoring => ([false, false, true], "ours"),
    };
    let unused = PARTS.iter().zip(present.iter().zip(allowed)).find(|(_, (p, a))| **p && !*a);
    let message = match unused {
        Some((part, _)) => format!("phase \"{}\" has no {part}", kind.as_str()),
        None => format!("phase \"{}\" needs {needs}", kind.as_str()),
    };
    refused(message)
}

impl FromValue for InFlight {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::strict(v, &["type", "ours"])?;
        let kind: RequestKind = o.req("type")?;
        let message = match (kind, o.opt("ours")?) {
            (RequestKind::Read, None) => return Ok(InFlight::Read),
            (RequestKind::Restore, None) => return Ok(InFlight::Restore),
            (RequestKind::Set, Some(ours)) => return Ok(InFlight::Set { ours }),
            (RequestKind::Set, None) => "inFlight set needs ours",
            (_, Some(_)) => "only an inFlight set has ours",
        };
        Err(refused(message.into()))
    }
}

/// `field is required for a kind event`.
#[inline(never)]
fn required(field: &str, kind: &str) -> PresenceError {
    refused(format!("{field} is required for a {kind} event"))
}

/// A field the event type `kind` requires: absent and `null` are refused with [`required`].
#[inline]
fn need<T: FromValue>(o: &Obj<'_>, field: &str, kind: &str) -> Result<T, PresenceError> {
    // Through `req` (not `opt`): the state readers use the same instances.
    match o.get(field) {
        None | Some(Value::Null) => Err(required(field, kind)),
        Some(_) => o.req(field),
    }
}

/// An event is read straight into its variant: a key no event has is refused and named (as
/// `deny_unknown_fields` would), a key of another event type is refused as not used by this one
/// (`null` counts as absent), then the variant's own fields are read.
impl FromValue for MeetingEvent {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        read_event(v)
    }
}

fn read_event(v: &Value) -> Result<MeetingEvent, PresenceError> {
    let o = Obj::strict(v, &EVENT_FIELDS)?;
    let ty: EventType = o.req("type")?;
    let (kind, allowed): (&str, &[&str]) = match ty {
        EventType::Configure => ("configure", &["status", "safetyExpiry"]),
        EventType::Join => ("join", &["tabId", "site", "meetingId", "ownPreferred"]),
        EventType::Leave => ("leave", &["tabId"]),
        EventType::TabClosed => ("tabClosed", &["tabId"]),
        EventType::TabNavigated => ("tabNavigated", &["tabId", "meeting"]),
        EventType::PresenceRead => ("presenceRead", &["availability", "activity"]),
        EventType::RequestResult => ("requestResult", &["request", "ok", "retryAfterMs", "status"]),
        EventType::WorkerStart => ("workerStart", &["liveTabIds"]),
        EventType::BrowserStart => ("browserStart", &[]),
        EventType::RetryDue => ("retryDue", &[]),
        EventType::UserChanged => ("userChanged", &[]),
    };
    let set = |field: &str| o.get(field).is_some_and(|v| !matches!(v, Value::Null));
    if let Some(field) = EVENT_FIELDS.iter().skip(1).find(|f| set(f) && !allowed.contains(f)) {
        return Err(refused(format!("{field} is not used by a {kind} event; remove it")));
    }
    // Every event that has a tab id reads it first.
    let tab_id = match ty {
        EventType::Join | EventType::Leave | EventType::TabClosed | EventType::TabNavigated => need(&o, "tabId", kind)?,
        _ => 0,
    };
    Ok(match ty {
        EventType::Configure => MeetingEvent::Configure {
            status: match o.opt("status")? {
                Some(StatusField::Meeting(s)) => Some(s),
                Some(StatusField::Http(n)) => {
                    return Err(refused(format!(
                        "status must be \"Busy\" or \"DoNotDisturb\"; got {}",
                        decimal(n.into())
                    )))
                }
                None => None,
            },
            safety_expiry: o.opt("safetyExpiry")?,
        },
        EventType::Join => MeetingEvent::Join {
            tab_id,
            site: need(&o, "site", kind)?,
            meeting_id: need(&o, "meetingId", kind)?,
            own_preferred: o.opt("ownPreferred")?,
        },
        EventType::Leave => MeetingEvent::Leave { tab_id },
        EventType::TabClosed => MeetingEvent::TabClosed { tab_id },
        EventType::TabNavigated => MeetingEvent::TabNavigated { tab_id, meeting: o.opt("meeting")? },
        EventType::PresenceRead => MeetingEvent::PresenceRead {
            availability: need(&o, "availability", kind)?,
            activity: need(&o, "activity", kind)?,
        },
        EventType::RequestResult => MeetingEvent::RequestResult {
            request: need(&o, "request", kind)?,
            ok: need(&o, "ok", kind)?,
            retry_after_ms: o.opt("retryAfterMs")?,
            status: match o.opt("status")? {
                Some(StatusField::Http(n)) => Some(n),
                Some(StatusField::Meeting(s)) => {
                    return Err(refused(format!("status must be an HTTP status number; got \"{}\"", s.as_str())))
                }
                None => None,
            },
        },
        EventType::WorkerStart => MeetingEvent::WorkerStart { live_tab_ids: need(&o, "liveTabIds", kind)? },
        EventType::BrowserStart => MeetingEvent::BrowserStart {},
        EventType::RetryDue => MeetingEvent::RetryDue {},
        EventType::UserChanged => MeetingEvent::UserChanged {},
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
enum PhaseType {
    Idle,
    Snapshot,
    Setting,
    Holding,
    Checking,
    Restoring,
}

impl PhaseType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Snapshot => "snapshot",
            Self::Setting => "setting",
            Self::Holding => "holding",
            Self::Checking => "checking",
            Self::Restoring => "restoring",
        }
    }
}

impl FromValue for PhaseType {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        pick(
            v,
            &["idle", "snapshot", "setting", "holding", "checking", "restoring"],
            &[Self::Idle, Self::Snapshot, Self::Setting, Self::Holding, Self::Checking, Self::Restoring],
        )
    }
}

/// Every field any phase has.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WirePhase {
    #[serde(rename = "type")]
    kind: PhaseType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resume: Option<Ours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    before: Option<Presence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ours: Option<Ours>,
}

impl From<Phase> for WirePhase {
    fn from(p: Phase) -> Self {
        let w = |kind| WirePhase { kind, resume: None, before: None, ours: None };
        match p {
            Phase::Idle => w(PhaseType::Idle),
            Phase::Snapshot { resume, before } => WirePhase { resume, before, ..w(PhaseType::Snapshot) },
            Phase::Setting { before } => WirePhase { before: Some(before), ..w(PhaseType::Setting) },
            Phase::Holding { ours } => WirePhase { ours, ..w(PhaseType::Holding) },
            Phase::Checking { ours } => WirePhase { ours: Some(ours), ..w(PhaseType::Checking) },
            Phase::Restoring { ours } => WirePhase { ours: Some(ours), ..w(PhaseType::Restoring) },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireInFlight {
    #[serde(rename = "type")]
    kind: RequestKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ours: Option<Ours>,
}

impl From<InFlight> for WireInFlight {
    fn from(f: InFlight) -> Self {
        match f {
            InFlight::Read => WireInFlight { kind: RequestKind::Read, ours: None },
            InFlight::Set { ours } => WireInFlight { kind: RequestKind::Set, ours: Some(ours) },
            InFlight::Restore => WireInFlight { kind: RequestKind::Restore, ours: None },
        }
    }
}

impl ToValue for MeetingStatus {
    fn to_value(&self) -> Value {
        name(self.as_str())
    }
}

impl ToValue for MeetingConfig {
    fn to_value(&self) -> Value {
        Out::new()
            .text("status", self.status.as_str())
            .num("safetyExpirySeconds", self.safety_expiry_seconds.into())
            .done()
    }
}

impl ToValue for Presence {
    fn to_value(&self) -> Value {
        Out::new().text("availability", &self.availability).text("activity", &self.activity).done()
    }
}

impl ToValue for OwnPreferred {
    fn to_value(&self) -> Value {
        Out::new()
            .text("availability", &self.availability)
            .text("activity", &self.activity)
            .num("expiresAtMs", self.expires_at_ms)
            .done()
    }
}

impl ToValue for Ours {
    fn to_value(&self) -> Value {
        Out::new()
            .text("availability", &self.availability)
            .text("activity", &self.activity)
            .num("expiresAtMs", self.expires_at_ms)
            .put("before", self.before.to_value())
            .done()
    }
}

impl ToValue for MeetingTab {
    fn to_value(&self) -> Value {
        Out::new()
            .put("tabId", self.tab_id.to_value())
            .put("site", self.site.to_value())
            .text("meetingId", &self.meeting_id)
            .num("joinedAtMs", self.joined_at_ms)
            .done()
    }
}

/// As [`WirePhase`]: `type` first, absent parts left out.
impl ToValue for Phase {
    fn to_value(&self) -> Value {
        let (kind, resume, before, ours) = match self {
            Phase::Idle => ("idle", None, None, None),
            Phase::Snapshot { resume, before } => ("snapshot", resume.as_ref(), before.as_ref(), None),
            Phase::Setting { before } => ("setting", None, Some(before), None),
            Phase::Holding { ours } => ("holding", None, None, ours.as_ref()),
            Phase::Checking { ours } => ("checking", None, None, Some(ours)),
            Phase::Restoring { ours } => ("restoring", None, None, Some(ours)),
        };
        let mut o = Out::new();
        o.text("type", kind);
        if let Some(resume) = resume {
            o.put("resume", resume.to_value());
        }
        if let Some(before) = before {
            o.put("before", before.to_value());
        }
        if let Some(ours) = ours {
            o.put("ours", ours.to_value());
        }
        o.done()
    }
}

/// As [`WireInFlight`].
impl ToValue for InFlight {
    fn to_value(&self) -> Value {
        let mut o = Out::new();
        match self {
            InFlight::Read => o.text("type", "read"),
            InFlight::Set { ours } => o.text("type", "set").put("ours", ours.to_value()),
            InFlight::Restore => o.text("type", "restore"),
        };
        o.done()
    }
}

impl ToValue for MeetingState {
    fn to_value(&self) -> Value {
        Out::new()
            .put("config", self.config.to_value())
            .put("tabs", self.tabs.to_value())
            .put("phase", self.phase.to_value())
            .put("ownPreferred", self.own_preferred.to_value())
            .put("inFlight", self.in_flight.to_value())
            .put("retryAtMs", self.retry_at_ms.to_value())
            .num("failures", self.failures.into())
            .done()
    }
}

impl ToValue for Effect {
    fn to_value(&self) -> Value {
        let mut o = Out::new();
        match self {
            Effect::ReadPresence { purpose } => o.text("type", "readPresence").text(
                "purpose",
                match purpose {
                    ReadPurpose::Snapshot => "snapshot",
                    ReadPurpose::BeforeRestore => "beforeRestore",
                },
            ),
            Effect::SetPreferredPresence { availability, activity, expiration } => o
                .text("type", "setPreferredPresence")
                .text("availability", availability)
                .text("activity", activity)
                .text("expiration", expiration),
            Effect::ClearPreferredPresence {} => o.text("type", "clearPreferredPresence"),
            Effect::RestorePreferredPresence { availability, activity, expiration } => o
                .text("type", "restorePreferredPresence")
                .text("availability", availability)
                .text("activity", activity)
                .text("expiration", expiration),
            Effect::ScheduleRetry { at_ms } => o.text("type", "scheduleRetry").num("atMs", *at_ms),
            Effect::Badge { active } => o.text("type", "badge").put("active", Value::Bool(*active)),
        };
        o.done()
    }
}

impl ToValue for StepOutput {
    fn to_value(&self) -> Value {
        Out::new().put("state", self.state.to_value()).put("effects", self.effects.to_value()).done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::from_value;

    fn event(json: &str) -> Result<MeetingEvent, PresenceError> {
        from_value(&serde_json::from_str::<Value>(json).expect("JSON"))
    }

    fn refusal(json: &str) -> (Option<String>, String) {
        let e = event(json).expect_err(json);
        assert_eq!(e.code(), "invalidInput", "{e}");
        (e.field().map(str::to_owned), e.to_string())
    }

    #[test]
    fn events_refuse_unknown_unused_missing_and_mistyped_fields() {
        let (field, message) = refusal(r#"{"type":"leave","tabId":1,"tabid":2}"#);
        assert_eq!(field.as_deref(), Some("tabid"), "{message}");
        assert!(message.contains("unknown field `tabid`"), "{message}");
        let (field, message) = refusal(r#"{"type":"leave","tabId":1,"site":"zoom"}"#);
        assert_eq!(field, None);
        assert!(message.contains("site is not used by a leave event; remove it"), "{message}");
        let (field, message) = refusal(r#"{"type":"join","tabId":1,"site":"zoom"}"#);
        assert_eq!(field, None);
        assert!(message.contains("meetingId is required for a join event"), "{message}");
        let (_, message) = refusal(r#"{"type":"leave","tabId":1.5}"#);
        assert!(message.contains("tabId: invalid type: number 1.5"), "{message}");
        let (_, message) = refusal(r#"{"type":"configure","status":200}"#);
        assert!(message.contains("status must be \"Busy\" or \"DoNotDisturb\"; got 200"), "{message}");
        let (_, message) = refusal(r#"{"type":"requestResult","request":"set","ok":true,"status":"Busy"}"#);
        assert!(message.contains("status must be an HTTP status number; got \"Busy\""), "{message}");
        let (field, message) = refusal(r#"{"tabId":1}"#);
        assert_eq!(field.as_deref(), Some("type"), "{message}");
    }

    #[test]
    fn phases_and_in_flight_refuse_parts_their_type_does_not_have() {
        let ours = r#"{"availability":"Busy","activity":"Busy","expiresAtMs":5,"before":{"availability":"Away","activity":"Away"}}"#;
        let before = r#"{"availability":"Away","activity":"Away"}"#;
        let phase = |json: String| {
            from_value::<Phase>(&serde_json::from_str::<Value>(&json).expect("JSON")).map_err(|e| e.to_string())
        };
        let cases = [
            (format!(r#"{{"type":"idle","ours":{ours}}}"#), "phase \"idle\" has no ours"),
            (r#"{"type":"setting"}"#.to_owned(), "phase \"setting\" needs before"),
            (format!(r#"{{"type":"checking","before":{before},"resume":{ours}}}"#), "phase \"checking\" has no resume"),
            (format!(r#"{{"type":"holding","before":{before}}}"#), "phase \"holding\" has no before"),
            (format!(r#"{{"type":"snapshot","ours":{ours}}}"#), "phase \"snapshot\" has no ours"),
            (r#"{"type":"restoring"}"#.to_owned(), "phase \"restoring\" needs ours"),
            (format!(r#"{{"type":"setting","ours":{ours}}}"#), "phase \"setting\" has no ours"),
            (r#"{"type":"idle","ours":5}"#.to_owned(), "ours: invalid type: number 5, expected an object"),
        ];
        for (json, message) in cases {
            assert_eq!(phase(json), Err(format!("invalid input: {message}")));
        }
        assert_eq!(
            phase(r#"{"type":"holding","ours":null,"resume":null}"#.to_owned()),
            Ok(Phase::Holding { ours: None })
        );
        let in_flight = |json: String| {
            from_value::<InFlight>(&serde_json::from_str::<Value>(&json).expect("JSON")).map_err(|e| e.to_string())
        };
        assert_eq!(in_flight(r#"{"type":"set"}"#.into()), Err("invalid input: inFlight set needs ours".into()));
        assert_eq!(
            in_flight(format!(r#"{{"type":"read","ours":{ours}}}"#)),
            Err("invalid input: only an inFlight set has ours".into())
        );
        assert_eq!(in_flight(r#"{"type":"restore","ours":null}"#.into()), Ok(InFlight::Restore));
    }

    #[test]
    fn a_null_field_of_another_event_type_counts_as_absent() {
        assert_eq!(event(r#"{"type":"leave","tabId":3,"site":null}"#), Ok(MeetingEvent::Leave { tab_id: 3 }));
        assert_eq!(
            event(r#"{"type":"tabNavigated","tabId":2,"meeting":null}"#),
            Ok(MeetingEvent::TabNavigated { tab_id: 2, meeting: None })
        );
    }
}
