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
pub mod raf;
pub mod render;
pub mod state;
pub mod url;

/// Mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
