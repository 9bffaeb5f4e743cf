//! SGD with momentum (heavy ball) — `torch.optim.SGD(momentum=μ)`.
//!
//! ```text
//! g ← g + wd·θ                              (if weight_decay ≠ 0)
//! t = 1: b ← g                              (no dampening on the first step)
//! t > 1: b ← μ·b + (1 − dampening)·g
//! θ ← θ − lr·b                              (nesterov: θ − lr·(g + μ·b))
//! ```
//! torch's default momentum is 0, which would make this racer plain SGD; ours
//! is 0.9, the value everyone uses. lr default 1e-3 as torch.

use super::{l2, Hyper, Internals, Optimizer, Param};
use crate::vec2::Vec2;

pub const MOMENTUM: Param = Param::real(
    "momentum",
    0.9,
    (0.0, 1.0),
    (0.0, 0.999, false),
    "how much of the previous step is kept (μ)",
);

pub const PARAMS: &[Param] = &[
    Param::lr(1e-3),
    MOMENTUM,
    Param::real(
        "dampening",
        0.0,
        (0.0, 1.0),
        (0.0, 1.0, false),
        "scales the new gradient in the buffer by 1 − dampening",
    ),
    Param::weight_decay(0.0, "L2 penalty added to the gradient: g + wd·θ"),
];

pub struct Momentum {
    momentum: f64,
    dampening: f64,
    weight_decay: f64,
    nesterov: bool,
    buf: Option<Vec2>,
    lookahead: Vec2,
}

impl Momentum {
    pub fn new(h: &Hyper) -> Self {
        Momentum::with(
            h.get("momentum"),
            h.get("dampening"),
            h.get("weight_decay"),
            false,
        )
    }

    pub fn with(momentum: f64, dampening: f64, weight_decay: f64, nesterov: bool) -> Self {
        Momentum {
            momentum,
            dampening,
            weight_decay,
            nesterov,
            buf: None,
            lookahead: Vec2::NAN,
        }
    }
}

impl Optimizer for Momentum {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        let g = l2(g, theta, self.weight_decay);
        let b = match self.buf {
            None => g,
            Some(b) => b * self.momentum + g * (1.0 - self.dampening),
        };
        self.buf = Some(b);
        let d = if self.nesterov {
            g + b * self.momentum
        } else {
            b
        };
        let next = theta - d * lr;
        if self.nesterov {
            self.lookahead = next - b * (lr * self.momentum);
        }
        next
    }

    fn internals(&self) -> Internals {
        Internals {
            m: self.buf.unwrap_or(Vec2::NAN),
            lookahead: self.lookahead,
            ..Internals::NONE
        }
    }
}
