//! A small line chart over steps for the focused racer's instruments (its
//! effective learning rate over time, its moments over time): a few named
//! lines, solid or dashed, on a log or linear axis, in the house style.

use super::chart::{decimate, finite_range, geom_of, styled_chart, ChartGeom, YAxis, YScale};
use crate::format::short;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// One line: points (step, value), its ink and whether it is dashed (the
/// ghost's lines) or faint.
pub struct Line {
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
    pub dashed: bool,
}

/// Draws `lines` over steps `0..=max_x` on `scale` (Log drops values ≤ 0,
/// which have no place on it). Returns the mapping for the step cursor.
pub fn draw_lines(
    canvas: &HtmlCanvasElement,
    lines: &[Line],
    max_x: f64,
    scale: YScale,
    dark: bool,
) -> Option<ChartGeom> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    let max_x = max_x.max(1.0);
    let v = |y: f64| {
        if scale == YScale::Log && y <= 0.0 {
            f64::NAN
        } else {
            scale.forward(y)
        }
    };
    let (v_lo, v_hi) = finite_range(
        lines
            .iter()
            .flat_map(|l| l.points.iter().filter(|p| p.0 <= max_x).map(|p| v(p.1))),
    )
    .unwrap_or((0.0, 1.0));
    let pad = 0.05 * (v_hi - v_lo);
    let (v_lo, v_hi) = (v_lo - pad, v_hi + pad);
    let span = if scale == YScale::Linear {
        v_hi - v_lo
    } else {
        0.0
    };
    let mut chart = styled_chart(
        &root,
        max_x,
        YAxis {
            range: v_lo..v_hi,
            scale,
            label_area: 52,
            labels: 5,
            // A tick a rounding error away from 0 reads "0", not "-6.9e-18".
            label: &|y| short(snap_zero(scale.inverse(*y), span)),
        },
        dark,
    )?;
    let width = root.dim_in_pixel().0 as usize;
    for line in lines {
        // Split at values the axis cannot show, so no line jumps across a gap.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for &(x, y) in line.points.iter().filter(|p| p.0 <= max_x) {
            let y = v(y);
            if y.is_finite() {
                runs.last_mut()?.push((x, y));
            } else if !runs.last()?.is_empty() {
                runs.push(Vec::new());
            }
        }
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            let pts = decimate(&run, max_x, width.max(50));
            if line.dashed {
                chart
                    .draw_series(DashedLineSeries::new(pts, 6, 4, line.color.stroke_width(2)))
                    .ok()?;
            } else {
                chart
                    .draw_series(LineSeries::new(pts, line.color.stroke_width(2)))
                    .ok()?;
            }
        }
    }
    let geom = geom_of(&chart, max_x, v_lo, v_hi);
    root.present().ok()?;
    Some(geom)
}

/// 0 for a value within a billionth of the axis span of it.
fn snap_zero(v: f64, span: f64) -> f64 {
    if v.abs() < 1e-9 * span {
        0.0
    } else {
        v
    }
}

/// The two axes' inks: x and y of a 2-vector quantity.
pub fn axis_color(axis: usize, dark: bool) -> RGBColor {
    match (axis, dark) {
        (0, false) => RGBColor(31, 95, 191),
        (0, true) => RGBColor(110, 168, 255),
        (_, false) => RGBColor(200, 90, 0),
        (_, true) => RGBColor(255, 160, 70),
    }
}
