//! One component per panel. Components are thin: they read the shared
//! [`AppState`](crate::state::AppState) and call its methods.

pub mod controls;
pub mod export;
pub mod focus_charts;
pub mod formulas;
pub mod inspector;
pub mod instruments;
pub mod landscape;
pub mod leaderboard;
pub mod mini;
pub mod notice;
pub mod racer_panel;
pub mod scene;
pub mod share;
pub mod size;
pub mod swatch;
pub mod thumbnail;
pub mod transport;

/// An event handler, boxed. Leptos compiles an element's event-listener code
/// (attach, erase, clone) once per handler type, and every closure is a type
/// of its own; boxed, all handlers of one event kind (click, input, …) share it.
pub fn handler<E: 'static>(f: impl FnMut(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(f)
}
