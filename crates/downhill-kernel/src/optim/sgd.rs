//! SGD — `torch.optim.SGD` with momentum 0.
//!
//! ```text
//! g ← g + wd·θ          (L2, coupled; only if weight_decay ≠ 0)
//! θ ← θ − lr·g
//! ```
//! Default lr 1e-3 (torch's).

use super::{l2, Hyper, Internals, Optimizer, Param};
use crate::vec2::Vec2;

pub const PARAMS: &[Param] = &[
    Param::lr(1e-3),
    Param::weight_decay(0.0, "L2 penalty added to the gradient: g + wd·θ"),
];

pub struct Sgd {
    weight_decay: f64,
}

impl Sgd {
    pub fn new(h: &Hyper) -> Self {
        Sgd {
            weight_decay: h.get("weight_decay"),
        }
    }
}

impl Optimizer for Sgd {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        let g = l2(g, theta, self.weight_decay);
        theta - g * lr
    }

    fn internals(&self) -> Internals {
        Internals::NONE
    }
}
