//! The racers on the landscape: faint future paths (the computed race ahead of
//! the shown step), the travelled part in full colour (appended incrementally
//! as the race plays), and the head markers.
//!
//! Paths are drawn on an offscreen canvas; the visible canvas is that plus
//! the markers. Each frame appends the newly travelled segments to both, then
//! restores from the offscreen copy only the rectangles the previous frame's
//! markers covered ([`restore`]) and draws the markers anew: one canvas
//! changes per frame, and only where something moved.

use super::style::{marker_is_open, style, Marker};
use super::viewport::Viewport;
use downhill_core::race::{Race, RacerStatus};
use downhill_core::trace::Sample;
use downhill_core::{OptimizerKind, Vec2};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A rectangle a drawing touched, CSS pixels: (x0, y0, x1, y1).
pub type Dirty = (f64, f64, f64, f64);

/// The bounding box of points, grown by `pad` when taken.
struct Bounds(f64, f64, f64, f64);

impl Bounds {
    fn new() -> Bounds {
        Bounds(
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        )
    }
    fn add(&mut self, x: f64, y: f64) {
        self.0 = self.0.min(x);
        self.1 = self.1.min(y);
        self.2 = self.2.max(x);
        self.3 = self.3.max(y);
    }
    fn take(&self, pad: f64) -> Option<Dirty> {
        (self.0 <= self.2 && self.1 <= self.3).then_some((
            self.0 - pad,
            self.1 - pad,
            self.2 + pad,
            self.3 + pad,
        ))
    }
}

/// A square of half-size `r` around (x, y).
fn around(x: f64, y: f64, r: f64) -> Dirty {
    (x - r, y - r, x + r, y + r)
}

/// Copies the rectangles `rects` (CSS pixels) of `from` onto `ctx`'s canvas,
/// replacing what was there (both canvases have the same size).
pub fn restore(
    ctx: &CanvasRenderingContext2d,
    from: &HtmlCanvasElement,
    rects: &[Dirty],
    dpr: f64,
) {
    let (w, h) = (from.width() as f64, from.height() as f64);
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    for &(x0, y0, x1, y1) in rects {
        let (a, b) = ((x0 * dpr).floor().max(0.0), (y0 * dpr).floor().max(0.0));
        let (c, d) = ((x1 * dpr).ceil().min(w), (y1 * dpr).ceil().min(h));
        if !(c > a && d > b) {
            continue;
        }
        ctx.clear_rect(a, b, c - a, d - b);
        let _ = ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            from,
            a,
            b,
            c - a,
            d - b,
            a,
            b,
            c - a,
            d - b,
        );
    }
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
}

fn clip_to_plot(ctx: &CanvasRenderingContext2d, vp: &Viewport) {
    ctx.begin_path();
    ctx.rect(vp.left, vp.top, vp.plot_w, vp.plot_h);
    ctx.clip();
}

/// Strokes the path through `samples` in the current style (for layers that
/// do not track what they drew: the ghost, the small canvases).
pub fn stroke_samples(ctx: &CanvasRenderingContext2d, vp: &Viewport, samples: &[Sample]) {
    polyline(ctx, vp, samples, &mut Bounds::new(), usize::MAX);
}

/// How far (CSS pixels) a drawn path may stray from the exact one: a quarter
/// of a pixel, which no eye can see at these line widths.
const TOLERANCE_PX: f64 = 0.25;

/// Segments per stroke of a travelled path or a chart's solid line (see
/// [`polyline`]).
pub(crate) const TRAIL_CHUNK: usize = 32;

/// Strokes the path through `samples`, simplified to within [`TOLERANCE_PX`]:
/// first dropping points within a pixel of the last one kept (a converging
/// racer piles up thousands of those), then the points a straight segment
/// already passes close enough to ([`simplify`]). Software
/// rasterisation of a wide stroke costs per segment, and a slider drag
/// repaints every path in the frame of the input: a race's 10,000 segments
/// become about a third as many, with the same pixels.
///
/// With `chunk` < `usize::MAX`, the path is stroked in pieces of that many
/// segments, each starting where the last ended: a wide stroke's cost also
/// grows with how many of its edges cross each scanline, and a racer circling
/// its minimum crosses itself hundreds of times. Only for opaque, solid
/// strokes (the pieces' round caps overlap, and a dash would restart).
fn polyline(
    ctx: &CanvasRenderingContext2d,
    vp: &Viewport,
    samples: &[Sample],
    bounds: &mut Bounds,
    chunk: usize,
) {
    let Some(first) = samples.first() else { return };
    let mut pts = Vec::with_capacity(samples.len().min(4096));
    let (sx, bx, sy, by) = vp.px_affine();
    let px = |p: Vec2| (bx + sx * p.x, by + sy * p.y);
    let (mut lx, mut ly) = px(first.theta);
    pts.push((lx, ly));
    let last = samples.len() - 1;
    for (i, s) in samples.iter().enumerate().skip(1) {
        let (x, y) = px(s.theta);
        if (x - lx).abs() + (y - ly).abs() >= 1.0 || i == last {
            pts.push((x, y));
            (lx, ly) = (x, y);
        }
    }
    simplify(&mut pts, TOLERANCE_PX);
    for &(x, y) in &pts {
        bounds.add(x, y);
    }
    stroke_pieces(ctx, &pts, chunk);
}

/// Strokes the polyline through `pts` in the context's current style, in
/// pieces of `chunk` segments, each starting where the last ended (see
/// [`polyline`] for why; `usize::MAX`: one stroke).
pub(crate) fn stroke_pieces(ctx: &CanvasRenderingContext2d, pts: &[(f64, f64)], chunk: usize) {
    ctx.begin_path();
    let mut segments = 0;
    for (i, &(x, y)) in pts.iter().enumerate() {
        if i == 0 {
            ctx.move_to(x, y);
            continue;
        }
        ctx.line_to(x, y);
        segments += 1;
        if segments == chunk {
            ctx.stroke();
            ctx.begin_path();
            ctx.move_to(x, y);
            segments = 0;
        }
    }
    ctx.stroke();
}

/// Drops points of `pts` (in place) so that the polyline through the rest
/// passes within `tol` of every point dropped; the ends are kept. One pass
/// (a path of thousands of points is simplified in every frame of a drag):
/// from each kept point, the cone of directions that pass within `tol` of
/// every point since narrows with each point, and the last point inside the
/// cone is kept when the next one falls outside it. A point nearer the
/// anchor than one before it also ends the segment, so a path that overshoots
/// and comes back along the same line keeps its turn.
pub(crate) fn simplify(pts: &mut Vec<(f64, f64)>, tol: f64) {
    let n = pts.len();
    if n <= 2 {
        return;
    }
    // Kept points are written to the front, in order: `kept` of them so far
    // (always at or before the point being kept, so nothing unread is lost).
    let mut kept = 1;
    let cross = |a: (f64, f64), b: (f64, f64)| a.0 * b.1 - a.1 * b.0;
    let mut anchor = pts[0];
    // The cone's counter-clockwise and clockwise bounds (unit vectors).
    let mut cone: Option<((f64, f64), (f64, f64))> = None;
    let (mut farthest, mut prev) = (0.0f64, 0usize);
    let mut i = 1;
    while i < n {
        let v = (pts[i].0 - anchor.0, pts[i].1 - anchor.1);
        // (Not `hypot`: in wasm that is a library call, the larger part of
        // this function's time; these lengths are far from overflow.)
        let d = (v.0 * v.0 + v.1 * v.1).sqrt();
        if d > tol {
            let u = (v.0 / d, v.1 / d);
            let inside =
                d >= farthest && cone.is_none_or(|(l, r)| cross(r, u) >= 0.0 && cross(u, l) >= 0.0);
            if !inside {
                // The previous point ends this segment and starts the next;
                // look at this point again from there.
                anchor = pts[prev];
                pts[kept] = anchor;
                kept += 1;
                cone = None;
                farthest = 0.0;
                continue;
            }
            // Directions within asin(tol / d) of u pass within tol of this point.
            let (sin, cos) = (tol / d, (1.0 - (tol / d).powi(2)).sqrt());
            let ul = (u.0 * cos - u.1 * sin, u.0 * sin + u.1 * cos);
            let ur = (u.0 * cos + u.1 * sin, -u.0 * sin + u.1 * cos);
            cone = Some(match cone {
                None => (ul, ur),
                Some((l, r)) => (
                    if cross(l, ul) < 0.0 { ul } else { l },
                    if cross(r, ur) > 0.0 { ur } else { r },
                ),
            });
            farthest = d;
        }
        prev = i;
        i += 1;
    }
    pts[kept] = pts[n - 1];
    pts.truncate(kept + 1);
}

/// How the travelled paths are stroked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Quality {
    /// 2.25 px wide: the paths' look.
    Full,
    /// One pixel wide, which the browser strokes several times faster: while
    /// a slider or a drag re-runs the race in every frame. The landscape
    /// repaints in full quality once the input rests (`components::landscape`).
    Draft,
}

/// Repaints the whole paths layer: futures from `step` on, then the travelled
/// parts up to `step` (which later frames extend over the futures).
pub fn draw_all(
    ctx: &CanvasRenderingContext2d,
    vp: &Viewport,
    race: &Race,
    step: u64,
    dark: bool,
    quality: Quality,
) {
    ctx.save();
    clip_to_plot(ctx, vp);
    // Futures: thin, faint and solid (dashes cost a lot to stroke; markers and
    // the legend carry each racer's shape cue).
    ctx.set_line_width(1.0);
    ctx.set_global_alpha(0.45);
    for r in race.racers() {
        ctx.set_stroke_style_str(style(r.kind()).color(dark));
        let samples = r.trace().samples();
        let from = samples.partition_point(|s| s.step < step).saturating_sub(1);
        polyline(
            ctx,
            vp,
            &samples[from.min(samples.len())..],
            &mut Bounds::new(),
            usize::MAX,
        );
    }
    ctx.set_global_alpha(1.0);
    ctx.restore();
    let _ = append(ctx, vp, race, 0, step, dark, quality);
}

/// Draws the travelled segments between steps `from` and `to`; returns the
/// rectangle each racer's new segments cover.
pub fn append(
    ctx: &CanvasRenderingContext2d,
    vp: &Viewport,
    race: &Race,
    from: u64,
    to: u64,
    dark: bool,
    quality: Quality,
) -> Vec<Dirty> {
    let mut dirty = Vec::new();
    if to <= from && from != 0 {
        return dirty;
    }
    ctx.save();
    clip_to_plot(ctx, vp);
    ctx.set_line_width(match quality {
        Quality::Full => 2.25,
        Quality::Draft => 1.0,
    });
    // Bevel joins: at this width they look like round ones, and rastering a
    // round join at every one of thousands of tiny segments was the largest
    // cost of a full repaint (a slider drag repaints every path).
    ctx.set_line_join("bevel");
    ctx.set_line_cap("round");
    for r in race.racers() {
        let samples = r.trace().until(to);
        // Start from the sample at or before `from`, so the segments join up.
        let first = samples.partition_point(|s| s.step < from).saturating_sub(1);
        let part = &samples[first.min(samples.len())..];
        if part.len() < 2 {
            continue;
        }
        ctx.set_stroke_style_str(style(r.kind()).color(dark));
        let mut b = Bounds::new();
        polyline(ctx, vp, part, &mut b, TRAIL_CHUNK);
        dirty.extend(b.take(3.0));
    }
    ctx.restore();
    dirty
}

/// A marker of `kind`'s shape at (x, y).
pub fn marker(
    ctx: &CanvasRenderingContext2d,
    kind: OptimizerKind,
    x: f64,
    y: f64,
    r: f64,
    dark: bool,
) {
    let st = style(kind);
    let color = st.color(dark);
    ctx.begin_path();
    match st.marker {
        Marker::Circle => {
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        }
        Marker::Square => ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7),
        Marker::Diamond => poly(
            ctx,
            &[
                (x, y - r * 1.2),
                (x + r * 1.2, y),
                (x, y + r * 1.2),
                (x - r * 1.2, y),
            ],
        ),
        Marker::TriangleUp => poly(
            ctx,
            &[
                (x, y - r * 1.2),
                (x + r * 1.1, y + r * 0.8),
                (x - r * 1.1, y + r * 0.8),
            ],
        ),
        Marker::TriangleDown => poly(
            ctx,
            &[
                (x, y + r * 1.2),
                (x + r * 1.1, y - r * 0.8),
                (x - r * 1.1, y - r * 0.8),
            ],
        ),
        Marker::Plus => {
            ctx.move_to(x - r * 1.2, y);
            ctx.line_to(x + r * 1.2, y);
            ctx.move_to(x, y - r * 1.2);
            ctx.line_to(x, y + r * 1.2);
        }
        Marker::Cross => {
            ctx.move_to(x - r, y - r);
            ctx.line_to(x + r, y + r);
            ctx.move_to(x + r, y - r);
            ctx.line_to(x - r, y + r);
        }
    }
    let halo = if dark { "#000" } else { "#fff" };
    if marker_is_open(st.marker) {
        ctx.set_line_width(4.5);
        ctx.set_stroke_style_str(halo);
        ctx.stroke();
        ctx.set_line_width(2.5);
        ctx.set_stroke_style_str(color);
        ctx.stroke();
    } else if st.filled {
        ctx.set_fill_style_str(color);
        ctx.fill();
        ctx.set_line_width(1.5);
        ctx.set_stroke_style_str(halo);
        ctx.stroke();
    } else {
        ctx.set_fill_style_str(halo);
        ctx.fill();
        ctx.set_line_width(2.5);
        ctx.set_stroke_style_str(color);
        ctx.stroke();
    }
}

fn poly(ctx: &CanvasRenderingContext2d, pts: &[(f64, f64)]) {
    for (i, (x, y)) in pts.iter().enumerate() {
        if i == 0 {
            ctx.move_to(*x, *y);
        } else {
            ctx.line_to(*x, *y);
        }
    }
    ctx.close_path();
}

/// Where each racer's head is at `step` (its last good point if it diverged).
pub fn heads(race: &Race, step: u64) -> Vec<(OptimizerKind, Vec2, RacerStatus)> {
    race.racers()
        .iter()
        .filter_map(|r| {
            r.trace()
                .at(step)
                .map(|s| (r.kind(), s.theta, r.status_at(step)))
        })
        .collect()
}

/// The markers: start point, heads, Nesterov's look-ahead, the hovered
/// racer's name. Returns the rectangles they cover.
pub fn draw_overlay(
    ctx: &CanvasRenderingContext2d,
    vp: &Viewport,
    race: &Race,
    step: u64,
    hover: Option<(f64, f64)>,
    lookahead: Option<Vec2>,
    dark: bool,
) -> Vec<Dirty> {
    let mut dirty = Vec::with_capacity(race.racers().len() + 3);
    ctx.save();
    clip_to_plot(ctx, vp);
    let ink = if dark { "#f5f5f5" } else { "#111" };
    // The start: a ring with a dot.
    let (sx, sy) = vp.to_px(race.config().start);
    ctx.begin_path();
    let _ = ctx.arc(sx, sy, 6.0, 0.0, std::f64::consts::TAU);
    ctx.set_line_width(1.5);
    ctx.set_stroke_style_str(ink);
    ctx.stroke();
    dirty.push(around(sx, sy, 9.0));
    // Nesterov's look-ahead ghost: where its momentum is about to carry it.
    if let Some(ghost) = lookahead.filter(|g| g.is_finite()) {
        if let Some(head) = race
            .racer(OptimizerKind::Nesterov)
            .and_then(|r| r.trace().at(step))
        {
            let (hx, hy) = vp.to_px(head.theta);
            let (gx, gy) = vp.to_px(ghost);
            let color = style(OptimizerKind::Nesterov).color(dark);
            ctx.set_stroke_style_str(color);
            ctx.set_line_width(1.25);
            let dash = js_sys::Array::of2(&3.0.into(), &3.0.into());
            let _ = ctx.set_line_dash(&dash);
            ctx.begin_path();
            ctx.move_to(hx, hy);
            ctx.line_to(gx, gy);
            ctx.stroke();
            let _ = ctx.set_line_dash(&js_sys::Array::new());
            ctx.begin_path();
            let _ = ctx.arc(gx, gy, 4.0, 0.0, std::f64::consts::TAU);
            ctx.stroke();
            dirty.push((
                hx.min(gx) - 7.0,
                hy.min(gy) - 7.0,
                hx.max(gx) + 7.0,
                hy.max(gy) + 7.0,
            ));
        }
    }
    let mut hovered: Option<(OptimizerKind, f64, f64)> = None;
    for (kind, p, status) in heads(race, step) {
        let (x, y) = vp.to_px(p);
        marker(ctx, kind, x, y, 5.0, dark);
        if matches!(status, RacerStatus::Diverged { .. }) {
            ctx.begin_path();
            let _ = ctx.arc(x, y, 9.0, 0.0, std::f64::consts::TAU);
            ctx.set_line_width(1.5);
            ctx.set_stroke_style_str("#e00");
            ctx.stroke();
            dirty.push(around(x, y, 12.0));
        } else {
            dirty.push(around(x, y, 10.0));
        }
        if let Some((hx, hy)) = hover {
            if (hx - x).hypot(hy - y) < 10.0 && hovered.is_none() {
                hovered = Some((kind, x, y));
            }
        }
    }
    if let Some((kind, x, y)) = hovered {
        ctx.set_font("600 12px system-ui, sans-serif");
        ctx.set_text_align("left");
        ctx.set_text_baseline("bottom");
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str(if dark { "#000" } else { "#fff" });
        let _ = ctx.stroke_text(kind.title(), x + 8.0, y - 6.0);
        ctx.set_fill_style_str(ink);
        let _ = ctx.fill_text(kind.title(), x + 8.0, y - 6.0);
        let w = ctx
            .measure_text(kind.title())
            .map(|m| m.width())
            .unwrap_or(120.0);
        dirty.push((x + 4.0, y - 26.0, x + 12.0 + w, y - 2.0));
    }
    ctx.restore();
    dirty
}

#[cfg(test)]
mod tests {
    use super::simplify;

    /// `pts` simplified (a copy).
    fn simplified(pts: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
        let mut kept = pts.to_vec();
        simplify(&mut kept, tol);
        kept
    }

    /// The distance from `p` to the polyline through `kept`.
    fn gap(kept: &[(f64, f64)], p: (f64, f64)) -> f64 {
        kept.windows(2)
            .map(|w| {
                let ((ax, ay), (bx, by)) = (w[0], w[1]);
                let (dx, dy) = (bx - ax, by - ay);
                let l2 = dx * dx + dy * dy;
                let t = if l2 > 0.0 {
                    (((p.0 - ax) * dx + (p.1 - ay) * dy) / l2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                (p.0 - ax - t * dx).hypot(p.1 - ay - t * dy)
            })
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn a_straight_run_keeps_its_ends_only() {
        let pts: Vec<_> = (0..100).map(|i| (i as f64, 2.0 * i as f64)).collect();
        let kept = simplified(&pts, 0.25);
        assert_eq!(kept, vec![pts[0], pts[99]]);
    }

    #[test]
    fn an_overshoot_along_a_line_keeps_its_turn() {
        // Out to x = 10, back to x = 5: collinear, but the turn is visible.
        let pts = [(0.0, 0.0), (5.0, 0.0), (10.0, 0.0), (7.0, 0.0), (5.0, 0.0)];
        let kept = simplified(&pts, 0.25);
        assert!(kept.contains(&pts[2]), "{kept:?}");
        assert_eq!((kept[0], *kept.last().unwrap()), (pts[0], pts[4]));
    }

    #[test]
    fn every_dropped_point_stays_within_tolerance() {
        // A decaying zig-zag and a spiral, like SGD in a ravine and momentum.
        let mut pts: Vec<(f64, f64)> = (0..400)
            .map(|i| {
                (
                    i as f64 * 0.7,
                    50.0 * (-(i as f64) / 80.0).exp() * if i % 2 == 0 { 1.0 } else { -1.0 },
                )
            })
            .collect();
        pts.extend((0..600).map(|i| {
            let a = i as f64 * 0.05;
            let r = 80.0 * (-(i as f64) / 300.0).exp();
            (280.0 + r * a.cos(), r * a.sin())
        }));
        for tol in [0.1, 0.25, 1.0] {
            let kept = simplified(&pts, tol);
            for p in &pts {
                assert!(gap(&kept, *p) <= tol + 1e-9);
            }
            assert!(kept.len() < pts.len());
            // The kept points are points of the path, in its order.
            let mut at = 0;
            for k in &kept {
                at += pts[at..]
                    .iter()
                    .position(|p| p == k)
                    .expect("a point of the path");
            }
        }
    }
}
