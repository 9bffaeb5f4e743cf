//! Charts with axes (plotters on a canvas): the loss curves and the schedule.
//! Each `draw_*` paints the whole chart and returns its [`ChartGeom`], the
//! mapping from data to pixels, so the per-frame cursor and hover can be drawn
//! on an overlay without redrawing the chart.

use crate::format::short;
use crate::render::style::style;
use downhill_core::race::Race;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

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
        ((px - self.x0) / (self.x1 - self.x0) * self.max_x).clamp(0.0, self.max_x)
    }
    /// Pixel row of a transformed value.
    pub fn y_px(&self, v: f64) -> f64 {
        self.y1 - (v - self.v_lo) / (self.v_hi - self.v_lo) * (self.y1 - self.y0)
    }
}

pub(crate) fn rgb(hex: &str) -> RGBColor {
    let h = hex.trim_start_matches('#');
    let p = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("80"), 16).unwrap_or(128);
    RGBColor(p(0), p(2), p(4))
}

pub fn ink(dark: bool) -> RGBColor {
    if dark {
        RGBColor(200, 200, 200)
    } else {
        RGBColor(60, 60, 60)
    }
}

/// Keeps, per pixel column, the first, lowest and highest point: a long race
/// draws in at most ~3 points per column, and spikes survive.
pub fn decimate(points: &[(f64, f64)], x_max: f64, columns: usize) -> Vec<(f64, f64)> {
    if points.len() <= 3 * columns {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(3 * columns);
    let mut i = 0;
    while i < points.len() {
        let col = ((points[i].0 / x_max.max(1.0)) * columns as f64) as usize;
        let mut j = i;
        let (mut lo, mut hi) = (points[i], points[i]);
        while j < points.len() && ((points[j].0 / x_max.max(1.0)) * columns as f64) as usize == col
        {
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
        Some(if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        })
    } else {
        None
    }
}

/// How many y labels to ask plotters for: on a log axis spanning two whole
/// decades or more, at most one per decade, so that its ticks land on 0.01,
/// 0.1, 1 … rather than on half decades (0.03162, 0.3162). A narrower log
/// axis keeps `want` (whatever ticks fit inside it).
fn y_label_count(scale: YScale, lo: f64, hi: f64, want: usize) -> usize {
    if scale != YScale::Log || !(lo.is_finite() && hi.is_finite()) {
        return want;
    }
    let decades = hi.floor() - lo.ceil() + 1.0;
    if decades >= 2.0 {
        want.min(decades as usize)
    } else {
        want
    }
}

pub(crate) type Chart<'a> =
    ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The vertical axis of a [`styled_chart`]: its range (in `scale`'s units,
/// see [`YScale::forward`]), the room for its labels, about how many labels,
/// and how each reads.
pub(crate) struct YAxis<'f> {
    pub range: std::ops::Range<f64>,
    pub scale: YScale,
    pub label_area: u32,
    pub labels: usize,
    pub label: &'f dyn Fn(&f64) -> String,
}

/// A chart in the house style: step on x, `y` on the vertical axis,
/// horizontal grid lines only.
pub(crate) fn styled_chart<'a>(
    root: &'a DrawingArea<CanvasBackend, plotters::coord::Shift>,
    max_x: f64,
    y: YAxis,
    dark: bool,
) -> Option<Chart<'a>> {
    let ink = ink(dark);
    let grid = if dark {
        RGBColor(55, 58, 64)
    } else {
        RGBColor(225, 227, 232)
    };
    let y_labels = y_label_count(y.scale, y.range.start, y.range.end, y.labels);
    let mut chart = ChartBuilder::on(root)
        .margin(6)
        .margin_right(18)
        .x_label_area_size(22)
        .y_label_area_size(y.label_area)
        .build_cartesian_2d(0f64..max_x, y.range)
        .ok()?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid)
        .axis_style(ink)
        .label_style((FontFamily::SansSerif, 11).into_font().color(&ink))
        .x_labels(6)
        .y_labels(y_labels)
        .x_label_formatter(&|x| format!("{}", *x as u64))
        .y_label_formatter(y.label)
        .draw()
        .ok()?;
    Some(chart)
}

/// Where a drawn chart's plot area landed.
pub(crate) fn geom_of(chart: &Chart, max_x: f64, v_lo: f64, v_hi: f64) -> ChartGeom {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    ChartGeom {
        x0: xr.start as f64,
        x1: xr.end as f64,
        y0: yr.start as f64,
        y1: yr.end as f64,
        max_x,
        v_lo,
        v_hi,
    }
}

/// The loss curves of every racer over the whole computed race.
pub fn draw_loss(
    canvas: &HtmlCanvasElement,
    race: &Race,
    scale: YScale,
    dark: bool,
) -> Option<ChartGeom> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
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
    let v = |loss: f64| scale.forward(loss).max(floor);
    let (v_lo, v_hi) = finite_range(
        race.racers()
            .iter()
            .flat_map(|r| r.trace().samples().iter().map(move |s| v(s.loss))),
    )
    .unwrap_or((0.0, 1.0));
    let pad = 0.04 * (v_hi - v_lo);
    let (v_lo, v_hi) = (v_lo - pad, v_hi + pad);
    let mut chart = styled_chart(
        &root,
        max_x,
        YAxis {
            range: v_lo..v_hi,
            scale,
            label_area: 52,
            labels: 6,
            label: &|y| short(scale.inverse(*y)),
        },
        dark,
    )?;
    let width = root.dim_in_pixel().0 as usize;
    for r in race.racers() {
        let color = rgb(style(r.kind()).color(dark));
        let pts: Vec<(f64, f64)> = r
            .trace()
            .samples()
            .iter()
            .map(|s| (s.step as f64, v(s.loss)))
            .collect();
        let pts = decimate(&pts, max_x, width.max(50));
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))
            .ok()?;
        if let Some(k) = r.diverged_at() {
            if let Some(last) = r.trace().last() {
                let at = (k as f64, v(last.loss));
                chart
                    .draw_series(std::iter::once(Cross::new(
                        at,
                        5,
                        RGBColor(220, 30, 30).stroke_width(2),
                    )))
                    .ok()?;
            }
        }
    }
    let geom = geom_of(&chart, max_x, v_lo, v_hi);
    root.present().ok()?;
    Some(geom)
}

/// The schedule's learning-rate factor (lr / base) over the race's steps.
pub fn draw_schedule(
    canvas: &HtmlCanvasElement,
    schedule: &downhill_core::Schedule,
    steps: u64,
    dark: bool,
) -> Option<ChartGeom> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    let max_x = steps.max(1) as f64;
    let width = root.dim_in_pixel().0.max(50) as u64;
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
    let hi = 1.08;
    let mut chart = styled_chart(
        &root,
        max_x,
        YAxis {
            range: 0f64..hi,
            scale: YScale::Linear,
            label_area: 44,
            labels: 4,
            label: &|y| format!("{}%", short((*y * 100.0).round())),
        },
        dark,
    )?;
    let accent = if dark {
        RGBColor(110, 168, 255)
    } else {
        RGBColor(31, 95, 191)
    };
    chart
        .draw_series(LineSeries::new(pts, accent.stroke_width(2)))
        .ok()?;
    let geom = geom_of(&chart, max_x, 0.0, hi);
    root.present().ok()?;
    Some(geom)
}

#[cfg(test)]
mod tests {
    use super::{auto_scale, y_label_count, YScale};
    use downhill_core::race::{Race, RaceConfig};
    use downhill_core::Landscape;
    use plotters::coord::ranged1d::{KeyPointHint, Ranged};
    use plotters::coord::types::RangedCoordf64;

    /// The ticks plotters draws on a y range asked for `n` labels.
    fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
        RangedCoordf64::from(lo..hi).key_points(n.bold_points())
    }

    #[test]
    fn log_ticks_land_on_whole_decades() {
        for (lo, hi, want) in [
            (-2.3, 0.2, 5),
            (-5.1, -0.9, 5),
            (-40.0, 2.0, 6),
            (-2.05, 0.05, 5),
        ] {
            let t = ticks(lo, hi, y_label_count(YScale::Log, lo, hi, want));
            assert!(t.len() >= 2, "{lo}..{hi}: {t:?}");
            assert!(t.iter().all(|v| v.fract() == 0.0), "{lo}..{hi}: {t:?}");
        }
        // Asked as before, plotters puts ticks on half decades (the bug).
        assert!(ticks(-2.3, 0.2, 5).iter().any(|v| v.fract() != 0.0));
        // Under two decades, or a linear axis: unchanged.
        assert_eq!(y_label_count(YScale::Log, -1.3, -0.2, 5), 5);
        assert_eq!(y_label_count(YScale::Linear, -40.0, 2.0, 6), 6);
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
