//! AMSGrad — `torch.optim.Adam(amsgrad=True)` (Reddi et al. 2018).
//!
//! Adam, except that the denominator uses the running maximum of the
//! (uncorrected) second moment, so the effective step per coordinate can only
//! shrink: `v_max ← max(v_max, v)`, then `θ ← θ − (lr/bc1)·m / (√v_max/√bc2 + eps)`.
//! The rule itself is in `adam.rs`. Defaults as Adam's.

use super::adam::{AdamConfig, BETA1, BETA2};
use super::{Hyper, Param};

pub const PARAMS: &[Param] = &[
    Param::lr(1e-3),
    BETA1,
    BETA2,
    Param::eps(1e-8),
    Param::weight_decay(0.0, "L2 penalty added to the gradient (coupled): g + wd·θ"),
];

pub fn config(h: &Hyper) -> AdamConfig {
    AdamConfig {
        amsgrad: true,
        ..AdamConfig::adam(h)
    }
}
