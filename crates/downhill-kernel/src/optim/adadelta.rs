//! AdaDelta — `torch.optim.Adadelta` (Zeiler 2012).
//!
//! ```text
//! g ← g + wd·θ                                  (if weight_decay ≠ 0)
//! v ← ρ·v + (1 − ρ)·g²                          (v₀ = 0, u₀ = 0)
//! Δ = √(u + eps) / √(v + eps) · g               (eps inside both roots)
//! u ← ρ·u + (1 − ρ)·Δ²                          (Δ before lr scaling)
//! θ ← θ − lr·Δ
//! ```
//! The step is the ratio of two running RMS values, so it starts at about
//! √eps·sign(g) whatever the gradient: AdaDelta begins with tiny steps.
//! Defaults lr 1.0, rho 0.9, eps 1e-6.

use super::{l2, Hyper, Internals, Optimizer, Param};
use crate::vec2::Vec2;

pub const PARAMS: &[Param] = &[
    Param::lr(1.0),
    Param::beta("rho", 0.9, "decay of both running averages"),
    Param::eps(1e-6),
    Param::weight_decay(0.0, "L2 penalty added to the gradient: g + wd·θ"),
];

pub struct Adadelta {
    rho: f64,
    eps: f64,
    weight_decay: f64,
    square_avg: Vec2,
    acc_delta: Vec2,
}

impl Adadelta {
    pub fn new(h: &Hyper) -> Self {
        Adadelta {
            rho: h.get("rho"),
            eps: h.get("eps"),
            weight_decay: h.get("weight_decay"),
            square_avg: Vec2::ZERO,
            acc_delta: Vec2::ZERO,
        }
    }
}

impl Optimizer for Adadelta {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        let g = l2(g, theta, self.weight_decay);
        let eps = Vec2::splat(self.eps);
        self.square_avg = self.square_avg * self.rho + g * g * (1.0 - self.rho);
        let std = (self.square_avg + eps).sqrt();
        let delta = (self.acc_delta + eps).sqrt() / std * g;
        self.acc_delta = self.acc_delta * self.rho + delta * delta * (1.0 - self.rho);
        theta - delta * lr
    }

    fn internals(&self) -> Internals {
        Internals {
            v: self.square_avg,
            m_hat: self.acc_delta,
            ..Internals::NONE
        }
    }
}
