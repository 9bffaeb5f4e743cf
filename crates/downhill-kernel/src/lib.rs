//! What a race executes: the 2-D loss landscapes, the optimizer family with
//! PyTorch's exact update rules, learning-rate schedules, gradient clipping
//! and noise, the traces, and the lockstep race that steps them all together.
//!
//! This is the part of `downhill-core` that a slider move re-runs (14 racers
//! × 2,000 steps per input), split into its own crate for one reason: a crate
//! is the unit Cargo sets an optimisation level for. The page is built for
//! size (`opt-level = "z"`), which made a re-run about 20 % slower than
//! `opt-level = "s"`; the workspace builds this crate at `"s"` and the rest
//! at `"z"` (see the root `Cargo.toml`). Use it through `downhill-core`,
//! which re-exports every module here under the same path.
//!
//! Numerics never panic on bad floats: a racer whose values stop being finite
//! is *diverged*, a state, not an error.

pub mod clip;
pub mod decimal;
pub mod landscape;
pub mod noise;
pub mod optim;
pub mod race;
pub mod schedule;
pub mod trace;
pub mod vec2;

pub use landscape::Landscape;
pub use optim::{Hyper, HyperError, OptimizerKind, Param};
pub use race::{Race, RaceConfig, RacerStatus};
pub use schedule::{Schedule, ScheduleKind};
pub use vec2::Vec2;
