//! Muon — Keller Jordan's `muon_update` + `SingleDeviceMuon.step`
//! (KellerJordan/Muon, muon.py), with θ as a 1×2 matrix.
//!
//! ```text
//! M ← β·M + (1 − β)·g                       (an EMA, via lerp)
//! u = (1 − β)·g + β·M   if nesterov, else M
//! X = u / (‖u‖ + 1e-7)
//! ns_steps times:  s = X·Xᵀ;  X ← a·X + (b·s + c·s²)·X
//!                  (a, b, c) = (3.4445, −4.7750, 2.0315)
//! θ ← θ·(1 − lr·wd);  θ ← θ − lr·X          (scale max(1, rows/cols)^½ = 1)
//! ```
//! Newton–Schulz orthogonalises a matrix; a 1×2 row has a single singular
//! value, so the update is φ·u/‖u‖ with φ ≈ 0.696: normalised momentum with a
//! step of about 0.7·lr, which keeps bouncing near a minimum. We run it in f64;
//! Keller runs Newton–Schulz in bfloat16 (paths then differ by 1e-2 to 1e-1).
//! Defaults (Keller's): lr 0.02, momentum 0.95, nesterov true, ns_steps 5, wd 0.

use super::{Hyper, Internals, Optimizer, Param};
use crate::vec2::Vec2;

const NS: (f64, f64, f64) = (3.4445, -4.7750, 2.0315);

pub const PARAMS: &[Param] = &[
    Param::lr(0.02),
    Param::beta("momentum", 0.95, "decay of the momentum EMA (β)"),
    Param::flag(
        "nesterov",
        true,
        "orthogonalise (1 − β)·g + β·M instead of M",
    ),
    Param::int("ns_steps", 5, 0, 20, "Newton–Schulz iterations"),
    Param::weight_decay(0.0, "decoupled decay: θ shrinks by lr·wd·θ each step"),
];

pub struct Muon {
    momentum: f64,
    nesterov: bool,
    ns_steps: u32,
    weight_decay: f64,
    buf: Vec2,
    last_update: Vec2,
}

impl Muon {
    pub fn new(h: &Hyper) -> Self {
        Muon {
            momentum: h.get("momentum"),
            nesterov: h.flag("nesterov"),
            ns_steps: h.get("ns_steps") as u32,
            weight_decay: h.get("weight_decay"),
            buf: Vec2::ZERO,
            last_update: Vec2::NAN,
        }
    }
}

/// Newton–Schulz quintic iteration on a 1×2 row: X·Xᵀ is the scalar ‖X‖².
#[inline(always)]
fn orthogonalise(u: Vec2, steps: u32) -> Vec2 {
    let (a, b, c) = NS;
    let mut x = u / (u.norm() + 1e-7);
    for _ in 0..steps {
        let s = x.dot(x);
        let bb = b * s + c * s * s;
        x = x * a + x * bb;
    }
    x
}

impl Optimizer for Muon {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        self.buf = self.buf.lerp(g, 1.0 - self.momentum);
        let u = if self.nesterov {
            g.lerp(self.buf, self.momentum)
        } else {
            self.buf
        };
        let o = orthogonalise(u, self.ns_steps);
        self.last_update = o;
        let theta = theta * (1.0 - lr * self.weight_decay);
        theta - o * lr
    }

    fn internals(&self) -> Internals {
        Internals {
            m: self.buf,
            m_hat: self.last_update,
            ..Internals::NONE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_of_a_row_is_about_0_7_of_a_unit_vector() {
        let o = orthogonalise(Vec2::new(3.0, 4.0), 5);
        assert!((o.norm() - 0.696).abs() < 0.01, "{}", o.norm());
        assert!((o.x / o.y - 0.75).abs() < 1e-12);
    }
}
