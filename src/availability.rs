//! Availability and activity values, and the pairs each endpoint accepts.
//!
//! Sources: setUserPreferredPresence and setPresence pages of the Graph v1.0 reference
//! (`graph-presence.md` §2, §3). Values are matched case-insensitively and always emitted in
//! Graph's spelling.

use crate::error::{trim, Kind, PresenceError};

/// An availability value a client may *set*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Availability {
    Available,
    Busy,
    DoNotDisturb,
    BeRightBack,
    Away,
    Offline,
}

/// An activity value a client may *set*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activity {
    Available,
    Busy,
    DoNotDisturb,
    BeRightBack,
    Away,
    OffWork,
    InACall,
    InAConferenceCall,
    Presenting,
}

const ALL_AVAILABILITIES: [Availability; 6] = [
    Availability::Available,
    Availability::Busy,
    Availability::DoNotDisturb,
    Availability::BeRightBack,
    Availability::Away,
    Availability::Offline,
];

const ALL_ACTIVITIES: [Activity; 9] = [
    Activity::Available,
    Activity::Busy,
    Activity::DoNotDisturb,
    Activity::BeRightBack,
    Activity::Away,
    Activity::OffWork,
    Activity::InACall,
    Activity::InAConferenceCall,
    Activity::Presenting,
];

impl Availability {
    /// Graph's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "Available",
            Self::Busy => "Busy",
            Self::DoNotDisturb => "DoNotDisturb",
            Self::BeRightBack => "BeRightBack",
            Self::Away => "Away",
            Self::Offline => "Offline",
        }
    }

    /// Parses a value case-insensitively.
    pub fn parse(text: &str) -> Result<Self, PresenceError> {
        parse_named("availability", &ALL_AVAILABILITIES, Self::as_str, text)
    }

    /// Default expiry of a preferred presence set without `expirationDuration`, in seconds:
    /// 1 day for Busy and DoNotDisturb, 7 days for all others (setUserPreferredPresence page).
    pub fn default_preferred_expiry_seconds(self) -> u64 {
        match self {
            Self::Busy | Self::DoNotDisturb => 86_400,
            _ => 7 * 86_400,
        }
    }
}

impl Activity {
    /// Graph's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "Available",
            Self::Busy => "Busy",
            Self::DoNotDisturb => "DoNotDisturb",
            Self::BeRightBack => "BeRightBack",
            Self::Away => "Away",
            Self::OffWork => "OffWork",
            Self::InACall => "InACall",
            Self::InAConferenceCall => "InAConferenceCall",
            Self::Presenting => "Presenting",
        }
    }

    /// Parses a value case-insensitively.
    pub fn parse(text: &str) -> Result<Self, PresenceError> {
        parse_named("activity", &ALL_ACTIVITIES, Self::as_str, text)
    }
}

/// Activities Graph reports (presence resource, "Manage presence state") that cannot be set:
/// OutOfOffice and InAMeeting come from the calendar and mailbox, the others from sessions.
const READ_ONLY_ACTIVITIES: [&str; 8] = [
    "Offline",
    "InAMeeting",
    "OutOfOffice",
    "Inactive",
    "AvailableInactive",
    "PresenceUnknown",
    "UrgentInterruptionsOnly",
    "Focusing",
];

/// The six pairs setUserPreferredPresence accepts.
pub const PREFERRED_PAIRS: [(Availability, Activity); 6] = [
    (Availability::Available, Activity::Available),
    (Availability::Busy, Activity::Busy),
    (Availability::DoNotDisturb, Activity::DoNotDisturb),
    (Availability::BeRightBack, Activity::BeRightBack),
    (Availability::Away, Activity::Away),
    (Availability::Offline, Activity::OffWork),
];

/// The five pairs setPresence (app presence session) accepts.
pub const SESSION_PAIRS: [(Availability, Activity); 5] = [
    (Availability::Available, Activity::Available),
    (Availability::Busy, Activity::InACall),
    (Availability::Busy, Activity::InAConferenceCall),
    (Availability::Away, Activity::Away),
    (Availability::DoNotDisturb, Activity::Presenting),
];

/// Which endpoint a pair is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairKind {
    Preferred,
    Session,
}

impl PairKind {
    fn pairs(self) -> &'static [(Availability, Activity)] {
        match self {
            Self::Preferred => &PREFERRED_PAIRS,
            Self::Session => &SESSION_PAIRS,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Self::Preferred => "setUserPreferredPresence",
            Self::Session => "setPresence",
        }
    }
}

/// A checked availability/activity pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub availability: Availability,
    pub activity: Activity,
}

impl Pair {
    /// Checks a pair for an endpoint. When `activity` is absent it is derived from the
    /// availability, which works whenever exactly one pair starts with it (every preferred pair;
    /// for setPresence all but Busy, which has two activities and so must be named).
    pub fn new(kind: PairKind, availability: &str, activity: Option<&str>) -> Result<Self, PresenceError> {
        let availability = Availability::parse(availability)?;
        let mut candidates: Vec<Activity> = Vec::new();
        for (a, act) in kind.pairs() {
            if *a == availability {
                candidates.push(*act);
            }
        }
        let unsupported = |activity: &str| {
            let mut allowed = String::new();
            for (i, (a, act)) in kind.pairs().iter().enumerate() {
                if i > 0 {
                    allowed.push_str(", ");
                }
                allowed.push_str(a.as_str());
                allowed.push('/');
                allowed.push_str(act.as_str());
            }
            Kind::UnsupportedPair {
                action: kind.action(),
                availability: availability.as_str().to_owned(),
                activity: activity.to_owned(),
                allowed,
            }
        };
        let activity = match activity {
            Some(text) => {
                // Activities Graph reports but no client may set get the pair message, which
                // says what is allowed instead.
                if let Some(known) = READ_ONLY_ACTIVITIES.iter().find(|a| a.eq_ignore_ascii_case(trim(text))) {
                    return Err(unsupported(known).into());
                }
                let activity = Activity::parse(text)?;
                if !candidates.contains(&activity) {
                    return Err(unsupported(activity.as_str()).into());
                }
                activity
            }
            None => match candidates.as_slice() {
                [only] => *only,
                [] => return Err(unsupported("(none)").into()),
                _ => {
                    return Err(Kind::MissingField { field: "activity", action: kind.action() }.into());
                }
            },
        };
        Ok(Self { availability, activity })
    }
}

/// Finds the value whose Graph spelling matches `text` case-insensitively.
fn parse_named<T: Copy>(
    field: &'static str,
    all: &[T],
    name: fn(T) -> &'static str,
    text: &str,
) -> Result<T, PresenceError> {
    all.iter().copied().find(|v| name(*v).eq_ignore_ascii_case(trim(text))).ok_or_else(|| {
        Kind::InvalidValue { field, got: text.to_owned(), allowed: join(all.iter().map(|v| name(*v))) }.into()
    })
}

pub(crate) fn join<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_offwork_for_offline() {
        let pair = Pair::new(PairKind::Preferred, "offline", None).unwrap();
        assert_eq!(pair.activity, Activity::OffWork);
    }

    #[test]
    fn busy_session_needs_an_activity() {
        let err = Pair::new(PairKind::Session, "Busy", None).unwrap_err();
        assert_eq!(err.code(), "missingField");
        assert_eq!(err.field(), Some("activity"));
    }

    #[test]
    fn refuses_be_right_back_for_sessions() {
        let err = Pair::new(PairKind::Session, "BeRightBack", None).unwrap_err();
        assert_eq!(err.code(), "unsupportedPair");
    }
}
