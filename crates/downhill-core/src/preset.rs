//! The preset of each landscape: the start point and per-racer learning rates
//! tuned so that the race reads well and the landscape's lesson shows. Data in
//! one place; a preset sets nothing else (schedule constant, no clipping, no
//! noise, multiplier 1). `tests::presets_tell_their_lessons` checks the lessons.

use crate::landscape::Landscape;
use crate::optim::{Hyper, OptimizerKind};
use crate::vec2::Vec2;

/// (optimizer, [(hyperparameter, value)]) overrides of the optimizer defaults.
type Overrides = &'static [(OptimizerKind, &'static [(&'static str, f64)])];

use OptimizerKind::*;

const BOWL: Overrides = &[
    (Sgd, &[("lr", 0.05)]),
    (Momentum, &[("lr", 0.01)]),
    (Nesterov, &[("lr", 0.01)]),
    (Adagrad, &[("lr", 1.0)]),
    (Rmsprop, &[("lr", 0.02)]),
    (Adadelta, &[("lr", 1.0)]),
    (Adam, &[("lr", 0.05)]),
    (Amsgrad, &[("lr", 0.05)]),
    (Adamw, &[("lr", 0.05)]),
    (Nadam, &[("lr", 0.05)]),
    (Lion, &[("lr", 0.02)]),
    (Lamb, &[("lr", 0.02)]),
    (Muon, &[("lr", 0.03)]),
    (Shampoo, &[("lr", 1.0), ("eps", 1.0)]),
];

const RAVINE: Overrides = &[
    (Sgd, &[("lr", 0.45)]),
    (Momentum, &[("lr", 0.02)]),
    (Nesterov, &[("lr", 0.02)]),
    (Adagrad, &[("lr", 1.0)]),
    (Rmsprop, &[("lr", 0.02)]),
    (Adadelta, &[("lr", 1.0)]),
    (Adam, &[("lr", 0.05)]),
    (Amsgrad, &[("lr", 0.05)]),
    (Adamw, &[("lr", 0.05)]),
    (Nadam, &[("lr", 0.05)]),
    (Lion, &[("lr", 0.03)]),
    (Lamb, &[("lr", 0.02)]),
    (Muon, &[("lr", 0.03)]),
    (Shampoo, &[("lr", 1.0)]),
];

const SADDLE: Overrides = &[
    (Sgd, &[("lr", 0.01)]),
    (Momentum, &[("lr", 0.01)]),
    (Nesterov, &[("lr", 0.01)]),
    (Adagrad, &[("lr", 0.5)]),
    (Rmsprop, &[("lr", 0.01)]),
    (Adadelta, &[("lr", 1.0)]),
    (Adam, &[("lr", 0.02)]),
    (Amsgrad, &[("lr", 0.02)]),
    (Adamw, &[("lr", 0.02)]),
    (Nadam, &[("lr", 0.02)]),
    (Lion, &[("lr", 0.01)]),
    (Lamb, &[("lr", 0.01)]),
    (Muon, &[("lr", 0.02)]),
    (Shampoo, &[("lr", 0.5)]),
];

const ROSENBROCK: Overrides = &[
    (Sgd, &[("lr", 1e-3)]),
    (Momentum, &[("lr", 2e-4)]),
    (Nesterov, &[("lr", 2e-4)]),
    (Adagrad, &[("lr", 0.5)]),
    (Rmsprop, &[("lr", 2e-3)]),
    (Adadelta, &[("lr", 1.0)]),
    (Adam, &[("lr", 0.02)]),
    (Amsgrad, &[("lr", 0.02)]),
    (Adamw, &[("lr", 0.02)]),
    (Nadam, &[("lr", 0.02)]),
    (Lion, &[("lr", 2e-3)]),
    (Lamb, &[("lr", 5e-3)]),
    (Muon, &[("lr", 5e-3)]),
    (Shampoo, &[("lr", 0.2)]),
];

const BEALE: Overrides = &[
    (Sgd, &[("lr", 1e-3)]),
    (Momentum, &[("lr", 1e-3)]),
    (Nesterov, &[("lr", 1e-3)]),
    (Adagrad, &[("lr", 0.5)]),
    (Rmsprop, &[("lr", 5e-3)]),
    (Adadelta, &[("lr", 1.0)]),
    (Adam, &[("lr", 0.05)]),
    (Amsgrad, &[("lr", 0.05)]),
    (Adamw, &[("lr", 0.05)]),
    (Nadam, &[("lr", 0.05)]),
    (Lion, &[("lr", 5e-3)]),
    (Lamb, &[("lr", 0.01)]),
    (Muon, &[("lr", 0.01)]),
    (Shampoo, &[("lr", 0.3)]),
];

const ROTATED_RAVINE: Overrides = RAVINE;

const REGRESSION: Overrides = &[
    (Sgd, &[("lr", 0.1)]),
    (Momentum, &[("lr", 0.02)]),
    (Nesterov, &[("lr", 0.02)]),
    (Adagrad, &[("lr", 1.0)]),
    (Rmsprop, &[("lr", 0.02)]),
    (Adadelta, &[("lr", 1.0)]),
    (Adam, &[("lr", 0.05)]),
    (Amsgrad, &[("lr", 0.05)]),
    (Adamw, &[("lr", 0.05)]),
    (Nadam, &[("lr", 0.05)]),
    (Lion, &[("lr", 0.01)]),
    (Lamb, &[("lr", 0.01)]),
    (Muon, &[("lr", 0.02)]),
    (Shampoo, &[("lr", 0.5)]),
];

/// The preset start point of `l` (its classic start).
pub fn start(l: Landscape) -> Vec2 {
    l.start()
}

/// The preset hyperparameters of every racer on `l`, in `OptimizerKind::ALL` order.
pub fn hypers(l: Landscape) -> Vec<Hyper> {
    let table = match l {
        Landscape::Bowl => BOWL,
        Landscape::Ravine => RAVINE,
        Landscape::Saddle => SADDLE,
        Landscape::Rosenbrock => ROSENBROCK,
        Landscape::Beale => BEALE,
        Landscape::RotatedRavine => ROTATED_RAVINE,
        Landscape::Regression => REGRESSION,
    };
    OptimizerKind::ALL
        .iter()
        .map(|&k| {
            let mut h = Hyper::defaults(k);
            for (_, sets) in table.iter().filter(|(kind, _)| *kind == k) {
                for (name, v) in sets.iter() {
                    // The tables are checked by the tests below; a bad entry
                    // leaves the default rather than failing at run time.
                    let _ = h.set(name, *v);
                }
            }
            h
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::race::{Race, RaceConfig, RacerStatus};

    fn race(l: Landscape, steps: u64) -> Race {
        let mut c = RaceConfig::new(l);
        c.racers = hypers(l);
        let mut r = Race::new(c);
        r.run(steps);
        r
    }

    #[test]
    fn every_table_entry_is_valid() {
        for l in Landscape::ALL {
            let hs = hypers(l);
            assert_eq!(hs.len(), 14);
            for (h, k) in hs.iter().zip(OptimizerKind::ALL) {
                assert_eq!(h.kind(), k);
            }
        }
        for table in [BOWL, RAVINE, SADDLE, ROSENBROCK, BEALE, REGRESSION] {
            for (k, sets) in table {
                let mut h = Hyper::defaults(*k);
                for (n, v) in sets.iter() {
                    h.set(n, *v).unwrap_or_else(|e| panic!("{k:?}: {e}"));
                }
            }
        }
    }

    #[test]
    fn no_preset_racer_diverges_in_2000_steps() {
        // The saddle is unbounded below: leaving for f → −∞ is its lesson.
        for l in Landscape::ALL
            .into_iter()
            .filter(|&l| l != Landscape::Saddle)
        {
            let r = race(l, 2000);
            for racer in r.racers() {
                assert!(
                    racer.diverged_at().is_none(),
                    "{} diverges on {}",
                    racer.kind().slug(),
                    l.slug()
                );
            }
        }
    }

    #[test]
    fn presets_tell_their_lessons() {
        let conv = |r: &Race, k: OptimizerKind| match r.racer(k).unwrap().status() {
            RacerStatus::Converged { step } => Some(step),
            _ => None,
        };
        // Bowl: the easy case, most racers arrive.
        let bowl = race(Landscape::Bowl, 2000);
        let arrived = bowl
            .racers()
            .iter()
            .filter(|r| conv(&bowl, r.kind()).is_some())
            .count();
        assert!(arrived >= 9, "{arrived} racers reach the bowl's minimum");
        // Ravine: SGD zig-zags across (y changes sign) yet arrives; momentum arrives.
        let ravine = race(Landscape::Ravine, 2000);
        let sgd = ravine.racer(Sgd).unwrap().trace();
        let flips = sgd.samples()[..40]
            .windows(2)
            .filter(|w| w[0].theta.y * w[1].theta.y < 0.0)
            .count();
        assert!(
            flips >= 10,
            "SGD should zig-zag in the ravine ({flips} flips)"
        );
        assert!(conv(&ravine, Momentum).is_some());
        // Saddle: every racer leaves the saddle point's neighbourhood.
        let saddle = race(Landscape::Saddle, 2000);
        let escaped = saddle
            .racers()
            .iter()
            .filter(|r| r.theta().y.abs() > 1.0)
            .count();
        assert_eq!(escaped, 14, "every racer escapes the saddle");
        // Regression: a tilted bowl; every racer reaches the least-squares fit.
        let fit = race(Landscape::Regression, 2000);
        for r in fit.racers() {
            assert!(
                conv(&fit, r.kind()).is_some(),
                "{} on regression",
                r.kind().slug()
            );
        }
        // Beale: Adam reaches the minimum; SGD crawls along the flat valley.
        let beale = race(Landscape::Beale, 2000);
        assert!(conv(&beale, Adam).is_some());
        assert!(conv(&beale, Sgd).is_none());
    }
}
