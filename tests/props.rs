//! Property tests: duration round trips, and no input makes the core panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use presence_switch::duration::{self, MAX_SECONDS};
use presence_switch::request::{build, RequestInput};
use presence_switch::response::{interpret, ResponseBody, ResponseInput};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn whole_seconds_round_trip(seconds in 1u64..=MAX_SECONDS) {
        let iso = duration::format_seconds(seconds as f64).expect("formats").to_iso();
        let back = duration::parse("expiration", &iso).expect("parses its own output");
        prop_assert_eq!(back.whole_seconds(), seconds);
        prop_assert_eq!(back.seconds_f64(), seconds as f64);
        prop_assert_eq!(back.to_iso(), iso);
    }

    #[test]
    fn millisecond_fractions_round_trip(whole in 0u64..(1u64 << 40), millis in 1u32..1000) {
        let seconds: f64 = format!("{whole}.{millis:03}").parse().expect("decimal");
        let iso = duration::format_seconds(seconds).expect("formats").to_iso();
        let back = duration::parse("expiration", &iso).expect("parses");
        prop_assert_eq!(back.seconds_f64(), seconds, "{}", iso);
    }

    #[test]
    fn canonical_output_is_a_fixed_point(d in 0u64..100_000, h in 0u64..1000, m in 0u64..1000, s in 0u64..100_000) {
        prop_assume!(d + h + m + s > 0);
        let iso = duration::parse("expiration", &format!("P{d}DT{h}H{m}M{s}S")).expect("valid").to_iso();
        prop_assert!(!iso.contains('W') && !iso.contains('-'));
        prop_assert_eq!(duration::parse("expiration", &iso).expect("valid").to_iso(), iso.clone());
        let expected = d * 86_400 + h * 3_600 + m * 60 + s;
        prop_assert_eq!(duration::parse("expiration", &iso).expect("valid").whole_seconds(), expected);
    }

    #[test]
    fn friendly_and_iso_agree(h in 0u64..500, m in 0u64..500) {
        prop_assume!(h + m > 0);
        let friendly = duration::parse("expiration", &format!("{h}h {m}m")).expect("friendly");
        let iso = duration::parse("expiration", &format!("PT{h}H{m}M")).expect("iso");
        prop_assert_eq!(friendly, iso);
    }

    #[test]
    fn no_string_makes_duration_parsing_panic(text in "\\PC{0,40}") {
        let _ = duration::parse("expiration", &text);
        let _ = duration::parse_expiry(&text, 1.7e12, -60.0);
    }

    #[test]
    fn no_duration_like_string_panics(text in "[-+PpTtWwDdHhMmSsYy0-9.,: ]{0,24}") {
        if let Ok(d) = duration::parse("expiration", &text) {
            prop_assert!(d.whole_seconds() <= MAX_SECONDS);
            let again = duration::parse("expiration", &d.to_iso()).expect("canonical output parses");
            prop_assert_eq!(again, d);
        }
    }

    #[test]
    fn no_number_makes_formatting_panic(x in proptest::num::f64::ANY) {
        if let Ok(d) = duration::format_seconds(x) {
            prop_assert!(x > 0.0);
            prop_assert!(duration::parse("expiration", &d.to_iso()).is_ok());
        }
        let _ = duration::until(x, 1.0e12);
        let _ = duration::until(1.0e12, x);
    }

    #[test]
    fn no_request_input_panics(
        action in prop::sample::select(vec!["setUserPreferredPresence", "clearUserPreferredPresence", "setPresence", "clearPresence", "getPresence", "setStatusMessage", "x"]),
        user in prop::option::of("\\PC{0,30}"),
        availability in prop::option::of("[A-Za-z]{0,14}"),
        expiration in prop::option::of("\\PC{0,12}"),
        session in prop::option::of("[0-9a-f-]{0,40}"),
        message in prop::option::of("\\PC{0,300}"),
        cloud in prop::option::of(prop::sample::select(vec!["global", "usGovL4", "usGovL5", "china", "custom", "?"])),
        base in prop::option::of("\\PC{0,30}"),
    ) {
        let input = RequestInput {
            action: action.to_owned(),
            cloud: cloud.map(str::to_owned),
            graph_base_url: base,
            user_id: user,
            availability,
            expiration,
            session_id: session,
            message,
            ..RequestInput::default()
        };
        if let Ok(r) = build(&input, "11111111-2222-4333-8444-555555555555") {
            prop_assert!(r.url.contains("/v1.0/"));
            if let Some(body) = r.body {
                prop_assert!(serde_json::from_str::<serde_json::Value>(&body).is_ok(), "body is JSON: {}", body);
            }
        }
    }

    #[test]
    fn no_http_date_panics(text in "[A-Za-z]{3}, [-+0-9]{1,20} [A-Za-z]{3} [-+0-9]{1,20} [-+0-9:]{1,30} GMT") {
        let _ = presence_switch::response::parse_http_date(&text);
    }

    #[test]
    fn no_response_panics(status in 0u16..600, body in prop::option::of("\\PC{0,80}"), retry in "\\PC{0,30}", attempt in 0u32..20) {
        let input = ResponseInput {
            status,
            headers: [("Retry-After".to_owned(), retry)].into_iter().collect(),
            body: body.clone(),
            attempt,
            waited_seconds: 0.0,
            now_ms: Some(1.7e12),
            jitter: Some(0.3),
        };
        let parsed: Option<ResponseBody> = body.as_deref().and_then(|b| serde_json::from_str(b).ok());
        let r = interpret(&input, parsed.as_ref()).expect("never fails for a bad body");
        prop_assert_eq!(r.ok, (200..300).contains(&status));
        if let Some(e) = r.error {
            if let Some(s) = e.retry_after_seconds {
                prop_assert!(s.is_finite() && s >= 0.0);
            }
        }
    }
}
