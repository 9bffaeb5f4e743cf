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

/// Which step a reader of the race follows (see `raf`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum At {
    /// The shown step, every frame: drawing.
    Frame,
    /// The `data-*` hooks' step: exact after any input.
    Hooks,
    /// A text lane's step: visible numbers.
    Text(Lane),
}

/// The text panels, in groups that refresh in different frames while the
/// race plays or a slider moves (see [`AppState::step_at`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lane {
    /// The leaderboard, the canvas's description, the chart cursors and the timeline.
    Board = 0,
    /// The effective-learning-rate bars of the first, third, fifth… racer.
    Rates = 1,
    /// The effective-learning-rate bars of the others (the bars are the
    /// most costly text to lay out, so they are refreshed in two halves).
    MoreRates = 2,
    /// The inspector, the legend of the focused racer's arrows and the
    /// update rule's values in use.
    Inside = 3,
}

impl Lane {
    /// The lane of an effective-LR bar: racers alternate between the two
    /// halves by their place in [`OptimizerKind::ALL`].
    pub fn rates(kind: OptimizerKind) -> Lane {
        let i = kind as usize;
        if i % 2 == 0 {
            Lane::Rates
        } else {
            Lane::MoreRates
        }
    }
}

/// How many [`Lane`]s there are.
pub const LANES: usize = 4;

#[derive(Clone, Copy)]
pub struct AppState {
    pub scenario: RwSignal<Scenario>,
    /// Parts of the scenario that many controls and panels read, as memos: a
    /// slider elsewhere (the multiplier, the start) re-runs these few, not
    /// the sixty controls' and the panels' own readers (and the scenario's
    /// list of subscribers, copied on every change, stays short).
    pub hypers: Memo<Vec<downhill_core::optim::Hyper>>,
    pub landscape: Memo<downhill_core::Landscape>,
    pub enabled: Memo<Vec<OptimizerKind>>,
    /// The scenario with what a drag moves blanked (the multiplier, every
    /// racer's hyperparameters, the start, the step to show): what the
    /// controls and panels that read none of those read, so that a drag
    /// re-runs none of them. (Read directly, the scenario re-ran them all on
    /// every input, and their `prop:value`s set the speed, noise, clip and
    /// seed controls and the selects again each time.)
    pub settings: Memo<Scenario>,
    focus_memo: Memo<OptimizerKind>,
    lens_memo: Memo<Lens>,
    max_memo: Memo<u64>,
    /// The step shown: heads, rows and the cursor are at this step.
    pub step: RwSignal<u64>,
    /// The step the `data-*` test hooks show: equal to `step` whenever the
    /// race is not playing (so a hook read after any input is exact); while
    /// it plays, it follows at most every `raf::TEXT_INTERVAL_MS`.
    pub hook_step: RwSignal<u64>,
    /// What each text lane (see [`Lane`]) shows: the step and the race
    /// version it was last brought to. Equal to (`step`, `race_version`)
    /// at rest; while the race plays or a slider moves, each lane follows at
    /// most every `raf::TEXT_INTERVAL_MS`, and at most one lane per frame
    /// (`raf`), so that no frame re-lays out every number on the page.
    lanes: [RwSignal<(u64, u64)>; LANES],
    pub playing: RwSignal<bool>,
    /// A slider is being dragged: it moved less than `raf::DRAG_REST_MS`
    /// ago (set by `raf`). The leaderboard keeps its order meanwhile.
    pub sliding: RwSignal<bool>,
    /// The race. The focused racer and Nesterov (for its look-ahead ghost)
    /// record their internal state, for the inspectors (see [`race_config`]).
    race: StoredValue<Race>,
    /// The focused racer once more, without bias correction (m̂ = m, v̂ = v),
    /// with internals: the inspector's and the landscape's ghost. Empty when
    /// the focused racer has no bias correction.
    ghost: StoredValue<Race>,
    /// Bumped whenever the race is recomputed or extended.
    pub race_version: RwSignal<u64>,
    /// What the URL asked for that could not be honoured.
    pub notes: RwSignal<Vec<String>>,
    pub dark: RwSignal<bool>,
    /// The page's first frame has been painted. The landscape's heatmap, the
    /// costliest first paint (about a fifth of the work before the rows
    /// show), waits for it, so that the rows and controls show first.
    pub shown: RwSignal<bool>,
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
        let mut race = Race::new(race_config(&scenario));
        race.run_to(scenario.max_steps);
        let mut ghost = Race::new(ghost_config(&scenario));
        ghost.run_to(scenario.max_steps);
        let playing = scenario.autoplay && step < scenario.max_steps;
        let scenario = RwSignal::new(scenario);
        AppState {
            hypers: crate::reactive::memo(move || scenario.with(|s| s.hypers.clone())),
            landscape: crate::reactive::memo(move || scenario.with(|s| s.landscape)),
            enabled: crate::reactive::memo(move || scenario.with(|s| s.enabled.clone())),
            settings: crate::reactive::memo(move || scenario.with(settings_of)),
            focus_memo: crate::reactive::memo(move || scenario.with(focus_of)),
            lens_memo: crate::reactive::memo(move || scenario.with(|s| s.lens)),
            max_memo: crate::reactive::memo(move || scenario.with(|s| s.max_steps)),
            step: RwSignal::new(step),
            hook_step: RwSignal::new(step),
            lanes: std::array::from_fn(|_| RwSignal::new((step, 0))),
            playing: RwSignal::new(playing),
            sliding: RwSignal::new(false),
            scenario,
            race: StoredValue::new(race),
            ghost: StoredValue::new(ghost),
            race_version: RwSignal::new(0),
            notes: RwSignal::new(notes),
            dark: RwSignal::new(false),
            shown: RwSignal::new(false),
        }
    }

    /// The step a reader following `at` shows. Tracked: `Frame` and `Hooks`
    /// readers re-run when their step or the race changes, a `Text` reader
    /// only when its lane moves (the lane holds the race version too).
    pub fn step_at(&self, at: At) -> u64 {
        match at {
            At::Frame => {
                self.race_version.track();
                self.step.get()
            }
            At::Hooks => {
                self.race_version.track();
                self.hook_step.get()
            }
            At::Text(lane) => self.lanes[lane as usize].get().0,
        }
    }

    /// Reads the race at the step `at` follows (tracked as [`AppState::step_at`]).
    pub fn with_race_at<R>(&self, at: At, f: impl FnOnce(&Race, u64) -> R) -> R {
        let step = self.step_at(at);
        self.race.with_value(|r| f(r, step))
    }

    /// Reads the ghost race at the step `at` follows.
    pub fn with_ghost_at<R>(&self, at: At, f: impl FnOnce(&Race, u64) -> R) -> R {
        let step = self.step_at(at);
        self.ghost.with_value(|r| f(r, step))
    }

    /// What the lanes should show: the shown step and the current race.
    pub(crate) fn lane_target(&self) -> (u64, u64) {
        (self.step.get_untracked(), self.race_version.get_untracked())
    }

    /// Whether `lane` shows something else than [`AppState::lane_target`].
    pub(crate) fn lane_stale(&self, lane: usize) -> bool {
        self.lanes[lane].get_untracked() != self.lane_target()
    }

    /// Brings `lane` to the shown step and race.
    pub(crate) fn bring_lane(&self, lane: usize) {
        let target = self.lane_target();
        if self.lanes[lane].get_untracked() != target {
            self.lanes[lane].set(target);
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

    /// Reads the ghost race (the focused racer without bias correction; tracked).
    pub fn with_ghost<R>(&self, f: impl FnOnce(&Race) -> R) -> R {
        self.race_version.track();
        self.ghost.with_value(f)
    }

    /// The landscape's optional layers (part of the scenario: they are in links).
    pub fn lens(&self) -> Lens {
        self.lens_memo.get()
    }

    /// Changes the landscape's optional layers.
    pub fn set_lens(&self, f: impl FnOnce(&mut Lens)) {
        self.update(|s| f(&mut s.lens));
    }

    /// The racer the inspectors show.
    pub fn focus(&self) -> OptimizerKind {
        self.focus_memo.get()
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
        let (old_config, old_max, old_focus, old_ghost) = self
            .scenario
            .with_untracked(|s| (race_config(s), s.max_steps, focus_of(s), s.lens.ghost));
        self.scenario.update(|s| f(s));
        let (config, max, focus, ghost_on) = self
            .scenario
            .with_untracked(|s| (race_config(s), s.max_steps, focus_of(s), s.lens.ghost));
        let race_changed = config != old_config;
        if race_changed {
            self.race.update_value(|r| {
                r.reconfigure(config);
                r.run_to(max);
            });
        } else if max > old_max {
            self.race.update_value(|r| r.run_to(max));
        }
        if race_changed || max > old_max || focus != old_focus || ghost_on != old_ghost {
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
        self.max_memo.get()
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

/// See [`AppState::settings`].
fn settings_of(s: &Scenario) -> Scenario {
    Scenario {
        lrx: 1.0,
        hypers: Vec::new(),
        start: downhill_core::Vec2::ZERO,
        t: 0,
        ..s.clone()
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

/// The page's race: the scenario's, with the internals of the focused racer
/// and of Nesterov (its look-ahead) recorded for the inspectors. A changed
/// focus re-runs those two racers alone (`Race::reconfigure`).
fn race_config(s: &Scenario) -> downhill_core::RaceConfig {
    let mut c = s.race_config();
    c.internals_of = vec![focus_of(s), OptimizerKind::Nesterov];
    c
}

/// The ghost race: the focused racer alone, bias correction off, internals on
/// (no racer at all when the focused optimizer has no bias correction, or
/// while the ghost is not shown: every re-run of a drag skips it then).
fn ghost_config(s: &Scenario) -> downhill_core::RaceConfig {
    let mut c = s.ghost_config(focus_of(s));
    if !s.lens.ghost {
        c.racers.clear();
    }
    c
}
