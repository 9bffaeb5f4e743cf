//! The regression landscape's golden test: loss, gradient, minimum and the
//! race's SGD and Adam paths, full-batch and mini-batch, recomputed here
//! directly from the data points with plain loops (no sums of moments, no
//! code of the race or of the optimizers). Tolerance as for the torch golden
//! set: |Δ| ≤ 1e-10·max(1, |coord|) per coordinate at every step.

use downhill_core::landscape::regression::{self, BatchSampler, Point};
use downhill_core::race::{Race, RaceConfig};
use downhill_core::{Hyper, Landscape, OptimizerKind, Vec2};

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-10 * want.abs().max(1.0)
}

/// ½·mean of squared residuals and the mean gradient over `points`.
fn direct(w: f64, b: f64, points: &[Point]) -> (f64, f64, f64) {
    let (mut f, mut gw, mut gb) = (0.0, 0.0, 0.0);
    for p in points {
        let r = w * p.x + b - p.y;
        f += 0.5 * r * r;
        gw += r * p.x;
        gb += r;
    }
    let n = points.len() as f64;
    (f / n, gw / n, gb / n)
}

/// The points of each step's batch (all points when `batch` is 0).
fn batches(batch: usize, seed: u64, steps: usize) -> Vec<Vec<Point>> {
    let data = regression::data();
    let mut sampler = BatchSampler::new(seed);
    (0..steps)
        .map(|_| {
            if batch == 0 {
                data.to_vec()
            } else {
                sampler
                    .draw(batch)
                    .iter()
                    .map(|&i| data[i as usize])
                    .collect()
            }
        })
        .collect()
}

/// SGD, θ ← θ − lr·g.
fn sgd_path(start: (f64, f64), lr: f64, steps: &[Vec<Point>]) -> Vec<(f64, f64)> {
    let (mut w, mut b) = start;
    let mut path = vec![(w, b)];
    for pts in steps {
        let (_, gw, gb) = direct(w, b, pts);
        w -= lr * gw;
        b -= lr * gb;
        path.push((w, b));
    }
    path
}

/// Adam as optimizers.md writes it (β^t with powi, eps after the correction).
fn adam_path(start: (f64, f64), lr: f64, steps: &[Vec<Point>]) -> Vec<(f64, f64)> {
    let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8);
    let mut th = [start.0, start.1];
    let (mut m, mut v) = ([0.0; 2], [0.0; 2]);
    let mut path = vec![start];
    for (t, pts) in steps.iter().enumerate() {
        let t = t as i32 + 1;
        let (_, gw, gb) = direct(th[0], th[1], pts);
        let g = [gw, gb];
        let (bc1, bc2) = (1.0 - b1.powi(t), 1.0 - b2.powi(t));
        for i in 0..2 {
            m[i] = b1 * m[i] + (1.0 - b1) * g[i];
            v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
            th[i] -= lr / bc1 * m[i] / ((v[i] / bc2).sqrt() + eps);
        }
        path.push((th[0], th[1]));
    }
    path
}

#[test]
fn loss_gradient_and_minimum_match_a_direct_computation() {
    let data = regression::data();
    assert_eq!(data.len(), regression::N);
    for p in [
        Vec2::new(-1.0, 2.0),
        Vec2::new(5.5, -4.0),
        Vec2::new(0.0, 0.0),
        Vec2::new(1e3, -2e3),
    ] {
        let (f, gw, gb) = direct(p.x, p.y, data);
        let (lf, lg) = Landscape::Regression.value_grad(p);
        assert!(close(lf, f), "{p:?}: {lf} vs {f}");
        assert!(
            close(lg.x, gw) && close(lg.y, gb),
            "{p:?}: {lg:?} vs ({gw}, {gb})"
        );
    }
    // The normal equations, summed directly: [Σx² Σx; Σx n]·(w, b) = (Σxy, Σy).
    let (mut sx, mut sxx, mut sxy, mut sy) = (0.0, 0.0, 0.0, 0.0);
    for p in data {
        sx += p.x;
        sxx += p.x * p.x;
        sxy += p.x * p.y;
        sy += p.y;
    }
    let n = data.len() as f64;
    let w = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    let b = (sy - w * sx) / n;
    let (m, f) = Landscape::Regression.minimum().unwrap();
    assert!(close(m.x, w) && close(m.y, b), "{m:?} vs ({w}, {b})");
    assert!(close(f, direct(w, b, data).0));
}

fn check(kind: OptimizerKind, lr: f64, batch: usize, seed: u64) {
    let steps = 300;
    let mut h = Hyper::defaults(kind);
    h.set("lr", lr).unwrap();
    let mut config = RaceConfig::single(Landscape::Regression, h);
    config.batch = batch;
    config.seed = seed;
    // A racer does not depend on the others: race it beside a second one.
    config.racers.push(Hyper::defaults(OptimizerKind::Lion));
    let start = config.start;
    let mut race = Race::new(config);
    race.run(steps as u64);
    let bs = batches(batch, seed, steps);
    let want = match kind {
        OptimizerKind::Sgd => sgd_path((start.x, start.y), lr, &bs),
        OptimizerKind::Adam => adam_path((start.x, start.y), lr, &bs),
        _ => unreachable!(),
    };
    let got = race.racers()[0].trace().samples();
    assert_eq!(got.len(), want.len());
    for (k, (s, &(w, b))) in got.iter().zip(&want).enumerate() {
        assert!(
            close(s.theta.x, w) && close(s.theta.y, b),
            "{} batch {batch} step {k}: got {:?}, want ({w}, {b})",
            kind.slug(),
            s.theta
        );
        // The recorded loss is always the full-batch loss.
        assert!(close(s.loss, direct(w, b, regression::data()).0));
    }
}

#[test]
fn sgd_and_adam_paths_full_batch() {
    check(OptimizerKind::Sgd, 0.1, 0, 0);
    check(OptimizerKind::Adam, 0.05, 0, 0);
}

#[test]
fn sgd_and_adam_paths_on_mini_batches() {
    for (batch, seed) in [(16, 0), (1, 7), (100, 3)] {
        check(OptimizerKind::Sgd, 0.1, batch, seed);
        check(OptimizerKind::Adam, 0.05, batch, seed);
    }
    // A batch as large as the data set is the full batch.
    check(OptimizerKind::Sgd, 0.1, regression::N, 0);
}
