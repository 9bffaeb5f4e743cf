//! Adam — `torch.optim.Adam` (Kingma & Ba 2015), single-tensor path. The same
//! code runs AMSGrad (`amsgrad=True`) and AdamW (decoupled weight decay), as in
//! torch, where AdamW is Adam with `decoupled_weight_decay=True`.
//!
//! ```text
//! AdamW only:  θ ← θ·(1 − lr·wd)                (first, on the current θ)
//! Adam only:   g ← g + wd·θ                     (L2, coupled; if wd ≠ 0)
//! m ← β₁·m + (1 − β₁)·g
//! v ← β₂·v + (1 − β₂)·g²
//! bc1 = 1 − β₁^t,  bc2 = 1 − β₂^t
//! AMSGrad: v_max ← max(v_max, v), used in place of v below
//! θ ← θ − (lr / bc1) · m / (√v / √bc2 + eps)
//! ```
//! eps is added to the bias-corrected root √(v/bc2), not to √v before the
//! correction. AMSGrad keeps the maximum of the *uncorrected* v.
//! Defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.

use super::{l2, Hyper, Internals, Optimizer, Param, PowerT};
use crate::vec2::Vec2;

pub const BETA1: Param = Param::beta("beta1", 0.9, "decay of the first moment m (the momentum)");
pub const BETA2: Param = Param::beta(
    "beta2",
    0.999,
    "decay of the second moment v (the memory of g²)",
);

pub const PARAMS: &[Param] = &[
    Param::lr(1e-3),
    BETA1,
    BETA2,
    Param::eps(1e-8),
    Param::weight_decay(0.0, "L2 penalty added to the gradient (coupled): g + wd·θ"),
];

/// Which member of the family, and its numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamConfig {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub decoupled: bool,
    pub amsgrad: bool,
    /// Off only for the inspector's "without bias correction" ghost:
    /// bc1 = bc2 = 1, so m̂ = m and v̂ = v (not a torch option).
    pub bias_correction: bool,
}

impl AdamConfig {
    pub fn adam(h: &Hyper) -> Self {
        AdamConfig {
            beta1: h.get("beta1"),
            beta2: h.get("beta2"),
            eps: h.get("eps"),
            weight_decay: h.get("weight_decay"),
            decoupled: false,
            amsgrad: false,
            bias_correction: true,
        }
    }
}

pub struct Adam {
    c: AdamConfig,
    beta1_t: PowerT,
    beta2_t: PowerT,
    m: Vec2,
    v: Vec2,
    v_max: Vec2,
    bc1: f64,
    bc2: f64,
}

impl Adam {
    pub fn new(c: AdamConfig) -> Self {
        Adam {
            c,
            beta1_t: PowerT::new(c.beta1),
            beta2_t: PowerT::new(c.beta2),
            m: Vec2::ZERO,
            v: Vec2::ZERO,
            v_max: Vec2::ZERO,
            bc1: f64::NAN,
            bc2: f64::NAN,
        }
    }

    /// The second moment the update divides by (v, or AMSGrad's running max).
    fn denominator_moment(&self) -> Vec2 {
        if self.c.amsgrad {
            self.v_max
        } else {
            self.v
        }
    }
}

impl Optimizer for Adam {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        let c = self.c;
        let mut theta = theta;
        let mut g = g;
        if c.weight_decay != 0.0 {
            if c.decoupled {
                theta = theta * (1.0 - lr * c.weight_decay);
            } else {
                g = l2(g, theta, c.weight_decay);
            }
        }
        self.m = self.m.lerp(g, 1.0 - c.beta1);
        self.v = self.v * c.beta2 + g * g * (1.0 - c.beta2);
        self.bc1 = 1.0 - self.beta1_t.advance();
        self.bc2 = 1.0 - self.beta2_t.advance();
        if !c.bias_correction {
            (self.bc1, self.bc2) = (1.0, 1.0);
        }
        if c.amsgrad {
            self.v_max = self.v_max.zip(self.v, f64::max);
        }
        let step_size = lr / self.bc1;
        let bc2_sqrt = self.bc2.sqrt();
        let denom = self.denominator_moment().sqrt() / bc2_sqrt + Vec2::splat(c.eps);
        theta - (self.m * step_size) / denom
    }

    fn internals(&self) -> Internals {
        let v = self.denominator_moment();
        Internals {
            m: self.m,
            v,
            m_hat: self.m / self.bc1,
            v_hat: v / self.bc2,
            lookahead: Vec2::NAN,
        }
    }
}
