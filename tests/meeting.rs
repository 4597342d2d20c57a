//! Native tests of the meeting module's public API: which URLs are meetings, custom patterns,
//! and scenarios of the auto-set state machine.
//!
//! Run with: `cargo test --test meeting`

// clippy.toml's allow-*-in-tests does not reach helper functions of an integration test; here a
// failing unwrap is a failing test.
#![allow(clippy::unwrap_used, clippy::panic)]

use presence_switch::error::Kind;
use presence_switch::meeting::{
    match_meeting, meeting_step, validate_pattern, Effect, MeetingEvent, MeetingState, OwnPreferred, Phase,
    ReadPurpose, RequestKind, Site, TabMeeting,
};
use presence_switch::PresenceError;

// ---------------------------------------------------------------------------------------------
// match_meeting

fn m(url: &str) -> Option<(Site, String)> {
    match_meeting(url, &[]).unwrap().map(|x| (x.site, x.meeting_id))
}

#[test]
fn recognises_meetings_on_every_site() {
    let cases: &[(&str, Site, &str)] = &[
        ("https://meet.google.com/abc-defg-hij", Site::GoogleMeet, "abc-defg-hij"),
        ("https://meet.google.com/abc-defg-hij?authuser=1&hs=122", Site::GoogleMeet, "abc-defg-hij"),
        ("https://meet.google.com/ABC-Defg-HIJ", Site::GoogleMeet, "abc-defg-hij"),
        ("https://meet.google.com/abc-defg-hij#frag", Site::GoogleMeet, "abc-defg-hij"),
        ("https://MEET.Google.COM/abc-defg-hij", Site::GoogleMeet, "abc-defg-hij"),
        ("https://meet.google.com./abc-defg-hij", Site::GoogleMeet, "abc-defg-hij"),
        ("https://meet.google.com:443/abc-defg-hij", Site::GoogleMeet, "abc-defg-hij"),
        ("HTTPS://meet.google.com/abc-defg-hij", Site::GoogleMeet, "abc-defg-hij"),
        ("https://us02web.zoom.us/wc/12345678901/join?pwd=x", Site::Zoom, "12345678901"),
        ("https://app.zoom.us/wc/123456789/start", Site::Zoom, "123456789"),
        ("https://zoom.us/wc/join/1234567890", Site::Zoom, "1234567890"),
        ("https://us05web.zoom.us/j/81234567890?pwd=abc", Site::Zoom, "81234567890"),
        ("https://zoom.us/j/123456789012", Site::Zoom, "123456789012"),
        ("https://zoom.us/j/123456789/", Site::Zoom, "123456789"),
        ("https://zoom.us/s/123456789", Site::Zoom, "123456789"),
        ("https://company.zoomgov.com/j/1612345678", Site::Zoom, "1612345678"),
        ("https://acme.webex.com/meet/jdoe", Site::Webex, "jdoe"),
        ("https://acme.webex.com/join/JDoe", Site::Webex, "jdoe"),
        ("https://acme.webex.com/acme/j.php?MTID=m0123456789abcdef", Site::Webex, "acme"),
        (
            "https://acme.webex.com/wbxmjs/joinservice/sites/acme/meeting/download/0a1b2c3d?siteurl=acme",
            Site::Webex,
            "0a1b2c3d",
        ),
        ("https://acme.webex.com/webappng/sites/acme/meeting/download/0a1b2c", Site::Webex, "0a1b2c"),
        ("https://meet.jit.si/MyStandup", Site::Jitsi, "MyStandup"),
        ("https://meet.jit.si/team-sync?jwt=1#config.startWithAudioMuted=true", Site::Jitsi, "team-sync"),
        ("https://whereby.com/my-room", Site::Whereby, "my-room"),
        ("https://whereby.com/My-Room?lang=en", Site::Whereby, "my-room"),
        ("https://acme.whereby.com/daily", Site::Whereby, "daily"),
    ];
    for (url, site, id) in cases {
        assert_eq!(m(url), Some((*site, (*id).to_string())), "{url}");
    }
}

#[test]
fn landing_signin_settings_and_marketing_pages_are_not_meetings() {
    let cases = [
        "https://meet.google.com/",
        "https://meet.google.com",
        "https://meet.google.com/landing",
        "https://meet.google.com/new",
        "https://meet.google.com/lookup/abcdefgh",
        "https://meet.google.com/abc-defg-hij/x",
        "https://meet.google.com/abc-defg-hi",
        "https://meet.google.com/abc-defg-hijk",
        "https://meet.google.com/ab1-defg-hij",
        "https://meet.google.com/abcdefghij",
        "https://zoom.us/",
        "https://zoom.us/signin",
        "https://zoom.us/profile",
        "https://zoom.us/pricing",
        "https://us02web.zoom.us/wc/",
        "https://zoom.us/wc/12345678/join",
        "https://zoom.us/wc/1234567890123/join",
        "https://zoom.us/wc/123456789/leave",
        "https://zoom.us/j/12345abc9",
        "https://zoom.us/j/",
        "https://www.webex.com/pricing",
        "https://www.webex.com/meet/jdoe",
        "https://webex.com/meet/jdoe",
        "https://signin.webex.com/signin",
        "https://acme.webex.com/",
        "https://acme.webex.com/webappng/sites/acme/dashboard",
        "https://acme.webex.com/meet/",
        "https://meet.jit.si/",
        "https://meet.jit.si/static/close.html",
        "https://meet.jit.si/static",
        "https://meet.jit.si/libs/app.bundle.min.js",
        "https://meet.jit.si/images/watermark.svg",
        "https://meet.jit.si/sounds/joined.mp3",
        "https://meet.jit.si/_api/room-size",
        "https://meet.jit.si/http-bind",
        "https://meet.jit.si/xmpp-websocket",
        "https://meet.jit.si/external_api.js",
        "https://meet.jit.si/room/extra",
        "https://whereby.com/",
        "https://whereby.com/information/pricing",
        "https://whereby.com/information",
        "https://whereby.com/user",
        "https://whereby.com/user/rooms",
        "https://whereby.com/org/acme",
        "https://whereby.com/pricing",
        "https://whereby.com/login",
        "https://whereby.com/signup",
        "https://whereby.com/blog",
        "https://www.whereby.com/my-room",
        "https://docs.whereby.com/my-room",
    ];
    for url in cases {
        assert_eq!(m(url), None, "{url}");
    }
}

#[test]
fn look_alikes_schemes_userinfo_and_ports_are_not_meetings() {
    let cases = [
        "https://meet.google.com.example.net/abc-defg-hij",
        "https://example.net/meet.google.com/abc-defg-hij",
        "https://example.net/?u=https://meet.google.com/abc-defg-hij",
        "https://notmeet.google.com/abc-defg-hij",
        "https://xmeet.google.com/abc-defg-hij",
        "http://meet.google.com/abc-defg-hij",
        "wss://meet.google.com/abc-defg-hij",
        "meet.google.com/abc-defg-hij",
        "//meet.google.com/abc-defg-hij",
        "https://meet.google.com@evil.example/abc-defg-hij",
        "https://user:pw@meet.google.com/abc-defg-hij",
        "https://evil.example\\@meet.google.com/abc-defg-hij",
        "https://meet.google.com\\abc-defg-hij",
        "https://meet.google.com:8443/abc-defg-hij",
        "https://meet.google.com:/abc-defg-hij",
        "https://meet.google.com../abc-defg-hij",
        "https://meet.google.com /abc-defg-hij",
        " https://meet.google.com/abc-defg-hij",
        "https://meet.goog\u{0142}e.com/abc-defg-hij",
        "https://evilzoom.us/j/123456789",
        "https://zoom.us.evil.example/j/123456789",
        "https://zoom.us:444/j/123456789",
        "https://webex.com.evil.example/meet/jdoe",
        "https://acme.webex.com.evil.example/meet/jdoe",
        "https://evil-webex.com/meet/jdoe",
        "https://meet.jit.si.evil.example/room",
        "https://jit.si/room",
        "https://x.meet.jit.si/room",
        "https://whereby.com.evil.example/room",
        "https://notwhereby.com/room",
        "",
        "https://",
        "not a url",
        "https://[::1]/abc-defg-hij",
    ];
    for url in cases {
        assert_eq!(m(url), None, "{url:?}");
    }
}

#[test]
fn custom_patterns_match_after_the_built_ins() {
    let own = vec!["https://jitsi.example.org/*".to_string(), "https://*.video.example.com/room/*".to_string()];
    let got = |url: &str| match_meeting(url, &own).unwrap().map(|x| (x.site, x.meeting_id));
    assert_eq!(got("https://jitsi.example.org/standup?x=1"), Some((Site::Custom, "jitsi.example.org/standup".into())));
    assert_eq!(got("https://JITSI.example.org./"), Some((Site::Custom, "jitsi.example.org/".into())));
    assert_eq!(got("https://a.video.example.com/room/42"), Some((Site::Custom, "a.video.example.com/room/42".into())));
    assert_eq!(got("https://video.example.com/room/42"), Some((Site::Custom, "video.example.com/room/42".into())));
    assert_eq!(got("https://a.video.example.com/lobby/42"), None);
    assert_eq!(got("http://jitsi.example.org/standup"), None);
    assert_eq!(got("https://jitsi.example.org:8443/standup"), None);
    assert_eq!(got("https://jitsi.example.org.evil.example/standup"), None);
    assert_eq!(got("https://evil.example/jitsi.example.org/standup"), None);
    assert_eq!(got("https://jitsi.example.org@evil.example/standup"), None);
    assert_eq!(got("https://xvideo.example.com/room/1"), None);
    // Built-in rules win.
    assert_eq!(got("https://meet.google.com/abc-defg-hij"), Some((Site::GoogleMeet, "abc-defg-hij".into())));

    let ported = vec!["https://portal.example.com:8443/meet/*".to_string()];
    let got = |url: &str| match_meeting(url, &ported).unwrap().map(|x| x.meeting_id);
    assert_eq!(got("https://portal.example.com:8443/meet/a"), Some("portal.example.com:8443/meet/a".into()));
    assert_eq!(got("https://portal.example.com/meet/a"), None);
}

#[test]
fn validates_custom_patterns() {
    let p = validate_pattern("HTTPS://*.Video.Example.COM./room/*").unwrap();
    assert_eq!(p.pattern, "https://*.video.example.com/room/*");
    assert_eq!(p.host, "*.video.example.com");
    assert_eq!(p.port, None);
    assert_eq!(p.path, "/room/*");
    assert_eq!(p.permission, "https://*.video.example.com/*");

    let p = validate_pattern("https://portal.example.com:8443/meet/*").unwrap();
    assert_eq!((p.host.as_str(), p.port), ("portal.example.com", Some(8443)));
    assert_eq!(p.permission, "https://portal.example.com:8443/*");
    assert_eq!(validate_pattern("https://a.example.com:443/x").unwrap().pattern, "https://a.example.com/x");
    assert_eq!(validate_pattern("https://xn--bcher-kva.example/*").unwrap().host, "xn--bcher-kva.example");
    assert!(validate_pattern("https://jitsi.example.org/*").unwrap().matches("https://jitsi.example.org/a"));

    let bad = [
        "",
        "jitsi.example.org/*",
        "http://jitsi.example.org/*",
        "*://jitsi.example.org/*",
        "https://jitsi.example.org",
        "https:///room/*",
        "https://*/*",
        "https://*.com/*",
        "https://a.*.example.com/*",
        "https://*example.com/*",
        "https://**.example.com/*",
        "https://user@jitsi.example.org/*",
        "https://jitsi.example.org:0/*",
        "https://jitsi.example.org:70000/*",
        "https://jitsi.example.org:x/*",
        "https://jitsi.example.org/room?x=*",
        "https://jitsi.example.org/room#*",
        "https://jitsi.example.org/ room",
        "https://b\u{fc}cher.example/*",
        "https://-bad.example.org/*",
        "https://bad..example.org/*",
        "https://[::1]/*",
    ];
    for p in bad {
        match validate_pattern(p).as_ref().map_err(PresenceError::kind) {
            Err(Kind::InvalidMeeting { field: "customPattern", reason }) => {
                assert!(reason.contains("https://"), "{p}: {reason}");
            }
            other => panic!("{p:?}: {other:?}"),
        }
    }
}

#[test]
fn an_invalid_custom_pattern_is_an_error_naming_it() {
    let own = vec!["https://ok.example.org/*".to_string(), "http://bad.example.org/*".to_string()];
    match match_meeting("https://meet.google.com/abc-defg-hij", &own).as_ref().map_err(PresenceError::kind) {
        Err(Kind::InvalidMeeting { field: "customPatterns", reason }) => {
            assert!(reason.contains("http://bad.example.org/*"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // An unparsable URL is simply not a meeting.
    assert_eq!(match_meeting("::::", &own[..1]), Ok(None));
}

// ---------------------------------------------------------------------------------------------
// meeting_step scenarios

const T0: f64 = 1_800_000_000_000.0;
const MIN: f64 = 60_000.0;

fn busy_set() -> Effect {
    Effect::SetPreferredPresence { availability: "Busy".into(), activity: "Busy".into(), expiration: "PT4H".into() }
}

fn read(purpose: ReadPurpose) -> Effect {
    Effect::ReadPresence { purpose }
}

/// Drives the machine and keeps its state, like the shell does.
struct Shell {
    state: Option<MeetingState>,
}

impl Shell {
    fn new() -> Self {
        Shell { state: None }
    }

    fn step(&mut self, event: MeetingEvent, now: f64) -> Vec<Effect> {
        // Round-trip through JSON, as chrome.storage would.
        let json = serde_json::to_string(&self.state).unwrap();
        let stored: Option<MeetingState> = serde_json::from_str(&json).unwrap();
        let out = meeting_step(stored, event, now).unwrap();
        self.state = Some(out.state);
        out.effects
    }

    /// Effects without badges.
    fn req(&mut self, event: MeetingEvent, now: f64) -> Vec<Effect> {
        self.step(event, now).into_iter().filter(|e| !matches!(e, Effect::Badge { .. })).collect()
    }

    fn phase(&self) -> Phase {
        self.state.as_ref().unwrap().phase.clone()
    }
}

fn join(tab: i64) -> MeetingEvent {
    MeetingEvent::Join { tab_id: tab, site: Site::GoogleMeet, meeting_id: "abc-defg-hij".into(), own_preferred: None }
}

fn leave(tab: i64) -> MeetingEvent {
    MeetingEvent::Leave { tab_id: tab }
}

fn presence(a: &str, b: &str) -> MeetingEvent {
    MeetingEvent::PresenceRead { availability: a.into(), activity: b.into() }
}

fn result(request: RequestKind, ok: bool) -> MeetingEvent {
    MeetingEvent::RequestResult { request, ok, retry_after_ms: None, status: None }
}

fn available() -> MeetingEvent {
    presence("Available", "Available")
}

fn busy() -> MeetingEvent {
    presence("Busy", "Busy")
}

/// Join tab 1, snapshot Available, set Busy, confirmed.
fn in_meeting(sh: &mut Shell) {
    assert_eq!(sh.req(join(1), T0), [read(ReadPurpose::Snapshot)]);
    assert_eq!(sh.req(available(), T0 + 1000.0), [busy_set()]);
    assert_eq!(sh.req(result(RequestKind::Set, true), T0 + 2000.0), []);
}

#[test]
fn a_lobby_changes_nothing() {
    let mut sh = Shell::new();
    // The shell reports a meeting page opening (lobby) as a navigation of an uncounted tab.
    let nav = MeetingEvent::TabNavigated {
        tab_id: 1,
        meeting: Some(TabMeeting { site: Site::GoogleMeet, meeting_id: "abc-defg-hij".into() }),
    };
    assert_eq!(sh.step(nav, T0), []);
    assert_eq!(sh.step(MeetingEvent::TabClosed { tab_id: 1 }, T0 + 1.0), []);
    assert_eq!(sh.phase(), Phase::Idle);
}

#[test]
fn join_reads_then_sets_and_leave_reads_then_clears() {
    let mut sh = Shell::new();
    let fx = sh.step(join(1), T0);
    assert_eq!(fx, [Effect::Badge { active: true }, read(ReadPurpose::Snapshot)]);
    assert_eq!(sh.req(available(), T0 + 1000.0), [busy_set()]);
    assert_eq!(sh.req(result(RequestKind::Set, true), T0 + 2000.0), []);
    let fx = sh.step(leave(1), T0 + 30.0 * MIN);
    assert_eq!(fx, [Effect::Badge { active: false }, read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(busy(), T0 + 31.0 * MIN), [Effect::ClearPreferredPresence {}]);
    assert_eq!(sh.req(result(RequestKind::Restore, true), T0 + 32.0 * MIN), []);
    assert_eq!(sh.phase(), Phase::Idle);
}

#[test]
fn do_not_disturb_and_safety_expiry_come_from_configure() {
    let mut sh = Shell::new();
    let cfg = MeetingEvent::Configure {
        status: Some(presence_switch::meeting::MeetingStatus::DoNotDisturb),
        safety_expiry: Some("PT1H30M".into()),
    };
    assert_eq!(sh.step(cfg, T0), []);
    sh.req(join(1), T0);
    assert_eq!(
        sh.req(available(), T0),
        [Effect::SetPreferredPresence {
            availability: "DoNotDisturb".into(),
            activity: "DoNotDisturb".into(),
            expiration: "PT1H30M".into()
        }]
    );
    let bad = MeetingEvent::Configure { status: None, safety_expiry: Some("P2D".into()) };
    assert!(matches!(
        meeting_step(sh.state.clone(), bad, T0).as_ref().map_err(PresenceError::kind),
        Err(Kind::DurationOutOfRange { field: "safetyExpiry", .. })
    ));
}

#[test]
fn a_strong_or_offline_status_is_left_alone() {
    for (a, b) in [
        ("Busy", "InACall"),
        ("Busy", "Busy"),
        ("DoNotDisturb", "Presenting"),
        ("Offline", "OffWork"),
        ("Offline", "Offline"),
    ] {
        let mut sh = Shell::new();
        sh.req(join(1), T0);
        assert_eq!(sh.req(presence(a, b), T0 + 1.0), [], "{a}/{b}");
        assert_eq!(sh.req(leave(1), T0 + MIN), [], "{a}/{b}");
        assert_eq!(sh.phase(), Phase::Idle);
    }
}

#[test]
fn two_tabs_give_one_set_and_one_restore() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    let mut second = join(2);
    if let MeetingEvent::Join { site, meeting_id, .. } = &mut second {
        *site = Site::Zoom;
        *meeting_id = "123456789".into();
    }
    assert_eq!(sh.req(second, T0 + MIN), []);
    assert_eq!(sh.req(leave(1), T0 + 2.0 * MIN), []);
    // Navigating to another meeting keeps the tab counted.
    let nav = MeetingEvent::TabNavigated {
        tab_id: 2,
        meeting: Some(TabMeeting { site: Site::Jitsi, meeting_id: "next".into() }),
    };
    assert_eq!(sh.req(nav, T0 + 3.0 * MIN), []);
    // Navigating away is the last leave.
    let away = MeetingEvent::TabNavigated { tab_id: 2, meeting: None };
    assert_eq!(sh.req(away, T0 + 4.0 * MIN), [read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(busy(), T0 + 5.0 * MIN), [Effect::ClearPreferredPresence {}]);
}

#[test]
fn a_status_changed_in_teams_is_not_restored() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    assert_eq!(sh.req(leave(1), T0 + MIN), [read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(presence("DoNotDisturb", "DoNotDisturb"), T0 + MIN), []);
    assert_eq!(sh.phase(), Phase::Idle);
}

#[test]
fn the_pre_meeting_status_still_showing_is_put_back() {
    // Our set has not shown yet, or the user put back what they had: restore either way.
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    sh.req(leave(1), T0 + MIN);
    assert_eq!(sh.req(available(), T0 + MIN), [Effect::ClearPreferredPresence {}]);
}

#[test]
fn a_user_change_during_the_meeting_means_no_restore_and_no_read() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    assert_eq!(sh.req(MeetingEvent::UserChanged {}, T0 + MIN), []);
    assert_eq!(sh.req(join(2), T0 + 2.0 * MIN), []);
    assert_eq!(sh.req(leave(1), T0 + 3.0 * MIN), []);
    assert_eq!(sh.req(leave(2), T0 + 4.0 * MIN), []);
    assert_eq!(sh.phase(), Phase::Idle);
    // The next meeting starts afresh.
    assert_eq!(sh.req(join(3), T0 + 10.0 * MIN), [read(ReadPurpose::Snapshot)]);
}

#[test]
fn a_user_change_before_our_set_cancels_it() {
    let mut sh = Shell::new();
    sh.req(join(1), T0);
    assert_eq!(sh.req(MeetingEvent::UserChanged {}, T0 + 1.0), []);
    // The snapshot answer comes after: nothing is set.
    assert_eq!(sh.req(available(), T0 + 2.0), []);
    assert_eq!(sh.req(leave(1), T0 + MIN), []);
}

#[test]
fn worker_restart_mid_meeting_still_restores_at_leave() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    let fx = sh.step(MeetingEvent::WorkerStart { live_tab_ids: vec![1, 5, 9] }, T0 + MIN);
    assert_eq!(fx, [Effect::Badge { active: true }]);
    assert_eq!(sh.req(leave(1), T0 + 2.0 * MIN), [read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(busy(), T0 + 3.0 * MIN), [Effect::ClearPreferredPresence {}]);
}

#[test]
fn worker_restart_reissues_the_request_in_flight() {
    // A set that was applied before the worker died is not sent again.
    let mut sh = Shell::new();
    sh.req(join(1), T0);
    sh.req(available(), T0 + 1.0);
    assert_eq!(sh.req(MeetingEvent::WorkerStart { live_tab_ids: vec![1] }, T0 + MIN), [read(ReadPurpose::Snapshot)]);
    assert_eq!(sh.req(busy(), T0 + MIN), []);
    assert_eq!(sh.req(leave(1), T0 + 2.0 * MIN), [read(ReadPurpose::BeforeRestore)]);

    let mut sh = Shell::new();
    sh.req(join(1), T0);
    sh.req(available(), T0 + 1.0);
    // The worker died with the set in flight: read again, then set once.
    assert_eq!(sh.req(MeetingEvent::WorkerStart { live_tab_ids: vec![1] }, T0 + MIN), [read(ReadPurpose::Snapshot)]);
    assert_eq!(sh.req(available(), T0 + MIN), [busy_set()]);
    assert_eq!(sh.req(result(RequestKind::Set, true), T0 + MIN), []);
    // And a lost read, too.
    sh.req(leave(1), T0 + 2.0 * MIN);
    assert_eq!(
        sh.req(MeetingEvent::WorkerStart { live_tab_ids: vec![] }, T0 + 3.0 * MIN),
        [read(ReadPurpose::BeforeRestore)]
    );
}

#[test]
fn a_set_lost_with_its_tab_at_worker_start_is_still_checked() {
    let mut sh = Shell::new();
    sh.req(join(1), T0);
    sh.req(available(), T0 + 1.0);
    // The worker died with the set in flight and the tab is gone: it may have been applied.
    assert_eq!(
        sh.req(MeetingEvent::WorkerStart { live_tab_ids: vec![] }, T0 + MIN),
        [read(ReadPurpose::BeforeRestore)]
    );
    assert_eq!(sh.req(busy(), T0 + MIN), [Effect::ClearPreferredPresence {}]);
}

#[test]
fn offline_at_leave_retries_later_and_restores_once() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    let t = T0 + 10.0 * MIN;
    assert_eq!(sh.req(leave(1), t), [read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(result(RequestKind::Read, false), t), [Effect::ScheduleRetry { at_ms: t + 2000.0 }]);
    // Nothing is sent before the retry is due.
    assert_eq!(sh.req(MeetingEvent::TabClosed { tab_id: 77 }, t + 1000.0), []);
    assert_eq!(sh.req(MeetingEvent::RetryDue {}, t + 2000.0), [read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(busy(), t + 3000.0), [Effect::ClearPreferredPresence {}]);
    assert_eq!(sh.req(result(RequestKind::Restore, false), t + 4000.0), [Effect::ScheduleRetry { at_ms: t + 6000.0 }]);
    // A failed write is never retried blind: read again first.
    assert_eq!(sh.req(MeetingEvent::RetryDue {}, t + 6000.0), [read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(busy(), t + 6050.0), [Effect::ClearPreferredPresence {}]);
    // A duplicate alarm, a stray answer: nothing twice.
    assert_eq!(sh.req(MeetingEvent::RetryDue {}, t + 6100.0), []);
    assert_eq!(sh.req(result(RequestKind::Restore, true), t + 7000.0), []);
    assert_eq!(sh.req(result(RequestKind::Restore, true), t + 7100.0), []);
    assert_eq!(sh.req(MeetingEvent::RetryDue {}, t + 8000.0), []);
    assert_eq!(sh.phase(), Phase::Idle);
}

#[test]
fn backoff_doubles_caps_at_five_minutes_and_honours_retry_after() {
    let mut sh = Shell::new();
    sh.req(join(1), T0);
    let mut t = T0;
    let mut delays = vec![];
    for _ in 0..10 {
        match sh.req(result(RequestKind::Read, false), t).as_slice() {
            [Effect::ScheduleRetry { at_ms }] => {
                delays.push((at_ms - t) / 1000.0);
                t = *at_ms;
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(sh.req(MeetingEvent::RetryDue {}, t), [read(ReadPurpose::Snapshot)]);
    }
    assert_eq!(delays, [2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 300.0, 300.0]);
    let throttled = MeetingEvent::RequestResult {
        request: RequestKind::Read,
        ok: false,
        retry_after_ms: Some(41_000.0),
        status: Some(429),
    };
    assert_eq!(sh.req(throttled, t), [Effect::ScheduleRetry { at_ms: t + 41_000.0 }]);
}

#[test]
fn join_and_leave_while_offline_sends_nothing() {
    let mut sh = Shell::new();
    let t = T0;
    assert_eq!(sh.req(join(1), t), [read(ReadPurpose::Snapshot)]);
    assert_eq!(sh.req(result(RequestKind::Read, false), t + 100.0), [Effect::ScheduleRetry { at_ms: t + 2100.0 }]);
    assert_eq!(sh.req(leave(1), t + 1000.0), []);
    assert_eq!(sh.req(MeetingEvent::RetryDue {}, t + 2100.0), []);
    assert_eq!(sh.phase(), Phase::Idle);
}

#[test]
fn join_and_leave_while_the_snapshot_read_is_in_flight_sends_nothing_more() {
    let mut sh = Shell::new();
    sh.req(join(1), T0);
    assert_eq!(sh.req(leave(1), T0 + 100.0), []);
    assert_eq!(sh.req(available(), T0 + 200.0), []);
    assert_eq!(sh.phase(), Phase::Idle);
}

#[test]
fn a_set_refused_with_4xx_is_not_restored() {
    let mut sh = Shell::new();
    sh.req(join(1), T0);
    sh.req(available(), T0);
    let refused =
        MeetingEvent::RequestResult { request: RequestKind::Set, ok: false, retry_after_ms: None, status: Some(403) };
    assert_eq!(sh.req(refused, T0 + 1.0), [Effect::ScheduleRetry { at_ms: T0 + 2001.0 }]);
    assert_eq!(sh.req(leave(1), T0 + 2.0), []);
    assert_eq!(sh.phase(), Phase::Idle);
}

#[test]
fn after_a_failed_set_a_status_picked_meanwhile_is_left_alone() {
    for status in [Some(403), Some(503), None] {
        let mut sh = Shell::new();
        sh.req(join(1), T0);
        sh.req(available(), T0);
        let failed = MeetingEvent::RequestResult { request: RequestKind::Set, ok: false, retry_after_ms: None, status };
        assert_eq!(sh.req(failed, T0 + 1.0), [Effect::ScheduleRetry { at_ms: T0 + 2001.0 }]);
        assert_eq!(sh.req(MeetingEvent::RetryDue {}, T0 + 2001.0), [read(ReadPurpose::Snapshot)]);
        // The user picked Away in Teams meanwhile: neither ours nor what was there before.
        assert_eq!(sh.req(presence("Away", "Away"), T0 + 3000.0), [], "{status:?}");
        assert_eq!(sh.req(leave(1), T0 + MIN), [], "{status:?}");
    }
    // Still what was there before: the set was not applied, set again.
    let mut sh = Shell::new();
    sh.req(join(1), T0);
    sh.req(available(), T0);
    sh.req(result(RequestKind::Set, false), T0 + 1.0);
    sh.req(MeetingEvent::RetryDue {}, T0 + 2001.0);
    assert_eq!(sh.req(available(), T0 + 3000.0), [busy_set()]);
}

#[test]
fn a_set_that_timed_out_is_checked_at_leave() {
    let mut sh = Shell::new();
    sh.req(join(1), T0);
    sh.req(available(), T0);
    assert_eq!(sh.req(result(RequestKind::Set, false), T0 + 1.0), [Effect::ScheduleRetry { at_ms: T0 + 2001.0 }]);
    assert_eq!(sh.req(leave(1), T0 + 2.0), []);
    assert_eq!(sh.req(MeetingEvent::RetryDue {}, T0 + 2001.0), [read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(busy(), T0 + 3000.0), [Effect::ClearPreferredPresence {}]);
}

#[test]
fn own_preferred_is_restored_with_its_remaining_time() {
    let mut sh = Shell::new();
    let own =
        OwnPreferred { availability: "Away".into(), activity: "Away".into(), expires_at_ms: T0 + 90.0 * MIN + 1.0 };
    let j = MeetingEvent::Join { tab_id: 1, site: Site::Whereby, meeting_id: "room".into(), own_preferred: Some(own) };
    sh.req(j, T0);
    assert_eq!(sh.req(presence("Away", "Away"), T0), [busy_set()]);
    sh.req(result(RequestKind::Set, true), T0);
    sh.req(leave(1), T0 + 30.0 * MIN);
    assert_eq!(
        sh.req(busy(), T0 + 30.0 * MIN),
        [Effect::RestorePreferredPresence {
            availability: "Away".into(),
            activity: "Away".into(),
            expiration: "PT1H1M".into()
        }]
    );
}

#[test]
fn an_own_preferred_that_expired_during_the_meeting_is_cleared() {
    let mut sh = Shell::new();
    let own = OwnPreferred { availability: "Away".into(), activity: "Away".into(), expires_at_ms: T0 + 20.0 * MIN };
    let j = MeetingEvent::Join { tab_id: 1, site: Site::Jitsi, meeting_id: "room".into(), own_preferred: Some(own) };
    sh.req(j, T0);
    sh.req(presence("Away", "Away"), T0);
    sh.req(result(RequestKind::Set, true), T0);
    sh.req(leave(1), T0 + 30.0 * MIN);
    assert_eq!(sh.req(busy(), T0 + 30.0 * MIN), [Effect::ClearPreferredPresence {}]);
}

#[test]
fn stale_tab_records_are_cleaned_up_at_worker_start() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    sh.req(join(2), T0 + MIN);
    let fx = sh.step(MeetingEvent::WorkerStart { live_tab_ids: vec![3] }, T0 + 5.0 * MIN);
    assert_eq!(fx, [Effect::Badge { active: false }, read(ReadPurpose::BeforeRestore)]);
    assert!(sh.state.as_ref().unwrap().tabs.is_empty());
    assert_eq!(sh.req(busy(), T0 + 5.0 * MIN), [Effect::ClearPreferredPresence {}]);
}

#[test]
fn every_tab_record_is_stale_at_browser_start() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    let fx = sh.step(MeetingEvent::BrowserStart {}, T0 + 60.0 * MIN);
    assert_eq!(fx, [Effect::Badge { active: false }, read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(busy(), T0 + 61.0 * MIN), [Effect::ClearPreferredPresence {}]);
    // The clear was in flight when the browser closed again: read, then clear again (idempotent).
    assert_eq!(sh.req(MeetingEvent::BrowserStart {}, T0 + 62.0 * MIN), [read(ReadPurpose::BeforeRestore)]);
    assert_eq!(sh.req(available(), T0 + 62.0 * MIN), [Effect::ClearPreferredPresence {}]);
    assert_eq!(sh.req(result(RequestKind::Restore, true), T0 + 63.0 * MIN), []);
    // A browser start with nothing of ours does nothing but the badge.
    let fx = sh.step(MeetingEvent::BrowserStart {}, T0 + 70.0 * MIN);
    assert_eq!(fx, [Effect::Badge { active: false }]);
}

#[test]
fn past_the_safety_expiry_nothing_is_restored() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    // The browser was closed mid-meeting and comes back the next day.
    let fx = sh.step(MeetingEvent::BrowserStart {}, T0 + 24.0 * 60.0 * MIN);
    assert_eq!(fx, [Effect::Badge { active: false }]);
    assert_eq!(sh.phase(), Phase::Idle);

    // Or the meeting simply lasts longer than the safety expiry.
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    assert_eq!(sh.req(leave(1), T0 + 5.0 * 60.0 * MIN), []);
    assert_eq!(sh.phase(), Phase::Idle);
}

#[test]
fn a_rejoin_while_checking_keeps_our_status_without_a_write() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    sh.req(leave(1), T0 + MIN);
    assert_eq!(sh.req(join(1), T0 + MIN + 10.0), []);
    // The pending read's answer is ignored; nothing is restored mid-meeting.
    assert_eq!(sh.req(busy(), T0 + MIN + 20.0), []);
    assert_eq!(sh.req(leave(1), T0 + 2.0 * MIN), [read(ReadPurpose::BeforeRestore)]);
}

#[test]
fn a_rejoin_while_restoring_rechecks_before_setting_again() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    sh.req(leave(1), T0 + MIN);
    assert_eq!(sh.req(busy(), T0 + MIN), [Effect::ClearPreferredPresence {}]);
    assert_eq!(sh.req(join(1), T0 + MIN + 10.0), []);
    // The clear went through: read, then set again.
    assert_eq!(sh.req(result(RequestKind::Restore, true), T0 + MIN + 20.0), [read(ReadPurpose::Snapshot)]);
    assert_eq!(sh.req(available(), T0 + MIN + 30.0), [busy_set()]);
}

#[test]
fn a_rejoin_while_a_restore_retry_waits_keeps_our_status_if_it_shows() {
    let mut sh = Shell::new();
    in_meeting(&mut sh);
    sh.req(leave(1), T0 + MIN);
    sh.req(busy(), T0 + MIN);
    sh.req(result(RequestKind::Restore, false), T0 + MIN);
    assert_eq!(sh.req(join(1), T0 + MIN + 10.0), []);
    assert_eq!(sh.req(MeetingEvent::RetryDue {}, T0 + MIN + 2000.0), [read(ReadPurpose::Snapshot)]);
    // Our Busy is still there: keep it, nothing written.
    assert_eq!(sh.req(busy(), T0 + MIN + 3000.0), []);
    assert_eq!(sh.req(leave(1), T0 + 2.0 * MIN), [read(ReadPurpose::BeforeRestore)]);
}

#[test]
fn null_state_is_the_default_and_round_trips_as_plain_json() {
    let out = meeting_step(None, MeetingEvent::RetryDue {}, T0).unwrap();
    assert_eq!(out.state, MeetingState::default());
    let json = serde_json::to_value(&out.state).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "config": { "status": "Busy", "safetyExpirySeconds": 14400 },
            "tabs": [],
            "phase": { "type": "idle" },
            "ownPreferred": null,
            "inFlight": null,
            "retryAtMs": null,
            "failures": 0
        })
    );
    let empty: MeetingState = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, MeetingState::default());
    assert!(serde_json::from_str::<MeetingState>(r#"{"tabz":[]}"#).is_err());
}

#[test]
fn events_and_effects_have_the_documented_json_shapes() {
    let e: MeetingEvent = serde_json::from_value(serde_json::json!({
        "type": "requestResult", "request": "set", "ok": false, "retryAfterMs": 5000, "status": 429
    }))
    .unwrap();
    assert_eq!(
        e,
        MeetingEvent::RequestResult {
            request: RequestKind::Set,
            ok: false,
            retry_after_ms: Some(5000.0),
            status: Some(429)
        }
    );
    let e: MeetingEvent = serde_json::from_value(serde_json::json!({
        "type": "join", "tabId": 4, "site": "googleMeet", "meetingId": "abc-defg-hij",
        "ownPreferred": { "availability": "Away", "activity": "Away", "expiresAtMs": 1.0e12 }
    }))
    .unwrap();
    assert!(matches!(e, MeetingEvent::Join { tab_id: 4, .. }));
    for bad in [
        serde_json::json!({ "type": "leave", "tabId": 1, "extra": true }),
        serde_json::json!({ "type": "browserStart", "x": 1 }),
        serde_json::json!({ "type": "dance" }),
        serde_json::json!({ "type": "join", "tabId": 1, "site": "skype", "meetingId": "x" }),
        serde_json::json!({ "type": "leave" }),
        serde_json::json!({ "type": "leave", "tabId": 1, "site": "zoom" }),
        serde_json::json!({ "type": "leave", "tabId": 1.5 }),
        serde_json::json!({ "type": "configure", "status": 200 }),
        serde_json::json!({ "type": "configure", "status": "Away" }),
        serde_json::json!({ "type": "requestResult", "request": "set", "ok": false, "status": "Busy" }),
        serde_json::json!({ "type": "requestResult", "request": "set" }),
        serde_json::json!({ "type": "workerStart" }),
        serde_json::json!({ "type": "presenceRead", "availability": "Busy" }),
    ] {
        assert!(serde_json::from_value::<MeetingEvent>(bad.clone()).is_err(), "{bad}");
    }
    let e: MeetingEvent =
        serde_json::from_value(serde_json::json!({ "type": "configure", "status": "DoNotDisturb" })).unwrap();
    assert_eq!(
        e,
        MeetingEvent::Configure {
            status: Some(presence_switch::meeting::MeetingStatus::DoNotDisturb),
            safety_expiry: None
        }
    );
    let e: MeetingEvent =
        serde_json::from_value(serde_json::json!({ "type": "tabNavigated", "tabId": 2, "meeting": null })).unwrap();
    assert_eq!(e, MeetingEvent::TabNavigated { tab_id: 2, meeting: None });
    for bad_phase in [
        serde_json::json!({ "type": "setting" }),
        serde_json::json!({ "type": "idle", "ours": null, "resume": { "x": 1 } }),
        serde_json::json!({ "type": "checking" }),
        serde_json::json!({ "type": "nap" }),
    ] {
        let state = serde_json::json!({ "phase": bad_phase });
        assert!(serde_json::from_value::<MeetingState>(state.clone()).is_err(), "{state}");
    }
    assert_eq!(
        serde_json::to_value(Effect::ReadPresence { purpose: ReadPurpose::BeforeRestore }).unwrap(),
        serde_json::json!({ "type": "readPresence", "purpose": "beforeRestore" })
    );
    assert_eq!(
        serde_json::to_value(Effect::ClearPreferredPresence {}).unwrap(),
        serde_json::json!({ "type": "clearPreferredPresence" })
    );
    assert_eq!(
        serde_json::to_value(Effect::ScheduleRetry { at_ms: 5.0 }).unwrap(),
        serde_json::json!({ "type": "scheduleRetry", "atMs": 5.0 })
    );
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let cases: Vec<(Option<MeetingState>, MeetingEvent, f64)> = vec![
        (None, MeetingEvent::RetryDue {}, f64::NAN),
        (None, MeetingEvent::RetryDue {}, f64::INFINITY),
        (None, MeetingEvent::RetryDue {}, -1.0),
        (None, leave(-1), T0),
        (None, join(-5), T0),
        (None, join(1 << 60), T0),
        (None, MeetingEvent::WorkerStart { live_tab_ids: vec![1, -2] }, T0),
        (None, MeetingEvent::Join { tab_id: 1, site: Site::Zoom, meeting_id: String::new(), own_preferred: None }, T0),
        (None, presence("", "Busy"), T0),
        (None, presence("Busy Busy", "Busy"), T0),
        (
            None,
            MeetingEvent::RequestResult {
                request: RequestKind::Set,
                ok: false,
                retry_after_ms: Some(f64::NAN),
                status: None,
            },
            T0,
        ),
        (
            None,
            MeetingEvent::RequestResult {
                request: RequestKind::Set,
                ok: false,
                retry_after_ms: None,
                status: Some(42),
            },
            T0,
        ),
        (
            None,
            MeetingEvent::Join {
                tab_id: 1,
                site: Site::Zoom,
                meeting_id: "1".into(),
                own_preferred: Some(OwnPreferred {
                    availability: "Busy".into(),
                    activity: "InACall".into(),
                    expires_at_ms: T0,
                }),
            },
            T0,
        ),
    ];
    for (state, event, now) in cases {
        let got = meeting_step(state, event.clone(), now);
        assert!(
            matches!(got.as_ref().map_err(PresenceError::kind), Err(Kind::InvalidMeeting { .. })),
            "{event:?} at {now}: {got:?}"
        );
    }
    let dup: MeetingState = serde_json::from_value(serde_json::json!({
        "tabs": [
            { "tabId": 1, "site": "zoom", "meetingId": "1", "joinedAtMs": 0 },
            { "tabId": 1, "site": "zoom", "meetingId": "1", "joinedAtMs": 0 }
        ]
    }))
    .unwrap();
    assert!(matches!(
        meeting_step(Some(dup), MeetingEvent::RetryDue {}, T0).as_ref().map_err(PresenceError::kind),
        Err(Kind::InvalidMeeting { field: "tabs", .. })
    ));
    let bad_cfg: MeetingState =
        serde_json::from_value(serde_json::json!({ "config": { "safetyExpirySeconds": 0 } })).unwrap();
    assert!(meeting_step(Some(bad_cfg), MeetingEvent::RetryDue {}, T0).is_err());
}

#[test]
fn a_stored_state_that_wants_a_write_reads_first() {
    let stored: MeetingState = serde_json::from_value(serde_json::json!({
        "tabs": [{ "tabId": 1, "site": "zoom", "meetingId": "123456789", "joinedAtMs": T0 }],
        "phase": { "type": "setting", "before": { "availability": "Available", "activity": "Available" } }
    }))
    .unwrap();
    let out = meeting_step(Some(stored), MeetingEvent::RetryDue {}, T0).unwrap();
    assert_eq!(out.effects, [read(ReadPurpose::Snapshot)]);
    let stored: MeetingState = serde_json::from_value(serde_json::json!({
        "phase": { "type": "restoring", "ours": {
            "availability": "Busy", "activity": "Busy", "expiresAtMs": T0 + 3_600_000.0,
            "before": { "availability": "Available", "activity": "Available" } } }
    }))
    .unwrap();
    let out = meeting_step(Some(stored), MeetingEvent::RetryDue {}, T0).unwrap();
    assert_eq!(out.effects, [read(ReadPurpose::BeforeRestore)]);
}
