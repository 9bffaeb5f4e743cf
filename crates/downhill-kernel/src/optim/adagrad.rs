//! AdaGrad — `torch.optim.Adagrad` (Duchi et al. 2011).
//!
//! ```text
//! s₀ = initial_accumulator_value
//! g ← g + wd·θ                                (if weight_decay ≠ 0)
//! s ← s + g²
//! clr = lr / (1 + (t − 1)·lr_decay)
//! θ ← θ − clr · g / (√s + eps)
//! ```
//! s only grows, so the effective rate clr/(√s + eps) shrinks for ever.
//! Defaults lr 1e-2, lr_decay 0, eps 1e-10, initial_accumulator_value 0.

use super::{l2, Hyper, Internals, Optimizer, Param};
use crate::vec2::Vec2;

pub const PARAMS: &[Param] = &[
    Param::lr(1e-2),
    Param::real(
        "lr_decay",
        0.0,
        (0.0, 1e6),
        (0.0, 0.1, false),
        "divides lr by 1 + (t − 1)·lr_decay",
    ),
    Param::eps(1e-10),
    Param::real(
        "initial_accumulator_value",
        0.0,
        (0.0, 1e12),
        (0.0, 10.0, false),
        "starting value of the squared-gradient sum",
    ),
    Param::weight_decay(0.0, "L2 penalty added to the gradient: g + wd·θ"),
];

pub struct Adagrad {
    lr_decay: f64,
    eps: f64,
    weight_decay: f64,
    t: u64,
    sum: Vec2,
}

impl Adagrad {
    pub fn new(h: &Hyper) -> Self {
        Adagrad {
            lr_decay: h.get("lr_decay"),
            eps: h.get("eps"),
            weight_decay: h.get("weight_decay"),
            t: 0,
            sum: Vec2::splat(h.get("initial_accumulator_value")),
        }
    }
}

impl Optimizer for Adagrad {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        self.t += 1;
        let g = l2(g, theta, self.weight_decay);
        let clr = lr / (1.0 + (self.t - 1) as f64 * self.lr_decay);
        self.sum += g * g;
        let std = self.sum.sqrt() + Vec2::splat(self.eps);
        theta - (g * clr) / std
    }

    fn internals(&self) -> Internals {
        Internals {
            v: self.sum,
            ..Internals::NONE
        }
    }
}
