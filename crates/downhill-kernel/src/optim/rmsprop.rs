//! RMSProp — `torch.optim.RMSprop` (Hinton's lecture 6e).
//!
//! ```text
//! g ← g + wd·θ                                  (if weight_decay ≠ 0)
//! v ← α·v + (1 − α)·g²                          (v₀ = 0)
//! centered:  ḡ ← lerp(ḡ, g, 1 − α);  d = √(v − ḡ²) + eps
//! otherwise: d = √v + eps
//! momentum > 0: b ← μ·b + g/d;  θ ← θ − lr·b
//! otherwise:    θ ← θ − lr·g/d
//! ```
//! No bias correction, and eps is added outside the square root.
//! Defaults lr 1e-2, alpha 0.99, eps 1e-8, momentum 0, centered false.

use super::{l2, Hyper, Internals, Optimizer, Param};
use crate::vec2::Vec2;

pub const PARAMS: &[Param] = &[
    Param::lr(1e-2),
    Param::beta(
        "alpha",
        0.99,
        "decay of the running average of g² (the memory of the denominator)",
    ),
    Param::eps(1e-8),
    Param::real(
        "momentum",
        0.0,
        (0.0, 1.0),
        (0.0, 0.999, false),
        "momentum applied to the normalised step",
    ),
    Param::flag(
        "centered",
        false,
        "divide by the variance instead of the raw second moment",
    ),
    Param::weight_decay(0.0, "L2 penalty added to the gradient: g + wd·θ"),
];

pub struct Rmsprop {
    alpha: f64,
    eps: f64,
    momentum: f64,
    centered: bool,
    weight_decay: f64,
    square_avg: Vec2,
    grad_avg: Vec2,
    buf: Vec2,
}

impl Rmsprop {
    pub fn new(h: &Hyper) -> Self {
        Rmsprop {
            alpha: h.get("alpha"),
            eps: h.get("eps"),
            momentum: h.get("momentum"),
            centered: h.flag("centered"),
            weight_decay: h.get("weight_decay"),
            square_avg: Vec2::ZERO,
            grad_avg: Vec2::ZERO,
            buf: Vec2::ZERO,
        }
    }
}

impl Optimizer for Rmsprop {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        let g = l2(g, theta, self.weight_decay);
        self.square_avg = self.square_avg * self.alpha + g * g * (1.0 - self.alpha);
        let avg = if self.centered {
            self.grad_avg = self.grad_avg.lerp(g, 1.0 - self.alpha);
            (self.square_avg - self.grad_avg * self.grad_avg).sqrt() + Vec2::splat(self.eps)
        } else {
            self.square_avg.sqrt() + Vec2::splat(self.eps)
        };
        if self.momentum > 0.0 {
            self.buf = self.buf * self.momentum + g / avg;
            theta - self.buf * lr
        } else {
            theta - (g * lr) / avg
        }
    }

    fn internals(&self) -> Internals {
        Internals {
            v: self.square_avg,
            m: if self.momentum > 0.0 {
                self.buf
            } else {
                Vec2::NAN
            },
            ..Internals::NONE
        }
    }
}
