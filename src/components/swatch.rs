//! A racer's legend mark: its marker shape in its colour, over its dash.
//!
//! Drawn once per racer and theme on a small canvas and shown as a bitmap
//! `<img>`. An inline `<svg>` would look the same, but an SVG root brings its
//! own paint properties (a transform, a clip): the page's paint is then cut
//! into a chunk per swatch, and when the leaderboard re-sorts, those chunks
//! move and Chromium re-layerizes the whole page (2–4 ms in that frame). An
//! image is one display item of the row it sits in.

use crate::render::style::{marker_is_open, marker_svg_path, style};
use crate::state::app_state;
use downhill_core::OptimizerKind;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::JsCast;

/// The swatch's size in CSS pixels; the bitmap has `SCALE`× as many, so it
/// stays sharp on high-density screens.
const W: f64 = 30.0;
const H: f64 = 12.0;
const SCALE: f64 = 3.0;

#[component]
pub fn Swatch(kind: OptimizerKind) -> impl IntoView {
    let state = app_state();
    view! {
        <img class="swatch" width=crate::format::plain(W) height=crate::format::plain(H) alt="" aria-hidden="true"
            src=move || bitmap(kind, state.dark.get()) />
    }
}

thread_local! {
    /// Data URLs already drawn, by racer and theme.
    static DRAWN: RefCell<Vec<(OptimizerKind, bool, String)>> = const { RefCell::new(Vec::new()) };
}

/// The swatch of `kind` as a PNG data URL ("" if the canvas is unavailable:
/// the row then shows the name without its mark).
fn bitmap(kind: OptimizerKind, dark: bool) -> String {
    if let Some(url) = DRAWN.with_borrow(|d| {
        d.iter()
            .find(|(k, t, _)| *k == kind && *t == dark)
            .map(|(_, _, u)| u.clone())
    }) {
        return url;
    }
    let url = draw(kind, dark).unwrap_or_default();
    if !url.is_empty() {
        DRAWN.with_borrow_mut(|d| d.push((kind, dark, url.clone())));
    }
    url
}

fn draw(kind: OptimizerKind, dark: bool) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let canvas = document
        .create_element("canvas")
        .ok()?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .ok()?;
    canvas.set_width((W * SCALE) as u32);
    canvas.set_height((H * SCALE) as u32);
    let ctx = crate::render::context(&canvas)?;
    ctx.scale(SCALE, SCALE).ok()?;
    let st = style(kind);
    let color = st.color(dark);
    // The dash, across the whole swatch.
    let dash = st
        .dash
        .iter()
        .map(|&d| wasm_bindgen::JsValue::from(d))
        .collect::<js_sys::Array>();
    ctx.set_line_dash(&dash).ok()?;
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(color);
    ctx.begin_path();
    ctx.move_to(0.0, H / 2.0);
    ctx.line_to(W, H / 2.0);
    ctx.stroke();
    ctx.set_line_dash(&js_sys::Array::new()).ok()?;
    // The marker, in a 12 × 12 box at x = 9.
    let marker = web_sys::Path2d::new_with_path_string(marker_svg_path(st.marker)).ok()?;
    ctx.translate(9.0, 0.0).ok()?;
    let open = marker_is_open(st.marker);
    if open {
        // A plus or a cross: strokes only, over the dash.
    } else if st.filled {
        ctx.set_fill_style_str(color);
        ctx.fill_with_path_2d(&marker);
    } else {
        // A hollow marker hides the dash behind it: its inside is erased, so
        // the panel the swatch sits on shows through.
        ctx.set_global_composite_operation("destination-out").ok()?;
        ctx.fill_with_path_2d(&marker);
        ctx.set_global_composite_operation("source-over").ok()?;
    }
    ctx.set_line_width(if open { 2.2 } else { 1.6 });
    ctx.stroke_with_path(&marker);
    canvas.to_data_url().ok()
}
