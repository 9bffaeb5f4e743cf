//! Drawing: everything that turns the race into pixels. The landscape canvas is
//! two stacked layers so that a frame repaints only what changed:
//! `base` (heatmap, contours, axes, minimum; redrawn on landscape, size or theme
//! change) and the race layer: paths (faint futures, then the travelled part
//! appended incrementally) kept on an offscreen canvas, plus the markers
//! (heads, start, hover), of which each frame redraws only the rectangles
//! that changed (see [`paths`]). In software compositing every changed canvas
//! is copied to the compositor each frame, so one changing canvas, not two.

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
    let dpr = dpr();
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    // Touch the size (and so the layout) only when it changes: this runs every frame.
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
        let style = canvas.style();
        let _ = style.set_property("width", &crate::format::px(css_w));
        let _ = style.set_property("height", &crate::format::px(css_h));
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
/// (the charts draw in the canvas's own pixel units). Returns the pixel ratio.
pub fn prepare_device(canvas: &HtmlCanvasElement, css_w: f64, css_h: f64) -> f64 {
    if let Some(ctx) = prepare(canvas, css_w, css_h) {
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    }
    dpr()
}

/// A chart redraws at most this often while its inputs keep changing (ms),
/// like the text lanes ([`crate::raf::TEXT_INTERVAL_MS`]).
pub const CHART_INTERVAL_MS: f64 = 100.0;

/// A redraw that may lag a little: the first [`Coalesced::run`] draws at once
/// (so a chart is there as soon as the page is); later ones are coalesced
/// into one call in the browser's next idle period, however many changes
/// arrive before it, and no sooner than [`CHART_INTERVAL_MS`] after the
/// previous drawing. A slider drag thus moves the paths in the frame of the
/// input and the charts a moment later, about ten times a second, instead of
/// a chart redraw (several ms of plotting) after every input's frame.
/// The drawing must read its inputs untracked, when it runs.
#[derive(Clone, Copy)]
pub struct Coalesced {
    /// 0: never drawn; 1: drawn, nothing pending; 2: a redraw is scheduled.
    phase: leptos::prelude::StoredValue<u8>,
    /// When the last drawing ran (`performance.now()`, ms).
    drawn_at: leptos::prelude::StoredValue<f64>,
}

impl Default for Coalesced {
    fn default() -> Self {
        Coalesced {
            phase: leptos::prelude::StoredValue::new(0),
            drawn_at: leptos::prelude::StoredValue::new(f64::NEG_INFINITY),
        }
    }
}

impl Coalesced {
    pub fn run(self, draw: impl Fn() + 'static) {
        use leptos::prelude::*;
        use std::time::Duration;
        match self.phase.get_value() {
            0 => {
                self.phase.set_value(1);
                self.drawn_at.set_value(crate::raf::now_ms());
                draw();
            }
            1 => {
                self.phase.set_value(2);
                let draw = std::rc::Rc::new(draw);
                let job = move || {
                    // A disposed owner (panel hidden meanwhile): nothing to draw.
                    if self.phase.try_get_value() == Some(2) {
                        self.phase.set_value(1);
                        self.drawn_at.set_value(crate::raf::now_ms());
                        draw();
                    }
                };
                let when_idle = move || {
                    // Browsers without requestIdleCallback (Safari): a short timeout.
                    if request_idle_callback_with_handle(job.clone()).is_err() {
                        set_timeout(job, Duration::from_millis(16));
                    }
                };
                let wait = self.drawn_at.get_value() + CHART_INTERVAL_MS - crate::raf::now_ms();
                if wait > 0.0 {
                    set_timeout(when_idle, Duration::from_micros((wait * 1000.0) as u64));
                } else {
                    when_idle();
                }
            }
            _ => {}
        }
    }
}
