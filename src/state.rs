//! The one application state, shared through context as a `Copy` newtype.
//!
//! The scenario (every user setting) and the displayed step are signals; the
//! race is a stored value recomputed *synchronously* whenever a change touches
//! its configuration, then announced by bumping `race_version`. Every change
//! goes through [`AppState::update`], so the race can never lag the settings.

use downhill_core::race::Race;
use downhill_core::scenario::{Lens, Scenario};
use downhill_core::OptimizerKind;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct AppState {
    pub scenario: RwSignal<Scenario>,
    /// The step shown: heads, rows and the cursor are at this step.
    pub step: RwSignal<u64>,
    /// The step the text panels (rows, numbers, `data-*` hooks) show: equal to
    /// `step` whenever the race is not playing; while it plays, it follows at a
    /// capped rate (see `raf::TEXT_INTERVAL_MS`) so that frames stay cheap.
    pub text_step: RwSignal<u64>,
    pub playing: RwSignal<bool>,
    race: StoredValue<Race>,
    /// The focused racer (and Nesterov, for its look-ahead ghost) re-run with
    /// their internal state recorded, for the inspectors. A racer does not
    /// depend on the others, so these are the same paths as in `race`.
    detail: StoredValue<Race>,
    /// The focused racer once more, without bias correction (m̂ = m, v̂ = v),
    /// with internals: the inspector's and the landscape's ghost. Empty when
    /// the focused racer has no bias correction.
    ghost: StoredValue<Race>,
    /// Bumped whenever the race is recomputed or extended.
    pub race_version: RwSignal<u64>,
    /// What the URL asked for that could not be honoured.
    pub notes: RwSignal<Vec<String>>,
    pub dark: RwSignal<bool>,
}

/// The page's state, provided by `App` to every component below it.
/// (`leptos::expect_context` would format its panic message with `{:?}`,
/// which alone brings Unicode escape tables into the wasm.)
pub fn app_state() -> AppState {
    use_context::<AppState>().expect("AppState is provided by App")
}

impl AppState {
    pub fn new(mut scenario: Scenario, notes: Vec<String>) -> AppState {
        // A link asking for step t shows step t, even past the usual length.
        scenario.max_steps = scenario.max_steps.max(scenario.t);
        let step = scenario.t;
        let mut race = Race::new(scenario.race_config());
        race.run_to(scenario.max_steps);
        let mut detail = Race::new(detail_config(&scenario));
        detail.run_to(scenario.max_steps);
        let mut ghost = Race::new(ghost_config(&scenario));
        ghost.run_to(scenario.max_steps);
        AppState {
            step: RwSignal::new(step),
            text_step: RwSignal::new(step),
            playing: RwSignal::new(scenario.autoplay && step < scenario.max_steps),
            scenario: RwSignal::new(scenario),
            race: StoredValue::new(race),
            detail: StoredValue::new(detail),
            ghost: StoredValue::new(ghost),
            race_version: RwSignal::new(0),
            notes: RwSignal::new(notes),
            dark: RwSignal::new(false),
        }
    }

    /// Reads the race (tracks `race_version`, so effects re-run when it changes).
    pub fn with_race<R>(&self, f: impl FnOnce(&Race) -> R) -> R {
        self.race_version.track();
        self.race.with_value(f)
    }

    pub fn with_race_untracked<R>(&self, f: impl FnOnce(&Race) -> R) -> R {
        self.race.with_value(f)
    }

    /// Reads the detail race (focus and Nesterov with internals; tracked).
    pub fn with_detail<R>(&self, f: impl FnOnce(&Race) -> R) -> R {
        self.race_version.track();
        self.detail.with_value(f)
    }

    /// Reads the ghost race (the focused racer without bias correction; tracked).
    pub fn with_ghost<R>(&self, f: impl FnOnce(&Race) -> R) -> R {
        self.race_version.track();
        self.ghost.with_value(f)
    }

    /// The landscape's optional layers (part of the scenario: they are in links).
    pub fn lens(&self) -> Lens {
        self.scenario.with(|s| s.lens)
    }

    /// Changes the landscape's optional layers.
    pub fn set_lens(&self, f: impl FnOnce(&mut Lens)) {
        self.update(|s| f(&mut s.lens));
    }

    /// The racer the inspectors show.
    pub fn focus(&self) -> OptimizerKind {
        self.scenario.with(focus_of)
    }

    /// Changes settings; recomputes the race when its configuration changed.
    pub fn update(&self, f: impl FnOnce(&mut Scenario)) {
        let mut f = Some(f);
        self.update_dyn(&mut |s| {
            if let Some(f) = f.take() {
                f(s)
            }
        });
    }

    /// [`AppState::update`]'s body, compiled once: as a generic it was copied
    /// into each of its ~30 callers (kilobytes of wasm each).
    #[inline(never)]
    fn update_dyn(&self, f: &mut dyn FnMut(&mut Scenario)) {
        let (old_config, old_max, old_focus) = self
            .scenario
            .with_untracked(|s| (s.race_config(), s.max_steps, focus_of(s)));
        self.scenario.update(|s| f(s));
        let (config, max, focus) = self
            .scenario
            .with_untracked(|s| (s.race_config(), s.max_steps, focus_of(s)));
        let race_changed = config != old_config;
        if race_changed {
            self.race.update_value(|r| {
                r.reconfigure(config);
                r.run_to(max);
            });
        } else if max > old_max {
            self.race.update_value(|r| r.run_to(max));
        }
        if race_changed || max > old_max || focus != old_focus {
            let detail = self.scenario.with_untracked(detail_config);
            self.detail.update_value(|d| {
                d.reconfigure(detail);
                d.run_to(max);
            });
            let ghost = self.scenario.with_untracked(ghost_config);
            self.ghost.update_value(|g| {
                g.reconfigure(ghost);
                g.run_to(max);
            });
            self.race_version.update(|v| *v += 1);
        }
        if self.step.get_untracked() > max {
            self.step.set(max);
        }
    }

    pub fn max_steps(&self) -> u64 {
        self.scenario.with(|s| s.max_steps)
    }

    /// Shows step `t` (clamped to the race's length).
    pub fn set_step(&self, t: u64) {
        let t = t.min(self.scenario.with_untracked(|s| s.max_steps));
        self.step.set(t);
    }

    /// Advances the shown step by `n`; returns false (and stops) at the end.
    pub fn advance(&self, n: u64) -> bool {
        let max = self.scenario.with_untracked(|s| s.max_steps);
        let t = (self.step.get_untracked() + n).min(max);
        self.step.set(t);
        if t >= max {
            self.playing.set(false);
            return false;
        }
        true
    }

    pub fn toggle_play(&self) {
        let playing = self.playing.get_untracked();
        if !playing && self.step.get_untracked() >= self.scenario.with_untracked(|s| s.max_steps) {
            self.step.set(0);
        }
        self.playing.set(!playing);
    }

    pub fn step_once(&self) {
        self.playing.set(false);
        self.advance(1);
    }

    pub fn reset(&self) {
        self.playing.set(false);
        self.step.set(0);
    }

    /// The query string that reproduces what is on screen.
    pub fn query(&self) -> String {
        let t = self.step.get_untracked();
        self.scenario.with_untracked(|s| {
            let mut s = s.clone();
            s.t = t;
            s.autoplay = false;
            s.to_query()
        })
    }
}

/// The focused racer: the link's `focus` if it races, else the first racing
/// member of the Adam family, else the first racer.
pub fn focus_of(s: &Scenario) -> OptimizerKind {
    s.focus
        .filter(|k| s.is_enabled(*k))
        .or_else(|| s.enabled.iter().copied().find(|k| k.has_moments()))
        .or_else(|| s.enabled.first().copied())
        .unwrap_or(OptimizerKind::Adam)
}

/// The detail race: the focused racer and Nesterov, with internals.
fn detail_config(s: &Scenario) -> downhill_core::RaceConfig {
    let mut c = s.race_config();
    let focus = focus_of(s);
    c.racers
        .retain(|h| h.kind() == focus || h.kind() == OptimizerKind::Nesterov);
    c.record_internals = true;
    c
}

/// The ghost race: the focused racer alone, bias correction off, internals on
/// (no racer at all when the focused optimizer has no bias correction).
fn ghost_config(s: &Scenario) -> downhill_core::RaceConfig {
    s.ghost_config(focus_of(s))
}
