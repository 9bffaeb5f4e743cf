//! Shampoo — Gupta et al. 2018, for an order-1 tensor (θ as a 2-vector), where
//! it is full-matrix AdaGrad.
//!
//! ```text
//! H₀ = eps·I₂
//! H ← H + g·gᵀ
//! θ ← θ − lr · H^(−1/2)·g        (H^(−1/2) from the symmetric eigendecomposition)
//! ```
//! Unlike the diagonal methods, H sees correlations between coordinates, so a
//! ravine turned off the axes is as easy as one along them. If every gradient
//! is parallel to one direction, H stays eps along the other, and rounding noise
//! there grows unless lr·f'' < 2√eps. Our defaults: lr 1.0, eps 1e-4 (the paper
//! fixes neither). torch_optimizer's Shampoo uses the exponent −1 instead.

use super::{Hyper, Internals, Optimizer, Param};
use crate::vec2::Vec2;

pub const PARAMS: &[Param] = &[
    Param::lr(1.0),
    Param::real(
        "eps",
        1e-4,
        (0.0, 1e6),
        (1e-8, 10.0, true),
        "H starts as eps·I: the damping of the preconditioner",
    ),
];

pub struct Shampoo {
    /// H = [[a, b], [b, d]].
    h: (f64, f64, f64),
}

impl Shampoo {
    pub fn new(h: &Hyper) -> Self {
        let eps = h.get("eps");
        Shampoo { h: (eps, 0.0, eps) }
    }
}

/// `H^(−1/2)·g` for the symmetric 2×2 matrix H = [[a, b], [b, d]], through a
/// Jacobi rotation (the stable closed-form eigendecomposition of a 2×2).
#[inline(always)]
fn inverse_sqrt_times(a: f64, b: f64, d: f64, g: Vec2) -> Vec2 {
    let (l1, l2, c, s) = if b == 0.0 {
        (a, d, 1.0, 0.0)
    } else {
        let tau = (d - a) / (2.0 * b);
        let t = tau.signum() / (tau.abs() + (1.0 + tau * tau).sqrt());
        let c = 1.0 / (1.0 + t * t).sqrt();
        (a - t * b, d + t * b, c, t * c)
    };
    // Eigenvectors q1 = (c, −s), q2 = (s, c).
    let p1 = c * g.x - s * g.y;
    let p2 = s * g.x + c * g.y;
    let (k1, k2) = (p1 / l1.sqrt(), p2 / l2.sqrt());
    Vec2::new(c * k1 + s * k2, -s * k1 + c * k2)
}

impl Optimizer for Shampoo {
    #[inline(always)]
    fn step(&mut self, theta: Vec2, g: Vec2, lr: f64) -> Vec2 {
        let (a, b, d) = self.h;
        self.h = (a + g.x * g.x, b + g.x * g.y, d + g.y * g.y);
        let (a, b, d) = self.h;
        theta - inverse_sqrt_times(a, b, d, g) * lr
    }

    fn internals(&self) -> Internals {
        Internals {
            v: Vec2::new(self.h.0, self.h.2),
            ..Internals::NONE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_square_root_is_right() {
        // H = [[5, 2], [2, 2]]: check H^(-1/2)·(H^(-1/2)·g) = H⁻¹·g.
        let g = Vec2::new(0.3, -1.7);
        let once = inverse_sqrt_times(5.0, 2.0, 2.0, g);
        let twice = inverse_sqrt_times(5.0, 2.0, 2.0, once);
        let det = 5.0 * 2.0 - 2.0 * 2.0;
        let inv = Vec2::new(
            (2.0 * g.x - 2.0 * g.y) / det,
            (-2.0 * g.x + 5.0 * g.y) / det,
        );
        assert!((twice - inv).norm() < 1e-14, "{twice:?} vs {inv:?}");
    }
}
