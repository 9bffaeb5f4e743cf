//! AMSGrad — `torch.optim.Adam(amsgrad=True)` (Reddi et al. 2018).
//!
//! Adam, except that the denominator uses the running maximum of the
//! (uncorrected) second moment, so the effective step per coordinate can only
//! shrink: `v_max ← max(v_max, v)`, then `θ ← θ − (lr/bc1)·m / (√v_max/√bc2 + eps)`.
//! The rule itself is in `adam.rs`. Defaults as Adam's.

use super::adam::AdamConfig;
use super::Hyper;

/// The same parameters as Adam.
pub use super::adam::PARAMS;

pub fn config(h: &Hyper) -> AdamConfig {
    AdamConfig {
        amsgrad: true,
        ..AdamConfig::adam(h)
    }
}
