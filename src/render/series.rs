//! A small line chart over steps for the focused racer's instruments (its
//! effective learning rate over time, its moments over time): a few named
//! lines, solid or dashed, on a log or linear axis, in the house style.

use super::chart::{decimate, finite_range, styled_chart, ChartGeom, YAxis, YScale};
use super::Surface;
use crate::format::short;

/// One line: points (step, value), its ink (a CSS colour) and whether it is
/// dashed (the ghost's lines).
pub struct Line {
    pub points: Vec<(f64, f64)>,
    pub color: &'static str,
    pub dashed: bool,
}

/// Draws `lines` over steps `0..=max_x` on `scale` (Log drops values ≤ 0,
/// which have no place on it). Returns the mapping for the step cursor.
pub fn draw_lines(
    surface: &Surface,
    lines: &[Line],
    max_x: f64,
    scale: YScale,
    dark: bool,
) -> Option<ChartGeom> {
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
    let plot = styled_chart(
        surface,
        max_x,
        YAxis {
            range: v_lo..v_hi,
            scale,
            label_area: 52,
            labels: 5,
            // A tick a rounding error away from 0 reads "0", not "-6.9e-18".
            label: &|y| short(snap_zero(scale.inverse(y), span)),
        },
        dark,
    )?;
    for line in lines {
        // Values the axis cannot show (≤ 0 on a log axis) are NaN here: the
        // line breaks there instead of jumping across the gap.
        let pts: Vec<(f64, f64)> = line
            .points
            .iter()
            .filter(|p| p.0 <= max_x)
            .map(|&(x, y)| (x, v(y)))
            .collect();
        plot.line(
            &decimate(&pts, max_x, plot.columns()),
            line.color,
            line.dashed,
        );
    }
    Some(plot.geom)
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
pub fn axis_color(axis: usize, dark: bool) -> &'static str {
    match (axis, dark) {
        (0, false) => "#1f5fbf",
        (0, true) => "#6ea8ff",
        (_, false) => "#c85a00",
        (_, true) => "#ffa046",
    }
}
