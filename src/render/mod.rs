//! Drawing: everything that turns the race into pixels. The landscape canvas is
//! three stacked layers so that a frame repaints only what changed:
//! `base` (heatmap, contours, axes, minimum; redrawn on landscape, size or theme
//! change), `paths` (faint future paths, then the travelled part appended
//! incrementally) and `overlay` (heads, start, hover; redrawn each frame).

pub mod chart;
pub mod heatmap;
pub mod lens;
pub mod paths;
pub mod series;
pub mod style;
pub mod viewport;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Sizes a canvas for `css_w × css_h` CSS pixels at the device pixel ratio and
/// returns its context, scaled so that drawing happens in CSS pixels.
pub fn prepare(
    canvas: &HtmlCanvasElement,
    css_w: f64,
    css_h: f64,
) -> Option<CanvasRenderingContext2d> {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .clamp(1.0, 4.0);
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    // Touch the size (and so the layout) only when it changes: this runs every frame.
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
        let style = canvas.style();
        let _ = style.set_property("width", &format!("{css_w}px"));
        let _ = style.set_property("height", &format!("{css_h}px"));
    }
    let ctx = context(canvas)?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_w, css_h);
    Some(ctx)
}

pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// The device pixel ratio the canvases are drawn at.
pub fn dpr() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .clamp(1.0, 4.0)
}

/// Sizes a canvas like [`prepare`] but leaves its context in device pixels
/// (plotters draws in the canvas's own pixel units). Returns the pixel ratio.
pub fn prepare_device(canvas: &HtmlCanvasElement, css_w: f64, css_h: f64) -> f64 {
    if let Some(ctx) = prepare(canvas, css_w, css_h) {
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    }
    dpr()
}
