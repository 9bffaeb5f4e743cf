//! Every scene loads, and every lesson's claim holds in the race it sets up.

use super::*;
use crate::race::{Race, RacerStatus};
use crate::trace::Sample;
use std::f64::consts::PI;

fn run(s: &Scenario, steps: u64) -> Race {
    let mut c = s.race_config();
    c.record_internals = true;
    let mut r = Race::new(c);
    r.run(steps);
    r
}

fn race_of(scene: Scene) -> Race {
    let s = scene.scenario();
    run(&s, s.max_steps)
}

fn samples(r: &Race, k: OptimizerKind) -> &[Sample] {
    r.racer(k).unwrap().trace().samples()
}

fn converged(r: &Race, k: OptimizerKind) -> Option<u64> {
    match r.racer(k).unwrap().status() {
        RacerStatus::Converged { step } => Some(step),
        _ => None,
    }
}

#[test]
fn slugs_are_the_issues_and_every_scene_is_well_formed() {
    let slugs: Vec<&str> = Scene::ALL.iter().map(|s| s.slug()).collect();
    assert_eq!(
        slugs,
        [
            "landscape-explorer",
            "minibatch-noise",
            "sgd-vs-momentum",
            "nesterov-lookahead",
            "adagrad-vs-rmsprop",
            "adam-internals",
            "bias-correction",
            "adamw-vs-l2",
            "schedules",
            "saddle-escape",
            "ravine-zigzag",
            "rosenbrock-valley",
            "beale-canyon",
            "grand-race",
            "family-tree",
            "decision-tree",
        ]
    );
    for sc in Scene::ALL {
        assert_eq!(Scene::from_slug(sc.slug()), Some(sc));
        let s = sc.scenario();
        assert_eq!(s.scene, Some(sc));
        assert_eq!(s.landscape, sc.landscape());
        assert!(!s.enabled.is_empty() && s.enabled.windows(2).all(|w| w[0] < w[1]));
        assert!(s.focus.is_none_or(|f| s.is_enabled(f)), "{}", sc.slug());
        // The link of a scene is just its name, and it decodes back.
        assert_eq!(sc.query(), format!("scene={}", sc.slug()));
        assert_eq!(Scenario::from_query(&sc.query()), (s.clone(), vec![]));
        let sentences = sc.lesson().matches(". ").count() + 1;
        assert!(
            (2..=3).contains(&sentences) && sc.lesson().ends_with('.'),
            "{}: {sentences} sentences",
            sc.slug()
        );
        assert!(!sc.title().is_empty());
        // The hyperparameters the scene sets are all valid.
        for (h, k) in s.hypers.iter().zip(OptimizerKind::ALL) {
            for (p, v) in h.iter() {
                assert_eq!(p.check(v), Ok(v), "{} {} {}", sc.slug(), k.slug(), p.name);
            }
        }
        for l in sc.landscapes() {
            assert!(Landscape::ALL.contains(l));
        }
    }
    assert_eq!(Scene::from_slug("nope"), None);
}

#[test]
fn no_scene_racer_diverges_except_on_the_saddle() {
    for sc in Scene::ALL {
        let r = race_of(sc);
        for racer in r.racers() {
            if sc.landscape() != Landscape::Saddle {
                assert!(
                    racer.diverged_at().is_none(),
                    "{}: {} diverges",
                    sc.slug(),
                    racer.kind().slug()
                );
            }
        }
    }
}

#[test]
fn landscape_explorer_shows_the_three_failures() {
    let s = Scene::LandscapeExplorer.scenario();
    assert_eq!(s.enabled, vec![Sgd]);
    let with = |l: Landscape, lr: f64, start: Vec2| {
        let mut s = s.with_landscape(l);
        s.hyper_mut(Sgd).set("lr", lr).unwrap();
        s.start = start;
        run(&s, 300)
    };
    // The preset converges; a tiny rate crawls; above lr = 1 the bowl diverges.
    assert!(converged(&race_of(Scene::LandscapeExplorer), Sgd).is_some());
    let slow = with(Landscape::Bowl, 1e-4, s.start);
    assert!(
        slow.racers()[0].theta().norm() > 4.0,
        "too small a rate crawls"
    );
    // Just above 1, every step lands further out, on the other side.
    let over = with(Landscape::Bowl, 1.01, s.start);
    let path = over.racers()[0].trace().samples();
    assert!(path
        .windows(2)
        .all(|w| w[1].theta.norm() > w[0].theta.norm() && w[1].theta.x * w[0].theta.x < 0.0));
    assert!(with(Landscape::Bowl, 1.1, s.start).racers()[0]
        .diverged_at()
        .is_some());
    assert!(with(Landscape::Bowl, 0.99, s.start).racers()[0]
        .diverged_at()
        .is_none());
    // On the ridge of the saddle, SGD stops at the saddle point.
    let stuck = with(Landscape::Saddle, 0.1, Vec2::new(-4.0, 0.0));
    assert!(stuck.racers()[0].theta().norm() < 1e-9);
}

#[test]
fn minibatch_noise_jitters_where_the_full_batch_settles() {
    let min = Landscape::Regression.minimum().unwrap().0;
    let s = Scene::MinibatchNoise.scenario();
    assert!(s.race_config().uses_batches());
    let mini = run(&s, 2000);
    let mut full = s.clone();
    full.batch = 0;
    let full = run(&full, 2000);
    assert!((full.racers()[0].theta() - min).norm() < 1e-9);
    let tail = &samples(&mini, Sgd)[1500..];
    let closest = tail
        .iter()
        .map(|q| (q.theta - min).norm())
        .fold(f64::INFINITY, f64::min);
    assert!(closest > 1e-4, "it keeps jittering ({closest})");
    let far = tail
        .iter()
        .map(|q| (q.theta - min).norm())
        .fold(0.0, f64::max);
    assert!(far < 0.5, "yet stays near the fit ({far})");
    // The scatter shrinks roughly as 1/√B: 16× the batch, ~4× less scatter.
    let p = s.start;
    let spread = |b: usize| {
        let a = crate::landscape::regression::minibatch_arrows(p, b, 400, 5);
        (a.batches
            .iter()
            .map(|g| (*g - a.full).dot(*g - a.full))
            .sum::<f64>()
            / 400.0)
            .sqrt()
    };
    let ratio = spread(4) / spread(64);
    assert!((3.0..6.5).contains(&ratio), "{ratio}");
}

#[test]
fn sgd_vs_momentum_momentum_arrives_in_a_fraction_of_the_steps() {
    let r = race_of(Scene::SgdVsMomentum);
    let s = Scene::SgdVsMomentum.scenario();
    assert_eq!(s.hyper(Sgd).get("lr"), s.hyper(Momentum).get("lr"));
    let sgd = samples(&r, Sgd);
    let flips = sgd[..40]
        .windows(2)
        .filter(|w| w[0].theta.y * w[1].theta.y < 0.0)
        .count();
    assert!(flips >= 30, "SGD bounces from wall to wall ({flips})");
    let (a, b) = (
        converged(&r, Sgd).unwrap(),
        converged(&r, Momentum).unwrap(),
    );
    assert!(b * 2 < a, "momentum {b} steps, SGD {a}");
    // β near 1 swings around for long.
    let mut heavy = s.clone();
    heavy.hyper_mut(Momentum).set("momentum", 0.95).unwrap();
    let h = run(&heavy, 500);
    assert!(converged(&h, Momentum).is_none_or(|k| k > a));
}

#[test]
fn nesterov_swings_less_and_settles_sooner() {
    let r = race_of(Scene::NesterovLookahead);
    let overshoot = |k| {
        samples(&r, k)
            .iter()
            .map(|q| q.theta.x)
            .fold(f64::MIN, f64::max)
    };
    assert!(overshoot(Nesterov) < overshoot(Momentum));
    assert!(converged(&r, Nesterov).unwrap() < converged(&r, Momentum).unwrap());
    // The look-ahead ghost is recorded for the page.
    let look = r
        .racer(Nesterov)
        .unwrap()
        .trace()
        .internals_at(5)
        .unwrap()
        .lookahead;
    assert!(look.is_finite());
}

#[test]
fn adagrad_rate_shrinks_while_rmsprop_levels_off() {
    let r = race_of(Scene::AdagradVsRmsprop);
    let mean_eff = |k, from: usize, to: usize| {
        let s = &samples(&r, k)[from..to];
        let sum: f64 = s
            .iter()
            .map(|q| {
                let [a, b] = q.effective_lr();
                a.unwrap_or(0.0) + b.unwrap_or(0.0)
            })
            .sum();
        sum / s.len() as f64
    };
    let (ada_early, ada_late) = (mean_eff(Adagrad, 400, 500), mean_eff(Adagrad, 1900, 2000));
    assert!(ada_late < 0.7 * ada_early, "{ada_early} → {ada_late}");
    let (rms_early, rms_late) = (mean_eff(Rmsprop, 400, 500), mean_eff(Rmsprop, 1900, 2000));
    let ratio = rms_late / rms_early;
    assert!((0.7..1.5).contains(&ratio), "{rms_early} → {rms_late}");
    // AdaGrad's accumulator only grows, so its rate never recovers.
    let s = samples(&r, Adagrad);
    let v = |k: usize| {
        r.racer(Adagrad)
            .unwrap()
            .trace()
            .internals_at(s[k].step)
            .unwrap()
            .v
    };
    assert!(v(1999).x >= v(500).x && v(1999).y >= v(500).y);
}

#[test]
fn adam_first_step_is_lr_per_coordinate_and_bias_correction_matters() {
    for sc in [Scene::AdamInternals, Scene::BiasCorrection] {
        let s = sc.scenario();
        let r = run(&s, 3);
        let lr = s.hyper(Adam).get("lr");
        let first = samples(&r, Adam)[1];
        assert!((first.delta.x.abs() - lr).abs() < 1e-9 * lr);
        assert!((first.delta.y.abs() - lr).abs() < 1e-9 * lr);
        // Uncorrected, the first step m/√v would be (1 − β₁)/√(1 − β₂) ≈ 3.16 × larger.
        let i = r.racer(Adam).unwrap().trace().internals_at(1).unwrap();
        let uncorrected = i.m.x / i.v.x.sqrt();
        let corrected = i.m_hat.x / i.v_hat.x.sqrt();
        let want = (1.0 - 0.9) / (1.0f64 - 0.999).sqrt();
        assert!(
            (uncorrected / corrected - want).abs() < 1e-9,
            "{}",
            sc.slug()
        );
    }
}

#[test]
fn the_uncorrected_ghost_starts_with_steps_three_times_too_large() {
    let s = Scene::BiasCorrection.scenario();
    let lr = s.hyper(Adam).get("lr");
    let mut ghost = Race::new(s.ghost_config(Adam));
    ghost.run_to(s.max_steps);
    let real = race_of(Scene::BiasCorrection);
    let (g, r) = (samples(&ghost, Adam), samples(&real, Adam));
    assert_eq!(g.len(), r.len());
    let want = 0.1 / 0.001f64.sqrt() * lr;
    assert!(
        (g[1].delta.x.abs() - want).abs() < 1e-6 * want,
        "{:?}",
        g[1].delta
    );
    assert!((r[1].delta.x.abs() - lr).abs() < 1e-9 * lr);
    assert!(
        (g[300].theta - r[300].theta).norm() > 0.05,
        "the paths differ"
    );
    // Same pipeline: with bias correction it would be the race's Adam exactly.
    let mut c = s.race_config();
    c.racers = vec![*s.hyper(Adam)];
    let mut same = Race::new(c);
    same.run_to(s.max_steps);
    assert_eq!(same.racers()[0].theta(), real.racer(Adam).unwrap().theta());
}

#[test]
fn adam_l2_settles_at_the_penalised_minimum_and_adamw_elsewhere() {
    let s = Scene::AdamwVsL2.scenario();
    let r = race_of(Scene::AdamwVsL2);
    let lam = s.hyper(Adam).get("weight_decay");
    assert_eq!(lam, s.hyper(Adamw).get("weight_decay"));
    // Where ∇f(θ) + λθ = 0: ∇f is affine, so solve the 2×2 system.
    let g0 = Landscape::Regression.grad(Vec2::ZERO);
    let (gx, gy) = (
        Landscape::Regression.grad(Vec2::new(1.0, 0.0)) - g0,
        Landscape::Regression.grad(Vec2::new(0.0, 1.0)) - g0,
    );
    let (a, b, c, d) = (gx.x + lam, gy.x, gx.y, gy.y + lam);
    let det = a * d - b * c;
    let pen = Vec2::new((-d * g0.x + b * g0.y) / det, (c * g0.x - a * g0.y) / det);
    let adam = r.racer(Adam).unwrap().theta();
    let adamw = r.racer(Adamw).unwrap().theta();
    assert!((adam - pen).norm() < 1e-3, "{adam:?} vs {pen:?}");
    assert!((adam - adamw).norm() > 0.2, "{adam:?} vs {adamw:?}");
    let min = Landscape::Regression.minimum().unwrap().0;
    assert!((adam - min).norm() > 0.5, "pulled toward the origin");
}

#[test]
fn schedules_decay_lets_minibatch_racers_settle_closer() {
    let s = Scene::Schedules.scenario();
    assert!(s.race_config().uses_batches());
    let min = Landscape::Regression.minimum().unwrap().0;
    let mut flat = s.clone();
    flat.schedule = Schedule::default();
    let (a, b) = (run(&s, s.max_steps), run(&flat, s.max_steps));
    for &k in &s.enabled {
        let tail = |r: &Race| {
            let t = &samples(r, k)[900..];
            t.iter().map(|q| (q.theta - min).norm()).sum::<f64>() / t.len() as f64
        };
        assert!(
            tail(&a) < tail(&b),
            "{}: {} vs {}",
            k.slug(),
            tail(&a),
            tail(&b)
        );
    }
    // Warm-up: the first step's rate is a fraction of the peak.
    let first = samples(&a, Sgd)[1].lr;
    assert!(first < 0.5 * s.hyper(Sgd).get("lr"));
}

#[test]
fn saddle_escape_order_and_adadelta_barely_moves() {
    let r = race_of(Scene::SaddleEscape);
    let escape = |k| {
        samples(&r, k)
            .iter()
            .find(|q| q.theta.y.abs() > 1.0)
            .map(|q| q.step)
            .unwrap_or(u64::MAX)
    };
    let first = escape(Adagrad).max(escape(Rmsprop)).max(escape(Adam));
    assert!(first < escape(Momentum), "adaptive methods leave first");
    assert!(
        (30..=70).contains(&escape(Momentum)),
        "{}",
        escape(Momentum)
    );
    assert!(escape(Sgd) > 200 && escape(Sgd) < 500, "{}", escape(Sgd));
    // AdaDelta: its first steps along x are a few thousandths (SGD's: 0.08).
    let ada = samples(&r, Adadelta);
    assert!(ada[1..=10].iter().all(|q| q.delta.x.abs() < 0.005));
    assert!(samples(&r, Sgd)[1].delta.x.abs() > 0.05);
    let k = escape(Adadelta) as usize;
    assert!(ada[k].theta.x < -3.5, "it leaves far from the saddle point");
}

#[test]
fn ravine_zigzag_and_the_rotated_ravine() {
    let scene = Scene::RavineZigzag.scenario();
    assert_eq!(
        Scene::RavineZigzag.widget(),
        Some(Widget::Beside(Landscape::RotatedRavine))
    );
    let straight = run(&scene, 1000);
    let turned = run(&scene.with_landscape(Landscape::RotatedRavine), 1000);
    let flips = |r: &Race, k, steep: &dyn Fn(Vec2) -> f64| {
        samples(r, k)[..200]
            .windows(2)
            .filter(|w| steep(w[0].theta) * steep(w[1].theta) < 0.0)
            .count()
    };
    let y = |p: Vec2| p.y;
    assert!(flips(&straight, Sgd, &y) >= 150, "y flips sign every step");
    assert!(flips(&straight, Adam, &y) <= 5 && flips(&straight, Rmsprop, &y) <= 5);
    // The rotated ravine's steep coordinate, and SGD zig-zags across it too.
    let (c, s) = ((PI / 6.0).cos(), (PI / 6.0).sin());
    let w = move |p: Vec2| -s * p.x + c * p.y;
    assert!(flips(&turned, Sgd, &w) >= 150);
    let steps = |r: &Race, k| converged(r, k).unwrap_or(u64::MAX);
    for k in [Adam, Rmsprop] {
        assert!(
            steps(&turned, k) > steps(&straight, k) + 150,
            "{}: {} vs {}",
            k.slug(),
            steps(&turned, k),
            steps(&straight, k)
        );
    }
    assert!(steps(&straight, Shampoo) <= 100 && steps(&turned, Shampoo) <= 100);
}

#[test]
fn rosenbrock_floor_is_quick_the_bend_is_slow() {
    let r = race_of(Scene::RosenbrockValley);
    for racer in r.racers() {
        let p = racer.trace().samples()[50].theta;
        assert!(
            (p.y - p.x * p.x).abs() < 0.05,
            "{} on the floor",
            racer.kind().slug()
        );
        assert!(
            racer.status() == RacerStatus::Running,
            "{}",
            racer.kind().slug()
        );
    }
}

#[test]
fn beale_plateau_stalls_sgd_and_momentum() {
    let r = race_of(Scene::BealeCanyon);
    assert!(samples(&r, Sgd)[300].loss > 3.0);
    assert!(converged(&r, Sgd).is_none());
    assert!(converged(&r, Momentum).unwrap() > 1000);
    assert!(converged(&r, Adam).unwrap() < 300);
}

#[test]
fn grand_race_ranking_flips_between_landscapes() {
    let s = Scene::GrandRace.scenario();
    assert_eq!(s.enabled.len(), 14);
    let winner = |l: Landscape| {
        let r = run(&s.with_landscape(l), 2000);
        r.racers()
            .iter()
            .filter_map(|x| match x.status() {
                RacerStatus::Converged { step } => Some((step, x.kind())),
                _ => None,
            })
            .min()
            .map(|w| w.1)
    };
    let winners: Vec<_> = [Landscape::Beale, Landscape::Ravine, Landscape::Rosenbrock]
        .into_iter()
        .map(winner)
        .collect();
    assert!(
        winners.windows(2).any(|w| w[0] != w[1]),
        "{winners:?}: the ranking should change"
    );
}

#[test]
fn family_tree_is_a_tree_of_all_fourteen() {
    for (n, k) in FAMILY_TREE.iter().zip(OptimizerKind::ALL) {
        assert_eq!(n.kind, k);
        assert_eq!(family_node(k).kind, k);
        assert!(!n.idea.is_empty() && n.idea.ends_with('.'));
        // Every chain of parents reaches SGD.
        let mut at = *n;
        for _ in 0..14 {
            match at.parent {
                Some(p) => at = *family_node(p),
                None => break,
            }
        }
        assert_eq!(at.kind, Sgd, "{}", k.slug());
    }
    assert_eq!(FAMILY_TREE.iter().filter(|n| n.parent.is_none()).count(), 1);
    let kids: Vec<_> = family_children(Adam).map(|n| n.kind).collect();
    assert_eq!(kids, vec![Amsgrad, Adamw, Nadam, Lamb]);
    let (s, notes) = Scenario::from_query(&race_query(Lion, Landscape::Bowl));
    assert!(notes.is_empty());
    assert_eq!(s.enabled, vec![Lion]);
}

#[test]
fn decision_tree_answers_lead_somewhere_valid() {
    let mut reached = vec![false; DECISION_TREE.len()];
    reached[0] = true;
    for q in DECISION_TREE {
        assert!(!q.answers.is_empty());
        for a in q.answers {
            match a.next {
                Next::Question(i) => {
                    assert!(i < DECISION_TREE.len());
                    reached[i] = true;
                }
                Next::Scene(_) => {}
                Next::Race { advice, query } => {
                    assert!(!advice.is_empty());
                    let (_, notes) = Scenario::from_query(query);
                    assert!(notes.is_empty(), "{query}: {notes:?}");
                }
            }
        }
    }
    assert!(reached.iter().all(|&r| r), "every question is reachable");
}
