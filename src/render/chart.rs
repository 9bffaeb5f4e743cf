//! Charts with axes on a canvas: the loss curves and the schedule (and, through
//! [`crate::render::series`], the focused racer's lines). Each `draw_*` paints
//! the whole chart and returns its [`ChartGeom`], the mapping from data to
//! pixels, so the per-frame cursor and hover can be drawn on an overlay without
//! redrawing the chart.
//!
//! They are drawn with the canvas's own 2-D context, not with plotters (the
//! stack's first choice): they need a frame, ticks on a 1-2-5 or whole-decade
//! grid, labels and polylines, and plotters' general machinery (backends,
//! coordinate systems, fonts, its float label formatting) cost 15 KB of the
//! page's gzipped download, 6 % of its 250 KB budget, for those.

use super::Surface;
use crate::format::short;
use crate::render::style::style;
use crate::render::viewport::nice_ticks;
use downhill_core::race::Race;
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

/// How loss values map to the vertical axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YScale {
    /// log10: every loss is positive.
    Log,
    /// sign(y)·log10(1 + |y|): losses go negative (the saddle) and span decades.
    SymLog,
    Linear,
}

impl YScale {
    pub fn forward(self, y: f64) -> f64 {
        match self {
            YScale::Log => y.log10(),
            YScale::SymLog => y.signum() * y.abs().ln_1p() / std::f64::consts::LN_10,
            YScale::Linear => y,
        }
    }
    pub fn inverse(self, v: f64) -> f64 {
        match self {
            YScale::Log => 10f64.powf(v),
            YScale::SymLog => v.signum() * (10f64.powf(v.abs()) - 1.0),
            YScale::Linear => v,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            YScale::Log => "log",
            YScale::SymLog => "symmetric log",
            YScale::Linear => "linear",
        }
    }
}

/// The automatic choice: log unless some loss is negative (a loss of exactly
/// 0, reached by underflow, is drawn at the axis floor).
pub fn auto_scale(race: &Race) -> YScale {
    // A landscape whose minimum is not negative has no negative loss: no
    // need to read every sample (a scan of the whole race on every re-run
    // of a slider drag, half a millisecond at 14 × 2,000 steps).
    if race
        .config()
        .landscape
        .minimum()
        .is_some_and(|(_, v)| v >= 0.0)
    {
        return YScale::Log;
    }
    let none_negative = race
        .racers()
        .iter()
        .all(|r| r.trace().samples().iter().all(|s| s.loss >= 0.0));
    if none_negative {
        YScale::Log
    } else {
        YScale::SymLog
    }
}

/// Where the plot area landed, in canvas pixels, and the data it spans.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartGeom {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub max_x: f64,
    pub v_lo: f64,
    pub v_hi: f64,
}

impl ChartGeom {
    pub fn x_px(&self, x: f64) -> f64 {
        self.x0 + (x / self.max_x.max(1.0)) * (self.x1 - self.x0)
    }
    pub fn x_of(&self, px: f64) -> f64 {
        // (max/min, not clamp, whose panic message formats floats.)
        ((px - self.x0) / (self.x1 - self.x0) * self.max_x)
            .max(0.0)
            .min(self.max_x)
    }
    /// Pixel row of a transformed value.
    pub fn y_px(&self, v: f64) -> f64 {
        self.y1 - (v - self.v_lo) / (self.v_hi - self.v_lo) * (self.y1 - self.y0)
    }
}

/// The charts' axis ink and grid lines.
pub fn ink(dark: bool) -> &'static str {
    if dark {
        "#c8c8c8"
    } else {
        "#3c3c3c"
    }
}

fn grid(dark: bool) -> &'static str {
    if dark {
        "#373a40"
    } else {
        "#e1e3e8"
    }
}

/// Keeps, per pixel column, the first, lowest and highest point: a long race
/// draws in at most ~3 points per column, and spikes survive. A non-finite
/// value (which the axis cannot show) stays as one NaN point where it was, so
/// the line still breaks there.
pub fn decimate(points: &[(f64, f64)], x_max: f64, columns: usize) -> Vec<(f64, f64)> {
    if points.len() <= 3 * columns {
        return points.to_vec();
    }
    let col = |x: f64| ((x / x_max.max(1.0)) * columns as f64) as usize;
    let mut out = Vec::with_capacity(3 * columns);
    let mut i = 0;
    while i < points.len() {
        if !points[i].1.is_finite() {
            out.push((points[i].0, f64::NAN));
            while i < points.len() && !points[i].1.is_finite() {
                i += 1;
            }
            continue;
        }
        let c = col(points[i].0);
        let mut j = i;
        let (mut lo, mut hi) = (points[i], points[i]);
        while j < points.len() && points[j].1.is_finite() && col(points[j].0) == c {
            if points[j].1 < lo.1 {
                lo = points[j];
            }
            if points[j].1 > hi.1 {
                hi = points[j];
            }
            j += 1;
        }
        out.push(points[i]);
        let (a, b) = if lo.0 <= hi.0 { (lo, hi) } else { (hi, lo) };
        out.push(a);
        out.push(b);
        i = j;
    }
    out
}

pub(crate) fn finite_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo.is_finite() && hi.is_finite() {
        // A flat series gets ±1 around it (±1e-9 of it past 10⁹, where ±1
        // would vanish in rounding).
        let pad = (lo.abs() * 1e-9).max(1.0);
        Some(if hi > lo {
            (lo, hi)
        } else {
            (lo - pad, hi + pad)
        })
    } else {
        None
    }
}

/// How many y ticks to aim for: on a log (or symmetric log) axis spanning two
/// whole decades or more, at most one per decade, so that its ticks land on
/// 0.01, 0.1, 1 … rather than on half decades (0.03162, 0.3162). A narrower
/// log axis keeps `want` (whatever ticks fit inside it).
fn y_label_count(scale: YScale, lo: f64, hi: f64, want: usize) -> usize {
    if scale == YScale::Linear || !(lo.is_finite() && hi.is_finite()) {
        return want;
    }
    let decades = hi.floor() - lo.ceil() + 1.0;
    if decades >= 2.0 {
        want.min(decades as usize)
    } else {
        want
    }
}

/// The y ticks of a [`styled_chart`] (in `scale`'s units): 1, 2 or 5 × 10ᵏ
/// apart, about `want` of them, whole decades on a wide log axis.
fn y_ticks(scale: YScale, lo: f64, hi: f64, want: usize) -> Vec<f64> {
    let ticks = nice_ticks(lo, hi, y_label_count(scale, lo, hi, want));
    if scale != YScale::SymLog {
        return ticks;
    }
    // On a symmetric log axis the whole positions n stand for ±(10ⁿ − 1)
    // (−99, −9999); the ticks move a hair to stand for ±10ⁿ instead.
    ticks
        .into_iter()
        .map(|t| {
            if t.fract() == 0.0 && t != 0.0 {
                scale.forward(t.signum() * 10f64.powf(t.abs()))
            } else {
                t
            }
        })
        .filter(|t| (lo..=hi).contains(t))
        .collect()
}

/// The vertical axis of a [`styled_chart`]: its range (in `scale`'s units,
/// see [`YScale::forward`]), the room for its labels (CSS px), about how many
/// labels, and how each reads.
pub(crate) struct YAxis<'f> {
    pub range: std::ops::Range<f64>,
    pub scale: YScale,
    pub label_area: u32,
    pub labels: usize,
    pub label: &'f dyn Fn(f64) -> String,
}

/// A chart's canvas once its frame is drawn: lines go in in data units.
pub(crate) struct Plot {
    ctx: CanvasRenderingContext2d,
    pub geom: ChartGeom,
    /// Device pixels per CSS pixel.
    k: f64,
}

impl Plot {
    /// Columns of the plot area (device pixels): what a line needs at most.
    pub fn columns(&self) -> usize {
        (self.geom.x1 - self.geom.x0).max(50.0) as usize
    }

    /// A 2-px polyline through `points` (step, value in the axis's units),
    /// clipped to the plot area; a non-finite value breaks it.
    ///
    /// Each unbroken run is simplified to within a quarter of a device pixel
    /// ([`super::paths::simplify`]: a 2,000-step loss curve that falls
    /// smoothly is a few dozen segments) and a solid line is stroked in
    /// pieces of [`super::paths::TRAIL_CHUNK`] segments: rasterising a wide stroke in
    /// software costs per segment and per edge crossing each scanline. The
    /// loss chart's 14 whole lines took about 10 ms to raster, every time a
    /// drag redrew it; the pixels are the same to the eye.
    pub fn line(&self, points: &[(f64, f64)], color: &str, dashed: bool) {
        let (ctx, g, k) = (&self.ctx, &self.geom, self.k);
        ctx.save();
        ctx.begin_path();
        ctx.rect(g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0);
        ctx.clip();
        if dashed {
            let dash = js_sys::Array::of2(&JsValue::from(6.0 * k), &JsValue::from(4.0 * k));
            let _ = ctx.set_line_dash(&dash);
        }
        ctx.set_line_join("round");
        // Round ends too: where two pieces meet, their caps make the join.
        ctx.set_line_cap("round");
        ctx.set_line_width(2.0 * k);
        ctx.set_stroke_style_str(color);
        // A dash pattern would restart at each piece: dashed lines go whole.
        let chunk = if dashed {
            usize::MAX
        } else {
            super::paths::TRAIL_CHUNK
        };
        let mut run: Vec<(f64, f64)> = Vec::new();
        let flush = |run: &mut Vec<(f64, f64)>| {
            super::paths::simplify(run, 0.25);
            super::paths::stroke_pieces(ctx, run, chunk);
            run.clear();
        };
        for &(x, v) in points {
            let (px, py) = (g.x_px(x), g.y_px(v));
            if px.is_finite() && py.is_finite() {
                run.push((px, py));
            } else {
                flush(&mut run);
            }
        }
        flush(&mut run);
        ctx.restore();
    }

    /// A red × at `at` (a racer's divergence).
    pub fn cross(&self, at: (f64, f64)) {
        let (ctx, k) = (&self.ctx, self.k);
        let (x, y) = (self.geom.x_px(at.0), self.geom.y_px(at.1));
        let r = 5.0 * k;
        ctx.begin_path();
        ctx.move_to(x - r, y - r);
        ctx.line_to(x + r, y + r);
        ctx.move_to(x - r, y + r);
        ctx.line_to(x + r, y - r);
        ctx.set_line_width(2.0 * k);
        ctx.set_stroke_style_str("#dc1e1e");
        ctx.stroke();
    }
}

/// A chart in the house style filling the cleared `surface` (drawn in device
/// pixels, whatever its context's transform was): step on x, `y` on the
/// vertical axis, horizontal grid lines only. None when the surface is too
/// small to hold it.
pub(crate) fn styled_chart(surface: &Surface, max_x: f64, y: YAxis, dark: bool) -> Option<Plot> {
    let ctx = surface.ctx.clone();
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let k = super::dpr();
    let (w, h) = (surface.width, surface.height);
    let geom = ChartGeom {
        x0: ((6 + y.label_area) as f64 * k).round(),
        x1: (w - 18.0 * k).round(),
        y0: (6.0 * k).round(),
        y1: (h - 28.0 * k).round(),
        max_x,
        v_lo: y.range.start,
        v_hi: y.range.end,
    };
    // (An empty range includes one with a NaN end.)
    let span = y.range.end - y.range.start;
    if geom.x1 - geom.x0 < 10.0
        || geom.y1 - geom.y0 < 10.0
        || y.range.is_empty()
        || !span.is_finite()
    {
        return None;
    }
    // Crisp lines: an odd width sits on pixel centres, an even one on edges.
    let width = k.floor().max(1.0);
    let crisp = |v: f64| {
        if width % 2.0 == 1.0 {
            v.floor() + 0.5
        } else {
            v.round()
        }
    };
    let tick = 4.0 * k;
    ctx.set_line_width(width);
    ctx.set_font(&format!("{}px sans-serif", (11.0 * k).round() as u32));
    ctx.set_fill_style_str(ink(dark));

    let y_ticks = y_ticks(y.scale, y.range.start, y.range.end, y.labels);
    ctx.begin_path();
    for &t in &y_ticks {
        let py = crisp(geom.y_px(t));
        ctx.move_to(geom.x0, py);
        ctx.line_to(geom.x1, py);
    }
    ctx.set_stroke_style_str(grid(dark));
    ctx.stroke();

    ctx.begin_path();
    let (ax, ay) = (crisp(geom.x0), crisp(geom.y1));
    ctx.move_to(ax, geom.y0);
    ctx.line_to(ax, ay);
    ctx.line_to(geom.x1, ay);
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for &t in &y_ticks {
        let py = crisp(geom.y_px(t));
        ctx.move_to(ax - tick, py);
        ctx.line_to(ax, py);
        let _ = ctx.fill_text(&(y.label)(t), ax - tick - 2.0 * k, py);
    }
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    // Steps are whole: a short race's 0.5 ticks would read "0 0 1 1".
    for t in nice_ticks(0.0, max_x, 6)
        .into_iter()
        .filter(|t| t.fract() == 0.0)
    {
        let px = crisp(geom.x_px(t));
        ctx.move_to(px, ay);
        ctx.line_to(px, ay + tick);
        let _ = ctx.fill_text(&(t as u64).to_string(), px, ay + tick + 2.0 * k);
    }
    ctx.set_stroke_style_str(ink(dark));
    ctx.stroke();
    Some(Plot { ctx, geom, k })
}

/// Paints a chart on `canvas` as a still picture (see
/// [`super::paint_still`]) and returns where its plot landed.
pub fn paint_chart(
    canvas: &web_sys::HtmlCanvasElement,
    css_w: f64,
    css_h: f64,
    draw: &mut dyn FnMut(&Surface) -> Option<ChartGeom>,
) -> Option<ChartGeom> {
    let mut geom = None;
    super::paint_still(canvas, css_w, css_h, &mut |s| geom = draw(s));
    geom
}

/// The loss curves of every racer over the whole computed race.
pub fn draw_loss(surface: &Surface, race: &Race, scale: YScale, dark: bool) -> Option<ChartGeom> {
    let max_x = race.step_count().max(1) as f64;
    // Log of a loss of exactly 0 is -inf: floor it 16 decades under the top.
    let top = race
        .racers()
        .iter()
        .flat_map(|r| r.trace().samples().iter().map(|s| s.loss))
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    let floor = if scale == YScale::Log {
        (top.log10() - 16.0).max(-300.0)
    } else {
        f64::NEG_INFINITY
    };
    // (A loss the axis cannot show, such as a negative one on a log axis the
    // user chose, stays NaN and breaks the line: `max` would floor it.)
    let v = |loss: f64| {
        let f = scale.forward(loss);
        if f.is_nan() {
            f
        } else {
            f.max(floor)
        }
    };
    let (v_lo, v_hi) = finite_range(
        race.racers()
            .iter()
            .flat_map(|r| r.trace().samples().iter().map(move |s| v(s.loss))),
    )
    .unwrap_or((0.0, 1.0));
    let pad = 0.04 * (v_hi - v_lo);
    let plot = styled_chart(
        surface,
        max_x,
        YAxis {
            range: v_lo - pad..v_hi + pad,
            scale,
            label_area: 52,
            labels: 6,
            label: &|y| short(scale.inverse(y)),
        },
        dark,
    )?;
    for r in race.racers() {
        let pts: Vec<(f64, f64)> = r
            .trace()
            .samples()
            .iter()
            .map(|s| (s.step as f64, v(s.loss)))
            .collect();
        let color = style(r.kind()).color(dark);
        plot.line(&decimate(&pts, max_x, plot.columns()), color, false);
        if let (Some(k), Some(last)) = (r.diverged_at(), r.trace().last()) {
            plot.cross((k as f64, v(last.loss)));
        }
    }
    Some(plot.geom)
}

/// The schedule's learning-rate factor (lr / base) over the race's steps.
pub fn draw_schedule(
    surface: &Surface,
    schedule: &downhill_core::Schedule,
    steps: u64,
    dark: bool,
) -> Option<ChartGeom> {
    let max_x = steps.max(1) as f64;
    let width = (surface.width as u64).max(50);
    let stride = (steps / width).max(1);
    let pts: Vec<(f64, f64)> = (0..steps)
        .step_by(stride as usize)
        .map(|i| (i as f64, schedule.lr(1.0, i)))
        .collect();
    // Drawn against its peak (the caption says what the peak is), so every
    // schedule reads on the same 0–100 % scale.
    let peak = pts
        .iter()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-300);
    let pts: Vec<(f64, f64)> = pts.into_iter().map(|(x, y)| (x, y / peak)).collect();
    let plot = styled_chart(
        surface,
        max_x,
        YAxis {
            range: 0.0..1.08,
            scale: YScale::Linear,
            label_area: 44,
            labels: 4,
            label: &|y| format!("{}%", short((y * 100.0).round())),
        },
        dark,
    )?;
    plot.line(&pts, if dark { "#6ea8ff" } else { "#1f5fbf" }, false);
    Some(plot.geom)
}

#[cfg(test)]
mod tests {
    use super::{auto_scale, decimate, finite_range, y_label_count, y_ticks, YScale};
    use downhill_core::race::{Race, RaceConfig};
    use downhill_core::Landscape;

    #[test]
    fn log_ticks_land_on_whole_decades() {
        for (lo, hi, want) in [
            (-2.3, 0.2, 5),
            (-5.1, -0.9, 5),
            (-40.0, 2.0, 6),
            (-2.05, 0.05, 5),
            (-16.3, 1.1, 6),
        ] {
            let t = y_ticks(YScale::Log, lo, hi, want);
            assert!(t.len() >= 2 && t.len() <= want + 1, "{lo}..{hi}: {t:?}");
            assert!(t.iter().all(|v| v.fract() == 0.0), "{lo}..{hi}: {t:?}");
        }
        // On a linear axis the same range takes half steps.
        assert!(y_ticks(YScale::Linear, -2.3, 0.2, 5)
            .iter()
            .any(|v| v.fract() != 0.0));
        // A symmetric log axis labels ±10ⁿ, not ±(10ⁿ − 1).
        let sym = y_ticks(YScale::SymLog, -13.2, 1.1, 6);
        let labels: Vec<f64> = sym.iter().map(|&t| YScale::SymLog.inverse(t)).collect();
        assert!(labels.len() >= 3, "{labels:?}");
        for l in labels {
            let r = (l.abs().log10() - l.abs().log10().round()).abs();
            assert!(l == 0.0 || r < 1e-9, "{l}");
        }
        // Under two decades, or a linear axis: the count asked for.
        assert_eq!(y_label_count(YScale::Log, -1.3, -0.2, 5), 5);
        assert_eq!(y_label_count(YScale::Linear, -40.0, 2.0, 6), 6);
    }

    #[test]
    fn decimation_keeps_spikes_and_gaps() {
        // 10,000 points into 100 columns, a spike at 5,000 and a gap at 7,000–7,010.
        let pts: Vec<(f64, f64)> = (0..10_000)
            .map(|i| {
                let y = match i {
                    5_000 => 1e3,
                    7_000..=7_010 => f64::NAN,
                    _ => (i as f64 * 0.01).sin(),
                };
                (i as f64, y)
            })
            .collect();
        let d = decimate(&pts, 10_000.0, 100);
        assert!(d.len() <= 3 * 100 + 6, "{}", d.len());
        assert!(d.contains(&(5_000.0, 1e3)));
        let gap: Vec<_> = d.iter().filter(|p| p.1.is_nan()).collect();
        assert_eq!(gap.len(), 1);
        assert_eq!(gap[0].0, 7_000.0);
        // The gap sits between the points on either side of it.
        let at = d.iter().position(|p| p.1.is_nan()).unwrap();
        assert!(d[at - 1].0 < 7_000.0 && d[at + 1].0 > 7_010.0);
        // A short series is kept as it is.
        assert_eq!(decimate(&pts[..50], 50.0, 100).len(), 50);
    }

    #[test]
    fn a_flat_series_gets_a_visible_range() {
        assert_eq!(finite_range([2.0, 2.0].into_iter()), Some((1.0, 3.0)));
        let (lo, hi) = finite_range([1e20, 1e20].into_iter()).unwrap();
        assert!(lo < 1e20 && hi > 1e20);
        assert_eq!(finite_range([f64::NAN, f64::INFINITY].into_iter()), None);
    }

    #[test]
    fn the_axis_is_log_unless_a_loss_is_negative() {
        for l in Landscape::ALL {
            let mut race = Race::new(RaceConfig::new(l));
            race.run_to(300);
            let negative = race
                .racers()
                .iter()
                .any(|r| r.trace().samples().iter().any(|s| s.loss < 0.0));
            let want = if negative {
                YScale::SymLog
            } else {
                YScale::Log
            };
            assert_eq!(auto_scale(&race), want, "{l:?}");
        }
        // The saddle's losses go negative.
        let mut saddle = Race::new(RaceConfig::new(Landscape::Saddle));
        saddle.run_to(300);
        assert_eq!(auto_scale(&saddle), YScale::SymLog);
    }
}
