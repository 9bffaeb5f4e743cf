//! The Downhill page: a Leptos (client-side rendered) app over `downhill-core`.
//! This crate only draws and wires; every number comes from the core.
//!
//! - [`state`]: the one `AppState` (scenario, displayed step, race) shared by context;
//! - [`url`]: the address bar <-> scenario adapter (the codec itself is in the core);
//! - [`raf`]: the animation loop (one at a time);
//! - [`render`]: viewport, colour map, heatmap + contours, paths, markers;
//! - [`components`]: one per panel.

pub mod app;
pub mod components;
pub mod format;
pub mod keyed;
pub mod raf;
pub mod reactive;
pub mod render;
pub mod state;
pub mod url;

/// Mounts the app on `<body>`.
pub fn start() {
    // Panics are bugs (the app never unwraps user input); in debug builds show
    // them in the console. Release builds leave the hook out to save size.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// For `cargo xtask bench`: re-runs the 14 × `steps` race of `landscape`
/// `reps` times and returns each run's milliseconds (what a slider movement
/// costs). Exported to JS as `window.wasmBindings.bench_rerun`.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench_rerun(landscape: &str, steps: u32, reps: u32) -> Vec<f64> {
    use downhill_core::race::Race;
    use downhill_core::scenario::Scenario;
    let Some(l) = downhill_core::Landscape::from_slug(landscape) else {
        return Vec::new();
    };
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return Vec::new();
    };
    let mut race = Race::new(Scenario::preset(l).race_config());
    (0..reps.min(10_000))
        .map(|_| {
            let t0 = perf.now();
            // From scratch, as a change of a global setting does (the same
            // configuration would be a no-op for `reconfigure`).
            race.restart();
            race.run_to(steps as u64);
            perf.now() - t0
        })
        .collect()
}

/// For `cargo xtask bench`: the bytes of linear memory the wasm module holds
/// (it only grows; a flat figure while playing means no leak).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench_memory() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) as f64 * 65536.0
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}
