//! Property tests of the meeting state machine against a small simulated Microsoft Graph and
//! browser: random interleavings of joins, leaves, tab closures and navigations, worker and
//! browser restarts (with the request in flight applied or not), request failures (network,
//! 4xx, 429 with Retry-After, timeouts after the server applied the write), retry alarms, time
//! jumps past the safety expiry, and user changes in Teams or in our popup.
//!
//! Properties:
//! 1. Once all tabs are gone and every request and retry has been delivered, the user's presence
//!    is what it would have been had we done nothing, unless the user changed it themselves.
//! 2. No write effect is emitted while Graph shows a status the user picked during the meeting
//!    (after our snapshot), except when GET /me/presence cannot tell it from ours or from what
//!    was there before; and every write is emitted in answer to a read.
//! 3. At most one request is in flight, and the state says so.
//! 4. No step fails or panics on well-formed input; the state survives a JSON round trip.
//!
//! Run with: `cargo test --test meeting_props`

// clippy.toml's allow-*-in-tests does not reach helper functions of an integration test; here a
// failing unwrap is a failing test.
#![allow(clippy::unwrap_used, clippy::panic)]

use presence_switch::meeting::{
    meeting_step, Effect, MeetingEvent, MeetingState, MeetingStatus, OwnPreferred, Phase, ReadPurpose, RequestKind,
    Site, TabMeeting,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

type Pair = (&'static str, &'static str);

const PREFERRED: [Pair; 6] = [
    ("Available", "Available"),
    ("Busy", "Busy"),
    ("DoNotDisturb", "DoNotDisturb"),
    ("BeRightBack", "BeRightBack"),
    ("Away", "Away"),
    ("Offline", "OffWork"),
];

const SESSIONS: [Pair; 5] = [
    ("Available", "Available"),
    ("Away", "Away"),
    ("Available", "AvailableIdle"),
    ("Busy", "InACall"),
    ("DoNotDisturb", "Presenting"),
];

const T0: f64 = 1_800_000_000_000.0;
const MIN: f64 = 60_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// Our meeting set.
    Meeting,
    /// Our popup, before the run (the `ownPreferred` record), or our restore of it.
    PopupOriginal,
    /// The user, in our popup, during the run.
    PopupUser,
    /// The user, in Teams.
    Teams,
}

#[derive(Debug, Clone)]
struct Pref {
    pair: Pair,
    expires: f64,
    owner: Owner,
    created_step: usize,
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Ok,
    /// Never reached the server.
    Network,
    /// Refused: 403.
    Refused,
    /// 429 with Retry-After.
    Throttled,
    /// The server applied it but the answer was lost (timeout) or was a 504.
    AppliedButFailed,
}

#[derive(Debug, Clone)]
enum Act {
    Join(i64),
    Leave(i64),
    Close(i64),
    /// The tab closed while the worker was stopped: no event.
    CloseSilently(i64),
    NavAway(i64),
    NavOther(i64),
    Deliver(Outcome),
    WorkerStart {
        applied: bool,
    },
    BrowserStart {
        applied: bool,
    },
    RetryDue,
    Advance(f64),
    TeamsChange(usize),
    PopupChange(usize),
}

fn act() -> impl Strategy<Value = Act> {
    let tab = 0i64..3;
    let outcome = prop_oneof![
        6 => Just(Outcome::Ok),
        2 => Just(Outcome::Network),
        1 => Just(Outcome::Refused),
        1 => Just(Outcome::Throttled),
        2 => Just(Outcome::AppliedButFailed),
    ];
    prop_oneof![
        4 => tab.clone().prop_map(Act::Join),
        2 => tab.clone().prop_map(Act::Leave),
        2 => tab.clone().prop_map(Act::Close),
        1 => tab.clone().prop_map(Act::CloseSilently),
        1 => tab.clone().prop_map(Act::NavAway),
        1 => tab.prop_map(Act::NavOther),
        8 => outcome.prop_map(Act::Deliver),
        1 => any::<bool>().prop_map(|applied| Act::WorkerStart { applied }),
        1 => any::<bool>().prop_map(|applied| Act::BrowserStart { applied }),
        2 => Just(Act::RetryDue),
        2 => prop_oneof![Just(1_000.0), Just(30_000.0), Just(5.0 * MIN), Just(60.0 * MIN), Just(300.0 * MIN)]
            .prop_map(Act::Advance),
        1 => (0usize..6).prop_map(Act::TeamsChange),
        1 => (0usize..6).prop_map(Act::PopupChange),
    ]
}

#[derive(Debug, Clone)]
struct Setup {
    session: Pair,
    original: Option<(Pair, f64)>,
    status: MeetingStatus,
    safety: &'static str,
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        0usize..SESSIONS.len(),
        prop::option::of((0usize..6, prop_oneof![Just(10.0 * MIN), Just(120.0 * MIN), Just(7.0 * 1440.0 * MIN)])),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(s, orig, dnd, short)| Setup {
            session: SESSIONS[s],
            original: orig.map(|(p, d)| (PREFERRED[p], T0 + d)),
            status: if dnd { MeetingStatus::DoNotDisturb } else { MeetingStatus::Busy },
            safety: if short { "PT30M" } else { "PT4H" },
        })
}

/// Seconds of a `P[nD][T[nH][nM][nS]]` duration.
fn seconds(iso: &str) -> f64 {
    let mut total = 0.0;
    let mut n = 0.0;
    for c in iso.chars() {
        match c {
            '0'..='9' => n = n * 10.0 + f64::from(c.to_digit(10).unwrap()),
            'D' | 'H' | 'M' | 'S' => {
                total += n * match c {
                    'D' => 86_400.0,
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                n = 0.0;
            }
            'P' | 'T' => {}
            _ => panic!("bad duration {iso}"),
        }
    }
    total
}

struct World {
    now: f64,
    step: usize,
    session: Pair,
    preferred: Option<Pref>,
    original: Option<Pref>,
    /// The popup's record, passed as `ownPreferred`.
    popup_record: Option<Pref>,
    target: Pair,
    /// Open browser tabs, and whether the page said it joined the call.
    tabs: BTreeSet<i64>,
    state: Option<MeetingState>,
    pending: Option<Effect>,
    user_changed: bool,
    /// Our meeting status expired by itself while the original popup status would still run:
    /// the documented limitation (we do not restore after the safety expiry).
    expired_over_original: bool,
    /// Step of the first snapshot answer of the current meeting session, and what it showed.
    session_snapshot: Option<(usize, Pair)>,
    /// Everything snapshot reads showed since the machine was last idle: what the machine may
    /// remember as "what was there before".
    snapshots: Vec<Pair>,
}

impl World {
    fn new(s: &Setup) -> Self {
        let original =
            s.original.map(|(pair, expires)| Pref { pair, expires, owner: Owner::PopupOriginal, created_step: 0 });
        let target = match s.status {
            MeetingStatus::Busy => ("Busy", "Busy"),
            MeetingStatus::DoNotDisturb => ("DoNotDisturb", "DoNotDisturb"),
        };
        let mut w = World {
            now: T0,
            step: 0,
            session: s.session,
            preferred: original.clone(),
            original: original.clone(),
            popup_record: original,
            target,
            tabs: BTreeSet::new(),
            state: None,
            pending: None,
            user_changed: false,
            expired_over_original: false,
            session_snapshot: None,
            snapshots: Vec::new(),
        };
        w.feed(MeetingEvent::Configure { status: Some(s.status), safety_expiry: Some(s.safety.into()) });
        w
    }

    fn shown_at(&self, t: f64) -> Pair {
        match &self.preferred {
            Some(p) if p.expires > t => p.pair,
            _ => self.session,
        }
    }

    fn shown(&self) -> Pair {
        self.shown_at(self.now)
    }

    /// What the user would see at `t` had we never done anything.
    fn expected_at(&self, t: f64) -> Pair {
        match &self.original {
            Some(p) if p.expires > t => p.pair,
            _ => self.session,
        }
    }

    fn phase(&self) -> Phase {
        self.state.as_ref().map(|s| s.phase.clone()).unwrap_or_default()
    }

    fn feed(&mut self, event: MeetingEvent) {
        self.step += 1;
        let is_read = matches!(event, MeetingEvent::PresenceRead { .. });
        // (4) The state is stored as JSON and read back, as chrome.storage does.
        let json = serde_json::to_string(&self.state).unwrap();
        let stored: Option<MeetingState> = serde_json::from_str(&json).unwrap();
        assert_eq!(stored, self.state);
        let out = match meeting_step(stored, event.clone(), self.now) {
            Ok(out) => out,
            Err(e) => panic!("step failed on {event:?}: {e}"),
        };
        let requests: Vec<&Effect> =
            out.effects.iter().filter(|e| !matches!(e, Effect::Badge { .. } | Effect::ScheduleRetry { .. })).collect();
        // (3) At most one request in flight.
        assert!(requests.len() <= 1, "several requests at once: {:?}", out.effects);
        if let Some(req) = requests.first() {
            assert!(self.pending.is_none(), "{req:?} emitted while {:?} is in flight", self.pending);
            self.check_write(req, is_read, &event);
            self.pending = Some((*req).clone());
        }
        assert_eq!(
            out.state.in_flight.is_some(),
            self.pending.is_some(),
            "state in flight {:?} vs shell {:?}",
            out.state.in_flight,
            self.pending
        );
        // A meeting session runs from the first counted tab to the last; a new one may take a
        // fresh snapshot and set over whatever weak status it shows.
        let had_tabs = self.state.as_ref().is_some_and(|s| !s.tabs.is_empty());
        let new_session = !had_tabs && !out.state.tabs.is_empty();
        self.state = Some(out.state);
        if self.phase() == Phase::Idle || new_session {
            self.session_snapshot = None;
        }
        if self.phase() == Phase::Idle {
            self.snapshots.clear();
        }
    }

    /// (2) Writes only answer reads, and never overwrite what the user picked during the meeting.
    fn check_write(&self, req: &Effect, is_read: bool, event: &MeetingEvent) {
        if matches!(req, Effect::ReadPresence { .. }) {
            return;
        }
        assert!(is_read, "write {req:?} emitted in answer to {event:?}, not to a read");
        if let Effect::SetPreferredPresence { .. } = req {
            let (availability, _) = self.shown();
            assert!(
                !["Busy", "DoNotDisturb", "Offline"].contains(&availability),
                "{req:?} over {:?}, which we leave alone",
                self.shown()
            );
        }
        let Some(p) = self.preferred.as_ref().filter(|p| p.expires > self.now) else {
            return;
        };
        let user_owned = matches!(p.owner, Owner::Teams | Owner::PopupUser);
        let during_meeting = self.session_snapshot.is_some_and(|(step, _)| p.created_step > step);
        let indistinguishable = p.pair == self.target || self.snapshots.contains(&p.pair);
        assert!(
            !(user_owned && during_meeting && !indistinguishable),
            "{req:?} would overwrite the user's {p:?} (snapshot {:?})",
            self.session_snapshot
        );
    }

    fn apply(&mut self, req: &Effect) {
        let step = self.step;
        match req {
            Effect::SetPreferredPresence { availability, activity, expiration } => {
                assert_eq!((availability.as_str(), activity.as_str()), self.target);
                self.preferred = Some(Pref {
                    pair: self.target,
                    expires: self.now + seconds(expiration) * 1000.0,
                    owner: Owner::Meeting,
                    created_step: step,
                });
            }
            Effect::ClearPreferredPresence {} => self.preferred = None,
            Effect::RestorePreferredPresence { availability, activity, expiration } => {
                let pair = PREFERRED
                    .iter()
                    .copied()
                    .find(|(a, b)| a == availability && b == activity)
                    .unwrap_or_else(|| panic!("restore of a non-preferred pair {availability}/{activity}"));
                let record = self.popup_record.as_ref().unwrap();
                assert_eq!(record.pair, pair, "restores something other than the popup's record");
                let expires = self.now + seconds(expiration) * 1000.0;
                assert!(expires >= record.expires && expires < record.expires + MIN + 1.0, "remaining time off");
                self.preferred = Some(Pref { pair, expires, owner: record.owner, created_step: record.created_step });
            }
            _ => {}
        }
    }

    fn deliver(&mut self, outcome: Outcome) {
        let Some(req) = self.pending.take() else {
            return;
        };
        let kind = match req {
            Effect::ReadPresence { .. } => RequestKind::Read,
            Effect::SetPreferredPresence { .. } => RequestKind::Set,
            _ => RequestKind::Restore,
        };
        let failed = |status: Option<u16>, retry_after_ms: Option<f64>| MeetingEvent::RequestResult {
            request: kind,
            ok: false,
            retry_after_ms,
            status,
        };
        let event = match (outcome, &req) {
            (Outcome::Ok, Effect::ReadPresence { purpose }) => {
                let (availability, activity) = self.shown();
                if *purpose == ReadPurpose::Snapshot && self.session_snapshot.is_none() {
                    self.session_snapshot = Some((self.step + 1, self.shown()));
                }
                let event = MeetingEvent::PresenceRead { availability: availability.into(), activity: activity.into() };
                self.feed(event);
                // Recorded after the step: the read itself does not excuse the write it triggers.
                if *purpose == ReadPurpose::Snapshot && self.phase() != Phase::Idle {
                    self.snapshots.push((availability, activity));
                }
                return;
            }
            (Outcome::Ok, _) => {
                self.apply(&req);
                MeetingEvent::RequestResult { request: kind, ok: true, retry_after_ms: None, status: Some(200) }
            }
            (Outcome::Network, _) => failed(None, None),
            (Outcome::Refused, _) => failed(Some(403), None),
            (Outcome::Throttled, _) => failed(Some(429), Some(30_000.0)),
            (Outcome::AppliedButFailed, _) => {
                self.apply(&req);
                failed(if self.step % 2 == 0 { None } else { Some(504) }, None)
            }
        };
        self.feed(event);
    }

    /// The worker or browser died with a request in flight, which may have reached Graph.
    fn lose_pending(&mut self, applied: bool) {
        if let Some(req) = self.pending.take() {
            if applied {
                self.apply(&req);
            }
        }
    }

    fn advance(&mut self, dt: f64) {
        let next = self.now + dt;
        if let Some(p) = &self.preferred {
            let original_alive = self.original.as_ref().is_some_and(|o| o.expires > p.expires);
            if p.owner == Owner::Meeting && p.expires <= next && original_alive {
                self.expired_over_original = true;
            }
        }
        self.now = next;
    }

    fn own_preferred(&self) -> Option<OwnPreferred> {
        self.popup_record.as_ref().filter(|p| p.expires > self.now).map(|p| OwnPreferred {
            availability: p.pair.0.into(),
            activity: p.pair.1.into(),
            expires_at_ms: p.expires,
        })
    }

    fn run(&mut self, a: &Act) {
        match a {
            Act::Join(t) => {
                self.tabs.insert(*t);
                let own_preferred = self.own_preferred();
                self.feed(MeetingEvent::Join {
                    tab_id: *t,
                    site: Site::GoogleMeet,
                    meeting_id: "abc-defg-hij".into(),
                    own_preferred,
                });
            }
            Act::Leave(t) => self.feed(MeetingEvent::Leave { tab_id: *t }),
            Act::Close(t) => {
                self.tabs.remove(t);
                self.feed(MeetingEvent::TabClosed { tab_id: *t });
            }
            Act::CloseSilently(t) => {
                self.tabs.remove(t);
            }
            Act::NavAway(t) => self.feed(MeetingEvent::TabNavigated { tab_id: *t, meeting: None }),
            Act::NavOther(t) => self.feed(MeetingEvent::TabNavigated {
                tab_id: *t,
                meeting: Some(TabMeeting { site: Site::Zoom, meeting_id: "123456789".into() }),
            }),
            Act::Deliver(o) => self.deliver(*o),
            Act::WorkerStart { applied } => {
                self.lose_pending(*applied);
                let live_tab_ids = self.tabs.iter().copied().collect();
                self.feed(MeetingEvent::WorkerStart { live_tab_ids });
            }
            Act::BrowserStart { applied } => {
                self.lose_pending(*applied);
                self.tabs.clear();
                self.feed(MeetingEvent::BrowserStart {});
            }
            Act::RetryDue => self.feed(MeetingEvent::RetryDue {}),
            // Requests complete in well under a second: time only jumps between them.
            Act::Advance(dt) if self.pending.is_none() => self.advance(*dt),
            Act::Advance(_) => {}
            Act::TeamsChange(i) => {
                self.user_changed = true;
                self.preferred = Some(Pref {
                    pair: PREFERRED[*i],
                    expires: self.now + 1440.0 * MIN,
                    owner: Owner::Teams,
                    created_step: self.step,
                });
            }
            // The shell queues the popup's write behind the request in flight.
            Act::PopupChange(i) if self.pending.is_none() => {
                self.user_changed = true;
                let p = Pref {
                    pair: PREFERRED[*i],
                    expires: self.now + 60.0 * MIN,
                    owner: Owner::PopupUser,
                    created_step: self.step,
                };
                self.preferred = Some(p.clone());
                self.popup_record = Some(p);
                self.feed(MeetingEvent::UserChanged {});
            }
            Act::PopupChange(_) => {}
        }
    }

    /// All tabs end, then every request and retry is delivered.
    fn settle(&mut self) {
        for t in std::mem::take(&mut self.tabs) {
            self.feed(MeetingEvent::TabClosed { tab_id: t });
        }
        let tabs_left = self.state.as_ref().map_or(0, |s| s.tabs.len());
        if tabs_left > 0 {
            // Tabs that closed while the worker was stopped.
            self.lose_pending(false);
            self.feed(MeetingEvent::WorkerStart { live_tab_ids: vec![] });
        }
        for _ in 0..100 {
            if self.pending.is_some() {
                self.deliver(Outcome::Ok);
            } else if let Some(at) = self.state.as_ref().and_then(|s| s.retry_at_ms) {
                let dt = (at - self.now).max(0.0);
                self.advance(dt);
                self.feed(MeetingEvent::RetryDue {});
            } else {
                break;
            }
        }
        assert!(self.pending.is_none(), "still in flight after settling: {:?}", self.pending);
        assert_eq!(self.phase(), Phase::Idle, "not idle after settling");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_user_ends_where_they_started_and_we_never_overwrite_their_choice(
        s in setup(),
        acts in prop::collection::vec(act(), 0..60),
    ) {
        let mut w = World::new(&s);
        for a in &acts {
            w.run(a);
        }
        w.settle();
        // (1) Back to what it would have been without us (a restored popup status may run up to
        // a minute longer: the remaining time is rounded up to the minute).
        if !w.user_changed && !w.expired_over_original {
            let shown = w.shown();
            prop_assert!(
                shown == w.expected_at(w.now) || shown == w.expected_at(w.now - MIN),
                "ended with {:?}, expected {:?} (preferred {:?})",
                shown,
                w.expected_at(w.now),
                w.preferred
            );
        }
    }
}
