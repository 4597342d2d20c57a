//! Native micro-benchmarks of the hot core calls: `cargo bench --bench core` (or `./build.sh bench`).
//!
//! A plain harness instead of criterion, which would add a large dependency tree for three
//! numbers: each case runs 31 batches sized to about 20 ms, and reports the median and p95 time
//! per call across batches.

use std::hint::black_box;
use std::time::{Duration, Instant};

use presence_switch::duration;
use presence_switch::request::{build, RequestInput};

fn measure(name: &str, mut f: impl FnMut()) -> (f64, f64) {
    // Size a batch to ~20 ms.
    let mut per_batch = 1u64;
    loop {
        let start = Instant::now();
        for _ in 0..per_batch {
            f();
        }
        if start.elapsed() > Duration::from_millis(20) || per_batch > 1 << 30 {
            break;
        }
        per_batch *= 2;
    }
    let mut samples: Vec<f64> = (0..31)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            start.elapsed().as_nanos() as f64 / per_batch as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    let (median, p95) = (samples[15], samples[29]);
    println!("{name:<44} median {median:>9.1} ns   p95 {p95:>9.1} ns   ({per_batch} calls × 31 batches)");
    (median, p95)
}

fn main() {
    let preferred = RequestInput {
        action: "setUserPreferredPresence".into(),
        availability: Some("DoNotDisturb".into()),
        expiration: Some("PT1H30M".into()),
        ..RequestInput::default()
    };
    let by_upn = RequestInput {
        action: "setUserPreferredPresence".into(),
        cloud: Some("usGovL4".into()),
        user_id: Some("adele.vance@contoso.com".into()),
        availability: Some("busy".into()),
        expiration: Some("1h 30m".into()),
        ..RequestInput::default()
    };
    let id = "11111111-2222-4333-8444-555555555555";
    measure("buildRequest setUserPreferredPresence /me", || {
        black_box(build(black_box(&preferred), id).ok());
    });
    measure("buildRequest usGovL4, UPN, friendly duration", || {
        black_box(build(black_box(&by_upn), id).ok());
    });
    measure("parseDuration \"PT1H30M\"", || {
        black_box(duration::parse("expiration", black_box("PT1H30M")).ok());
    });
    measure("parseDuration \"P12DT23H59M59.999999999999S\"", || {
        black_box(duration::parse("expiration", black_box("P12DT23H59M59.999999999999S")).ok());
    });
    measure("parseDuration \"1h 30m\"", || {
        black_box(duration::parse("expiration", black_box("1h 30m")).ok());
    });
    measure("parseDuration refusal \"PT1.5H\"", || {
        black_box(duration::parse("expiration", black_box("PT1.5H")).err());
    });
}
