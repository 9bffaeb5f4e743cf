//! Regression: least squares in two parameters, the slope `w` (the x axis of
//! the picture) and the intercept `b` (the y axis), over a fixed data set.
//!
//! ```text
//! f(w, b) = ½ · mean over i of (w·xᵢ + b − yᵢ)²
//! ∇f      = mean over i of (rᵢ·xᵢ, rᵢ),   rᵢ = w·xᵢ + b − yᵢ
//! ```
//!
//! (Half the mean squared error, so that the gradient is the plain mean of the
//! residual times the input.) The data set is [`N`] points generated once from
//! a fixed seed with the same ChaCha8 + `libm` normal stream as the gradient
//! noise, so it is bit-identical natively and in wasm: `xᵢ ~ N(1, 1)`,
//! `yᵢ = 2·xᵢ − 1 + 0.8·ξᵢ`. The loss is a tilted, mildly elongated bowl
//! (Hessian `[[mean x², mean x], [mean x, 1]]`, condition number about 7).
//!
//! **Full batch.** f is quadratic, so it is exactly a function of the data's
//! sums (Σx, Σx², Σxy, Σy, Σy², n): [`Moments`] keeps their means and the
//! value and gradient cost a handful of multiplications, not a pass over the
//! data. **Mini-batches.** A batch of size B is B distinct indices drawn by
//! [`BatchSampler`]; its gradient is the mean over those points, computed from
//! the batch's own sums (one pass over the batch, shared by every racer).
//! The minimum is the exact least-squares solution of the normal equations.

use crate::noise::NoiseStream;
use crate::vec2::Vec2;
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use std::sync::OnceLock;

/// How many data points there are.
pub const N: usize = 256;
/// The seed of the data set (fixed: changing it would change old links).
const DATA_SEED: u64 = 20_260_601;
/// The line the data scatter around, and the scatter's σ.
const TRUE_W: f64 = 2.0;
const TRUE_B: f64 = -1.0;
const SIGMA: f64 = 0.8;

/// One data point `(x, y)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

struct Data {
    points: Vec<Point>,
    all: Moments,
}

fn data_set() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let mut normal = NoiseStream::new(DATA_SEED);
        let points: Vec<Point> = (0..N)
            .map(|_| {
                let z = normal.next_normal();
                let x = 1.0 + z.x;
                Point {
                    x,
                    y: TRUE_W * x + TRUE_B + SIGMA * z.y,
                }
            })
            .collect();
        let all = Moments::of(points.iter().copied());
        Data { points, all }
    })
}

/// The data set, in its fixed order (for drawing the scatter and for tests).
pub fn data() -> &'static [Point] {
    &data_set().points
}

/// The means of x, x², xy, y and y² over a set of points: everything the
/// quadratic loss and its gradient depend on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    pub x: f64,
    pub xx: f64,
    pub xy: f64,
    pub y: f64,
    pub yy: f64,
}

impl Moments {
    /// The means over `points` (sums in order, then one division each).
    /// No points gives NaN means.
    pub fn of(points: impl IntoIterator<Item = Point>) -> Moments {
        let (mut n, mut sx, mut sxx, mut sxy, mut sy, mut syy) = (0usize, 0.0, 0.0, 0.0, 0.0, 0.0);
        for p in points {
            n += 1;
            sx += p.x;
            sxx += p.x * p.x;
            sxy += p.x * p.y;
            sy += p.y;
            syy += p.y * p.y;
        }
        let n = n as f64;
        Moments {
            x: sx / n,
            xx: sxx / n,
            xy: sxy / n,
            y: sy / n,
            yy: syy / n,
        }
    }

    /// ½·mean (w·x + b − y)², expanded.
    pub fn value(&self, p: Vec2) -> f64 {
        let (w, b) = (p.x, p.y);
        0.5 * (w * w * self.xx + 2.0 * w * b * self.x + b * b
            - 2.0 * w * self.xy
            - 2.0 * b * self.y
            + self.yy)
    }

    /// mean of (r·x, r) with r = w·x + b − y.
    pub fn grad(&self, p: Vec2) -> Vec2 {
        let (w, b) = (p.x, p.y);
        Vec2::new(w * self.xx + b * self.x - self.xy, w * self.x + b - self.y)
    }

    /// The point where the gradient is zero (the normal equations solved).
    pub fn solution(&self) -> Vec2 {
        let det = self.xx - self.x * self.x;
        let w = (self.xy - self.x * self.y) / det;
        Vec2::new(w, self.y - w * self.x)
    }
}

/// The means over the whole data set (what the full-batch loss is made of).
pub fn full_moments() -> Moments {
    data_set().all
}

pub fn value(p: Vec2) -> f64 {
    data_set().all.value(p)
}

pub fn grad(p: Vec2) -> Vec2 {
    data_set().all.grad(p)
}

/// f and ∇f together (one pass for the race's hot loop).
pub fn value_grad(p: Vec2) -> (f64, Vec2) {
    let m = &data_set().all;
    (m.value(p), m.grad(p))
}

/// The exact least-squares solution and the loss there.
pub fn minimum() -> (Vec2, f64) {
    static MIN: OnceLock<(Vec2, f64)> = OnceLock::new();
    *MIN.get_or_init(|| {
        let p = data_set().all.solution();
        (p, value(p))
    })
}

/// Draws mini-batches: each [`BatchSampler::draw`] returns `size` distinct
/// indices into [`data`], uniformly at random, reproducible from the seed.
///
/// It keeps a permutation of 0..N and shuffles only its first `size` places
/// each draw (a partial Fisher–Yates shuffle), so a draw costs O(size). The
/// stream is ChaCha8 seeded with the seed on stream 1, so it is independent of
/// the gradient noise (stream 0 of the same seed) and identical in wasm.
#[derive(Clone, Debug)]
pub struct BatchSampler {
    rng: ChaCha8Rng,
    perm: Vec<u32>,
}

impl BatchSampler {
    pub fn new(seed: u64) -> BatchSampler {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(1);
        BatchSampler {
            rng,
            perm: (0..N as u32).collect(),
        }
    }

    /// The next batch: `size` distinct indices (`size` is clamped to 1..=N).
    pub fn draw(&mut self, size: usize) -> &[u32] {
        let size = size.clamp(1, N);
        for i in 0..size {
            // A uniform index in i..N (multiply-shift; its bias, < N/2⁶⁴, is nil).
            let span = (N - i) as u128;
            let j = i + ((self.rng.next_u64() as u128 * span) >> 64) as usize;
            self.perm.swap(i, j);
        }
        &self.perm[..size]
    }

    /// The next batch's moments (see [`Moments`]): the batch gradient at any
    /// point is then `moments.grad(p)`.
    pub fn draw_moments(&mut self, size: usize) -> Moments {
        let points = data();
        Moments::of(self.draw(size).iter().map(|&i| points[i as usize]))
    }
}

/// What the "mini-batch arrows" widget draws at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct MinibatchArrows {
    /// The full-batch gradient (the mean over all N points).
    pub full: Vec2,
    /// One gradient per mini-batch, each the mean over its `batch` points.
    pub batches: Vec<Vec2>,
}

/// The most arrows [`minibatch_arrows`] draws.
pub const MAX_ARROWS: usize = 1000;

/// The full gradient at `p` and `k` mini-batch gradients of size `batch`,
/// from the batch stream of `seed` (a new seed is a "resample"). `batch` is
/// clamped to 1..=N and `k` to at most [`MAX_ARROWS`]. Same seed, same arrows.
pub fn minibatch_arrows(p: Vec2, batch: usize, k: usize, seed: u64) -> MinibatchArrows {
    let mut sampler = BatchSampler::new(seed);
    MinibatchArrows {
        full: grad(p),
        batches: (0..k.min(MAX_ARROWS))
            .map(|_| sampler.draw_moments(batch).grad(p))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Direct loops over the data, no sums.
    fn direct(p: Vec2, idx: impl Iterator<Item = usize>) -> (f64, Vec2) {
        let d = data();
        let (mut f, mut g, mut n) = (0.0, Vec2::ZERO, 0.0);
        for i in idx {
            let r = p.x * d[i].x + p.y - d[i].y;
            f += 0.5 * r * r;
            g += Vec2::new(r * d[i].x, r);
            n += 1.0;
        }
        (f / n, g / n)
    }

    #[test]
    fn sums_give_the_same_loss_and_gradient_as_loops() {
        for p in [Vec2::new(-1.0, 2.0), Vec2::new(3.5, -4.0), minimum().0] {
            let (f, g) = direct(p, 0..N);
            assert!((value(p) - f).abs() <= 1e-12 * f.abs().max(1.0), "{p:?}");
            assert!((grad(p) - g).norm() <= 1e-12 * g.norm().max(1.0), "{p:?}");
        }
    }

    #[test]
    fn the_data_are_pinned_and_the_fit_is_near_the_true_line() {
        // Pinned so that a dependency update cannot silently change old links.
        let d = data();
        assert_eq!(d.len(), N);
        assert_eq!(d[0].x, 1.0414470717942337);
        let (m, f) = minimum();
        assert!(
            (m.x - TRUE_W).abs() < 0.2 && (m.y - TRUE_B).abs() < 0.2,
            "{m:?}"
        );
        assert!((f - 0.5 * SIGMA * SIGMA).abs() < 0.1, "{f}");
    }

    #[test]
    fn batches_are_distinct_reproducible_and_their_gradients_average_out() {
        let mut a = BatchSampler::new(3);
        let mut b = BatchSampler::new(3);
        let first: Vec<u32> = a.draw(32).to_vec();
        assert_eq!(first, b.draw(32));
        let mut sorted = first.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 32);
        assert_ne!(first, BatchSampler::new(4).draw(32));
        assert_eq!(a.draw(N).len(), N);
        assert_eq!(a.draw(0).len(), 1);
        // A batch's gradient is the mean over exactly its points.
        let p = Vec2::new(0.5, 1.5);
        let mut s = BatchSampler::new(9);
        let idx: Vec<usize> = s.clone().draw(10).iter().map(|&i| i as usize).collect();
        let g = s.draw_moments(10).grad(p);
        assert!((g - direct(p, idx.into_iter()).1).norm() < 1e-12);
        // Many batches scatter around the full gradient.
        let arrows = minibatch_arrows(p, 16, 400, 1);
        let mean = arrows.batches.iter().fold(Vec2::ZERO, |s, &g| s + g) / 400.0;
        assert!((mean - arrows.full).norm() < 0.1 * arrows.full.norm());
        let spread = |b: usize| {
            let a = minibatch_arrows(p, b, 200, 2);
            a.batches.iter().map(|g| (*g - a.full).norm()).sum::<f64>() / 200.0
        };
        assert!(spread(4) > 2.0 * spread(64), "bigger batches scatter less");
        assert_eq!(minibatch_arrows(p, 16, 5, 1), minibatch_arrows(p, 16, 5, 1));
    }
}
