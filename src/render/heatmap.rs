//! The base layer: the landscape as a heatmap (a perceptual colour map, on a
//! log scale where values span decades), contour lines, axes and the minimum.
//! Computed once per landscape, size and theme; every frame only composites it.

use super::viewport::{nice_ticks, Viewport};
use super::Surface;
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

/// Contour lines in data coordinates, as segments: `levels` thresholds evenly
/// spaced in the shade value, traced by marching squares on a coarse grid.
/// (Written here rather than taken from a crate: ours draws segments, not
/// joined rings, and costs a few hundred bytes of wasm instead of ~8 KiB.)
pub fn contour_lines(l: Landscape, levels: usize) -> Vec<(Vec2, Vec2)> {
    let v = l.view();
    let (w, h) = (
        140usize,
        ((140.0 * v.height() / v.width()) as usize).max(40),
    );
    let xs: Vec<f64> = (0..w)
        .map(|i| v.x0 + i as f64 / (w - 1) as f64 * v.width())
        .collect();
    let ys: Vec<f64> = (0..h)
        .map(|j| v.y0 + j as f64 / (h - 1) as f64 * v.height())
        .collect();
    let mut values = Vec::with_capacity(w * h);
    for &y in &ys {
        for &x in &xs {
            values.push(shade_value(l, l.value(Vec2::new(x, y))));
        }
    }
    let (lo, hi) = range(&values);
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for k in 1..=levels {
        let t = lo + (hi - lo) * k as f64 / (levels + 1) as f64;
        for j in 0..h - 1 {
            for i in 0..w - 1 {
                // Corners counter-clockwise from the bottom left.
                let c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
                let f = c.map(|(a, b)| values[b * w + a]);
                if f.iter().any(|x| !x.is_finite()) {
                    continue;
                }
                let case = f
                    .iter()
                    .enumerate()
                    .fold(0usize, |acc, (n, &x)| acc | (usize::from(x > t) << n));
                if case == 0 || case == 15 {
                    continue;
                }
                // The crossing on edge e (from corner e to corner e+1).
                let cross = |e: usize| {
                    let (a, b) = (e, (e + 1) % 4);
                    let s = (t - f[a]) / (f[b] - f[a]);
                    let (pa, pb) = (c[a], c[b]);
                    Vec2::new(
                        xs[pa.0] + s * (xs[pb.0] - xs[pa.0]),
                        ys[pa.1] + s * (ys[pb.1] - ys[pa.1]),
                    )
                };
                let centre_above = f.iter().sum::<f64>() / 4.0 > t;
                // Edges cut, paired: each pair is one segment.
                let pairs: &[(usize, usize)] = match case {
                    1 | 14 => &[(3, 0)],
                    2 | 13 => &[(0, 1)],
                    3 | 12 => &[(3, 1)],
                    4 | 11 => &[(1, 2)],
                    6 | 9 => &[(0, 2)],
                    7 | 8 => &[(2, 3)],
                    5 if centre_above => &[(3, 2), (0, 1)],
                    5 => &[(3, 0), (1, 2)],
                    10 if centre_above => &[(3, 0), (1, 2)],
                    _ => &[(0, 1), (2, 3)],
                };
                out.extend(pairs.iter().map(|&(a, b)| (cross(a), cross(b))));
            }
        }
    }
    out
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
    if let Some(canvas) = pixels_canvas(&pixels, w as u32, h as u32) {
        ctx.set_image_smoothing_enabled(true);
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &canvas, vp.left, vp.top, vp.plot_w, vp.plot_h,
        );
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
    for (a, b) in contour_lines(l, 14) {
        let ((ax, ay), (bx, by)) = (vp.to_px(a), vp.to_px(b));
        ctx.move_to(ax, ay);
        ctx.line_to(bx, by);
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
        let (px, py) = (x + rr * libm::cos(a), y + rr * libm::sin(a));
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

/// A canvas (off the page) holding `pixels`, RGBA rows of `w × h`, to be
/// drawn scaled onto another.
fn pixels_canvas(pixels: &[u8], w: u32, h: u32) -> Option<HtmlCanvasElement> {
    let canvas = scratch_canvas(w, h)?;
    let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(pixels), w, h).ok()?;
    super::context(&canvas)?
        .put_image_data(&img, 0.0, 0.0)
        .ok()?;
    Some(canvas)
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

/// What a finished base layer depends on: landscape, pixel size, theme.
type BaseKey = (Landscape, u32, u32, bool);

thread_local! {
    /// Finished base layers by landscape, size and theme: going back to a
    /// landscape (or theme) blits its layer instead of recomputing the
    /// heatmap and contours. A dozen entries at most in practice (six
    /// landscapes, two themes, the current width), each one canvas.
    static BASES: std::cell::RefCell<Vec<(BaseKey, HtmlCanvasElement)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Paints the base layer on `surface` (cleared, its context scaled to CSS
/// pixels), from the cache when this landscape, size and theme were drawn
/// before: the finished layer is kept, at the surface's pixel size, on a
/// canvas of its own.
pub fn draw_base_cached(surface: &Surface, vp: &Viewport, l: Landscape, dark: bool) {
    let (w, h) = (surface.width as u32, surface.height as u32);
    let key: BaseKey = (l, w, h, dark);
    let hit = BASES.with(|b| {
        b.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, c)| c.clone())
    });
    let finished = hit.or_else(|| {
        let copy = scratch_canvas(w, h)?;
        let cctx = super::context(&copy)?;
        let k = super::dpr();
        let _ = cctx.set_transform(k, 0.0, 0.0, k, 0.0, 0.0);
        draw_base(&cctx, vp, l, dark);
        BASES.with(|b| {
            let mut b = b.borrow_mut();
            // A resize makes the old sizes useless: keep the list short.
            if b.len() >= 16 {
                b.remove(0);
            }
            b.push((key, copy.clone()));
        });
        Some(copy)
    });
    if let Some(c) = finished {
        let ctx = &surface.ctx;
        ctx.save();
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        let _ = ctx.draw_image_with_html_canvas_element(&c, 0.0, 0.0);
        ctx.restore();
    }
}
