//! A 2-vector: the point θ = (x, y) and everything that lives beside it
//! (gradients, moments, steps). Operations are elementwise, as in the spec.

use serde::{Deserialize, Serialize};
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Vec2 {
    pub x: f64,
    pub y: f64,
}

impl Vec2 {
    pub const ZERO: Vec2 = Vec2 { x: 0.0, y: 0.0 };
    pub const NAN: Vec2 = Vec2 {
        x: f64::NAN,
        y: f64::NAN,
    };

    #[inline(always)]
    pub const fn new(x: f64, y: f64) -> Self {
        Vec2 { x, y }
    }

    #[inline(always)]
    pub const fn splat(v: f64) -> Self {
        Vec2 { x: v, y: v }
    }

    /// Applies `f` to each coordinate.
    #[inline(always)]
    pub fn map(self, f: impl Fn(f64) -> f64) -> Self {
        Vec2::new(f(self.x), f(self.y))
    }

    /// Combines two vectors coordinate by coordinate.
    #[inline(always)]
    pub fn zip(self, o: Vec2, f: impl Fn(f64, f64) -> f64) -> Self {
        Vec2::new(f(self.x, o.x), f(self.y, o.y))
    }

    /// `self + (to − self)·w`, torch's `lerp_` (how it writes every EMA).
    #[inline(always)]
    pub fn lerp(self, to: Vec2, w: f64) -> Self {
        self.zip(to, |a, b| a + w * (b - a))
    }

    #[inline(always)]
    pub fn dot(self, o: Vec2) -> f64 {
        self.x * o.x + self.y * o.y
    }

    /// Euclidean norm, computed as torch does (√(x² + y²), no hypot scaling).
    #[inline(always)]
    pub fn norm(self) -> f64 {
        (self.x * self.x + self.y * self.y).sqrt()
    }

    #[inline(always)]
    pub fn sqrt(self) -> Self {
        self.map(f64::sqrt)
    }

    #[inline(always)]
    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }

    #[inline(always)]
    pub fn to_array(self) -> [f64; 2] {
        [self.x, self.y]
    }
}

impl From<[f64; 2]> for Vec2 {
    #[inline(always)]
    fn from(a: [f64; 2]) -> Self {
        Vec2::new(a[0], a[1])
    }
}

impl Add for Vec2 {
    type Output = Vec2;
    #[inline(always)]
    fn add(self, o: Vec2) -> Vec2 {
        Vec2::new(self.x + o.x, self.y + o.y)
    }
}

impl AddAssign for Vec2 {
    #[inline(always)]
    fn add_assign(&mut self, o: Vec2) {
        *self = *self + o;
    }
}

impl Sub for Vec2 {
    type Output = Vec2;
    #[inline(always)]
    fn sub(self, o: Vec2) -> Vec2 {
        Vec2::new(self.x - o.x, self.y - o.y)
    }
}

impl SubAssign for Vec2 {
    #[inline(always)]
    fn sub_assign(&mut self, o: Vec2) {
        *self = *self - o;
    }
}

impl Mul<f64> for Vec2 {
    type Output = Vec2;
    #[inline(always)]
    fn mul(self, k: f64) -> Vec2 {
        Vec2::new(self.x * k, self.y * k)
    }
}

impl Mul<Vec2> for f64 {
    type Output = Vec2;
    #[inline(always)]
    fn mul(self, v: Vec2) -> Vec2 {
        Vec2::new(self * v.x, self * v.y)
    }
}

/// Elementwise product.
impl Mul for Vec2 {
    type Output = Vec2;
    #[inline(always)]
    fn mul(self, o: Vec2) -> Vec2 {
        Vec2::new(self.x * o.x, self.y * o.y)
    }
}

/// Elementwise quotient.
impl Div for Vec2 {
    type Output = Vec2;
    #[inline(always)]
    fn div(self, o: Vec2) -> Vec2 {
        Vec2::new(self.x / o.x, self.y / o.y)
    }
}

impl Div<f64> for Vec2 {
    type Output = Vec2;
    #[inline(always)]
    fn div(self, k: f64) -> Vec2 {
        Vec2::new(self.x / k, self.y / k)
    }
}

impl Neg for Vec2 {
    type Output = Vec2;
    #[inline(always)]
    fn neg(self) -> Vec2 {
        Vec2::new(-self.x, -self.y)
    }
}
