//! Rotated ravine: the ravine `0.1u² + 2w²` turned by 30°, with
//! `u = cx + sy`, `w = −sx + cy`, `c = cos(π/6)`, `s = sin(π/6)`.
//!
//! `∇f = (0.2u·c − 4w·s, 0.2u·s + 4w·c)`. Its principal axes are no longer x
//! and y, so a per-coordinate (diagonal) preconditioner such as Adam's cannot
//! undo the bad conditioning, while full-matrix methods (Shampoo) and
//! normalised ones see no difference. Minimum (0, 0), f = 0.
//! View [−10, 10]², classic start (−8, 0).

use crate::vec2::Vec2;

/// cos(π/6), written as the spec writes it.
pub const C: f64 = 0.8660254037844387;
/// sin(π/6) as f64 computes it (one ulp under 0.5).
pub const S: f64 = 0.49999999999999994;

fn rotate(p: Vec2) -> (f64, f64) {
    (C * p.x + S * p.y, -S * p.x + C * p.y)
}

pub fn value(p: Vec2) -> f64 {
    let (u, w) = rotate(p);
    0.1 * u * u + 2.0 * w * w
}

pub fn grad(p: Vec2) -> Vec2 {
    let (u, w) = rotate(p);
    Vec2::new(0.2 * u * C - 4.0 * w * S, 0.2 * u * S + 4.0 * w * C)
}

/// f and ∇f together, sharing the rotation.
#[inline(always)]
pub fn value_grad(p: Vec2) -> (f64, Vec2) {
    let (u, w) = rotate(p);
    (
        0.1 * u * u + 2.0 * w * w,
        Vec2::new(0.2 * u * C - 4.0 * w * S, 0.2 * u * S + 4.0 * w * C),
    )
}
