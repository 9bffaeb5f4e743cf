use super::handler;
use crate::state::app_state;
use downhill_core::scenario::{MAX_STEPS_LIMIT, SPEED_RANGE};
use leptos::prelude::*;

/// Play / pause, one step, reset, speed, the step counter and the race length.
#[component]
pub fn Transport() -> impl IntoView {
    let state = app_state();
    let speed = move || state.settings.with(|s| s.speed);
    view! {
        <div class="transport" role="group" aria-label="Race controls">
            <button type="button" class="primary" data-testid="play"
                aria-pressed=move || state.playing.get().to_string()
                on:click=handler(move |_| state.toggle_play())>
                {move || if state.playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button type="button" data-testid="step" title="One step (→)" on:click=handler(move |_| state.step_once())>"Step"</button>
            <button type="button" data-testid="reset" title="Back to step 0 (R)" on:click=handler(move |_| state.reset())>"Reset"</button>
            <label class="speed">
                "Speed "
                <input type="range" data-testid="speed"
                    min=SPEED_RANGE.0 max=SPEED_RANGE.1 step="1"
                    prop:value=move || speed().to_string()
                    on:input=handler(move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                            state.update(|s| s.speed = v.clamp(SPEED_RANGE.0, SPEED_RANGE.1));
                        }
                    }) />
                <output>{move || format!("{}/frame", speed())}</output>
            </label>
            // The counter and the race length stay on one line when the row wraps.
            <span class="position">
                <span class="counter" data-testid="step-counter" aria-live="off">
                    "step " <b>{move || state.step.get()}</b> " / "
                </span>
                <label class="max-steps">
                    <span class="visually-hidden">"Race length in steps"</span>
                    <input type="number" min="10" max=MAX_STEPS_LIMIT step="100" data-testid="max-steps"
                        prop:value=move || state.max_steps().to_string()
                        on:change=handler(move |ev| {
                            if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                                state.update(|s| s.max_steps = v.clamp(10, MAX_STEPS_LIMIT));
                            }
                        }) />
                </label>
            </span>
        </div>
    }
}
