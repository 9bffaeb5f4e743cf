//! LAMB — You et al. 2020, "Large Batch Optimization for Deep Learning",
//! Algorithm 2 with bias correction; the whole 2-vector is one layer, φ(z) = z.
//!
//! ```text
//! m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
//! m̂ = m / (1 − β₁^t);      v̂ = v / (1 − β₂^t)
//! r = m̂ / (√v̂ + eps) + wd·θ
//! τ = ‖θ‖ / ‖r‖  if ‖θ‖ > 0 and ‖r‖ > 0, else 1
//! θ ← θ − lr·τ·r
//! ```
//! The trust ratio makes every step exactly lr·‖θ‖ long, so near a minimum
//! away from the origin LAMB keeps bouncing at that scale. (torch_optimizer's
//! Lamb differs in eps placement, debiasing and a clamp of ‖θ‖ at 10.)
//! Defaults lr 1e-3, betas (0.9, 0.999), eps 1e-6, weight_decay 0.

use super::adam::{BETA1, BETA2};
use super::{Hyper, Internals, Optimizer, Param, PowerT};
use crate::vec2::Vec2;

pub const PARAMS: &[Param] = &[
    Param::lr(1e-3),
    BETA1,
    BETA2,
    Param::eps(1e-6),
    Param::weight_decay(0.0, "decay added inside the normalised direction: r + wd·θ"),
];

pub struct Lamb {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    /// Off only for the "without bias correction" ghost (m̂ = m, v̂ = v).
    bias_correction: bool,
    beta1_t: PowerT,
    beta2_t: PowerT,
    m: Vec2,
    v: Vec2,
    m_hat: Vec2,
    v_hat: Vec2,
}

impl Lamb {
    pub fn new(h: &Hyper) -> Self {
        Lamb {
            beta1: h.get("beta1"),
            beta2: h.get("beta2"),
            eps: h.get("eps"),
            weight_decay: h.get("weight_decay"),
            bias_correction: true,
            beta1_t: PowerT::new(h.get("beta1")),
            beta2_t: PowerT::new(h.get("beta2")),
            m: Vec2::ZERO,
            v: Vec2::ZERO,
            m_hat: Vec2::NAN,
            v_hat: Vec2::NAN,
        }
    }
}

impl Lamb {
    /// The same rule with m̂ = m and v̂ = v.
    pub fn uncorrected(h: &Hyper) -> Self {
        Lamb {
            bias_correction: false,
            ..Lamb::new(h)
        }
    }
}

impl Optimizer for Lamb {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        self.m = self.m * self.beta1 + g * (1.0 - self.beta1);
        self.v = self.v * self.beta2 + g * g * (1.0 - self.beta2);
        let (bc1, bc2) = (1.0 - self.beta1_t.advance(), 1.0 - self.beta2_t.advance());
        (self.m_hat, self.v_hat) = if self.bias_correction {
            (self.m / bc1, self.v / bc2)
        } else {
            (self.m, self.v)
        };
        let r =
            self.m_hat / (self.v_hat.sqrt() + Vec2::splat(self.eps)) + theta * self.weight_decay;
        let (tn, rn) = (theta.norm(), r.norm());
        let trust = if tn > 0.0 && rn > 0.0 { tn / rn } else { 1.0 };
        theta - r * (lr * trust)
    }

    fn internals(&self) -> Internals {
        Internals {
            m: self.m,
            v: self.v,
            m_hat: self.m_hat,
            v_hat: self.v_hat,
            lookahead: Vec2::NAN,
        }
    }
}
