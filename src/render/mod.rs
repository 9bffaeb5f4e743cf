//! Drawing: everything that turns the race into pixels. The landscape canvas is
//! two stacked layers so that a frame repaints only what changed:
//! `base` (heatmap, contours, axes, minimum; redrawn on landscape, size or theme
//! change) and the race layer: paths (faint futures, then the travelled part
//! appended incrementally) kept on an offscreen canvas, plus the markers
//! (heads, start, hover), of which each frame redraws only the rectangles
//! that changed (see [`paths`]). In software compositing every changed canvas
//! is copied to the compositor each frame, so one changing canvas, not two;
//! and every *2-D* canvas on the page is re-produced at every frame, changed
//! or not, so the pictures that change seldom (the heatmap, the lens layer,
//! the charts) are bitmaps handed over once ([`paint_still`]).

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
    // (This runs every frame: the size is touched only when it changes.)
    size(canvas, w, h, Some((css_w, css_h)));
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

/// A 2-D context and the size of what it draws on, in device pixels (the
/// charts draw in those units).
pub struct Surface {
    pub ctx: CanvasRenderingContext2d,
    pub width: f64,
    pub height: f64,
}

/// Paints a canvas whose picture changes seldom (the heatmap, the lens layer,
/// the charts, the small canvases of the scenes) with `draw`, which gets a
/// cleared surface of the canvas's size at the device pixel ratio, its
/// context scaled to CSS pixels (as [`prepare`] leaves it).
///
/// The picture is drawn on an `OffscreenCanvas` and handed to the page's
/// canvas as one `ImageBitmap` (its `bitmaprenderer` context). A 2-D canvas
/// on the page costs the browser's main thread at *every* frame, changed or
/// not, when it composites in software (headless Chromium, or a machine
/// without GPU compositing): each one is re-produced for the compositor at
/// each commit (`Canvas2DResourceProvider::ProduceCanvasResource`, 0.07 to
/// 0.25 ms each for the page's seven, measured), while a bitmap canvas
/// costs nothing until it gets a new picture. Where `OffscreenCanvas` or its
/// 2-D context is missing (older browsers), the canvas is drawn directly.
pub fn paint_still(
    canvas: &HtmlCanvasElement,
    css_w: f64,
    css_h: f64,
    draw: &mut dyn FnMut(&Surface),
) {
    let dpr = dpr();
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    size(canvas, w, h, Some((css_w, css_h)));
    paint_bitmap(canvas, w, h, dpr, draw);
}

/// [`paint_still`] for a canvas whose CSS size the style sheet decides: the
/// picture is `w × h` pixels, drawn with the context scaled by `scale`.
pub fn paint_still_px(
    canvas: &HtmlCanvasElement,
    w: u32,
    h: u32,
    scale: f64,
    draw: &mut dyn FnMut(&Surface),
) {
    size(canvas, w, h, None);
    paint_bitmap(canvas, w, h, scale, draw);
}

/// The drawing part of [`paint_still`], on a canvas already `w × h`.
fn paint_bitmap(
    canvas: &HtmlCanvasElement,
    w: u32,
    h: u32,
    scale: f64,
    draw: &mut dyn FnMut(&Surface),
) {
    let surface = |ctx: CanvasRenderingContext2d| {
        let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
        Surface {
            ctx,
            width: w as f64,
            height: h as f64,
        }
    };
    // The offscreen canvas first: a page canvas that took the bitmap
    // renderer can no longer fall back to a 2-D context.
    let still = offscreen_2d(w, h).and_then(|(o, ctx)| Some((o, ctx, bitmap_renderer(canvas)?)));
    if let Some((offscreen, ctx, renderer)) = still {
        draw(&surface(ctx));
        if let Ok(bitmap) = offscreen.transfer_to_image_bitmap() {
            renderer.transfer_from_image_bitmap(&bitmap);
        }
    } else if let Some(ctx) = context(canvas) {
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, w as f64, h as f64);
        draw(&surface(ctx));
    }
}

/// An `OffscreenCanvas` of `w × h` and its 2-D context (typed as the page
/// canvas's: the drawing code calls methods the two share, by name).
fn offscreen_2d(w: u32, h: u32) -> Option<(web_sys::OffscreenCanvas, CanvasRenderingContext2d)> {
    let offscreen = web_sys::OffscreenCanvas::new(w.max(1), h.max(1)).ok()?;
    let ctx = offscreen.get_context("2d").ok()??;
    Some((offscreen, ctx.unchecked_into()))
}

/// The canvas's bitmap renderer: None when a 2-D context was taken on it
/// before (a canvas keeps its first kind of context).
fn bitmap_renderer(canvas: &HtmlCanvasElement) -> Option<web_sys::ImageBitmapRenderingContext> {
    canvas
        .get_context("bitmaprenderer")
        .ok()
        .flatten()
        .map(|c| c.unchecked_into())
}

/// Sets a canvas's pixel size and, when given, its CSS size, touching them
/// (and so the layout) only when they change.
fn size(canvas: &HtmlCanvasElement, w: u32, h: u32, css: Option<(f64, f64)>) {
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
        if let Some((css_w, css_h)) = css {
            let style = canvas.style();
            let _ = style.set_property("width", &crate::format::px(css_w));
            let _ = style.set_property("height", &crate::format::px(css_h));
        }
    }
}

/// A chart redraws at most this often while its inputs keep changing (ms),
/// like the text lanes ([`crate::raf::TEXT_INTERVAL_MS`]).
pub const CHART_INTERVAL_MS: f64 = 100.0;

/// A redraw that may lag a little: the first [`Coalesced::run`] draws in the
/// browser's first idle period (within 250 ms), after the page has shown its
/// landscape and leaderboard (a chart's first plotting took 10–20 ms of the
/// page's start); later ones are coalesced
/// into one call in the browser's next idle period, however many changes
/// arrive before it, and no sooner than [`CHART_INTERVAL_MS`] after the
/// previous drawing. A slider drag thus moves the paths in the frame of the
/// input and the charts a moment later, about ten times a second, instead of
/// a chart redraw (several ms of plotting) after every input's frame.
/// The drawing must read its inputs untracked, when it runs.
///
/// A new size is drawn at once: a chart stretched or cut to its old size must
/// not show while the page settles.
#[derive(Clone, Copy)]
pub struct Coalesced {
    /// 0: to draw (at once if drawn before, else in idle time); 1: drawn,
    /// nothing pending; 2: a drawing is scheduled.
    phase: leptos::prelude::StoredValue<u8>,
    /// When the last drawing ran (`performance.now()`, ms).
    drawn_at: leptos::prelude::StoredValue<f64>,
    /// The width of the last drawing (CSS pixels).
    width: leptos::prelude::StoredValue<f64>,
}

impl Default for Coalesced {
    fn default() -> Self {
        Coalesced {
            phase: leptos::prelude::StoredValue::new(0),
            drawn_at: leptos::prelude::StoredValue::new(f64::NEG_INFINITY),
            width: leptos::prelude::StoredValue::new(f64::NAN),
        }
    }
}

impl Coalesced {
    /// Draws (now or soon, see [`Coalesced`]) a chart `width` CSS pixels wide.
    pub fn run(self, width: f64, draw: impl Fn() + 'static) {
        use leptos::prelude::*;
        use std::time::Duration;
        let drawn = self.drawn_at.get_value() > f64::NEG_INFINITY;
        if self.width.get_value() != width {
            self.width.set_value(width);
            // Now, and any redraw already scheduled is not needed any more
            // (a first drawing still pending reads the width when it runs).
            if drawn {
                self.phase.set_value(0);
            }
        }
        match self.phase.get_value() {
            0 if drawn => {
                self.phase.set_value(1);
                self.drawn_at.set_value(crate::raf::now_ms());
                draw();
            }
            0 | 1 => {
                self.phase.set_value(2);
                let job = move || {
                    // A disposed owner (panel hidden meanwhile): nothing to draw.
                    if self.phase.try_get_value() == Some(2) {
                        self.phase.set_value(1);
                        self.drawn_at.set_value(crate::raf::now_ms());
                        draw();
                    }
                };
                // Idle time comes between the frames of a drag; the deadline
                // is for a page at rest, and long, so that a redraw (several
                // ms) is not forced between a drag's input and its paint.
                let deadline = if drawn { 1000 } else { 250 };
                let when_idle = move || crate::raf::when_idle(job, deadline);
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
