//! Long runs (issue 7): a 10⁶-step race of all 14 racers on every landscape.
//! Nothing panics, each racer's history stays within its cap at evenly spaced
//! steps, and decimating the history never touches the racers' state.
//!
//! Ignored in debug builds (about a minute there); `cargo xtask test` runs it
//! in release: `cargo test -p downhill-core --release --test long_runs -- --ignored`.

use downhill_core::optim::Internals;
use downhill_core::race::{Race, RaceConfig, RacerStatus};
use downhill_core::scenario::Scenario;
use downhill_core::trace::{Sample, DEFAULT_CAP};
use downhill_core::{Landscape, Schedule, ScheduleKind};
use std::mem::size_of;

const STEPS: u64 = 1_000_000;

/// The page's race on `l`, plus noise, clipping and a schedule, so that every
/// per-step branch runs for a million steps.
fn config(l: Landscape, record_internals: bool) -> RaceConfig {
    let mut c = Scenario::preset(l).race_config();
    c.noise = 0.05;
    c.seed = 3;
    c.clip = Some(10.0);
    c.schedule = Schedule::new(ScheduleKind::CosineAnnealingLr);
    c.record_internals = record_internals;
    c
}

fn bits(s: &Sample) -> [u64; 8] {
    [
        s.step,
        s.theta.x.to_bits(),
        s.theta.y.to_bits(),
        s.loss.to_bits(),
        s.grad.x.to_bits(),
        s.grad.y.to_bits(),
        s.delta.x.to_bits(),
        s.lr.to_bits(),
    ]
}

#[test]
#[ignore = "10⁶ steps × 14 racers × 6 landscapes: run in release (cargo xtask test does)"]
fn a_million_steps_keep_history_bounded_and_state_exact() {
    for l in Landscape::ALL {
        for record_internals in [false, true] {
            let mut long = Race::new(config(l, record_internals));
            long.run(STEPS);
            assert_eq!(long.step_count(), STEPS);
            // The same race keeping only 16 samples per racer.
            let mut small = config(l, record_internals);
            small.history_cap = 16;
            let mut small = Race::new(small);
            small.run(STEPS);
            for (r, s) in long.racers().iter().zip(small.racers()) {
                let name = format!("{l:?} {} internals {record_internals}", r.kind().slug());
                // Bounded: at most `cap` samples, evenly spaced at a power of two.
                let t = r.trace();
                assert!(t.samples().len() <= DEFAULT_CAP, "{name}");
                assert!(
                    t.heap_bytes() <= DEFAULT_CAP * (size_of::<Sample>() + size_of::<Internals>()),
                    "{name}: {} bytes",
                    t.heap_bytes()
                );
                let stride = t.stride();
                assert!(stride.is_power_of_two(), "{name}");
                for (i, x) in t.samples().iter().enumerate() {
                    assert_eq!(x.step, i as u64 * stride, "{name}");
                    assert!(x.theta.is_finite() && x.loss.is_finite(), "{name}");
                }
                let last = t.last().unwrap().step;
                match r.status() {
                    RacerStatus::Diverged { step } => assert!(last < step, "{name}"),
                    _ => {
                        assert!(STEPS - last < stride, "{name}: last kept {last}");
                        // A million steps outgrow the cap: it was decimated.
                        assert!(stride > 1, "{name}");
                    }
                }
                if record_internals {
                    assert!(t.internals_at(last).is_some(), "{name}");
                }
                // Exact: the state does not depend on how much history is kept...
                assert_eq!(r.theta(), s.theta(), "{name}");
                assert_eq!(r.loss().to_bits(), s.loss().to_bits(), "{name}");
                assert_eq!(r.status(), s.status(), "{name}");
                // ...and what the small trace kept, the large one holds, bit for bit.
                assert!(s.trace().stride() >= stride, "{name}");
                for x in s.trace().samples() {
                    let y = t.at(x.step).unwrap();
                    assert_eq!(bits(x), bits(y), "{name}: step {}", x.step);
                }
            }
        }
    }
}

#[test]
#[ignore = "runs a million-step race twice: run in release (cargo xtask test does)"]
fn a_kept_sample_is_the_state_a_shorter_race_ends_in() {
    let l = Landscape::Rosenbrock;
    let mut long = Race::new(config(l, false));
    long.run(STEPS);
    let stride = long.racers()[0].trace().stride();
    // A sample kept late in the long race equals the end of a race stopped there.
    let k = (STEPS / 2 / stride) * stride;
    let mut short = Race::new(config(l, false));
    short.run(k);
    for (r, s) in long.racers().iter().zip(short.racers()) {
        if r.diverged_at().is_some_and(|d| d <= k) {
            continue;
        }
        let x = r.trace().at(k).unwrap();
        assert_eq!(x.step, k);
        assert_eq!(x.theta, s.theta(), "{}", r.kind().slug());
        assert_eq!(x.loss.to_bits(), s.loss().to_bits(), "{}", r.kind().slug());
    }
}
