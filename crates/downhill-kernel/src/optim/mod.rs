//! The optimizer family. Each optimizer lives in its own file with its update
//! rule and source in the doc comment, a parameter table whose defaults are the
//! spec's, a config read from a [`Hyper`], and its state kept apart from the
//! config. The learning rate is handed in at every step, so a schedule drives it.

mod adadelta;
mod adagrad;
mod adam;
mod adamw;
mod amsgrad;
mod lamb;
mod lion;
mod momentum;
mod muon;
mod nadam;
mod nesterov;
mod param;
mod rmsprop;
mod sgd;
mod shampoo;

pub use param::{fmt_num, Hyper, HyperError, Param, ParamKind, BELOW_ONE, MAX_PARAMS};

use crate::vec2::Vec2;
use serde::{Deserialize, Serialize};

/// What an optimizer keeps between steps, for the inspectors. Slots an
/// optimizer does not have are NaN. Meanings per optimizer:
/// - `m`: first moment / momentum buffer / Lion's and Muon's momentum;
/// - `v`: second moment / squared-gradient accumulator (AdaGrad's sum,
///   RMSProp's and AdaDelta's running average; AMSGrad's running maximum;
///   Shampoo's diagonal of H);
/// - `m_hat`, `v_hat`: the bias-corrected moments (Adam family, LAMB);
///   AdaDelta keeps its running average of squared updates in `m_hat`;
/// - `lookahead`: Nesterov's look-ahead point θ − lr·μ·b.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Internals {
    pub m: Vec2,
    pub v: Vec2,
    pub m_hat: Vec2,
    pub v_hat: Vec2,
    pub lookahead: Vec2,
}

impl Internals {
    pub const NONE: Internals = Internals {
        m: Vec2::NAN,
        v: Vec2::NAN,
        m_hat: Vec2::NAN,
        v_hat: Vec2::NAN,
        lookahead: Vec2::NAN,
    };
}

impl Default for Internals {
    fn default() -> Self {
        Internals::NONE
    }
}

/// One optimizer with its state. `step` takes the point, the gradient there
/// and this step's learning rate, and returns the new point.
pub trait Optimizer: Send + Sync {
    fn step(&mut self, theta: Vec2, grad: Vec2, lr: f64) -> Vec2;
    /// The state after the last step, for the inspectors.
    fn internals(&self) -> Internals;
}

/// An optimizer of any kind with its state, as a closed enum: the race calls
/// `step` through one `match` (a jump the compiler can inline each rule into)
/// instead of a virtual call through a `Box<dyn Optimizer>`. The rules stay in
/// their files; Nesterov is `Momentum`, AMSGrad and AdamW are `Adam`, as in torch.
pub enum AnyOptimizer {
    Sgd(sgd::Sgd),
    Momentum(momentum::Momentum),
    Adagrad(adagrad::Adagrad),
    Rmsprop(rmsprop::Rmsprop),
    Adadelta(adadelta::Adadelta),
    Adam(adam::Adam),
    Nadam(nadam::Nadam),
    Lion(lion::Lion),
    Lamb(lamb::Lamb),
    Muon(muon::Muon),
    Shampoo(shampoo::Shampoo),
}

/// Calls `$body` with `$o` bound to the inner optimizer, whatever its kind.
macro_rules! each_optimizer {
    ($any:expr, $o:ident => $body:expr) => {
        match $any {
            AnyOptimizer::Sgd($o) => $body,
            AnyOptimizer::Momentum($o) => $body,
            AnyOptimizer::Adagrad($o) => $body,
            AnyOptimizer::Rmsprop($o) => $body,
            AnyOptimizer::Adadelta($o) => $body,
            AnyOptimizer::Adam($o) => $body,
            AnyOptimizer::Nadam($o) => $body,
            AnyOptimizer::Lion($o) => $body,
            AnyOptimizer::Lamb($o) => $body,
            AnyOptimizer::Muon($o) => $body,
            AnyOptimizer::Shampoo($o) => $body,
        }
    };
}

impl Optimizer for AnyOptimizer {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, grad: Vec2, lr: f64) -> Vec2 {
        each_optimizer!(self, o => o.step(theta, grad, lr))
    }

    fn internals(&self) -> Internals {
        each_optimizer!(self, o => o.internals())
    }
}

/// `β^t`, kept as a running product (one multiply per step).
///
/// torch computes `pow(β, t)` afresh each step. The running product differs
/// from it by at most t ulps relative, which moves a bias correction 1 − β^t
/// by at most about 1e-16/(1 − β) relative (1e-13 for β = 0.999), far inside
/// the 1e-10 golden tolerance; `pow` costs 20 to 60 ns a call on the machines
/// we measure, which the page cannot afford 14 × 2,000 times per slider move.
///
/// Once β^t is [`NEGLIGIBLE`] it is held at 0: see there why that changes no
/// result.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PowerT {
    base: f64,
    value: f64,
}

impl PowerT {
    pub(crate) fn new(base: f64) -> Self {
        PowerT { base, value: 1.0 }
    }
    /// Advances t by one and returns β^t.
    #[inline(always)]
    pub(crate) fn advance(&mut self) -> f64 {
        self.value = flush_negligible(self.value * self.base);
        self.value
    }
    /// β^t at the current t.
    #[inline(always)]
    pub(crate) fn get(&self) -> f64 {
        self.value
    }
    /// β.
    #[inline(always)]
    pub(crate) fn base(&self) -> f64 {
        self.base
    }
}

/// 2⁻⁶⁰: a running product of factors below one (β^t, NAdam's μ product)
/// that falls under this is held at 0.
///
/// These products only ever enter a rule as `1 − p` or `1 − p/2`, which are
/// exactly 1 once p ≤ 2⁻⁵⁴ (half the gap below 1.0, a tie that rounds to
/// 1.0), so the flush changes no bit of any result. It keeps the products out
/// of the subnormal range, where each multiply takes a slow microcode path on
/// x86 (so also in the browser's wasm), and which a running product never
/// leaves: 0.9 × 2⁻¹⁰⁷⁴ rounds back to 2⁻¹⁰⁷⁴. NAdam's μ product got there
/// after about 980 steps and made every later step of it 2 to 3 times slower.
pub(crate) const NEGLIGIBLE: f64 = 1.0 / (1u64 << 60) as f64;

/// `p`, or 0 when it is below [`NEGLIGIBLE`].
#[inline(always)]
pub(crate) fn flush_negligible(p: f64) -> f64 {
    if p < NEGLIGIBLE {
        0.0
    } else {
        p
    }
}

/// Coupled (L2) weight decay, torch's `grad.add(param, alpha=wd)`: skipped
/// when wd = 0, as torch skips it, so that 0·θ cannot turn an infinite θ into NaN.
#[inline(always)]
pub(crate) fn l2(g: Vec2, theta: Vec2, weight_decay: f64) -> Vec2 {
    if weight_decay != 0.0 {
        g + theta * weight_decay
    } else {
        g
    }
}

/// torch's `sign`: 0 for 0 (unlike `f64::signum`), NaN for NaN.
#[inline(always)]
pub(crate) fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
}

/// The closed registry of optimizers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    Nesterov,
    Adagrad,
    Rmsprop,
    Adadelta,
    Adam,
    Amsgrad,
    Adamw,
    Nadam,
    Lion,
    Lamb,
    Muon,
    Shampoo,
}

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 14] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::Adagrad,
        OptimizerKind::Rmsprop,
        OptimizerKind::Adadelta,
        OptimizerKind::Adam,
        OptimizerKind::Amsgrad,
        OptimizerKind::Adamw,
        OptimizerKind::Nadam,
        OptimizerKind::Lion,
        OptimizerKind::Lamb,
        OptimizerKind::Muon,
        OptimizerKind::Shampoo,
    ];

    /// The stable name used in URLs and the CLI.
    pub fn slug(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Nesterov => "nesterov",
            OptimizerKind::Adagrad => "adagrad",
            OptimizerKind::Rmsprop => "rmsprop",
            OptimizerKind::Adadelta => "adadelta",
            OptimizerKind::Adam => "adam",
            OptimizerKind::Amsgrad => "amsgrad",
            OptimizerKind::Adamw => "adamw",
            OptimizerKind::Nadam => "nadam",
            OptimizerKind::Lion => "lion",
            OptimizerKind::Lamb => "lamb",
            OptimizerKind::Muon => "muon",
            OptimizerKind::Shampoo => "shampoo",
        }
    }

    pub fn from_slug(s: &str) -> Option<OptimizerKind> {
        OptimizerKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// The name shown to people.
    pub fn title(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "SGD",
            OptimizerKind::Momentum => "Momentum",
            OptimizerKind::Nesterov => "Nesterov",
            OptimizerKind::Adagrad => "AdaGrad",
            OptimizerKind::Rmsprop => "RMSProp",
            OptimizerKind::Adadelta => "AdaDelta",
            OptimizerKind::Adam => "Adam",
            OptimizerKind::Amsgrad => "AMSGrad",
            OptimizerKind::Adamw => "AdamW",
            OptimizerKind::Nadam => "NAdam",
            OptimizerKind::Lion => "Lion",
            OptimizerKind::Lamb => "LAMB",
            OptimizerKind::Muon => "Muon",
            OptimizerKind::Shampoo => "Shampoo",
        }
    }

    pub fn params(self) -> &'static [Param] {
        match self {
            OptimizerKind::Sgd => sgd::PARAMS,
            OptimizerKind::Momentum => momentum::PARAMS,
            OptimizerKind::Nesterov => nesterov::PARAMS,
            OptimizerKind::Adagrad => adagrad::PARAMS,
            OptimizerKind::Rmsprop => rmsprop::PARAMS,
            OptimizerKind::Adadelta => adadelta::PARAMS,
            OptimizerKind::Adam => adam::PARAMS,
            OptimizerKind::Amsgrad => amsgrad::PARAMS,
            OptimizerKind::Adamw => adamw::PARAMS,
            OptimizerKind::Nadam => nadam::PARAMS,
            OptimizerKind::Lion => lion::PARAMS,
            OptimizerKind::Lamb => lamb::PARAMS,
            OptimizerKind::Muon => muon::PARAMS,
            OptimizerKind::Shampoo => shampoo::PARAMS,
        }
    }

    /// A fresh optimizer (zero state) with these hyperparameters.
    pub fn build(self, h: &Hyper) -> AnyOptimizer {
        debug_assert_eq!(h.kind(), self);
        match self {
            OptimizerKind::Sgd => AnyOptimizer::Sgd(sgd::Sgd::new(h)),
            OptimizerKind::Momentum => AnyOptimizer::Momentum(momentum::Momentum::new(h)),
            OptimizerKind::Nesterov => AnyOptimizer::Momentum(nesterov::nesterov(h)),
            OptimizerKind::Adagrad => AnyOptimizer::Adagrad(adagrad::Adagrad::new(h)),
            OptimizerKind::Rmsprop => AnyOptimizer::Rmsprop(rmsprop::Rmsprop::new(h)),
            OptimizerKind::Adadelta => AnyOptimizer::Adadelta(adadelta::Adadelta::new(h)),
            OptimizerKind::Adam => AnyOptimizer::Adam(adam::Adam::new(adam::AdamConfig::adam(h))),
            OptimizerKind::Amsgrad => AnyOptimizer::Adam(adam::Adam::new(amsgrad::config(h))),
            OptimizerKind::Adamw => AnyOptimizer::Adam(adam::Adam::new(adamw::config(h))),
            OptimizerKind::Nadam => AnyOptimizer::Nadam(nadam::Nadam::new(h)),
            OptimizerKind::Lion => AnyOptimizer::Lion(lion::Lion::new(h)),
            OptimizerKind::Lamb => AnyOptimizer::Lamb(lamb::Lamb::new(h)),
            OptimizerKind::Muon => AnyOptimizer::Muon(muon::Muon::new(h)),
            OptimizerKind::Shampoo => AnyOptimizer::Shampoo(shampoo::Shampoo::new(h)),
        }
    }

    /// The same optimizer with its bias corrections off (m̂ = m, v̂ = v), for
    /// the "without bias correction" ghost; `None` for optimizers without
    /// them (and for NAdam, whose corrections are woven into its momentum
    /// schedule, so "uncorrected NAdam" is no rule anyone runs).
    pub fn build_uncorrected(self, h: &Hyper) -> Option<AnyOptimizer> {
        let off = |c: adam::AdamConfig| adam::AdamConfig {
            bias_correction: false,
            ..c
        };
        Some(match self {
            OptimizerKind::Adam => {
                AnyOptimizer::Adam(adam::Adam::new(off(adam::AdamConfig::adam(h))))
            }
            OptimizerKind::Amsgrad => AnyOptimizer::Adam(adam::Adam::new(off(amsgrad::config(h)))),
            OptimizerKind::Adamw => AnyOptimizer::Adam(adam::Adam::new(off(adamw::config(h)))),
            OptimizerKind::Lamb => AnyOptimizer::Lamb(lamb::Lamb::uncorrected(h)),
            _ => return None,
        })
    }

    /// Whether [`OptimizerKind::build_uncorrected`] has a rule for this optimizer.
    pub fn has_bias_correction(self) -> bool {
        matches!(
            self,
            OptimizerKind::Adam
                | OptimizerKind::Amsgrad
                | OptimizerKind::Adamw
                | OptimizerKind::Lamb
        )
    }

    /// Whether this optimizer belongs to the Adam family (has m, v, m̂, v̂).
    pub fn has_moments(self) -> bool {
        matches!(
            self,
            OptimizerKind::Adam
                | OptimizerKind::Amsgrad
                | OptimizerKind::Adamw
                | OptimizerKind::Nadam
                | OptimizerKind::Lamb
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_builds_from_defaults_and_names_are_unique() {
        for k in OptimizerKind::ALL {
            assert_eq!(OptimizerKind::from_slug(k.slug()), Some(k));
            let params = k.params();
            assert!(params.len() <= MAX_PARAMS);
            assert_eq!(params[0].name, "lr", "{k:?}: lr comes first");
            for (i, p) in params.iter().enumerate() {
                assert!(
                    params[..i].iter().all(|q| q.name != p.name),
                    "{k:?} {}",
                    p.name
                );
                assert_eq!(p.check(p.default), Ok(p.default), "{k:?} {}", p.name);
                assert!(
                    p.slider_min >= p.min && p.slider_max <= p.max,
                    "{k:?} {}",
                    p.name
                );
            }
            let h = Hyper::defaults(k);
            let mut o = k.build(&h);
            let next = o.step(Vec2::new(1.0, -2.0), Vec2::new(0.5, 0.25), 1e-2);
            assert!(next.is_finite(), "{k:?}");
            assert_ne!(next, Vec2::new(1.0, -2.0), "{k:?} did not move");
        }
    }

    #[test]
    fn defaults_are_the_specs() {
        let d = |k: OptimizerKind, n: &str| Hyper::defaults(k).get(n);
        use OptimizerKind::*;
        assert_eq!(d(Sgd, "lr"), 1e-3);
        assert_eq!(d(Adagrad, "lr"), 1e-2);
        assert_eq!(d(Adagrad, "eps"), 1e-10);
        assert_eq!(d(Rmsprop, "alpha"), 0.99);
        assert_eq!(d(Rmsprop, "eps"), 1e-8);
        assert_eq!(d(Adadelta, "lr"), 1.0);
        assert_eq!(d(Adadelta, "rho"), 0.9);
        assert_eq!(d(Adadelta, "eps"), 1e-6);
        for k in [Adam, Amsgrad, Adamw] {
            assert_eq!(d(k, "lr"), 1e-3);
            assert_eq!(d(k, "beta1"), 0.9);
            assert_eq!(d(k, "beta2"), 0.999);
            assert_eq!(d(k, "eps"), 1e-8);
        }
        assert_eq!(d(Adam, "weight_decay"), 0.0);
        assert_eq!(d(Adamw, "weight_decay"), 1e-2);
        assert_eq!(d(Nadam, "lr"), 2e-3);
        assert_eq!(d(Nadam, "momentum_decay"), 4e-3);
        assert_eq!(d(Lion, "lr"), 1e-4);
        assert_eq!(d(Lion, "beta2"), 0.99);
        assert_eq!(d(Lamb, "eps"), 1e-6);
        assert_eq!(d(Muon, "lr"), 0.02);
        assert_eq!(d(Muon, "momentum"), 0.95);
        assert_eq!(d(Muon, "ns_steps"), 5.0);
        assert!(Hyper::defaults(Muon).flag("nesterov"));
        assert_eq!(d(Shampoo, "lr"), 1.0);
        assert_eq!(d(Shampoo, "eps"), 1e-4);
    }

    #[test]
    fn bad_settings_are_refused_by_name() {
        let mut h = Hyper::defaults(OptimizerKind::Adam);
        assert!(matches!(
            h.set("nope", 1.0),
            Err(HyperError::Unknown { .. })
        ));
        assert!(h.set("lr", f64::NAN).is_err());
        assert!(h.set("lr", f64::INFINITY).is_err());
        assert!(h.set("eps", -1e-8).is_err());
        assert!(h.set("beta1", 1.0).is_err());
        assert!(
            h.set("lr", 1e6).is_ok(),
            "a huge lr is allowed: it diverges"
        );
        assert!(h.set_str("beta2", "abc").is_err());
        let mut m = Hyper::defaults(OptimizerKind::Muon);
        m.set_str("nesterov", "FALSE").unwrap();
        assert!(!m.flag("nesterov"));
        assert!(m.set_str("ns_steps", "2.5").is_err());
        let e = h.set("nope", 1.0).unwrap_err().to_string();
        assert!(e.contains("beta1") && e.contains("weight_decay"), "{e}");
    }

    #[test]
    fn running_powers_stay_within_a_few_ulps_of_pow() {
        for beta in [0.9, 0.99, 0.999, 0.95, 0.5] {
            let mut p = PowerT::new(beta);
            for t in 1..=100_000u64 {
                let v = p.advance();
                let exact = beta.powf(t as f64);
                if v == 0.0 {
                    // Held at 0 only where the bias correction is exactly 1.
                    assert!(exact < 2.0 * NEGLIGIBLE, "{beta}^{t} = {exact} held at 0");
                    assert_eq!(1.0 - exact, 1.0);
                } else {
                    assert!((v - exact).abs() <= 1e-16 * t as f64 * exact, "{beta}^{t}");
                }
                assert!(((1.0 - v) - (1.0 - exact)).abs() <= 2e-13 * (1.0 - exact));
            }
        }
    }

    #[test]
    fn a_negligible_power_changes_no_bias_correction_and_is_never_subnormal() {
        // The plain running product, which ends stuck at the smallest
        // subnormal, against the flushed one: 1 − p and 1 − p/2 agree bit
        // for bit at every step.
        for beta in [0.9, 0.5, 0.45, 0.999, 0.99999] {
            let mut flushed = PowerT::new(beta);
            let mut plain = 1.0f64;
            for t in 1..=2_000_000u64 {
                plain *= beta;
                let v = flushed.advance();
                assert!(v == 0.0 || v.is_normal(), "{beta}^{t} = {v:e}");
                assert_eq!((1.0 - v).to_bits(), (1.0 - plain).to_bits(), "{beta}^{t}");
                assert_eq!(
                    (1.0 - 0.5 * v).to_bits(),
                    (1.0 - 0.5 * plain).to_bits(),
                    "{beta}^{t}"
                );
                if plain == 0.0 || (plain < f64::MIN_POSITIVE && t > 10_000) {
                    break;
                }
            }
        }
    }

    #[test]
    fn sign_of_zero_is_zero() {
        assert_eq!(sign(0.0), 0.0);
        assert_eq!(sign(-3.0), -1.0);
        assert!(sign(f64::NAN).is_nan());
    }
}
