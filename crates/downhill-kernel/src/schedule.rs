//! Learning-rate schedules, as `torch.optim.lr_scheduler` computes them.
//!
//! `lr(base, i)` is the rate optimizer step `i + 1` uses: the group's lr after
//! `i` calls of `scheduler.step()`. torch updates most schedules recursively;
//! the closed forms here agree with it to ≤ 4e-14 relative (see the spec).

use crate::optim::{HyperError, Param};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    Constant,
    StepLr,
    ExponentialLr,
    CosineAnnealingLr,
    LinearLr,
    WarmupCosine,
    OneCycleLr,
}

const POSITIVE: (f64, f64) = (0.0, 1e12);

const STEP_SIZE: Param = Param::int("step_size", 100, 1, 1_000_000_000, "steps between decays");
const GAMMA_STEP: Param = Param::real(
    "gamma",
    0.1,
    (0.0, 1e3),
    (0.01, 1.0, false),
    "factor applied at each decay",
);
const GAMMA_EXP: Param = Param::real(
    "gamma",
    0.99,
    (0.0, 1e3),
    (0.9, 1.0, false),
    "factor applied every step",
);
const T_MAX: Param = Param::int(
    "T_max",
    500,
    1,
    1_000_000_000,
    "steps from the peak down to eta_min (half a period)",
);
const ETA_MIN: Param = Param::real("eta_min", 0.0, POSITIVE, (0.0, 0.1, false), "the lowest lr");
const START_FACTOR: Param = Param::real(
    "start_factor",
    1.0 / 3.0,
    (1e-12, 1.0),
    (0.001, 1.0, true),
    "lr starts at base·start_factor",
);
const END_FACTOR: Param = Param::real(
    "end_factor",
    1.0,
    (0.0, 1.0),
    (0.0, 1.0, false),
    "lr ends at base·end_factor",
);
const TOTAL_ITERS: Param = Param::int("total_iters", 5, 1, 1_000_000_000, "steps of the ramp");
const WARMUP_ITERS: Param = Param::int(
    "warmup_iters",
    50,
    1,
    1_000_000_000,
    "steps of the linear warm-up",
);
const MAX_LR: Param = Param::real(
    "max_lr",
    0.0,
    POSITIVE,
    (0.0, 10.0, false),
    "the peak lr (0: each racer's own lr)",
);
const TOTAL_STEPS: Param = Param::int("total_steps", 1000, 2, 1_000_000_000, "length of the cycle");
const PCT_START: Param = Param::real(
    "pct_start",
    0.3,
    (0.0, 1.0),
    (0.0, 1.0, false),
    "share of the cycle spent rising",
);
const ANNEAL: Param = Param::flag(
    "anneal_linear",
    false,
    "anneal linearly instead of along a cosine",
);
const DIV_FACTOR: Param = Param::real(
    "div_factor",
    25.0,
    (1e-12, 1e12),
    (1.0, 1e3, true),
    "the cycle starts at max_lr / div_factor",
);
const FINAL_DIV: Param = Param::real(
    "final_div_factor",
    1e4,
    (1e-12, 1e12),
    (1.0, 1e6, true),
    "it ends at the start value / final_div_factor",
);
const THREE_PHASE: Param = Param::flag("three_phase", false, "rise, fall back, then anneal");

impl ScheduleKind {
    pub const ALL: [ScheduleKind; 7] = [
        ScheduleKind::Constant,
        ScheduleKind::StepLr,
        ScheduleKind::ExponentialLr,
        ScheduleKind::CosineAnnealingLr,
        ScheduleKind::LinearLr,
        ScheduleKind::WarmupCosine,
        ScheduleKind::OneCycleLr,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            ScheduleKind::Constant => "constant",
            ScheduleKind::StepLr => "step_lr",
            ScheduleKind::ExponentialLr => "exponential_lr",
            ScheduleKind::CosineAnnealingLr => "cosine_annealing_lr",
            ScheduleKind::LinearLr => "linear_lr",
            ScheduleKind::WarmupCosine => "warmup_cosine",
            ScheduleKind::OneCycleLr => "one_cycle_lr",
        }
    }

    pub fn from_slug(s: &str) -> Option<ScheduleKind> {
        ScheduleKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            ScheduleKind::Constant => "Constant",
            ScheduleKind::StepLr => "Step decay",
            ScheduleKind::ExponentialLr => "Exponential decay",
            ScheduleKind::CosineAnnealingLr => "Cosine annealing",
            ScheduleKind::LinearLr => "Linear ramp",
            ScheduleKind::WarmupCosine => "Linear warm-up + cosine",
            ScheduleKind::OneCycleLr => "One-cycle",
        }
    }

    /// The parameters of this kind, with torch's names. `anneal_strategy`
    /// (`cos` | `linear`) is accepted by [`Schedule::set_str`] as well.
    pub fn params(self) -> &'static [Param] {
        match self {
            ScheduleKind::Constant => &[],
            ScheduleKind::StepLr => &[STEP_SIZE, GAMMA_STEP],
            ScheduleKind::ExponentialLr => &[GAMMA_EXP],
            ScheduleKind::CosineAnnealingLr => &[T_MAX, ETA_MIN],
            ScheduleKind::LinearLr => &[START_FACTOR, END_FACTOR, TOTAL_ITERS],
            ScheduleKind::WarmupCosine => &[WARMUP_ITERS, START_FACTOR, END_FACTOR, T_MAX, ETA_MIN],
            ScheduleKind::OneCycleLr => &[
                MAX_LR,
                TOTAL_STEPS,
                PCT_START,
                ANNEAL,
                DIV_FACTOR,
                FINAL_DIV,
                THREE_PHASE,
            ],
        }
    }
}

/// A schedule kind with its parameter values (aligned with `kind.params()`).
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    kind: ScheduleKind,
    values: Vec<f64>,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::new(ScheduleKind::Constant)
    }
}

impl Schedule {
    pub fn new(kind: ScheduleKind) -> Schedule {
        Schedule {
            kind,
            values: kind.params().iter().map(|p| p.default).collect(),
        }
    }

    pub fn kind(&self) -> ScheduleKind {
        self.kind
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static Param, f64)> + '_ {
        self.kind.params().iter().zip(self.values.iter().copied())
    }

    fn index(&self, name: &str) -> Result<usize, HyperError> {
        self.kind
            .params()
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| HyperError::Unknown {
                optimizer: self.kind.slug(),
                name: name.to_string(),
                accepted: self.kind.params().iter().map(|p| p.name).collect(),
            })
    }

    pub fn param(&self, name: &str) -> Result<&'static Param, HyperError> {
        Ok(&self.kind.params()[self.index(name)?])
    }

    pub fn get(&self, name: &str) -> f64 {
        self.index(name).map(|i| self.values[i]).unwrap_or(f64::NAN)
    }

    pub fn set(&mut self, name: &str, value: f64) -> Result<(), HyperError> {
        let i = self.index(name)?;
        self.values[i] = self.kind.params()[i].check(value)?;
        Ok(())
    }

    /// Parses and sets one parameter; `anneal_strategy=cos|linear` is torch's
    /// spelling of the `anneal_linear` flag.
    pub fn set_str(&mut self, name: &str, text: &str) -> Result<(), HyperError> {
        if name == "anneal_strategy" && self.kind == ScheduleKind::OneCycleLr {
            let linear = match text.trim().to_ascii_lowercase().as_str() {
                "cos" => false,
                "linear" => true,
                _ => {
                    return Err(HyperError::Unparsable {
                        name: "anneal_strategy",
                        text: format!("{text} (cos or linear)"),
                    })
                }
            };
            return self.set("anneal_linear", linear as u8 as f64);
        }
        let i = self.index(name)?;
        self.values[i] = self.kind.params()[i].parse(text)?;
        Ok(())
    }

    /// The lr of optimizer step `i + 1`, for an optimizer whose own lr is `base`.
    pub fn lr(&self, base: f64, i: u64) -> f64 {
        self.at(i).lr(base)
    }

    /// The schedule at optimizer step `i + 1`, with everything that does not
    /// depend on the optimizer's own lr worked out (a race computes it once per
    /// step, then applies it to each racer's lr).
    pub fn at(&self, i: u64) -> LrAt {
        let g = |n: &str| self.get(n);
        let fi = i as f64;
        match self.kind {
            ScheduleKind::Constant => LrAt::Base,
            ScheduleKind::StepLr => {
                LrAt::Factor(g("gamma").powf((i / g("step_size").max(1.0) as u64) as f64))
            }
            ScheduleKind::ExponentialLr => LrAt::Factor(g("gamma").powf(fi)),
            ScheduleKind::CosineAnnealingLr => cosine(g("eta_min"), g("T_max"), fi),
            ScheduleKind::LinearLr => {
                linear(g("start_factor"), g("end_factor"), g("total_iters"), fi)
            }
            ScheduleKind::WarmupCosine => {
                let w = g("warmup_iters");
                if fi < w {
                    linear(g("start_factor"), g("end_factor"), w, fi)
                } else {
                    cosine(g("eta_min"), g("T_max"), fi - w)
                }
            }
            ScheduleKind::OneCycleLr => {
                let at = self.one_cycle(i);
                if g("max_lr") > 0.0 {
                    LrAt::Same(at.lr(g("max_lr")))
                } else {
                    LrAt::OneCycle(at)
                }
            }
        }
    }

    fn one_cycle(&self, i: u64) -> OneCycleAt {
        let g = |n: &str| self.get(n);
        let n = g("total_steps");
        // torch refuses to step past total_steps; a race that goes on holds the last rate.
        let i = (i as f64).min(n - 1.0);
        let pct = g("pct_start");
        use Level::*;
        let phases: &[(f64, Level, Level)] = if g("three_phase") != 0.0 {
            &[
                (pct * n - 1.0, Low, Peak),
                (2.0 * pct * n - 2.0, Peak, Low),
                (n - 1.0, Low, Final),
            ]
        } else {
            &[(pct * n - 1.0, Low, Peak), (n - 1.0, Peak, Final)]
        };
        let mut start_step = 0.0;
        let mut at = OneCycleAt {
            div_factor: g("div_factor"),
            final_div_factor: g("final_div_factor"),
            from: Final,
            to: Final,
            anneal: Anneal::Linear(0.0),
        };
        for (k, &(end_step, from, to)) in phases.iter().enumerate() {
            if i <= end_step || k == phases.len() - 1 {
                let p = (i - start_step) / (end_step - start_step);
                at.from = from;
                at.to = to;
                at.anneal = if g("anneal_linear") != 0.0 {
                    Anneal::Linear(p)
                } else {
                    Anneal::Cos(1.0 + libm::cos(PI * p))
                };
                break;
            }
            start_step = end_step;
        }
        at
    }

    /// lr_0 … lr_{n−1}.
    pub fn sequence(&self, base: f64, n: u64) -> Vec<f64> {
        (0..n).map(|i| self.lr(base, i)).collect()
    }
}

/// torch's cosine annealing, `eta_min + (base − eta_min)·(1 + cos(π·i/T_max))/2`.
fn cosine(eta_min: f64, t_max: f64, i: f64) -> LrAt {
    LrAt::Cosine {
        eta_min,
        k: 1.0 + libm::cos(PI * i / t_max),
    }
}

/// torch's linear ramp, `base·(s + (e − s)·min(i, total)/total)`.
fn linear(s: f64, e: f64, total: f64, i: f64) -> LrAt {
    LrAt::Factor(s + (e - s) * i.min(total) / total)
}

/// A schedule at one step: the rate as a function of the optimizer's own lr
/// (`base`). [`LrAt::lr`] does the arithmetic of a direct evaluation, in the
/// same order, so the result is the same to the last bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LrAt {
    /// `base`.
    Base,
    /// `base · factor`.
    Factor(f64),
    /// `eta_min + (base − eta_min)·k/2`, with `k = 1 + cos(π·i/T_max)`.
    Cosine { eta_min: f64, k: f64 },
    /// The same rate whatever `base` (one-cycle with its own max_lr).
    Same(f64),
    /// One-cycle peaking at `base`.
    OneCycle(OneCycleAt),
}

impl LrAt {
    #[inline(always)]
    pub fn lr(self, base: f64) -> f64 {
        match self {
            LrAt::Base => base,
            LrAt::Factor(f) => base * f,
            LrAt::Cosine { eta_min, k } => eta_min + (base - eta_min) * k / 2.0,
            LrAt::Same(lr) => lr,
            LrAt::OneCycle(at) => at.lr(base),
        }
    }
}

/// The three rates of a one-cycle: the start (`max_lr/div_factor`), the peak,
/// and the end (the start `/final_div_factor`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Level {
    Low,
    Peak,
    Final,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Anneal {
    /// `start + (end − start)·p`.
    Linear(f64),
    /// `end + (start − end)/2·k`, with `k = 1 + cos(π·p)`.
    Cos(f64),
}

/// One-cycle at one step: its phase (from one level to another) and how far in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OneCycleAt {
    div_factor: f64,
    final_div_factor: f64,
    from: Level,
    to: Level,
    anneal: Anneal,
}

impl OneCycleAt {
    /// The rate for a cycle peaking at `max_lr`.
    #[inline(always)]
    fn lr(self, max_lr: f64) -> f64 {
        let lo = max_lr / self.div_factor;
        let level = |l: Level| match l {
            Level::Low => lo,
            Level::Peak => max_lr,
            Level::Final => lo / self.final_div_factor,
        };
        let (start, end) = (level(self.from), level(self.to));
        match self.anneal {
            Anneal::Linear(p) => start + (end - start) * p,
            Anneal::Cos(k) => end + (start - end) / 2.0 * k,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page lower-cases titles with `to_ascii_lowercase` (no Unicode case
    /// tables in the wasm): that is only the same text while titles are ASCII.
    #[test]
    fn titles_are_ascii() {
        for k in ScheduleKind::ALL {
            assert!(k.title().is_ascii(), "{}", k.title());
            assert_eq!(k.title().to_ascii_lowercase(), k.title().to_lowercase());
        }
    }

    fn sched(kind: ScheduleKind, set: &[(&str, f64)]) -> Schedule {
        let mut s = Schedule::new(kind);
        for (n, v) in set {
            s.set(n, *v).unwrap();
        }
        s
    }

    #[test]
    fn cosine_rises_again_after_t_max() {
        let s = sched(ScheduleKind::CosineAnnealingLr, &[("T_max", 10.0)]);
        assert_eq!(s.lr(1.0, 0), 1.0);
        assert!(s.lr(1.0, 10) < 1e-15);
        assert!((s.lr(1.0, 20) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn warmup_restarts_cosine_at_base() {
        let s = sched(
            ScheduleKind::WarmupCosine,
            &[
                ("warmup_iters", 4.0),
                ("T_max", 10.0),
                ("start_factor", 0.25),
            ],
        );
        assert_eq!(s.lr(2.0, 0), 0.5);
        assert!((s.lr(2.0, 3) - 2.0 * (0.25 + 0.75 * 0.75)).abs() < 1e-15);
        assert_eq!(s.lr(2.0, 4), 2.0);
    }

    #[test]
    fn one_cycle_matches_torch_shape() {
        let s = sched(
            ScheduleKind::OneCycleLr,
            &[("max_lr", 1.0), ("total_steps", 100.0)],
        );
        assert!((s.lr(0.0, 0) - 0.04).abs() < 1e-15, "starts at max/25");
        let peak = (0..100).map(|i| s.lr(0.0, i)).fold(0.0, f64::max);
        assert!((peak - 1.0).abs() < 1e-3);
        assert!(
            (s.lr(0.0, 99) - 0.04 / 1e4).abs() < 1e-15,
            "ends at lo/final_div"
        );
        // torch's values at a few steps (OneCycleLR(max_lr=1, total_steps=100)).
        assert!((s.lr(0.0, 29) - 1.0).abs() < 1e-15);
        let three = sched(
            ScheduleKind::OneCycleLr,
            &[
                ("max_lr", 1.0),
                ("total_steps", 100.0),
                ("three_phase", 1.0),
            ],
        );
        assert!((three.lr(0.0, 58) - 0.04).abs() < 1e-12);
    }

    #[test]
    fn anneal_strategy_spelling() {
        let mut s = Schedule::new(ScheduleKind::OneCycleLr);
        s.set_str("anneal_strategy", "linear").unwrap();
        assert_eq!(s.get("anneal_linear"), 1.0);
        assert!(s.set_str("anneal_strategy", "cosine").is_err());
        assert!(s.set_str("gamma", "1").is_err());
    }
}
