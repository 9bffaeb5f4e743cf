//! The base layer: the landscape as a heatmap (a perceptual colour map, on a
//! log scale where values span decades), contour lines, axes and the minimum.
//! Computed once per landscape, size and theme; every frame only composites it.

use super::viewport::{nice_ticks, Viewport};
use crate::format::short;
use downhill_core::{Landscape, Vec2};
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// The scalar shown for f: log10 for landscapes spanning decades, √f for the
/// quadratic bowls (so contours come out evenly spaced), f itself for the saddle.
pub fn shade_value(l: Landscape, f: f64) -> f64 {
    if l.log_scale() {
        (f.max(0.0) + 1e-2).log10()
    } else if l == Landscape::Saddle {
        f
    } else {
        f.max(0.0).sqrt()
    }
}

/// Samples the shade value on a `w × h` grid over the view (row 0 at the top).
pub fn sample_grid(l: Landscape, w: usize, h: usize) -> Vec<f64> {
    let v = l.view();
    let mut out = Vec::with_capacity(w * h);
    for j in 0..h {
        let y = v.y1 - (j as f64 + 0.5) / h as f64 * v.height();
        for i in 0..w {
            let x = v.x0 + (i as f64 + 0.5) / w as f64 * v.width();
            out.push(shade_value(l, l.value(Vec2::new(x, y))));
        }
    }
    out
}

fn range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

const LUT_SIZE: usize = 256;

/// The colour map as a lookup table: viridis, blended towards the page
/// background so that the racers' coloured paths stay legible on top
/// (lightness stays monotonic).
fn lut(dark: bool) -> [[u8; 3]; LUT_SIZE] {
    let (bg, keep) = if dark { (18.0, 0.55) } else { (250.0, 0.45) };
    let mut table = [[0u8; 3]; LUT_SIZE];
    for (i, entry) in table.iter_mut().enumerate() {
        let c = colorous::VIRIDIS.eval_continuous(i as f64 / (LUT_SIZE - 1) as f64);
        *entry = [c.r, c.g, c.b].map(|ch| (ch as f64 * keep + bg * (1.0 - keep)).round() as u8);
    }
    table
}

/// RGBA pixels for shade values, through the colour map's lookup table.
pub fn colorize(values: &[f64], dark: bool) -> Vec<u8> {
    let (lo, hi) = range(values);
    let scale = if hi > lo {
        (LUT_SIZE - 1) as f64 / (hi - lo)
    } else {
        0.0
    };
    let table = lut(dark);
    let mut px = Vec::with_capacity(values.len() * 4);
    for &v in values {
        let i = if v.is_finite() {
            ((v - lo) * scale) as usize
        } else {
            LUT_SIZE - 1
        };
        let [r, g, b] = table[i.min(LUT_SIZE - 1)];
        px.extend_from_slice(&[r, g, b, 255]);
    }
    px
}

/// Contour lines in data coordinates: `levels` thresholds evenly spaced in the
/// shade value, traced by marching squares on a coarse grid.
pub fn contour_lines(l: Landscape, levels: usize) -> Vec<Vec<Vec2>> {
    let (w, h) = (
        140usize,
        ((140.0 * l.view().height() / l.view().width()) as usize).max(40),
    );
    // The contour crate wants row 0 at the bottom (y grows with the row).
    let v = l.view();
    let mut values = Vec::with_capacity(w * h);
    for j in 0..h {
        let y = v.y0 + j as f64 / (h - 1) as f64 * v.height();
        for i in 0..w {
            let x = v.x0 + i as f64 / (w - 1) as f64 * v.width();
            values.push(shade_value(l, l.value(Vec2::new(x, y))));
        }
    }
    let (lo, hi) = range(&values);
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return Vec::new();
    }
    let thresholds: Vec<f64> = (1..=levels)
        .map(|k| lo + (hi - lo) * k as f64 / (levels + 1) as f64)
        .collect();
    let builder = contour::ContourBuilder::new(w, h, true)
        .x_origin(v.x0)
        .y_origin(v.y0)
        .x_step(v.width() / (w - 1) as f64)
        .y_step(v.height() / (h - 1) as f64);
    let Ok(lines) = builder.lines(&values, &thresholds) else {
        return Vec::new();
    };
    lines
        .iter()
        .flat_map(|line| line.geometry().0.iter())
        .map(|ls| ls.0.iter().map(|c| Vec2::new(c.x, c.y)).collect())
        .collect()
}

/// Paints the base layer.
pub fn draw_base(ctx: &CanvasRenderingContext2d, vp: &Viewport, l: Landscape, dark: bool) {
    // Heatmap at one sample per 2 CSS pixels (the field is smooth), blitted
    // once and scaled up with smoothing.
    let (w, h) = (
        (vp.plot_w / 2.0).max(1.0) as usize,
        (vp.plot_h / 2.0).max(1.0) as usize,
    );
    let pixels = colorize(&sample_grid(l, w, h), dark);
    if let Some(canvas) = scratch_canvas(w as u32, h as u32) {
        if let Ok(img) =
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), w as u32, h as u32)
        {
            if let Some(sctx) = super::context(&canvas) {
                let _ = sctx.put_image_data(&img, 0.0, 0.0);
                ctx.set_image_smoothing_enabled(true);
                let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                    &canvas, vp.left, vp.top, vp.plot_w, vp.plot_h,
                );
            }
        }
    }
    // Contours.
    ctx.save();
    ctx.begin_path();
    ctx.rect(vp.left, vp.top, vp.plot_w, vp.plot_h);
    ctx.clip();
    ctx.set_stroke_style_str(if dark {
        "rgba(255,255,255,0.22)"
    } else {
        "rgba(0,0,0,0.2)"
    });
    ctx.set_line_width(1.0);
    ctx.begin_path();
    for line in contour_lines(l, 14) {
        for (i, p) in line.iter().enumerate() {
            let (x, y) = vp.to_px(*p);
            if i == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
    }
    ctx.stroke();
    // The minimum (a star) or the saddle point (a ring).
    ctx.set_line_width(1.5);
    let ink = if dark { "#f5f5f5" } else { "#111" };
    match l.minimum() {
        Some((m, _)) => {
            let (x, y) = vp.to_px(m);
            star(ctx, x, y, 9.0);
            ctx.set_fill_style_str("#ffd400");
            ctx.fill();
            ctx.set_stroke_style_str(ink);
            ctx.stroke();
        }
        None => {
            if let Some(c) = l.critical_point() {
                let (x, y) = vp.to_px(c);
                ctx.begin_path();
                let _ = ctx.arc(x, y, 5.0, 0.0, std::f64::consts::TAU);
                ctx.set_stroke_style_str(ink);
                ctx.stroke();
            }
        }
    }
    ctx.restore();
    draw_axes(ctx, vp, dark);
}

fn star(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64) {
    ctx.begin_path();
    for k in 0..10 {
        let a = -std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::PI / 5.0;
        let rr = if k % 2 == 0 { r } else { r * 0.45 };
        let (px, py) = (x + rr * a.cos(), y + rr * a.sin());
        if k == 0 {
            ctx.move_to(px, py);
        } else {
            ctx.line_to(px, py);
        }
    }
    ctx.close_path();
}

fn draw_axes(ctx: &CanvasRenderingContext2d, vp: &Viewport, dark: bool) {
    let ink = if dark { "#c8c8c8" } else { "#333" };
    ctx.set_stroke_style_str(ink);
    ctx.set_fill_style_str(ink);
    ctx.set_line_width(1.0);
    ctx.stroke_rect(vp.left, vp.top, vp.plot_w, vp.plot_h);
    ctx.set_font("11px system-ui, sans-serif");
    let d = vp.data;
    let bottom = vp.top + vp.plot_h;
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    for x in nice_ticks(d.x0, d.x1, (vp.plot_w / 70.0).max(2.0) as usize) {
        let (px, _) = vp.to_px(Vec2::new(x, d.y0));
        ctx.begin_path();
        ctx.move_to(px, bottom);
        ctx.line_to(px, bottom + 4.0);
        ctx.stroke();
        let _ = ctx.fill_text(&short(x), px, bottom + 6.0);
    }
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for y in nice_ticks(d.y0, d.y1, (vp.plot_h / 50.0).max(2.0) as usize) {
        let (_, py) = vp.to_px(Vec2::new(d.x0, y));
        ctx.begin_path();
        ctx.move_to(vp.left - 4.0, py);
        ctx.line_to(vp.left, py);
        ctx.stroke();
        let _ = ctx.fill_text(&short(y), vp.left - 6.0, py);
    }
}

fn scratch_canvas(w: u32, h: u32) -> Option<HtmlCanvasElement> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?;
    let c = doc
        .create_element("canvas")
        .ok()?
        .dyn_into::<HtmlCanvasElement>()
        .ok()?;
    c.set_width(w);
    c.set_height(h);
    Some(c)
}
