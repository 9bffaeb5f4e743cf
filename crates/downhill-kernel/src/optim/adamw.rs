//! AdamW — `torch.optim.AdamW` (Loshchilov & Hutter 2019).
//!
//! Adam with *decoupled* weight decay: before the Adam step, `θ ← θ·(1 − lr·wd)`
//! shrinks the point itself, instead of adding wd·θ to the gradient (where
//! Adam's per-coordinate normalisation would rescale it). The rule is in
//! `adam.rs`. Defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2
//! (AdamW's default differs from Adam's 0), amsgrad false.

use super::adam::{AdamConfig, BETA1, BETA2};
use super::{Hyper, Param};

pub const PARAMS: &[Param] = &[
    Param::lr(1e-3),
    BETA1,
    BETA2,
    Param::eps(1e-8),
    Param::weight_decay(1e-2, "decoupled decay: θ shrinks by lr·wd·θ each step"),
    Param::flag("amsgrad", false, "use the running maximum of v (AMSGrad)"),
];

pub fn config(h: &Hyper) -> AdamConfig {
    AdamConfig {
        decoupled: true,
        amsgrad: h.flag("amsgrad"),
        ..AdamConfig::adam(h)
    }
}
