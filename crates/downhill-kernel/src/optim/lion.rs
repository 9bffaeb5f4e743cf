//! Lion — Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms";
//! as lion-pytorch 0.2.5 computes it.
//!
//! ```text
//! c = β₁·m + (1 − β₁)·g
//! θ ← θ·(1 − lr·wd) − lr·sign(c)
//! m ← β₂·m + (1 − β₂)·g            (after the step, with β₂)
//! ```
//! Every coordinate moves by exactly ±lr (or 0 where c = 0): only the sign of
//! the interpolated momentum matters. Defaults lr 1e-4, betas (0.9, 0.99), wd 0.

use super::adam::BETA1;
use super::{sign, Hyper, Internals, Optimizer, Param};
use crate::vec2::Vec2;

pub const PARAMS: &[Param] = &[
    Param::lr(1e-4),
    BETA1,
    Param::beta("beta2", 0.99, "decay of the momentum kept between steps"),
    Param::weight_decay(0.0, "decoupled decay: θ shrinks by lr·wd·θ each step"),
];

pub struct Lion {
    beta1: f64,
    beta2: f64,
    weight_decay: f64,
    m: Vec2,
    last_c: Vec2,
}

impl Lion {
    pub fn new(h: &Hyper) -> Self {
        Lion {
            beta1: h.get("beta1"),
            beta2: h.get("beta2"),
            weight_decay: h.get("weight_decay"),
            m: Vec2::ZERO,
            last_c: Vec2::NAN,
        }
    }
}

impl Optimizer for Lion {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        let c = self.m * self.beta1 + g * (1.0 - self.beta1);
        self.last_c = c;
        let theta = theta * (1.0 - lr * self.weight_decay);
        let next = theta - c.map(sign) * lr;
        self.m = self.m * self.beta2 + g * (1.0 - self.beta2);
        next
    }

    fn internals(&self) -> Internals {
        Internals {
            m: self.m,
            m_hat: self.last_c,
            ..Internals::NONE
        }
    }
}
