//! The animation loop, in the shape of leptos-use's `use_raf_fn`: one loop at a
//! time, running only while `playing` is true. Browsers do not run animation
//! frames in hidden tabs, so the loop also rests while the page is hidden.
//!
//! Each frame moves `step`: the canvas (paths, heads), the step counter and
//! the chart cursors follow it every frame. The text panels (leaderboard,
//! effective-LR bars, inspector) follow `text_step`, which trails `step` by
//! at most [`TEXT_INTERVAL_MS`] while playing and equals it at once whenever
//! the race pauses, ends, steps or is scrubbed: numbers that change sixty
//! times a second cannot be read anyway, and re-laying out text every frame
//! cost more than drawing the race.

use crate::state::AppState;
use leptos::prelude::*;
use std::cell::Cell;

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// While playing, the text panels show a new step at most this often (ms).
pub const TEXT_INTERVAL_MS: f64 = 100.0;

/// Starts the loop whenever `playing` turns true, and keeps `text_step` in step.
pub fn drive(state: AppState) {
    Effect::new(move |_| {
        if state.playing.get() && !RUNNING.get() {
            RUNNING.set(true);
            frame(state);
        }
    });
    follow_text(state);
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// `text_step` = `step` when not playing; at most every [`TEXT_INTERVAL_MS`] while playing.
fn follow_text(state: AppState) {
    let last = StoredValue::new(f64::NEG_INFINITY);
    Effect::new(move |_| {
        let (step, playing) = (state.step.get(), state.playing.get());
        if state.text_step.get_untracked() == step {
            return;
        }
        let now = now_ms();
        if !playing || now - last.get_value() >= TEXT_INTERVAL_MS {
            last.set_value(now);
            state.text_step.set(step);
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
