use super::handler;
use crate::state::app_state;
use crate::url::link;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Escapes text for an HTML attribute value.
pub fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The iframe snippet that embeds `url` (which must already carry `embed=1`).
pub fn embed_snippet(url: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"760\" height=\"620\" style=\"border:0;max-width:100%\" loading=\"lazy\" sandbox=\"allow-scripts allow-same-origin\"></iframe>",
        escape_attr(url),
        escape_attr(title)
    )
}

/// Copies `text` to the clipboard (async API, with a selection fallback).
pub fn copy(text: &str) -> bool {
    let Some(win) = web_sys::window() else {
        return false;
    };
    // The async Clipboard API where the page is allowed to use it…
    let clip = win.navigator().clipboard();
    let _ = clip.write_text(text);
    // …and a selection-based copy as a fallback (older or stricter contexts).
    let Some(doc) = win.document() else {
        return false;
    };
    let Ok(el) = doc.create_element("textarea") else {
        return false;
    };
    let Ok(ta) = el.dyn_into::<web_sys::HtmlTextAreaElement>() else {
        return false;
    };
    ta.set_value(text);
    let _ = ta.set_attribute("readonly", "");
    let css = web_sys::HtmlElement::style(&ta);
    let _ = css.set_property("position", "fixed");
    let _ = css.set_property("opacity", "0");
    if let Some(body) = doc.body() {
        let _ = body.append_child(&ta);
        ta.select();
        let ok = doc
            .dyn_ref::<web_sys::HtmlDocument>()
            .map(|d| d.exec_command("copy").unwrap_or(false))
            .unwrap_or(false);
        ta.remove();
        return ok;
    }
    false
}

/// "Copy link" and "Copy embed code".
#[component]
pub fn Share() -> impl IntoView {
    let state = app_state();
    let said = RwSignal::new(String::new());
    // The attribute follows the hooks' step (every step, except at most ten
    // times a second while playing: a new href restyles the link); a click
    // copies the link of the exact step on screen.
    let href = move || {
        state.scenario.track();
        state.hook_step.track();
        link(&state.query())
    };
    let embed = move || {
        state.scenario.track();
        let q = state.query();
        let q = if q.is_empty() {
            "embed=1".to_string()
        } else {
            format!("{q}&embed=1")
        };
        let title = state.scenario.with(|s| {
            format!(
                "Downhill: optimizers racing on the {} landscape",
                s.landscape.title().to_ascii_lowercase()
            )
        });
        embed_snippet(&link(&q), &title)
    };
    view! {
        <div class="share" role="group" aria-label="Share">
            <a data-testid="share-link" class="button" href=href
                on:click=handler(move |ev: web_sys::MouseEvent| {
                    ev.prevent_default();
                    copy(&link(&state.query()));
                    said.set("Link copied.".into());
                })>"Copy link"</a>
            <button type="button" data-testid="embed-code" data-snippet=embed
                on:click=handler(move |_| {
                    copy(&embed());
                    said.set("Embed code copied.".into());
                })>"Copy embed code"</button>
            <span class="said" role="status">{move || said.get()}</span>
        </div>
    }
}
