//! Bowl: `f(x, y) = x² + y²`, `∇f = (2x, 2y)`.
//!
//! The friendly case: round contours, the gradient points straight at the
//! minimum (0, 0) where f = 0. View [−5, 5]², classic start (−4, 3).

use crate::vec2::Vec2;

pub fn value(p: Vec2) -> f64 {
    p.x * p.x + p.y * p.y
}

pub fn grad(p: Vec2) -> Vec2 {
    Vec2::new(2.0 * p.x, 2.0 * p.y)
}

/// f and ∇f together (one pass for the race's hot loop).
#[inline(always)]
pub fn value_grad(p: Vec2) -> (f64, Vec2) {
    (value(p), grad(p))
}
