//! The 2-D loss landscapes: one file each with its formula and analytic
//! gradient; this module is the closed registry (`Landscape::ALL`) with the
//! facts every view needs (view rectangle, minimum, preset start).

mod beale;
mod bowl;
mod ravine;
pub mod regression;
mod rosenbrock;
mod rotated_ravine;
mod saddle;

use crate::vec2::Vec2;
use serde::{Deserialize, Serialize};

/// An axis-aligned rectangle `[x0, x1] × [y0, y1]` in data units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

impl Rect {
    pub const fn new(x0: f64, x1: f64, y0: f64, y1: f64) -> Self {
        Rect { x0, x1, y0, y1 }
    }
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    pub fn center(&self) -> Vec2 {
        Vec2::new(0.5 * (self.x0 + self.x1), 0.5 * (self.y0 + self.y1))
    }
    pub fn contains(&self, p: Vec2) -> bool {
        p.x >= self.x0 && p.x <= self.x1 && p.y >= self.y0 && p.y <= self.y1
    }
    /// The same rectangle grown `k` times about its centre.
    pub fn scaled(&self, k: f64) -> Rect {
        let c = self.center();
        let (hw, hh) = (0.5 * k * self.width(), 0.5 * k * self.height());
        Rect::new(c.x - hw, c.x + hw, c.y - hh, c.y + hh)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Landscape {
    Bowl,
    Ravine,
    Saddle,
    Rosenbrock,
    Beale,
    RotatedRavine,
    Regression,
}

impl Landscape {
    pub const ALL: [Landscape; 7] = [
        Landscape::Bowl,
        Landscape::Ravine,
        Landscape::Saddle,
        Landscape::Rosenbrock,
        Landscape::Beale,
        Landscape::RotatedRavine,
        Landscape::Regression,
    ];

    /// The stable name used in URLs, the CLI and file names.
    pub fn slug(self) -> &'static str {
        match self {
            Landscape::Bowl => "bowl",
            Landscape::Ravine => "ravine",
            Landscape::Saddle => "saddle",
            Landscape::Rosenbrock => "rosenbrock",
            Landscape::Beale => "beale",
            Landscape::RotatedRavine => "rotated_ravine",
            Landscape::Regression => "regression",
        }
    }

    pub fn from_slug(s: &str) -> Option<Landscape> {
        Landscape::ALL.into_iter().find(|l| l.slug() == s)
    }

    /// The name shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Landscape::Bowl => "Bowl",
            Landscape::Ravine => "Ravine",
            Landscape::Saddle => "Saddle",
            Landscape::Rosenbrock => "Rosenbrock",
            Landscape::Beale => "Beale",
            Landscape::RotatedRavine => "Rotated ravine",
            Landscape::Regression => "Regression (least squares)",
        }
    }

    /// The formula as plain text.
    pub fn formula(self) -> &'static str {
        match self {
            Landscape::Bowl => "f(x, y) = x² + y²",
            Landscape::Ravine => "f(x, y) = 0.1x² + 2y²",
            Landscape::Saddle => "f(x, y) = x² − y²",
            Landscape::Rosenbrock => "f(x, y) = (1 − x)² + 100(y − x²)²",
            Landscape::Beale => {
                "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"
            }
            Landscape::RotatedRavine => "f = 0.1u² + 2w², (u, w) = (x, y) turned by 30°",
            Landscape::Regression => "f(w, b) = ½ · mean over 256 points of (w·xᵢ + b − yᵢ)²",
        }
    }

    pub fn value(self, p: Vec2) -> f64 {
        match self {
            Landscape::Bowl => bowl::value(p),
            Landscape::Ravine => ravine::value(p),
            Landscape::Saddle => saddle::value(p),
            Landscape::Rosenbrock => rosenbrock::value(p),
            Landscape::Beale => beale::value(p),
            Landscape::RotatedRavine => rotated_ravine::value(p),
            Landscape::Regression => regression::value(p),
        }
    }

    pub fn grad(self, p: Vec2) -> Vec2 {
        match self {
            Landscape::Bowl => bowl::grad(p),
            Landscape::Ravine => ravine::grad(p),
            Landscape::Saddle => saddle::grad(p),
            Landscape::Rosenbrock => rosenbrock::grad(p),
            Landscape::Beale => beale::grad(p),
            Landscape::RotatedRavine => rotated_ravine::grad(p),
            Landscape::Regression => regression::grad(p),
        }
    }

    /// `(f(p), ∇f(p))` in one pass: what the race evaluates at each new point.
    #[inline(always)]
    pub fn value_grad(self, p: Vec2) -> (f64, Vec2) {
        match self {
            Landscape::Bowl => bowl::value_grad(p),
            Landscape::Ravine => ravine::value_grad(p),
            Landscape::Saddle => saddle::value_grad(p),
            Landscape::Rosenbrock => rosenbrock::value_grad(p),
            Landscape::Beale => beale::value_grad(p),
            Landscape::RotatedRavine => rotated_ravine::value_grad(p),
            Landscape::Regression => regression::value_grad(p),
        }
    }

    /// [`Landscape::value_grad`] at each point, into `out` (as long as
    /// `points`): one tight loop per landscape, in which the evaluations at
    /// different points, being independent, overlap.
    pub fn value_grad_each(self, points: &[Vec2], out: &mut [(f64, Vec2)]) {
        fn each(points: &[Vec2], out: &mut [(f64, Vec2)], f: impl Fn(Vec2) -> (f64, Vec2)) {
            for (o, &p) in out.iter_mut().zip(points) {
                *o = f(p);
            }
        }
        match self {
            Landscape::Bowl => each(points, out, bowl::value_grad),
            Landscape::Ravine => each(points, out, ravine::value_grad),
            Landscape::Saddle => each(points, out, saddle::value_grad),
            Landscape::Rosenbrock => each(points, out, rosenbrock::value_grad),
            Landscape::Beale => each(points, out, beale::value_grad),
            Landscape::RotatedRavine => each(points, out, rotated_ravine::value_grad),
            Landscape::Regression => {
                // The data's means, looked up once for all the points.
                let m = regression::full_moments();
                each(points, out, |p| (m.value(p), m.grad(p)))
            }
        }
    }

    /// The rectangle the page shows.
    pub fn view(self) -> Rect {
        match self {
            Landscape::Bowl | Landscape::Saddle => Rect::new(-5.0, 5.0, -5.0, 5.0),
            Landscape::Ravine => Rect::new(-10.0, 10.0, -5.0, 5.0),
            Landscape::Rosenbrock => Rect::new(-2.0, 2.0, -1.0, 3.0),
            Landscape::Beale => Rect::new(-4.5, 4.5, -4.5, 4.5),
            Landscape::RotatedRavine => Rect::new(-10.0, 10.0, -10.0, 10.0),
            Landscape::Regression => Rect::new(-2.0, 6.0, -5.0, 3.0),
        }
    }

    /// The global minimum (point, value), or `None` when f is unbounded below.
    pub fn minimum(self) -> Option<(Vec2, f64)> {
        match self {
            Landscape::Saddle => None,
            Landscape::Rosenbrock => Some((Vec2::new(1.0, 1.0), 0.0)),
            Landscape::Beale => Some((Vec2::new(3.0, 0.5), 0.0)),
            Landscape::Regression => Some(regression::minimum()),
            _ => Some((Vec2::ZERO, 0.0)),
        }
    }

    /// Other points worth marking (the saddle point).
    pub fn critical_point(self) -> Option<Vec2> {
        match self {
            Landscape::Saddle => Some(Vec2::ZERO),
            _ => self.minimum().map(|m| m.0),
        }
    }

    /// The classic start point.
    pub fn start(self) -> Vec2 {
        match self {
            Landscape::Bowl => Vec2::new(-4.0, 3.0),
            Landscape::Ravine => Vec2::new(-8.0, 2.0),
            Landscape::Saddle => Vec2::new(-4.0, 0.01),
            Landscape::Rosenbrock => Vec2::new(-1.2, 1.0),
            Landscape::Beale => Vec2::new(0.5, -1.5),
            Landscape::RotatedRavine => Vec2::new(-8.0, 0.0),
            Landscape::Regression => Vec2::new(-1.0, 2.0),
        }
    }

    /// The names of the two coordinates: `x`, `y`, or the regression's
    /// slope `w` and intercept `b`.
    pub fn axis_names(self) -> [&'static str; 2] {
        match self {
            Landscape::Regression => ["w", "b"],
            _ => ["x", "y"],
        }
    }

    /// Whether the gradient can be a mini-batch mean (the `batch` setting):
    /// only the regression has a data set to draw batches from.
    pub fn has_data(self) -> bool {
        self == Landscape::Regression
    }

    /// Whether the heatmap should be coloured on a log scale (values span decades).
    pub fn log_scale(self) -> bool {
        matches!(self, Landscape::Rosenbrock | Landscape::Beale)
    }

    /// Distance to the minimum under which a racer counts as converged.
    pub fn converge_tolerance(self) -> f64 {
        let v = self.view();
        1e-3 * v.width().max(v.height())
    }

    /// The box outside which a racer counts as diverged: 10⁶ × the view.
    pub fn divergence_box(self) -> Rect {
        self.view().scaled(1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The page lower-cases titles with `to_ascii_lowercase` (no Unicode case
    /// tables in the wasm): that is only the same text while titles are ASCII.
    #[test]
    fn titles_are_ascii() {
        for k in Landscape::ALL {
            assert!(k.title().is_ascii(), "{}", k.title());
            assert_eq!(k.title().to_ascii_lowercase(), k.title().to_lowercase());
        }
    }

    #[test]
    fn slugs_round_trip() {
        for l in Landscape::ALL {
            assert_eq!(Landscape::from_slug(l.slug()), Some(l));
        }
        assert_eq!(Landscape::from_slug("Bowl"), None);
    }

    #[test]
    fn minima_have_zero_gradient_and_stated_value() {
        for l in Landscape::ALL {
            if let Some((p, f)) = l.minimum() {
                assert_eq!(l.value(p), f, "{l:?}");
                assert!(l.grad(p).norm() < 1e-12, "{l:?}: {:?}", l.grad(p));
                assert!(l.view().contains(p));
            }
            assert!(l.view().contains(l.start()));
        }
        assert_eq!(Landscape::Saddle.grad(Vec2::ZERO), Vec2::ZERO);
    }

    #[test]
    fn value_grad_is_value_and_grad() {
        for l in Landscape::ALL {
            for p in [Vec2::new(0.3, -1.7), Vec2::new(-2.0, 0.9), l.start()] {
                assert_eq!(l.value_grad(p), (l.value(p), l.grad(p)), "{l:?}");
            }
        }
    }

    #[test]
    fn value_grad_each_is_value_grad_at_each_point() {
        let points = [Vec2::new(0.3, -1.7), Vec2::new(-2.0, 0.9), Vec2::NAN];
        for l in Landscape::ALL {
            let mut out = [(0.0, Vec2::ZERO); 3];
            l.value_grad_each(&points, &mut out);
            for (o, &p) in out.iter().zip(&points) {
                let (f, g) = l.value_grad(p);
                assert_eq!(o.0.to_bits(), f.to_bits(), "{l:?}");
                assert_eq!(o.1.x.to_bits(), g.x.to_bits(), "{l:?}");
                assert_eq!(o.1.y.to_bits(), g.y.to_bits(), "{l:?}");
            }
        }
    }

    #[test]
    fn rotated_ravine_is_the_ravine_turned() {
        // Along the rotated long axis (c, s) the curvature is the ravine's 0.1.
        let p = Vec2::new(rotated_ravine::C, rotated_ravine::S) * 3.0;
        assert!((Landscape::RotatedRavine.value(p) - 0.9).abs() < 1e-12);
    }

    fn point_in(l: Landscape) -> impl Strategy<Value = Vec2> {
        let v = l.view();
        (v.x0..=v.x1, v.y0..=v.y1).prop_map(|(x, y)| Vec2::new(x, y))
    }

    fn check_gradient(l: Landscape, p: Vec2) -> Result<(), TestCaseError> {
        let g = l.grad(p);
        for axis in 0..2 {
            // Central differences with a step scaled to the point.
            let h = 1e-6 * (1.0 + if axis == 0 { p.x.abs() } else { p.y.abs() });
            let e = if axis == 0 {
                Vec2::new(h, 0.0)
            } else {
                Vec2::new(0.0, h)
            };
            let fd = (l.value(p + e) - l.value(p - e)) / (2.0 * h);
            let an = if axis == 0 { g.x } else { g.y };
            // Rounding in f(p ± e) is ~ulp(f)/h; allow for it relative to f's size.
            let tol = 1e-5 * (1.0 + an.abs()) + 1e-9 * l.value(p).abs() / h;
            prop_assert!(
                (fd - an).abs() <= tol,
                "{l:?} at {p:?} axis {axis}: analytic {an}, finite difference {fd}"
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn gradients_match_finite_differences(
            (l, p) in proptest::sample::select(Landscape::ALL.to_vec())
                .prop_flat_map(|l| (Just(l), point_in(l)))
        ) {
            check_gradient(l, p)?;
        }
    }
}
