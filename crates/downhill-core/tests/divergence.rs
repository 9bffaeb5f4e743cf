//! The divergence matrix: every racer × every landscape × lr from 1e-6 to 1e6,
//! with and without clipping and noise (with noise, also mini-batches).
//! Nothing panics, nothing non-finite is ever recorded, divergence is a state
//! with its step, and a diverging racer never changes the others.

use downhill_core::race::{Race, RaceConfig, RacerStatus};
use downhill_core::{Hyper, Landscape, OptimizerKind};

const STEPS: u64 = 120;

fn config(l: Landscape, lr: f64, clip: Option<f64>, noise: f64) -> RaceConfig {
    let mut c = RaceConfig::new(l);
    c.racers = OptimizerKind::ALL
        .iter()
        .map(|&k| {
            let mut h = Hyper::defaults(k);
            h.set("lr", lr).unwrap();
            h
        })
        .collect();
    c.clip = clip;
    c.noise = noise;
    c.seed = 11;
    // With noise, also mini-batches (only the regression has data to batch).
    c.batch = if noise > 0.0 { 16 } else { 0 };
    c.history_cap = 64; // exercise decimation too
    c
}

#[test]
fn every_racer_landscape_and_rate_gives_a_state_never_a_nan() {
    let mut diverged = 0;
    for l in Landscape::ALL {
        for lr in [1e-6, 1e-3, 1.0, 1e3, 1e6] {
            for clip in [None, Some(1.0)] {
                for noise in [0.0, 0.5] {
                    let mut race = Race::new(config(l, lr, clip, noise));
                    race.run(STEPS);
                    assert_eq!(race.step_count(), STEPS);
                    for r in race.racers() {
                        for s in r.trace().samples() {
                            assert!(
                                s.theta.is_finite() && s.loss.is_finite(),
                                "{l:?} {} lr {lr}: non-finite sample at step {}",
                                r.kind().slug(),
                                s.step
                            );
                        }
                        assert!(r.theta().is_finite() && r.loss().is_finite());
                        if let RacerStatus::Diverged { step } = r.status() {
                            diverged += 1;
                            assert!((1..=STEPS).contains(&step));
                            assert!(r.trace().samples().iter().all(|s| s.step < step));
                        }
                    }
                }
            }
        }
    }
    assert!(diverged > 0, "lr 1e6 must make some racers diverge");
}

#[test]
fn a_diverging_racer_leaves_the_others_unchanged() {
    for l in Landscape::ALL {
        let mut mixed = config(l, 1e-2, None, 0.3);
        // SGD at lr 1e6 diverges at once; the others keep their lr.
        mixed.racers[0].set("lr", 1e6).unwrap();
        let mut race = Race::new(mixed.clone());
        race.run(STEPS);
        assert!(
            race.racers()[0].diverged_at().is_some(),
            "{l:?}: sgd at lr 1e6"
        );
        for (i, h) in mixed.racers.iter().enumerate().skip(1) {
            let mut solo = mixed.clone();
            solo.racers = vec![*h];
            let mut alone = Race::new(solo);
            alone.run(STEPS);
            assert_eq!(
                race.racers()[i].theta(),
                alone.racers()[0].theta(),
                "{l:?} {}",
                h.kind().slug()
            );
        }
    }
}
