//! Export: the landscape with its paths and each chart as PNG, the
//! trajectories as CSV or JSON (the CLI's shape, written by the core), and
//! "Copy as PyTorch": a runnable script that races the same optimizers in torch.

use super::handler;
use crate::state::app_state;
use downhill_core::{export, pytorch};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A new, detached element of type `T`.
fn create<T: JsCast>(tag: &str) -> Option<T> {
    let doc = web_sys::window()?.document()?;
    doc.create_element(tag).ok()?.dyn_into::<T>().ok()
}

/// Offers `href` as a download named `name` (a click on a detached link).
fn download_href(href: &str, name: &str) {
    let Some(a) = create::<web_sys::HtmlAnchorElement>("a") else {
        return;
    };
    a.set_href(href);
    a.set_download(name);
    a.click();
}

/// Offers `text` as a file download.
fn download_text(text: &str, name: &str, mime: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    download_href(&url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The canvases inside the element with `data-testid=testid`, bottom first.
fn canvases(testid: &str) -> Vec<web_sys::HtmlCanvasElement> {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let selector = format!("[data-testid=\"{testid}\"]");
    let Some(el) = doc.query_selector(&selector).ok().flatten() else {
        return Vec::new();
    };
    // The landscape's hook is its top canvas: take the whole stack around it.
    let root = if el.tag_name().eq_ignore_ascii_case("canvas") {
        el.parent_element().unwrap_or(el)
    } else {
        el
    };
    let Ok(list) = root.query_selector_all("canvas") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .collect()
}

/// Flattens the canvas layers under `testid` onto one opaque canvas (the
/// page's background behind them) and offers it as a PNG.
fn save_png(testid: &str, name: &str, dark: bool) {
    let layers = canvases(testid);
    let Some(first) = layers.first() else { return };
    let (w, h) = (first.width(), first.height());
    let Some(out) = create::<web_sys::HtmlCanvasElement>("canvas") else {
        return;
    };
    out.set_width(w);
    out.set_height(h);
    let Some(ctx) = crate::render::context(&out) else {
        return;
    };
    ctx.set_fill_style_str(if dark { "#1b1d20" } else { "#ffffff" });
    ctx.fill_rect(0.0, 0.0, w as f64, h as f64);
    for layer in &layers {
        if layer.width() == w && layer.height() == h {
            let _ = ctx.draw_image_with_html_canvas_element(layer, 0.0, 0.0);
        }
    }
    if let Ok(url) = out.to_data_url() {
        download_href(&url, name);
    }
}

/// The export panel.
#[component]
pub fn Export() -> impl IntoView {
    let state = app_state();
    let stem = move || {
        let (l, t) = (
            state.scenario.with_untracked(|s| s.landscape.slug()),
            state.step.get_untracked(),
        );
        format!("downhill-{l}-step{t}")
    };
    let png = move |testid: &'static str, what: &'static str| {
        move |_| {
            save_png(
                testid,
                &format!("{}-{what}.png", stem()),
                state.dark.get_untracked(),
            )
        }
    };
    // The script runs to the step shown; it is written only when asked for
    // (a click, or the code opened while paused), never per frame.
    let snippet = move || {
        let steps = state.step.get_untracked().max(1);
        state
            .scenario
            .with_untracked(|s| pytorch::snippet(s, steps))
    };
    let open = RwSignal::new(false);
    let shown_code = move || {
        if !open.get() {
            return String::new();
        }
        state.scenario.track();
        state.step.track();
        if state.playing.get() {
            return "# Pause the race to see the script for the step shown.".into();
        }
        snippet()
    };
    let said = RwSignal::new("");
    view! {
        <section class="panel export" aria-labelledby="export-title">
            <div class="panel-head"><h2 id="export-title">"Export"</h2></div>
            <div class="export-buttons">
                <button type="button" data-testid="export-png" on:click=handler(png("landscape-canvas", "landscape"))>"Landscape PNG"</button>
                <button type="button" data-testid="export-loss-png" on:click=handler(png("loss-chart", "loss"))>"Loss chart PNG"</button>
                <button type="button" data-testid="export-eff-png" on:click=handler(png("eff-lr-history", "effective-lr"))>"Effective-LR chart PNG"</button>
                <button type="button" data-testid="export-moments-png" on:click=handler(png("moment-chart", "inside"))>"Inspector chart PNG"</button>
                <button type="button" data-testid="export-schedule-png" on:click=handler(png("schedule-chart", "schedule"))>"Schedule PNG"</button>
                <button type="button" data-testid="export-csv"
                    on:click=handler(move |_| {
                        let t = state.step.get_untracked();
                        let csv = state.with_race_untracked(|r| export::race_csv(r, t));
                        download_text(&csv, &format!("{}.csv", stem()), "text/csv");
                    })>"Paths CSV"</button>
                <button type="button" data-testid="export-json"
                    on:click=handler(move |_| {
                        let t = state.step.get_untracked();
                        let json = state.with_race_untracked(|r| export::race_json(r, t));
                        download_text(&json, &format!("{}.json", stem()), "application/json");
                    })>"Paths JSON"</button>
                <button type="button" data-testid="copy-pytorch"
                    on:click=handler(move |_| {
                        super::share::copy(&snippet());
                        said.set("PyTorch script copied.");
                    })>"Copy as PyTorch"</button>
                <span class="said" role="status">{move || said.get()}</span>
            </div>
            <p class="small">"CSV and JSON hold every racer's path up to the step shown, in the same shape as the "<code>"downhill trace"</code>" command. The PyTorch script races the same optimizers with the same settings in torch (float64) for as many steps and prints the paths, so you can check these numbers yourself."</p>
            <details on:toggle=handler(move |ev| {
                let el = event_target::<web_sys::HtmlDetailsElement>(&ev);
                open.set(el.open());
            })>
                <summary class="small" data-testid="show-pytorch">"Show the PyTorch script"</summary>
                <pre class="code" data-testid="pytorch-snippet">{shown_code}</pre>
            </details>
        </section>
    }
}
