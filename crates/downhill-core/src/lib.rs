//! The pure core of Downhill: 2-D loss landscapes, the gradient-descent optimizer
//! family with PyTorch's exact update rules, learning-rate schedules, gradient
//! clipping and noise, and the lockstep race that steps them all together.
//!
//! Nothing here knows about the DOM, the URL or a canvas: the web app and the CLI
//! both draw from these types. Numerics never panic on bad floats: a racer whose
//! values stop being finite is *diverged*, a state, not an error.

//!
//! The numerics a race executes (landscapes, optimizers, schedules, clipping,
//! noise, traces, the race) live in `downhill-kernel`, built for speed where
//! the page is built for size; they are re-exported here under the same
//! paths, so `downhill_core::race::Race` is the kernel's `Race`. This crate
//! adds what describes and exports a race: scenarios and their links, scenes,
//! presets, the CSV/JSON exports and the PyTorch script.

pub use downhill_kernel::{clip, decimal, landscape, noise, optim, race, schedule, trace, vec2};

pub mod export;
pub mod preset;
pub mod pytorch;
pub mod scenario;
pub mod scene;
pub mod short_sort;

pub use downhill_kernel::{
    Hyper, HyperError, Landscape, OptimizerKind, Param, Race, RaceConfig, RacerStatus, Schedule,
    ScheduleKind, Vec2,
};
