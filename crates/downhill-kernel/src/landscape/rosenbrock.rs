//! Rosenbrock: `f(x, y) = (1 − x)² + 100(y − x²)²`.
//!
//! `∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²))`. A curved, narrow banana
//! valley: finding it is easy, following it to the minimum (1, 1), f = 0, is
//! hard. View [−2, 2]×[−1, 3], classic start (−1.2, 1).

use crate::vec2::Vec2;

pub fn value(p: Vec2) -> f64 {
    let a = 1.0 - p.x;
    let b = p.y - p.x * p.x;
    a * a + 100.0 * b * b
}

pub fn grad(p: Vec2) -> Vec2 {
    let b = p.y - p.x * p.x;
    Vec2::new(-2.0 * (1.0 - p.x) - 400.0 * p.x * b, 200.0 * b)
}

/// f and ∇f together, sharing y − x².
#[inline(always)]
pub fn value_grad(p: Vec2) -> (f64, Vec2) {
    let a = 1.0 - p.x;
    let b = p.y - p.x * p.x;
    (
        a * a + 100.0 * b * b,
        Vec2::new(-2.0 * a - 400.0 * p.x * b, 200.0 * b),
    )
}
