//! Saddle: `f(x, y) = x² − y²`, `∇f = (2x, −2y)`.
//!
//! No minimum: f is unbounded below along y. The saddle point (0, 0) has zero
//! gradient, so a method started on the ridge y = 0 never leaves it; the classic
//! start (−4, 0.01) sits just off the ridge so that every method escapes, some
//! much sooner than others. View [−5, 5]².

use crate::vec2::Vec2;

pub fn value(p: Vec2) -> f64 {
    p.x * p.x - p.y * p.y
}

pub fn grad(p: Vec2) -> Vec2 {
    Vec2::new(2.0 * p.x, -2.0 * p.y)
}

/// f and ∇f together (one pass for the race's hot loop).
#[inline(always)]
pub fn value_grad(p: Vec2) -> (f64, Vec2) {
    (value(p), grad(p))
}
