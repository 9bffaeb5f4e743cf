//! The address bar: read once at start, then kept in step with the state
//! (history.replaceState, at most every 300 ms) so that a copied address
//! reproduces what is on screen. The codec itself is `downhill_core::scenario`.

use crate::state::AppState;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// The current query string (without `?`).
pub fn read_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's address without its query. Read once: the page only ever
/// replaces its query, and the share link asks for this at every input.
pub fn base_url() -> String {
    thread_local! {
        static BASE: std::cell::OnceCell<String> = const { std::cell::OnceCell::new() };
    }
    BASE.with(|b| {
        b.get_or_init(|| {
            web_sys::window()
                .and_then(|w| {
                    let l = w.location();
                    Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
                })
                .unwrap_or_default()
        })
        .clone()
    })
}

/// A full link to this page with `query`.
pub fn link(query: &str) -> String {
    if query.is_empty() {
        base_url()
    } else {
        format!("{}?{query}", base_url())
    }
}

fn replace(query: &str) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_else(|| "/".into());
        let url = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Keeps the address bar following the state: 300 ms after a change, in an
/// idle period (within 200 ms more).
pub fn sync_address_bar(state: AppState) {
    let pending = Rc::new(Cell::new(false));
    crate::reactive::effect(move || {
        state.scenario.track();
        state.step.track();
        if pending.get() {
            return;
        }
        pending.set(true);
        let pending = pending.clone();
        // History's replaceState costs a millisecond or two: in an idle
        // period, not between a frame's input and its paint.
        set_timeout(
            move || {
                crate::raf::when_idle(
                    move || {
                        pending.set(false);
                        replace(&state.query());
                    },
                    200,
                )
            },
            Duration::from_millis(300),
        );
    });
}
