//! Edm.Duration parsing, refusal messages, canonical output and expiry arithmetic
//! (issue "Core" §2; graph-presence.md §8).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use presence_switch::duration::{self, EffectiveExpiryInput, MAX_SECONDS};

fn iso(input: &str) -> String {
    match duration::parse("expiration", input) {
        Ok(d) => d.to_iso(),
        Err(e) => panic!("{input:?} was refused: {e}"),
    }
}

fn refusal(input: &str) -> String {
    match duration::parse("expiration", input) {
        Ok(d) => panic!("{input:?} was accepted as {}", d.to_iso()),
        Err(e) => {
            assert_eq!(e.code(), "invalidDuration", "{input:?}: {e}");
            assert_eq!(e.field(), Some("expiration"));
            e.to_string()
        }
    }
}

#[test]
fn accepts_the_odata_form_and_emits_the_canonical_one() {
    for (input, want) in [
        ("PT5M", "PT5M"),
        ("PT1H30M", "PT1H30M"),
        ("PT4H", "PT4H"),
        ("P1D", "P1D"),
        ("P7D", "P7D"),
        ("P1DT2H", "P1DT2H"),
        ("PT8H", "PT8H"),
        ("PT90M", "PT1H30M"),
        ("PT24H", "P1D"),
        ("PT3600S", "PT1H"),
        ("P1DT0H", "P1D"),
        ("PT1.50S", "PT1.5S"),
        ("PT0.5S", "PT0.5S"),
        ("PT59.999999999999S", "PT59.999999999999S"),
        ("P12DT23H59M59.999999999999S", "P12DT23H59M59.999999999999S"),
        ("PT1H0M0S", "PT1H"),
        ("PT61S", "PT1M1S"),
        ("PT1440M", "P1D"),
        ("PT36H", "P1DT12H"),
        ("P0DT1M", "PT1M"),
        ("PT0H5M", "PT5M"),
        ("pt1h30m", "PT1H30M"),
        ("  PT30M  ", "PT30M"),
        ("P730D", "P730D"),
    ] {
        assert_eq!(iso(input), want, "{input}");
    }
}

#[test]
fn accepts_weeks_alone_and_never_emits_them() {
    assert_eq!(iso("P1W"), "P7D");
    assert_eq!(iso("P2W"), "P14D");
    assert_eq!(iso("p3w"), "P21D");
    assert!(refusal("P1W2D").contains("weeks (W) can only stand alone"));
    assert!(refusal("PT1W").contains("weeks (W) can only stand alone"));
}

#[test]
fn accepts_friendly_input() {
    for (input, want) in [
        ("90m", "PT1H30M"),
        ("1h30m", "PT1H30M"),
        ("1h 30m", "PT1H30M"),
        ("1H 30M", "PT1H30M"),
        ("2d", "P2D"),
        ("1w", "P7D"),
        ("1w 1d", "P8D"),
        ("45s", "PT45S"),
        ("30 m", "PT30M"),
        ("3600s", "PT1H"),
        ("30m 1h", "PT1H30M"),
    ] {
        assert_eq!(iso(input), want, "{input}");
    }
}

#[test]
fn refuses_each_kind_of_bad_input_with_its_own_message() {
    for (input, says) in [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("-PT1H", "a sign is not allowed"),
        ("+PT1H", "a sign is not allowed"),
        ("PT-1H", "a sign is not allowed"),
        ("-90m", "a sign is not allowed"),
        ("PT0S", "it is zero"),
        ("P0D", "it is zero"),
        ("0m", "it is zero"),
        ("PT0.000S", "it is zero"),
        ("P1Y", "years (Y) are not part of Edm.Duration"),
        ("P1M", "months (M before T) are not part of Edm.Duration"),
        ("P1Y2M3D", "years (Y)"),
        ("PT1D", "days (D) must come before T"),
        ("P1H", "H must come after T"),
        ("P30S", "S must come after T"),
        ("PT1H1D", "days (D) must come before T"),
        ("PT1H1H", "hours (H) appear twice"),
        ("P1D1D", "days (D) appear twice"),
        ("PT1M1H", "hours (H) are out of order"),
        ("PTT1H", "T appears twice"),
        ("P1DT1HT2M", "T appears twice"),
        ("PT1.5H", "only seconds may have a fraction"),
        ("P1.5D", "only seconds may have a fraction"),
        ("PT1,5S", "comma decimals are not allowed"),
        ("PT1.S", "a decimal point must be followed by digits"),
        ("PT1H30", "the number 30 has no designator"),
        ("PT1HX", "unexpected character 'X'"),
        ("PT1H ", "PT1H"), // trailing spaces are trimmed, so this is fine: checked below
        ("P", "P alone has no components"),
        ("PT", "T must be followed by hours, minutes or seconds"),
        ("P1DT", "T must be followed by hours, minutes or seconds"),
        ("PTH", "designator H has no number before it"),
        ("PT1H30Mjunk", "unexpected character 'J'"),
        ("90", "90 has no unit"),
        ("1.5h", "whole numbers"),
        ("1,5h", "whole numbers"),
        ("1h 1h", "the unit h appears twice"),
        ("1x", "unknown unit 'x'"),
        ("1h30mfoo", "unexpected 'f'"),
        ("soon", "expected an ISO 8601 duration or a friendly one"),
        ("2:00:00", "2:00:00"),
        ("PT99999999999999999999H", "longer than the maximum"),
        ("P104249991375D", "longer than the maximum"),
        ("99999999999999999999999s", "longer than the maximum"),
        ("PT1.1234567890123S", "at most 12 fractional digits"),
        ("P\u{00c4}", "unexpected character"),
    ] {
        if input == "PT1H " {
            assert_eq!(iso(input), "PT1H");
            continue;
        }
        let message = refusal(input);
        assert!(message.contains(says), "{input:?}: {message:?} should say {says:?}");
        assert!(message.contains(&format!("\"{input}\"")), "{input:?}: the message quotes the input: {message}");
    }
}

#[test]
fn accepts_the_largest_duration_and_refuses_one_more_second() {
    let max = duration::format_seconds(MAX_SECONDS as f64).expect("max");
    let parsed = duration::parse("expiration", &max.to_iso()).expect("max parses");
    assert_eq!(parsed.whole_seconds(), MAX_SECONDS);
    assert!(duration::parse("expiration", &format!("PT{}S", MAX_SECONDS + 1)).is_err());
}

#[test]
fn formats_seconds_canonically() {
    for (seconds, want) in [
        (1.0, "PT1S"),
        (60.0, "PT1M"),
        (5400.0, "PT1H30M"),
        (86_400.0, "P1D"),
        (604_800.0, "P7D"),
        (90_061.0, "P1DT1H1M1S"),
        (1.5, "PT1.5S"),
        (0.1, "PT0.1S"),
        (0.30000000000000004, "PT0.3S"),
        (59.9999999999, "PT1M"),
    ] {
        assert_eq!(duration::format_seconds(seconds).expect("valid").to_iso(), want, "{seconds}");
    }
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300, 1e-12] {
        let err = duration::format_seconds(bad).expect_err("refused");
        assert_eq!(err.code(), "invalidDuration", "{bad}");
    }
}

#[test]
fn until_rounds_up_to_the_minute_and_refuses_the_past() {
    let now = 1_764_590_400_000.0; // 2025-12-01T12:00:00Z
    let d = duration::until(now, now + 90.0 * 60_000.0 + 1.0).expect("future");
    assert_eq!(d.to_iso(), "PT1H31M");
    assert_eq!(duration::until(now, now + 1.0).expect("future").to_iso(), "PT1M");
    assert_eq!(duration::until(now, now + 7.0 * 86_400_000.0).expect("future").to_iso(), "P7D");
    for target in [now, now - 1.0] {
        let err = duration::until(now, target).expect_err("past");
        assert_eq!(err.code(), "targetInPast");
        assert_eq!(err.field(), Some("targetMs"));
    }
    assert_eq!(duration::until(f64::NAN, now).expect_err("nan").code(), "invalidInput");
}

#[test]
fn effective_expiry_reports_graph_defaults() {
    let now = 1_000.0;
    for (availability, want, seconds) in [
        ("Busy", "P1D", 86_400.0),
        ("DoNotDisturb", "P1D", 86_400.0),
        ("Available", "P7D", 604_800.0),
        ("BeRightBack", "P7D", 604_800.0),
        ("Away", "P7D", 604_800.0),
        ("Offline", "P7D", 604_800.0),
        ("busy", "P1D", 86_400.0),
    ] {
        let e = duration::effective_expiry(&EffectiveExpiryInput {
            availability: availability.into(),
            expiration: None,
            now_ms: now,
        })
        .expect("valid");
        assert_eq!(e.iso, want, "{availability}");
        assert!(e.is_default);
        assert_eq!(e.until_ms, now + seconds * 1000.0);
    }
    let e = duration::effective_expiry(&EffectiveExpiryInput {
        availability: "Busy".into(),
        expiration: Some("90m".into()),
        now_ms: now,
    })
    .expect("valid");
    assert_eq!((e.iso.as_str(), e.seconds, e.until_ms, e.is_default), ("PT1H30M", 5400.0, now + 5_400_000.0, false));
    let err =
        duration::effective_expiry(&EffectiveExpiryInput { availability: "Bsy".into(), expiration: None, now_ms: now })
            .expect_err("unknown availability");
    assert_eq!(err.code(), "invalidValue");
    assert!(err.to_string().contains("Available, Busy, DoNotDisturb, BeRightBack, Away, Offline"));
}

#[test]
fn parse_expiry_understands_until_a_local_time() {
    // 2026-12-01T12:00:00Z; Berlin is UTC+1 in winter, so getTimezoneOffset() is -60.
    let now = 1_796_126_400_000.0;
    let e = duration::parse_expiry("until 17:30", now, -60.0).expect("valid");
    assert_eq!(e.iso, "PT4H30M", "12:00Z is 13:00 in Berlin");
    let e = duration::parse_expiry("bis 9:05", now, -60.0).expect("valid");
    assert_eq!(e.iso, "PT20H5M", "09:05 has passed today, so it means tomorrow");
    let e = duration::parse_expiry("17:30", now, 0.0).expect("valid");
    assert_eq!(e.iso, "PT5H30M");
    let e = duration::parse_expiry("until 13:00", now, -60.0).expect("valid");
    assert_eq!(e.iso, "P1D", "exactly now means the next occurrence");
    assert_eq!(duration::parse_expiry("90m", now, -60.0).expect("valid").iso, "PT1H30M");
    assert_eq!(duration::parse_expiry("PT2H", now, 300.0).expect("valid").until_ms, now + 7_200_000.0);
    for bad in ["until 25:00", "until 17:60", "until 5pm", "until", "until 17:3"] {
        let err = duration::parse_expiry(bad, now, -60.0).expect_err(bad);
        assert_eq!(err.code(), "invalidDuration", "{bad}");
    }
    assert_eq!(duration::parse_expiry("1h", now, 5000.0).expect_err("offset").code(), "invalidInput");
}
