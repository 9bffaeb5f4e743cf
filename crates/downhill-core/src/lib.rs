//! The pure core of Downhill: 2-D loss landscapes, the gradient-descent optimizer
//! family with PyTorch's exact update rules, learning-rate schedules, gradient
//! clipping and noise, and the lockstep race that steps them all together.
//!
//! Nothing here knows about the DOM, the URL or a canvas: the web app and the CLI
//! both draw from these types. Numerics never panic on bad floats: a racer whose
//! values stop being finite is *diverged*, a state, not an error.

pub mod clip;
pub mod decimal;
pub mod export;
pub mod landscape;
pub mod noise;
pub mod optim;
pub mod preset;
pub mod pytorch;
pub mod race;
pub mod scenario;
pub mod scene;
pub mod schedule;
pub mod short_sort;
pub mod trace;
pub mod vec2;

pub use landscape::Landscape;
pub use optim::{Hyper, HyperError, OptimizerKind, Param};
pub use race::{Race, RaceConfig, RacerStatus};
pub use schedule::{Schedule, ScheduleKind};
pub use vec2::Vec2;
