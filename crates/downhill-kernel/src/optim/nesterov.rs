//! Nesterov momentum — `torch.optim.SGD(momentum=μ, nesterov=True)`.
//!
//! ```text
//! b as for momentum (b ← g on the first step, then b ← μ·b + g)
//! θ ← θ − lr·(g + μ·b)
//! ```
//! This is PyTorch's reformulation: the current gradient plus μ times the
//! already-updated buffer, not a gradient evaluated at a look-ahead point. The
//! two are the same method seen from shifted coordinates; the look-ahead point
//! θ − lr·μ·b is kept for the inspectors. torch requires dampening = 0, so this
//! racer has no dampening parameter.

use super::momentum::{Momentum, MOMENTUM};
use super::{Hyper, Param};

pub const PARAMS: &[Param] = &[
    Param::lr(1e-3),
    MOMENTUM,
    Param::weight_decay(0.0, "L2 penalty added to the gradient: g + wd·θ"),
];

pub fn nesterov(h: &Hyper) -> Momentum {
    Momentum::with(h.get("momentum"), 0.0, h.get("weight_decay"), true)
}
