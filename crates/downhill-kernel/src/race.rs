//! The race: every enabled racer starts from the same point of the same
//! landscape and they all step in lockstep. Per step and racer:
//! gradient → noise (the same ξ for everyone: one shared "mini-batch") →
//! clipping → optimizer step with the scheduled learning rate → checks.
//!
//! On a landscape with data (the regression) and `batch > 0`, the gradient is
//! a real mini-batch mean: each step draws one batch, shared by every racer,
//! and each racer takes the batch's mean gradient at its own point.
//!
//! A racer whose point, loss or gradient stops being finite, or whose point
//! leaves 10⁶ × the view, is *diverged at step k* and frozen at its last good
//! point; the others go on. A racer within the landscape's tolerance of the
//! minimum is *converged at step k* (the first such step) and keeps going.

use crate::clip::clip_grad_norm;
use crate::landscape::regression::{self, BatchSampler};
use crate::landscape::Landscape;
use crate::noise::NoiseStream;
use crate::optim::{AnyOptimizer, Hyper, Optimizer, OptimizerKind};
use crate::schedule::Schedule;
use crate::trace::{Sample, Trace, DEFAULT_CAP};
use crate::vec2::Vec2;

/// Everything that decides a race's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceConfig {
    pub landscape: Landscape,
    pub start: Vec2,
    /// One entry per enabled racer.
    pub racers: Vec<Hyper>,
    /// Global learning-rate multiplier (`lrx`).
    pub lr_scale: f64,
    pub schedule: Schedule,
    /// Clip gradients to this global norm.
    pub clip: Option<f64>,
    /// Gradient noise σ (0: full-batch gradients).
    pub noise: f64,
    /// Seed of the gradient noise and of the mini-batch draws.
    pub seed: u64,
    /// Mini-batch size on a landscape with data ([`Landscape::has_data`]):
    /// 0 (or N or more) means the full batch. Other landscapes ignore it.
    pub batch: usize,
    /// Samples kept per racer (see [`Trace`]).
    pub history_cap: usize,
    /// Whether samples carry the optimizers' internal state (m, v, …). Off, a
    /// sample's `internals` are NaN and a re-run is cheaper; the inspectors can
    /// re-run one racer with it on (a racer does not depend on the others).
    pub record_internals: bool,
    /// Racers whose internals are recorded even when `record_internals` is
    /// off (the page's focused racer, and Nesterov for its look-ahead):
    /// the inspectors read them from the race itself, at the cost of those
    /// few racers only.
    pub internals_of: Vec<OptimizerKind>,
    /// Off: the Adam family runs without bias correction (m̂ = m, v̂ = v) —
    /// the inspector's ghost, never a racer of the page's race.
    pub bias_correction: bool,
}

impl RaceConfig {
    /// The landscape's classic start, every optimizer at its defaults.
    pub fn new(landscape: Landscape) -> RaceConfig {
        RaceConfig {
            landscape,
            start: landscape.start(),
            racers: OptimizerKind::ALL
                .iter()
                .map(|&k| Hyper::defaults(k))
                .collect(),
            lr_scale: 1.0,
            schedule: Schedule::default(),
            clip: None,
            noise: 0.0,
            seed: 0,
            batch: 0,
            history_cap: DEFAULT_CAP,
            record_internals: true,
            internals_of: Vec::new(),
            bias_correction: true,
        }
    }

    /// Whether the racer with these hyperparameters records its internals.
    pub fn records_internals(&self, hyper: &Hyper) -> bool {
        self.record_internals || self.internals_of.contains(&hyper.kind())
    }

    /// Whether gradients are mini-batch means (a landscape with data and a
    /// batch smaller than the data set).
    pub fn uses_batches(&self) -> bool {
        self.landscape.has_data() && self.batch > 0 && self.batch < regression::N
    }

    pub fn single(landscape: Landscape, hyper: Hyper) -> RaceConfig {
        RaceConfig {
            racers: vec![hyper],
            ..RaceConfig::new(landscape)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RacerStatus {
    Running,
    Converged { step: u64 },
    Diverged { step: u64 },
}

impl RacerStatus {
    /// The word of the public `data-status` hook.
    pub fn word(self) -> &'static str {
        match self {
            RacerStatus::Running => "running",
            RacerStatus::Converged { .. } => "converged",
            RacerStatus::Diverged { .. } => "diverged",
        }
    }
}

pub struct Racer {
    hyper: Hyper,
    /// `hyper`'s lr times the race's multiplier, worked out once: the rate a
    /// schedule is applied to.
    base_lr: f64,
    optimizer: AnyOptimizer,
    theta: Vec2,
    loss: f64,
    /// ∇f at `theta`, evaluated together with `loss`.
    grad: Vec2,
    status: RacerStatus,
    trace: Trace,
    /// Whether samples carry the optimizer's internals (see
    /// [`RaceConfig::records_internals`]).
    record_internals: bool,
    /// The gradient and learning rate of the step in progress.
    step_grad: Vec2,
    step_lr: f64,
    /// The step `theta` is the result of, and the move that led there: with
    /// `theta`, `loss`, `step_grad` and `step_lr`, the exact latest sample
    /// even when the trace, decimated, did not keep it.
    last_step: u64,
    last_delta: Vec2,
}

impl Racer {
    pub fn kind(&self) -> OptimizerKind {
        self.hyper.kind()
    }
    pub fn hyper(&self) -> &Hyper {
        &self.hyper
    }
    /// The current (last good) point.
    pub fn theta(&self) -> Vec2 {
        self.theta
    }
    pub fn loss(&self) -> f64 {
        self.loss
    }
    pub fn status(&self) -> RacerStatus {
        self.status
    }
    pub fn trace(&self) -> &Trace {
        &self.trace
    }
    /// The state at `step` as recorded, except at or past the racer's latest
    /// step, where it is the exact latest state (a long race's trace keeps
    /// only every n-th step; its end is still shown exactly).
    pub fn sample_at(&self, step: u64) -> Option<Sample> {
        let running = !matches!(self.status, RacerStatus::Diverged { .. });
        if running && step >= self.last_step && self.last_step > 0 {
            return Some(Sample {
                step: self.last_step,
                theta: self.theta,
                loss: self.loss,
                grad: self.step_grad,
                delta: self.last_delta,
                lr: self.step_lr,
            });
        }
        self.trace.at(step).copied()
    }
    pub fn diverged_at(&self) -> Option<u64> {
        match self.status {
            RacerStatus::Diverged { step } => Some(step),
            _ => None,
        }
    }
    /// Status as seen at `step`: a racer that diverges or converges later
    /// is still running then.
    pub fn status_at(&self, step: u64) -> RacerStatus {
        match self.status {
            RacerStatus::Diverged { step: k } | RacerStatus::Converged { step: k } if k > step => {
                RacerStatus::Running
            }
            s => s,
        }
    }
}

pub struct Race {
    config: RaceConfig,
    step: u64,
    noise: NoiseStream,
    /// The mini-batch stream, when the race runs on mini-batches.
    batches: Option<BatchSampler>,
    racers: Vec<Racer>,
    /// Per racer, the point its step in progress leads to, and f and ∇f there
    /// (sized at restart, reused from step to step).
    points: Vec<Vec2>,
    values: Vec<(f64, Vec2)>,
}

impl Race {
    pub fn new(config: RaceConfig) -> Race {
        let mut race = Race {
            noise: NoiseStream::new(config.seed),
            batches: None,
            step: 0,
            racers: Vec::new(),
            points: Vec::new(),
            values: Vec::new(),
            config,
        };
        race.restart();
        race
    }

    pub fn config(&self) -> &RaceConfig {
        &self.config
    }

    /// Replaces the configuration and starts over, reusing the traces'
    /// allocations (this runs on every slider movement).
    ///
    /// When only some racers' hyperparameters changed (a per-racer slider),
    /// only those racers are run again, to the step the race had reached;
    /// the others keep their state and paths. A racer does not depend on the
    /// others, and the noise and the mini-batches are drawn once per step
    /// from the seed whoever runs, so the result is bit for bit the race a
    /// restart would have computed.
    pub fn reconfigure(&mut self, config: RaceConfig) {
        let Some(changed) = self.changed_racers(&config) else {
            self.config = config;
            self.restart();
            return;
        };
        if !changed.is_empty() {
            let mut sub = config.clone();
            sub.racers = changed.iter().map(|&i| config.racers[i]).collect();
            let mut sub = Race::new(sub);
            sub.run_to(self.step);
            for (&i, racer) in changed.iter().zip(sub.racers) {
                self.racers[i] = racer;
            }
        }
        self.config = config;
    }

    /// The racers whose hyperparameters differ in `config`, if nothing else
    /// does (the same settings and the same racers, in the same order), and
    /// not all of them (then a restart is as cheap); None otherwise.
    fn changed_racers(&self, config: &RaceConfig) -> Option<Vec<usize>> {
        let old = &self.config;
        if old.racers.len() != config.racers.len()
            || old.racers.len() != self.racers.len()
            || old
                .racers
                .iter()
                .zip(&config.racers)
                .any(|(a, b)| a.kind() != b.kind())
        {
            return None;
        }
        let same_settings = RaceConfig {
            racers: Vec::new(),
            internals_of: Vec::new(),
            ..old.clone()
        } == RaceConfig {
            racers: Vec::new(),
            internals_of: Vec::new(),
            ..config.clone()
        };
        if !same_settings {
            return None;
        }
        let changed: Vec<usize> = (0..config.racers.len())
            .filter(|&i| {
                let (a, b) = (&old.racers[i], &config.racers[i]);
                a != b || old.records_internals(a) != config.records_internals(b)
            })
            .collect();
        (changed.len() < config.racers.len() || changed.is_empty()).then_some(changed)
    }

    /// Back to step 0 with fresh optimizer state.
    pub fn restart(&mut self) {
        let c = &self.config;
        self.step = 0;
        self.noise = NoiseStream::new(c.seed);
        self.batches = c.uses_batches().then(|| BatchSampler::new(c.seed));
        let (loss, grad) = c.landscape.value_grad(c.start);
        let mut old = std::mem::take(&mut self.racers);
        for (i, h) in c.racers.iter().enumerate() {
            let mut trace = match old.get_mut(i) {
                Some(r) => std::mem::replace(&mut r.trace, Trace::new(0)),
                None => Trace::new(c.history_cap),
            };
            trace.clear();
            let mut racer = Racer {
                hyper: *h,
                base_lr: h.get("lr") * c.lr_scale,
                optimizer: match c.bias_correction {
                    true => h.kind().build(h),
                    false => h
                        .kind()
                        .build_uncorrected(h)
                        .unwrap_or_else(|| h.kind().build(h)),
                },
                theta: c.start,
                loss,
                grad,
                status: RacerStatus::Running,
                trace,
                record_internals: c.records_internals(h),
                step_grad: Vec2::NAN,
                step_lr: f64::NAN,
                last_step: 0,
                last_delta: Vec2::NAN,
            };
            let ok = c.start.is_finite() && loss.is_finite();
            if !ok {
                racer.status = RacerStatus::Diverged { step: 0 };
            } else {
                racer.trace.push(Sample::start(c.start, loss), None);
                Finish::of(c.landscape).check(&mut racer, 0);
            }
            self.racers.push(racer);
        }
        let n = self.racers.len();
        self.points.clear();
        self.points.resize(n, Vec2::NAN);
        self.values.clear();
        self.values.resize(n, (f64::NAN, Vec2::NAN));
    }

    pub fn step_count(&self) -> u64 {
        self.step
    }

    pub fn racers(&self) -> &[Racer] {
        &self.racers
    }

    pub fn racer(&self, kind: OptimizerKind) -> Option<&Racer> {
        self.racers.iter().find(|r| r.kind() == kind)
    }

    /// One lockstep step for every racer still running.
    ///
    /// In three passes over the racers (optimizer steps; the landscape at all
    /// the new points; checks and records), so that the work of different
    /// racers, which is independent, sits close together and overlaps in the
    /// processor instead of waiting on one racer's chain of dependent operations.
    pub fn step(&mut self) {
        self.step += 1;
        let t = self.step;
        let c = &self.config;
        let xi = if c.noise != 0.0 {
            self.noise.next_normal() * c.noise
        } else {
            Vec2::ZERO
        };
        // One batch per step for everyone, drawn whoever still runs.
        let batch = self.batches.as_mut().map(|b| b.draw_moments(c.batch));
        // Everything that is the same for every racer, worked out once per step.
        let lr_at = c.schedule.at(t - 1);
        let clip = c.clip;
        for (r, point) in self.racers.iter_mut().zip(self.points.iter_mut()) {
            if matches!(r.status, RacerStatus::Diverged { .. }) {
                // Frozen: a finite point to evaluate, whose result is not used.
                *point = r.theta;
                continue;
            }
            let g0 = match &batch {
                Some(m) => m.grad(r.theta),
                None => r.grad,
            };
            let mut g = g0 + xi;
            if let Some(max_norm) = clip {
                g = clip_grad_norm(g, max_norm).0;
            }
            let lr = lr_at.lr(r.base_lr);
            r.step_grad = g;
            r.step_lr = lr;
            *point = r.optimizer.step(r.theta, g, lr);
        }
        c.landscape.value_grad_each(&self.points, &mut self.values);
        let bounds = c.landscape.divergence_box();
        let finish = Finish::of(c.landscape);
        for ((r, &next), &(loss, grad_next)) in
            self.racers.iter_mut().zip(&self.points).zip(&self.values)
        {
            if matches!(r.status, RacerStatus::Diverged { .. }) {
                continue;
            }
            let (g, lr) = (r.step_grad, r.step_lr);
            // `contains` is false for a NaN or infinite point, so it also checks
            // that `next` is finite. (`&`, not `&&`: one branch instead of three.)
            if !(bounds.contains(next) & loss.is_finite() & g.is_finite()) {
                r.status = RacerStatus::Diverged { step: t };
                continue;
            }
            // A macro, not a variable: each branch builds the sample where it
            // is stored instead of copying it from the stack.
            macro_rules! sample {
                () => {
                    Sample {
                        step: t,
                        theta: next,
                        loss,
                        grad: g,
                        delta: next - r.theta,
                        lr,
                    }
                };
            }
            if r.trace.keeps(t) {
                if r.record_internals {
                    r.trace.push(sample!(), Some(r.optimizer.internals()));
                } else if r.trace.appends_plainly() {
                    r.trace.append(sample!());
                } else {
                    r.trace.push(sample!(), None);
                }
            }
            r.last_delta = next - r.theta;
            r.last_step = t;
            r.theta = next;
            r.loss = loss;
            r.grad = grad_next;
            finish.check(r, t);
        }
    }

    /// `n` lockstep steps.
    pub fn run(&mut self, n: u64) {
        for _ in 0..n {
            self.step();
        }
    }

    /// Steps until the race has run `steps` steps in all.
    pub fn run_to(&mut self, steps: u64) {
        while self.step < steps {
            self.step();
        }
    }
}

/// What "arrived" means on a landscape: within its tolerance of the minimum
/// (compared squared, so the per-step check needs no square root).
#[derive(Clone, Copy)]
struct Finish {
    target: Option<Vec2>,
    tolerance2: f64,
}

impl Finish {
    #[inline(always)]
    fn of(l: Landscape) -> Finish {
        Finish {
            target: l.minimum().map(|m| m.0),
            tolerance2: l.converge_tolerance().powi(2),
        }
    }

    /// Marks a running racer converged at step `t` once it is close enough.
    #[inline(always)]
    fn check(&self, r: &mut Racer, t: u64) {
        if !matches!(r.status, RacerStatus::Running) {
            return;
        }
        if let Some(min) = self.target {
            let d = r.theta - min;
            if d.dot(d) <= self.tolerance2 {
                r.status = RacerStatus::Converged { step: t };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyper(kind: OptimizerKind, set: &[(&str, f64)]) -> Hyper {
        let mut h = Hyper::defaults(kind);
        for (n, v) in set {
            h.set(n, *v).unwrap();
        }
        h
    }

    #[test]
    fn a_diverging_racer_is_frozen_and_the_others_go_on() {
        let mut c = RaceConfig::new(Landscape::Bowl);
        c.racers = vec![
            hyper(OptimizerKind::Sgd, &[("lr", 1e6)]),
            hyper(OptimizerKind::Sgd, &[("lr", 0.1)]),
        ];
        let mut race = Race::new(c);
        race.run(200);
        let (bad, good) = (&race.racers()[0], &race.racers()[1]);
        let k = bad.diverged_at().expect("lr 1e6 diverges");
        assert!(k <= 3, "{k}");
        assert!(bad.theta().is_finite());
        assert_eq!(bad.trace().samples().len() as u64, k);
        assert_eq!(bad.status_at(k - 1), RacerStatus::Running);
        assert!(matches!(good.status(), RacerStatus::Converged { .. }));
        assert_eq!(good.trace().samples().len(), 201);
    }

    #[test]
    fn noise_is_shared_and_reproducible() {
        let mut c = RaceConfig::new(Landscape::Ravine);
        c.noise = 0.5;
        c.seed = 7;
        let mut a = Race::new(c.clone());
        let mut b = Race::new(c.clone());
        a.run(50);
        b.run(50);
        for (ra, rb) in a.racers().iter().zip(b.racers()) {
            assert_eq!(ra.theta(), rb.theta());
        }
        c.seed = 8;
        let mut d = Race::new(c);
        d.run(50);
        assert_ne!(a.racers()[0].theta(), d.racers()[0].theta());
    }

    #[test]
    fn a_racer_does_not_depend_on_which_others_run() {
        let mut c = RaceConfig::new(Landscape::Rosenbrock);
        c.noise = 0.3;
        c.clip = Some(1.0);
        let mut all = Race::new(c.clone());
        c.racers.retain(|h| h.kind() == OptimizerKind::Adam);
        let mut one = Race::new(c);
        all.run(100);
        one.run(100);
        assert_eq!(
            all.racer(OptimizerKind::Adam).unwrap().theta(),
            one.racers()[0].theta()
        );
    }

    /// Every sample and status of two races, bit for bit.
    fn same_race(a: &Race, b: &Race) {
        assert_eq!(a.step_count(), b.step_count());
        for (ra, rb) in a.racers().iter().zip(b.racers()) {
            assert_eq!(ra.kind(), rb.kind());
            assert_eq!(ra.status(), rb.status());
            assert_eq!(ra.theta().x.to_bits(), rb.theta().x.to_bits());
            assert_eq!(ra.theta().y.to_bits(), rb.theta().y.to_bits());
            let (sa, sb) = (ra.trace().samples(), rb.trace().samples());
            assert_eq!(sa.len(), sb.len());
            for (x, y) in sa.iter().zip(sb) {
                // NaN-safe bitwise comparison of every field.
                assert_eq!(format!("{x:?}"), format!("{y:?}"));
            }
            for t in [0, a.step_count() / 2, a.step_count()] {
                assert_eq!(
                    format!("{:?}", ra.trace().internals_at(t)),
                    format!("{:?}", rb.trace().internals_at(t))
                );
            }
        }
    }

    #[test]
    fn changing_some_racers_reruns_them_alone_and_equals_a_fresh_race() {
        use crate::schedule::ScheduleKind;
        for (landscape, noise, clip, internals) in [
            (Landscape::Rosenbrock, 0.0, None, false),
            (Landscape::Ravine, 0.4, Some(1.0), true),
            (Landscape::Regression, 0.0, None, false),
            (Landscape::Saddle, 0.2, None, false),
        ] {
            let mut c = RaceConfig::new(landscape);
            c.noise = noise;
            c.clip = clip;
            c.seed = 11;
            c.batch = 16;
            c.record_internals = internals;
            c.schedule = Schedule::new(ScheduleKind::CosineAnnealingLr);
            let mut race = Race::new(c.clone());
            race.run_to(700);
            // A per-racer slider: Adam's β₁ and Lion's lr; one racer diverges.
            let mut d = c.clone();
            for h in d.racers.iter_mut() {
                match h.kind() {
                    OptimizerKind::Adam => h.set("beta1", 0.5).unwrap(),
                    OptimizerKind::Lion => h.set("lr", 1e6).unwrap(),
                    _ => {}
                }
            }
            let idx = |k| d.racers.iter().position(|h| h.kind() == k).unwrap();
            assert_eq!(
                race.changed_racers(&d),
                Some(vec![idx(OptimizerKind::Adam), idx(OptimizerKind::Lion)]),
                "only the two racers run again"
            );
            race.reconfigure(d.clone());
            let mut fresh = Race::new(d.clone());
            fresh.run_to(700);
            same_race(&race, &fresh);
            // And it goes on in lockstep like the fresh one.
            race.run_to(900);
            fresh.run_to(900);
            same_race(&race, &fresh);
            // A global change restarts (and still equals a fresh race).
            d.lr_scale = 0.5;
            assert_eq!(race.changed_racers(&d), None, "a global change restarts");
            race.reconfigure(d.clone());
            race.run_to(300);
            let mut fresh = Race::new(d);
            fresh.run_to(300);
            same_race(&race, &fresh);
        }
    }

    #[test]
    fn internals_of_some_racers_are_recorded_and_moving_them_reruns_those_alone() {
        let mut c = RaceConfig::new(Landscape::Rosenbrock);
        c.record_internals = false;
        c.internals_of = vec![OptimizerKind::Adam, OptimizerKind::Nesterov];
        let mut race = Race::new(c.clone());
        race.run_to(400);
        let recorded = |race: &Race| -> Vec<OptimizerKind> {
            race.racers()
                .iter()
                .filter(|r| r.trace().internals_at(200).is_some())
                .map(Racer::kind)
                .collect()
        };
        assert_eq!(
            recorded(&race),
            vec![OptimizerKind::Nesterov, OptimizerKind::Adam]
        );
        // Focus moves from Adam to Lion: those two run again, nothing else.
        let mut d = c.clone();
        d.internals_of = vec![OptimizerKind::Lion, OptimizerKind::Nesterov];
        let idx = |k| d.racers.iter().position(|h| h.kind() == k).unwrap();
        assert_eq!(
            race.changed_racers(&d),
            Some(vec![idx(OptimizerKind::Adam), idx(OptimizerKind::Lion)])
        );
        race.reconfigure(d.clone());
        assert_eq!(
            recorded(&race),
            vec![OptimizerKind::Nesterov, OptimizerKind::Lion]
        );
        let mut fresh = Race::new(d);
        fresh.run_to(400);
        same_race(&race, &fresh);
        // The recorded racers' paths are those of a race recording nothing.
        let mut plain = Race::new(RaceConfig {
            internals_of: Vec::new(),
            ..c
        });
        plain.run_to(400);
        for (a, b) in race.racers().iter().zip(plain.racers()) {
            // Debug output: NaN-safe (step 0 has NaN gradients).
            let samples = |r: &Racer| format!("{:?}", r.trace().samples());
            assert!(samples(a) == samples(b), "{:?}", a.kind());
        }
    }

    #[test]
    fn restart_reuses_and_reproduces() {
        let mut race = Race::new(RaceConfig::new(Landscape::Beale));
        race.run(300);
        let before: Vec<Vec2> = race.racers().iter().map(|r| r.theta()).collect();
        race.restart();
        assert_eq!(race.step_count(), 0);
        race.run(300);
        let after: Vec<Vec2> = race.racers().iter().map(|r| r.theta()).collect();
        assert_eq!(before, after);
    }

    #[test]
    fn effective_lr_of_sgd_is_its_lr() {
        let mut c = RaceConfig::single(
            Landscape::Ravine,
            hyper(OptimizerKind::Sgd, &[("lr", 0.05)]),
        );
        c.lr_scale = 2.0;
        let mut race = Race::new(c);
        race.run(10);
        let s = race.racers()[0].trace().at(5).copied().unwrap();
        let [ex, ey] = s.effective_lr();
        assert!((ex.unwrap() - 0.1).abs() < 1e-12 && (ey.unwrap() - 0.1).abs() < 1e-12);
    }

    #[test]
    fn without_bias_correction_adam_first_step_is_scaled_by_one_minus_betas() {
        // With m̂ = m and v̂ = v, step 1 is lr·(1 − β₁)g / (√(1 − β₂)|g| + eps):
        // about 3.16·lr for the default betas, against lr with the correction.
        let (lr, g0) = (0.01, Landscape::Bowl.grad(Landscape::Bowl.start()));
        let mut c = RaceConfig::single(Landscape::Bowl, hyper(OptimizerKind::Adam, &[("lr", lr)]));
        let mut corrected = Race::new(c.clone());
        c.bias_correction = false;
        let mut ghost = Race::new(c);
        corrected.run(1);
        ghost.run(1);
        let d = |r: &Race| r.racers()[0].trace().at(1).unwrap().delta;
        let (dc, dg) = (d(&corrected), d(&ghost));
        for (dc, dg, g) in [(dc.x, dg.x, g0.x), (dc.y, dg.y, g0.y)] {
            let expect = -lr * 0.1 * g / ((0.001f64).sqrt() * g.abs() + 1e-8);
            assert!((dg - expect).abs() < 1e-15, "{dg} vs {expect}");
            assert!((dc + lr * g.signum()).abs() < 1e-9, "{dc}");
        }
        // Internals say m̂ = m for the ghost.
        let i = ghost.racers()[0].trace().internals_at(1).copied().unwrap();
        assert_eq!(i.m, i.m_hat);
        assert_eq!(i.v, i.v_hat);
    }

    #[test]
    fn bias_correction_off_leaves_other_optimizers_alone() {
        for k in [
            OptimizerKind::Sgd,
            OptimizerKind::Nadam,
            OptimizerKind::Shampoo,
        ] {
            let mut c = RaceConfig::single(Landscape::Rosenbrock, Hyper::defaults(k));
            let mut a = Race::new(c.clone());
            c.bias_correction = false;
            let mut b = Race::new(c);
            a.run(50);
            b.run(50);
            assert_eq!(a.racers()[0].theta(), b.racers()[0].theta(), "{k:?}");
        }
        for k in OptimizerKind::ALL {
            assert_eq!(
                k.has_bias_correction(),
                k.build_uncorrected(&Hyper::defaults(k)).is_some()
            );
        }
    }

    #[test]
    fn the_latest_state_is_exact_though_the_trace_is_decimated() {
        let mut c = RaceConfig::new(Landscape::Rosenbrock);
        c.history_cap = 16;
        let mut short = Race::new(c.clone());
        short.run(1001);
        c.history_cap = 4096;
        let mut whole = Race::new(c);
        whole.run(1001);
        for (a, b) in short.racers().iter().zip(whole.racers()) {
            if a.diverged_at().is_some() {
                continue;
            }
            assert!(a.trace().at(1001).unwrap().step < 1001, "decimated");
            let exact = b.trace().at(1001).copied().unwrap();
            assert_eq!(a.sample_at(1001), Some(exact), "{:?}", a.kind());
            assert_eq!(a.sample_at(5000), Some(exact));
            // Before the end: what the trace kept.
            assert_eq!(a.sample_at(500), a.trace().at(500).copied());
        }
    }

    #[test]
    fn a_start_of_nan_is_a_diverged_state() {
        let mut c = RaceConfig::new(Landscape::Bowl);
        c.start = Vec2::new(f64::NAN, 1.0);
        let mut race = Race::new(c);
        race.run(3);
        assert!(race.racers().iter().all(|r| r.diverged_at() == Some(0)));
    }
}
