//! Ravine: `f(x, y) = 0.1x² + 2y²`, `∇f = (0.2x, 4y)`.
//!
//! Curvature 20× larger across (y) than along (x): a step size that is safe
//! across is tiny along, so plain SGD zig-zags. Minimum (0, 0), f = 0.
//! View [−10, 10]×[−5, 5], classic start (−8, 2).

use crate::vec2::Vec2;

pub fn value(p: Vec2) -> f64 {
    0.1 * p.x * p.x + 2.0 * p.y * p.y
}

pub fn grad(p: Vec2) -> Vec2 {
    Vec2::new(0.2 * p.x, 4.0 * p.y)
}

/// f and ∇f together (one pass for the race's hot loop).
#[inline(always)]
pub fn value_grad(p: Vec2) -> (f64, Vec2) {
    (value(p), grad(p))
}
