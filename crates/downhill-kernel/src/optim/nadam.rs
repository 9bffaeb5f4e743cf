//! NAdam — `torch.optim.NAdam` (Dozat 2016): Adam with Nesterov momentum and
//! torch's momentum-decay schedule for μ_t.
//!
//! ```text
//! g ← g + wd·θ, or θ ← θ·(1 − lr·wd) if decoupled_weight_decay
//! μ_t   = β₁·(1 − 0.5·0.96^(t·ψ)),   μ_t+1 = β₁·(1 − 0.5·0.96^((t+1)·ψ))
//! Π ← Π·μ_t                                (Π₀ = 1)
//! m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²
//! d = √(v / (1 − β₂^t)) + eps
//! θ ← θ − lr·(1 − μ_t)/(1 − Π) · g / d
//! θ ← θ − lr·μ_t+1/(1 − Π·μ_t+1) · m / d
//! ```
//! Defaults lr 2e-3, betas (0.9, 0.999), eps 1e-8, momentum_decay ψ = 4e-3.

use super::adam::{BETA1, BETA2};
use super::{flush_negligible, l2, Hyper, Internals, Optimizer, Param, PowerT};
use crate::vec2::Vec2;

pub const PARAMS: &[Param] = &[
    Param::lr(2e-3),
    BETA1,
    BETA2,
    Param::eps(1e-8),
    Param::real(
        "momentum_decay",
        4e-3,
        (0.0, 1e3),
        (0.0, 0.1, false),
        "ψ: how fast μ_t warms up towards β₁",
    ),
    Param::weight_decay(0.0, "weight decay (L2 unless decoupled)"),
    Param::flag(
        "decoupled_weight_decay",
        false,
        "shrink θ directly (AdamW style) instead of adding wd·θ to g",
    ),
];

pub struct Nadam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    decoupled: bool,
    mu_product: f64,
    beta1_t: PowerT,
    beta2_t: PowerT,
    /// 0.96^(t·ψ) as a running product of 0.96^ψ (see `PowerT`).
    decay_t: PowerT,
    m: Vec2,
    v: Vec2,
    bc2: f64,
}

impl Nadam {
    pub fn new(h: &Hyper) -> Self {
        Nadam {
            beta1: h.get("beta1"),
            beta2: h.get("beta2"),
            eps: h.get("eps"),
            weight_decay: h.get("weight_decay"),
            decoupled: h.flag("decoupled_weight_decay"),
            mu_product: 1.0,
            beta1_t: PowerT::new(h.get("beta1")),
            beta2_t: PowerT::new(h.get("beta2")),
            decay_t: PowerT::new(0.96f64.powf(h.get("momentum_decay"))),
            m: Vec2::ZERO,
            v: Vec2::ZERO,
            bc2: f64::NAN,
        }
    }
}

impl Optimizer for Nadam {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        let mut theta = theta;
        let mut g = g;
        if self.weight_decay != 0.0 {
            if self.decoupled {
                theta = theta * (1.0 - lr * self.weight_decay);
            } else {
                g = l2(g, theta, self.weight_decay);
            }
        }
        self.bc2 = 1.0 - self.beta2_t.advance();
        self.beta1_t.advance();
        let decay = self.decay_t.advance();
        let mu = self.beta1 * (1.0 - 0.5 * decay);
        let mu_next = self.beta1 * (1.0 - 0.5 * decay * self.decay_t.base());
        // Held at 0 once negligible, like β^t (see `flush_negligible`).
        self.mu_product = flush_negligible(self.mu_product * mu);
        self.m = self.m.lerp(g, 1.0 - self.beta1);
        self.v = self.v * self.beta2 + g * g * (1.0 - self.beta2);
        let denom = (self.v / self.bc2).sqrt() + Vec2::splat(self.eps);
        let mu_product_next = self.mu_product * mu_next;
        let theta = theta + (g * (-lr * (1.0 - mu) / (1.0 - self.mu_product))) / denom;
        theta + (self.m * ((-lr * mu_next) / (1.0 - mu_product_next))) / denom
    }

    fn internals(&self) -> Internals {
        Internals {
            m: self.m,
            v: self.v,
            m_hat: self.m / (1.0 - self.beta1_t.get()),
            v_hat: self.v / self.bc2,
            lookahead: Vec2::NAN,
        }
    }
}
