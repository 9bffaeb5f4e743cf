//! Beale: `f = t₁² + t₂² + t₃²` with `t₁ = 1.5 − x + xy`, `t₂ = 2.25 − x + xy²`,
//! `t₃ = 2.625 − x + xy³`.
//!
//! `∂f/∂x = 2t₁(y − 1) + 2t₂(y² − 1) + 2t₃(y³ − 1)`,
//! `∂f/∂y = 2t₁x + 4t₂xy + 6t₃xy²`. A wide flat plateau and steep walls: the
//! gradient is tiny along the valley, so unnormalised methods crawl. Minimum
//! (3, 0.5), f = 0. View [−4.5, 4.5]², classic start (0.5, −1.5).

use crate::vec2::Vec2;

fn terms(p: Vec2) -> (f64, f64, f64) {
    let (x, y) = (p.x, p.y);
    (
        1.5 - x + x * y,
        2.25 - x + x * y * y,
        2.625 - x + x * y * y * y,
    )
}

pub fn value(p: Vec2) -> f64 {
    let (t1, t2, t3) = terms(p);
    t1 * t1 + t2 * t2 + t3 * t3
}

pub fn grad(p: Vec2) -> Vec2 {
    let (x, y) = (p.x, p.y);
    let (t1, t2, t3) = terms(p);
    Vec2::new(
        2.0 * t1 * (y - 1.0) + 2.0 * t2 * (y * y - 1.0) + 2.0 * t3 * (y * y * y - 1.0),
        2.0 * t1 * x + 4.0 * t2 * x * y + 6.0 * t3 * x * y * y,
    )
}

/// f and ∇f together, sharing t₁, t₂, t₃.
#[inline(always)]
pub fn value_grad(p: Vec2) -> (f64, Vec2) {
    let (x, y) = (p.x, p.y);
    let (t1, t2, t3) = terms(p);
    (
        t1 * t1 + t2 * t2 + t3 * t3,
        Vec2::new(
            2.0 * t1 * (y - 1.0) + 2.0 * t2 * (y * y - 1.0) + 2.0 * t3 * (y * y * y - 1.0),
            2.0 * t1 * x + 4.0 * t2 * x * y + 6.0 * t3 * x * y * y,
        ),
    )
}
