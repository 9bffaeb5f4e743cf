//! The focused racer under a lens, on the landscape: arrows at its head for
//! the gradient, its momentum (or first moment) and the step it takes next;
//! the "without bias correction" ghost; and, for any landscape, the gradient
//! field as faint arrows on a coarse grid. The numbers come from the race's
//! traces (the core computed them); this file only decides lengths and ink.

use super::paths::{marker, stroke_samples, Dirty};
use super::style::style;
use super::viewport::Viewport;
use downhill_core::race::Race;
use downhill_core::{Landscape, OptimizerKind, Vec2};
use web_sys::CanvasRenderingContext2d;

/// What the arrows show, all about the step that leaves the shown point:
/// at step t the racer sits at θ_t; step t+1 receives `grad` (after noise and
/// clipping), its optimizer holds `momentum` after it, and it moves by `update`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrows {
    pub kind: OptimizerKind,
    /// The step the arrows leave from (θ_t).
    pub step: u64,
    pub head: Vec2,
    pub grad: Vec2,
    /// NaN when the optimizer keeps no momentum or first moment.
    pub momentum: Vec2,
    pub update: Vec2,
}

/// The arrows of `kind` at `step`: point, gradient and step taken, and the
/// momentum when the race records the racer's internals. None at the race's
/// end, for a racer frozen by divergence, or where a decimated trace lacks
/// the step.
pub fn arrows(race: &Race, kind: OptimizerKind, step: u64) -> Option<Arrows> {
    let trace = race.racer(kind)?.trace();
    let here = trace.at(step).filter(|s| s.step == step)?;
    let next = trace.at(step + 1).filter(|s| s.step == step + 1)?;
    let momentum = trace
        .internals_at(step + 1)
        .map(|i| i.m)
        .unwrap_or(Vec2::NAN);
    Some(Arrows {
        kind,
        step,
        head: here.theta,
        grad: next.grad,
        momentum,
        update: next.delta,
    })
}

/// The magnification 10ᵏ that makes a length of `len` pixels (at 1×) land
/// between 12 and 120 pixels; 1 when it already does or cannot be scaled.
pub fn magnification(len: f64) -> f64 {
    if !(len.is_finite() && len > 0.0) {
        return 1.0;
    }
    let mut k = 1.0;
    while len * k < 12.0 && k < 1e12 {
        k *= 10.0;
    }
    while len * k > 120.0 && k > 1e-12 {
        k /= 10.0;
    }
    k
}

/// The factor Δθ is drawn at on this viewport.
pub fn update_magnification(vp: &Viewport, a: &Arrows) -> f64 {
    magnification(a.update.norm() * px_per_unit(vp))
}

/// The rectangle around everything drawn from (x, y) by the offsets
/// `tips`, padded for arrowheads and shadows.
fn bounds(x: f64, y: f64, tips: impl IntoIterator<Item = (f64, f64)>) -> Dirty {
    let (mut x0, mut y0, mut x1, mut y1) = (x, y, x, y);
    for (dx, dy) in tips {
        if dx.is_finite() && dy.is_finite() {
            (x0, x1) = (x0.min(x + dx), x1.max(x + dx));
            (y0, y1) = (y0.min(y + dy), y1.max(y + dy));
        }
    }
    (x0 - 10.0, y0 - 10.0, x1 + 10.0, y1 + 10.0)
}

/// Pixels per data unit (equal on both axes).
fn px_per_unit(vp: &Viewport) -> f64 {
    vp.plot_w / vp.data.width()
}

/// An arrow from (x, y) by (dx, dy) pixels (screen y grows downwards).
fn arrow(ctx: &CanvasRenderingContext2d, x: f64, y: f64, dx: f64, dy: f64, width: f64) {
    let len = dx.hypot(dy);
    if !(len.is_finite() && len >= 0.5) {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let head = (4.0 + 1.5 * width).min(0.6 * len);
    let (ex, ey) = (x + dx, y + dy);
    ctx.begin_path();
    ctx.move_to(x, y);
    ctx.line_to(ex - ux * head * 0.6, ey - uy * head * 0.6);
    ctx.set_line_width(width);
    ctx.stroke();
    ctx.begin_path();
    ctx.move_to(ex, ey);
    ctx.line_to(
        ex - ux * head - uy * head * 0.5,
        ey - uy * head + ux * head * 0.5,
    );
    ctx.line_to(
        ex - ux * head + uy * head * 0.5,
        ey - uy * head - ux * head * 0.5,
    );
    ctx.close_path();
    ctx.fill();
}

/// The arrows' inks: −g, −m and Δθ (legible on the heatmap in both themes).
pub const GRAD_INK: &str = "#ffffff";
pub const MOMENTUM_INK: &str = "#ff4fd8";
pub const UPDATE_INK: &str = "#00e5ff";
/// Mini-batch gradients (the minibatch-noise scene), faint so they read as a cloud.
pub const BATCH_INK: &str = "rgba(255,176,0,0.6)";

/// How long −g and −m are drawn: both by one scale, the longer 64 px.
pub fn direction_scale(a: &Arrows) -> f64 {
    let longest = a.grad.norm().max(if a.momentum.is_finite() {
        a.momentum.norm()
    } else {
        0.0
    });
    if longest > 0.0 && longest.is_finite() {
        64.0 / longest
    } else {
        0.0
    }
}

/// Draws −g and −m (descent directions, one shared scale) and the step
/// taken, magnified by [`magnification`] so it can be seen (the legend says
/// by how much). Returns the area drawn on.
pub fn draw_arrows(ctx: &CanvasRenderingContext2d, vp: &Viewport, a: &Arrows) -> Dirty {
    let (x, y) = vp.to_px(a.head);
    let k = direction_scale(a);
    let mut tips = Vec::with_capacity(3);
    ctx.save();
    ctx.set_line_cap("round");
    ctx.set_shadow_color("rgba(0,0,0,0.85)");
    ctx.set_shadow_blur(2.0);
    for (v, ink) in [(a.grad, GRAD_INK), (a.momentum, MOMENTUM_INK)] {
        if v.is_finite() {
            ctx.set_stroke_style_str(ink);
            ctx.set_fill_style_str(ink);
            arrow(ctx, x, y, -v.x * k, v.y * k, 2.0);
            tips.push((-v.x * k, v.y * k));
        }
    }
    if a.update.is_finite() {
        let s = px_per_unit(vp);
        let m = update_magnification(vp, a);
        ctx.set_stroke_style_str(UPDATE_INK);
        ctx.set_fill_style_str(UPDATE_INK);
        arrow(ctx, x, y, a.update.x * s * m, -a.update.y * s * m, 2.5);
        tips.push((a.update.x * s * m, -a.update.y * s * m));
    }
    ctx.restore();
    bounds(x, y, tips)
}

/// The ghost's whole computed path, faint and dashed (redrawn only when the
/// race changes; its head moves on the overlay).
pub fn draw_ghost_path(ctx: &CanvasRenderingContext2d, vp: &Viewport, ghost: &Race, dark: bool) {
    let Some(r) = ghost.racers().first() else {
        return;
    };
    ctx.save();
    ctx.begin_path();
    ctx.rect(vp.left, vp.top, vp.plot_w, vp.plot_h);
    ctx.clip();
    ctx.set_stroke_style_str(style(r.kind()).color(dark));
    ctx.set_line_width(1.5);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&6.0.into(), &4.0.into()));
    stroke_samples(ctx, vp, r.trace().samples());
    ctx.restore();
}

/// The ghost's head at `step`: its racer's marker, faded, in a dotted ring.
pub fn draw_ghost_head(
    ctx: &CanvasRenderingContext2d,
    vp: &Viewport,
    ghost: &Race,
    step: u64,
    dark: bool,
) -> Option<Dirty> {
    let r = ghost.racers().first()?;
    let s = r.trace().at(step)?;
    let (x, y) = vp.to_px(s.theta);
    if !vp.in_plot(x, y) {
        return None;
    }
    ctx.save();
    ctx.set_global_alpha(0.6);
    marker(ctx, r.kind(), x, y, 5.0, dark);
    ctx.set_global_alpha(1.0);
    ctx.set_stroke_style_str(style(r.kind()).color(dark));
    ctx.begin_path();
    let _ = ctx.arc(x, y, 8.0, 0.0, std::f64::consts::TAU);
    ctx.set_line_width(1.0);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&2.0.into(), &2.0.into()));
    ctx.stroke();
    ctx.restore();
    Some(bounds(x, y, []))
}

/// The full-batch −∇f at `head` (bold) and mini-batch −∇f's (faint), all at
/// one scale: the full gradient 70 px long, so the scatter reads as spread
/// around it.
pub fn draw_minibatch(
    ctx: &CanvasRenderingContext2d,
    vp: &Viewport,
    head: Vec2,
    full: Vec2,
    batches: &[Vec2],
) -> Option<Dirty> {
    let n = full.norm();
    if !(n.is_finite() && n > 0.0) {
        return None;
    }
    let k = 70.0 / n;
    let (x, y) = vp.to_px(head);
    ctx.save();
    ctx.set_line_cap("round");
    ctx.set_stroke_style_str(BATCH_INK);
    ctx.set_fill_style_str(BATCH_INK);
    for b in batches.iter().filter(|b| b.is_finite()) {
        arrow(ctx, x, y, -b.x * k, b.y * k, 1.25);
    }
    ctx.set_shadow_color("rgba(0,0,0,0.85)");
    ctx.set_shadow_blur(2.0);
    ctx.set_stroke_style_str(GRAD_INK);
    ctx.set_fill_style_str(GRAD_INK);
    arrow(ctx, x, y, -full.x * k, full.y * k, 3.0);
    ctx.restore();
    let tips = batches
        .iter()
        .chain(std::iter::once(&full))
        .map(|b| (-b.x * k, b.y * k));
    Some(bounds(x, y, tips))
}

/// Grid points and −∇f there for the gradient field: about `across` columns,
/// cells square in pixels, centred in the plot.
pub fn field(l: Landscape, vp: &Viewport, across: usize) -> Vec<(Vec2, Vec2)> {
    let cell = vp.plot_w / across.max(2) as f64;
    let rows = (vp.plot_h / cell).floor().max(1.0) as usize;
    let mut out = Vec::with_capacity(across * rows);
    for j in 0..rows {
        for i in 0..across {
            let px = vp.left + (i as f64 + 0.5) * cell;
            let py = vp.top + (j as f64 + 0.5) * (vp.plot_h / rows as f64);
            let p = vp.to_data(px, py);
            let g = l.grad(p);
            if g.is_finite() {
                out.push((p, -g));
            }
        }
    }
    out
}

/// The `k`-th smallest of `values` (0-based; `values` not empty, no NaN): what
/// `sorted[k]` would be, by keeping the k + 1 smallest in order. k is a
/// twentieth of a few hundred arrows here; a full sort of f64 would also link
/// 4 KB of the standard library's sort into the page.
fn kth_smallest(values: &[f64], k: usize) -> f64 {
    let mut low: Vec<f64> = Vec::with_capacity(k + 2);
    for &v in values {
        let at = low.iter().position(|&l| v < l).unwrap_or(low.len());
        if at <= k {
            low.insert(at, v);
            low.truncate(k + 1);
        }
    }
    low[k.min(low.len() - 1)]
}

/// Faint −∇f arrows on a grid. Lengths grow with |∇f| on a log scale (the
/// field spans decades on Rosenbrock and Beale), so every arrow stays
/// readable and steeper places still look steeper.
pub fn draw_field(ctx: &CanvasRenderingContext2d, vp: &Viewport, l: Landscape, dark: bool) {
    let across = (vp.plot_w / 34.0).round().clamp(8.0, 28.0) as usize;
    let pts = field(l, vp, across);
    let mags: Vec<f64> = pts
        .iter()
        .map(|(_, g)| g.norm())
        .filter(|m| *m > 0.0)
        .collect();
    if mags.is_empty() {
        return;
    }
    let hi = mags.iter().copied().fold(0.0, f64::max);
    let (lo, hi) = (kth_smallest(&mags, mags.len() / 20).ln(), hi.ln());
    let cell = vp.plot_w / across as f64;
    ctx.save();
    let ink = if dark {
        "rgba(255,255,255,0.55)"
    } else {
        "rgba(20,20,20,0.5)"
    };
    ctx.set_stroke_style_str(ink);
    ctx.set_fill_style_str(ink);
    for (p, d) in pts {
        let m = d.norm();
        if m <= 0.0 {
            continue;
        }
        let t = if hi > lo {
            ((m.ln() - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let len = cell * (0.25 + 0.5 * t);
        let (x, y) = vp.to_px(p);
        let (dx, dy) = (d.x / m * len, -d.y / m * len);
        arrow(ctx, x - dx / 2.0, y - dy / 2.0, dx, dy, 1.0);
    }
    ctx.restore();
}

#[cfg(test)]
mod tests {
    use super::*;
    use downhill_core::race::RaceConfig;

    #[test]
    fn kth_smallest_is_the_sorted_slices_kth() {
        let mut x = 0.5f64;
        for n in [1usize, 2, 7, 40, 563] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    x = (x * 3.9 * (1.0 - x)).fract();
                    (x * 100.0).floor() // with ties
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            for k in [0, n / 20, n / 2, n - 1] {
                assert_eq!(kth_smallest(&values, k), sorted[k], "n {n} k {k}");
            }
        }
    }

    #[test]
    fn magnification_brings_a_length_into_view() {
        assert_eq!(magnification(50.0), 1.0);
        assert_eq!(magnification(0.3), 100.0);
        assert_eq!(magnification(0.0), 1.0);
        assert_eq!(magnification(f64::NAN), 1.0);
        assert_eq!(magnification(5000.0), 0.01);
        for len in [1e-9, 0.01, 3.0, 11.9, 12.0, 130.0] {
            let l = len * magnification(len);
            assert!((12.0..=120.0).contains(&l), "{len} → {l}");
        }
    }

    #[test]
    fn arrows_describe_the_next_step() {
        let mut c = RaceConfig::new(Landscape::Ravine);
        c.record_internals = false;
        c.internals_of = vec![OptimizerKind::Momentum];
        let mut race = Race::new(c);
        race.run(20);
        let a = arrows(&race, OptimizerKind::Momentum, 5).unwrap();
        let t = race.racer(OptimizerKind::Momentum).unwrap().trace();
        assert_eq!(a.head, t.at(5).unwrap().theta);
        assert_eq!(a.head + a.update, t.at(6).unwrap().theta);
        assert_eq!(a.grad, Landscape::Ravine.grad(a.head));
        // Momentum's buffer after step 6, as the race recorded it.
        let m = race
            .racer(OptimizerKind::Momentum)
            .unwrap()
            .trace()
            .internals_at(6)
            .unwrap()
            .m;
        assert_eq!(a.momentum, m);
        assert!(arrows(&race, OptimizerKind::Sgd, 5)
            .unwrap()
            .momentum
            .x
            .is_nan());
        assert_eq!(arrows(&race, OptimizerKind::Sgd, 20), None);
    }

    #[test]
    fn the_field_points_downhill() {
        let vp = Viewport::new(Landscape::Bowl.view(), 600.0);
        let pts = field(Landscape::Bowl, &vp, 12);
        assert!(pts.len() >= 100);
        for (p, d) in pts {
            // On the bowl −∇f points at the centre.
            assert!(d.dot(p) < 0.0);
        }
    }
}
