//! The animation loop, in the shape of leptos-use's `use_raf_fn`: one loop at a
//! time, running only while `playing` is true. Browsers do not run animation
//! frames in hidden tabs, so the loop also rests while the page is hidden.
//!
//! Each frame moves `step`: the canvas (paths, heads) and the step counter
//! follow it every frame. The text on the page follows more slowly:
//! - the `data-*` hooks (attributes: no layout) follow `hook_step`, which
//!   equals `step` except while the race plays, when it follows at most every
//!   [`TEXT_INTERVAL_MS`];
//! - the visible numbers are in four lanes ([`crate::state::Lane`]). After a
//!   rest of [`TEXT_INTERVAL_MS`] (a click, a key, a drag on the canvas) or
//!   on a pause every lane follows at once; while the race plays or an input
//!   keeps changing it (from a slider's first input on: see [`sliding`]),
//!   each lane shows a new step or race at most every
//!   [`TEXT_INTERVAL_MS`], and at most one lane is refreshed per frame, so no
//!   frame re-lays out every number on the page (which cost more than
//!   drawing the race). When the motion stops every lane catches up within
//!   [`TEXT_INTERVAL_MS`] and a few frames.

use crate::state::{AppState, LANES};
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::JsCast;

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static PUMPING: Cell<bool> = const { Cell::new(false) };
    static SLID_AT: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

/// Whether a slider (any range input, by pointer or by its arrow keys)
/// moved less than `ms` before `now` ([`now_ms`]). A slider's first input
/// already starts a drag: the page
/// answers it as it answers the rest of the drag (text lanes one per frame,
/// paths as drafts), so the frame in which the thumb first moves costs no
/// more than the next ones.
pub fn sliding(now: f64, ms: f64) -> bool {
    until_rested(now, ms) > 0.0
}

/// How long (ms) after `now` [`sliding`]`(_, ms)` turns false (0 if it is).
pub fn until_rested(now: f64, ms: f64) -> f64 {
    (SLID_AT.get() + ms - now).max(0.0)
}

/// A slider drag ends when no slider has moved for this long (ms): then
/// [`AppState::sliding`] turns false (and the leaderboard sorts again).
pub const DRAG_REST_MS: f64 = 150.0;

/// Notes when a slider moves, for [`sliding`] and [`AppState::sliding`]: one
/// listener on the window (inputs bubble), before any effect of the input
/// runs. One timer at a time ends the drag: when it fires early (the slider
/// moved since it was set), it waits out the rest.
fn follow_sliders(state: AppState) {
    fn end_when_rested(state: AppState) {
        let wait = until_rested(now_ms(), DRAG_REST_MS);
        if wait > 0.0 {
            set_timeout(
                move || end_when_rested(state),
                std::time::Duration::from_micros((wait * 1000.0) as u64 + 1000),
            );
        } else {
            state.sliding.try_set(false);
        }
    }
    let handle = window_event_listener(leptos::ev::input, move |e| {
        let range = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.type_() == "range");
        if range {
            SLID_AT.set(now_ms());
            if !state.sliding.get_untracked() {
                state.sliding.set(true);
                end_when_rested(state);
            }
        }
    });
    on_cleanup(move || handle.remove());
}

/// While the race moves, each text lane shows a new step at most this often (ms).
pub const TEXT_INTERVAL_MS: f64 = 100.0;

/// Starts the loop whenever `playing` turns true, and keeps the text lanes in step.
pub fn drive(state: AppState) {
    crate::reactive::effect(move || {
        if state.playing.get() && !RUNNING.get() {
            RUNNING.set(true);
            frame(state);
        }
    });
    follow_sliders(state);
    follow_text(state);
}

/// Runs `job` in the browser's next idle period, or after `within_ms` if
/// none comes sooner: after the frame being made, and after any task already
/// queued (such as the message the benchmark posts at the end of a frame),
/// so work that can wait (a chart redraw, the address bar) does not lengthen
/// a frame. The deadline matters: headless Chromium starts no idle period
/// while it makes no frames, so a page at rest would wait forever. Browsers
/// without `requestIdleCallback` (Safari) run it after a short timeout.
pub fn when_idle(job: impl FnOnce() + 'static, within_ms: u32) {
    let job = wasm_bindgen::closure::Closure::once_into_js(job);
    let Some(window) = web_sys::window() else {
        return;
    };
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(within_ms);
    if window
        .request_idle_callback_with_options(job.unchecked_ref(), &options)
        .is_err()
    {
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(job.unchecked_ref(), 16);
    }
}

/// Milliseconds since the page loaded (`performance.now()`).
pub(crate) fn now_ms() -> f64 {
    thread_local! {
        // Looked up once: this runs several times per frame.
        static PERFORMANCE: Option<web_sys::Performance> =
            web_sys::window().and_then(|w| w.performance());
    }
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

/// The text lanes follow (`step`, `race_version`): all at once after a rest
/// of [`TEXT_INTERVAL_MS`] (a click, a key, a drag on the canvas) and on a
/// pause; otherwise, and from a slider's first input on, through [`pump`].
fn follow_text(state: AppState) {
    follow_hooks(state);
    let last_change = StoredValue::new(f64::NEG_INFINITY);
    let was_playing = StoredValue::new(state.playing.get_untracked());
    let stamps = StoredValue::new([f64::NEG_INFINITY; LANES]);
    crate::reactive::effect(move || {
        let _ = (state.step.get(), state.race_version.get());
        let playing = state.playing.get();
        let now = now_ms();
        let paused = was_playing.get_value() && !playing;
        was_playing.set_value(playing);
        let at_rest = !playing
            && now - last_change.get_value() >= TEXT_INTERVAL_MS
            && !sliding(now, TEXT_INTERVAL_MS);
        last_change.set_value(now);
        if paused || at_rest {
            for lane in 0..LANES {
                if state.lane_stale(lane) {
                    state.bring_lane(lane);
                    stamps.update_value(|s| s[lane] = now);
                }
            }
        } else if (0..LANES).any(|l| state.lane_stale(l)) {
            pump(state, stamps);
        }
    });
}

/// `hook_step` = `step` when not playing; at most every [`TEXT_INTERVAL_MS`] while playing.
fn follow_hooks(state: AppState) {
    let last = StoredValue::new(f64::NEG_INFINITY);
    crate::reactive::effect(move || {
        let (step, playing) = (state.step.get(), state.playing.get());
        if state.hook_step.get_untracked() == step {
            return;
        }
        let now = now_ms();
        if !playing || now - last.get_value() >= TEXT_INTERVAL_MS {
            last.set_value(now);
            state.hook_step.set(step);
        }
    });
}

/// Once per animation frame while a lane is behind: brings the lane that has
/// waited longest, if its last refresh is [`TEXT_INTERVAL_MS`] old.
fn pump(state: AppState, stamps: StoredValue<[f64; LANES]>) {
    if PUMPING.get() {
        return;
    }
    PUMPING.set(true);
    request_animation_frame(move || {
        PUMPING.set(false);
        let now = now_ms();
        let Some(st) = stamps.try_get_value() else {
            return;
        };
        // The stale lane that has waited longest, if it has waited enough.
        if let Some(lane) = (0..LANES)
            .filter(|&l| state.lane_stale(l) && now - st[l] >= TEXT_INTERVAL_MS)
            .min_by(|&a, &b| st[a].total_cmp(&st[b]))
        {
            state.bring_lane(lane);
            stamps.update_value(|s| s[lane] = now);
        }
        if (0..LANES).any(|l| state.lane_stale(l)) {
            pump(state, stamps);
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
