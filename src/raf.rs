//! The animation loop, in the shape of leptos-use's `use_raf_fn`: one loop at a
//! time, running only while `playing` is true. Browsers do not run animation
//! frames in hidden tabs, so the loop also rests while the page is hidden.

use crate::state::AppState;
use leptos::prelude::*;
use std::cell::Cell;

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Starts the loop whenever `playing` turns true.
pub fn drive(state: AppState) {
    Effect::new(move |_| {
        if state.playing.get() && !RUNNING.get() {
            RUNNING.set(true);
            frame(state);
        }
    });
}

fn frame(state: AppState) {
    request_animation_frame(move || {
        if !state.playing.get_untracked() {
            RUNNING.set(false);
            return;
        }
        let speed = state.scenario.with_untracked(|s| s.speed) as u64;
        if state.advance(speed) {
            frame(state);
        } else {
            RUNNING.set(false);
        }
    });
}
