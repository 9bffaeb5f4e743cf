//! The scenario: every user-settable value of the page, and its URL codec.
//!
//! One declarative table ([`KEYS`]) drives the codec both ways, so a key is
//! spelled in exactly one place. Decoding never fails: anything malformed,
//! unknown or out of range is ignored or moved to the nearest valid value, and
//! named in the returned list of notes. Encoding writes only what differs from
//! the landscape's preset, so links stay short and readable.
//!
//! `scene=<slug>` starts from that scene's scenario ([`Scene::scenario`])
//! instead: `l` then switches its landscape (the scene otherwise kept), every
//! other key overrides one value, and a scene's link writes only what differs
//! from the scene, so `scene=saddle-escape&adam.lr=0.1` stays that short.
//!
//! The keys are a public interface (teachers' links): add, never change.

use crate::landscape::{regression, Landscape};
use crate::optim::{Hyper, OptimizerKind, Param};
use crate::preset;
use crate::race::RaceConfig;
use crate::scene::Scene;
use crate::schedule::{Schedule, ScheduleKind};
use crate::trace::DEFAULT_CAP;
use crate::vec2::Vec2;

/// Panels that `hide=` can hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Panel {
    Controls,
    Racers,
    Leaderboard,
    Transport,
    Share,
    Loss,
    EffectiveLr,
    Inspector,
    Schedule,
    Formulas,
}

impl Panel {
    pub const ALL: [Panel; 10] = [
        Panel::Controls,
        Panel::Racers,
        Panel::Leaderboard,
        Panel::Transport,
        Panel::Share,
        Panel::Loss,
        Panel::EffectiveLr,
        Panel::Inspector,
        Panel::Schedule,
        Panel::Formulas,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Panel::Controls => "controls",
            Panel::Racers => "racers",
            Panel::Leaderboard => "leaderboard",
            Panel::Transport => "transport",
            Panel::Share => "share",
            Panel::Loss => "loss",
            Panel::EffectiveLr => "effective-lr",
            Panel::Inspector => "inspector",
            Panel::Schedule => "schedule",
            Panel::Formulas => "formulas",
        }
    }

    pub fn from_slug(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.slug() == s)
    }
}

/// The landscape's optional layers (URL keys `arrows`, `ghost`, `field`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lens {
    /// Arrows at the focused racer's head: −g, −m and the step it takes next.
    pub arrows: bool,
    /// The focused racer without bias correction, dashed (Adam family).
    pub ghost: bool,
    /// Faint −∇f arrows on a grid.
    pub field: bool,
}

impl Default for Lens {
    fn default() -> Self {
        Lens {
            arrows: true,
            ghost: false,
            field: false,
        }
    }
}

/// The landscape a page without `l=` shows.
pub const DEFAULT_LANDSCAPE: Landscape = Landscape::Beale;
/// The largest step count a link may ask for.
pub const MAX_STEPS_LIMIT: u64 = 10_000_000;
pub const DEFAULT_MAX_STEPS: u64 = 2000;
pub const SPEED_RANGE: (u32, u32) = (1, 100);
pub const LRX_RANGE: (f64, f64) = (1e-6, 1e6);

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub landscape: Landscape,
    /// Enabled racers, in `OptimizerKind::ALL` order.
    pub enabled: Vec<OptimizerKind>,
    pub start: Vec2,
    /// The hyperparameters of all 14 racers, in `OptimizerKind::ALL` order.
    pub hypers: Vec<Hyper>,
    /// The step shown (on load: run this many steps).
    pub t: u64,
    /// The race's length: play stops here, and this much future is computed.
    pub max_steps: u64,
    /// Steps per animation frame.
    pub speed: u32,
    /// Global learning-rate multiplier.
    pub lrx: f64,
    pub schedule: Schedule,
    pub clip: Option<f64>,
    pub noise: f64,
    pub seed: u64,
    /// Mini-batch size (0: full batch). Only a landscape with data (the
    /// regression) uses it; elsewhere it is kept but has no effect.
    pub batch: usize,
    pub focus: Option<OptimizerKind>,
    /// The scene this scenario started from: links then write only what
    /// differs from the scene's own scenario ([`Scene::scenario`]).
    pub scene: Option<Scene>,
    /// Show the gallery of scenes (`gallery=1`).
    pub gallery: bool,
    /// What the landscape shows for the focused racer (arrows, ghost) and
    /// whether it shows the gradient field.
    pub lens: Lens,
    pub embed: bool,
    pub hide: Vec<Panel>,
    pub autoplay: bool,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario::preset(DEFAULT_LANDSCAPE)
    }
}

impl Scenario {
    /// The landscape's preset: its start and tuned per-racer rates; everything
    /// else at its plain default.
    pub fn preset(landscape: Landscape) -> Scenario {
        Scenario {
            landscape,
            enabled: OptimizerKind::ALL.to_vec(),
            start: preset::start(landscape),
            hypers: preset::hypers(landscape),
            t: 0,
            max_steps: DEFAULT_MAX_STEPS,
            speed: 2,
            lrx: 1.0,
            schedule: Schedule::default(),
            clip: None,
            noise: 0.0,
            seed: 0,
            batch: 0,
            focus: None,
            scene: None,
            gallery: false,
            lens: Lens::default(),
            embed: false,
            hide: Vec::new(),
            autoplay: false,
        }
    }

    /// Switches landscape: the new preset's start and rates, all else kept.
    pub fn with_landscape(&self, landscape: Landscape) -> Scenario {
        let p = Scenario::preset(landscape);
        Scenario {
            landscape,
            start: p.start,
            hypers: p.hypers,
            t: 0,
            ..self.clone()
        }
    }

    pub fn hyper(&self, kind: OptimizerKind) -> &Hyper {
        &self.hypers[kind as usize]
    }

    pub fn hyper_mut(&mut self, kind: OptimizerKind) -> &mut Hyper {
        &mut self.hypers[kind as usize]
    }

    pub fn is_enabled(&self, kind: OptimizerKind) -> bool {
        self.enabled.contains(&kind)
    }

    pub fn set_enabled(&mut self, kind: OptimizerKind, on: bool) {
        self.enabled.retain(|&k| k != kind);
        if on {
            self.enabled.push(kind);
            crate::short_sort::sort(&mut self.enabled);
        }
    }

    pub fn is_hidden(&self, panel: Panel) -> bool {
        self.hide.contains(&panel)
    }

    /// The "without bias correction" ghost of `kind`: that racer alone (its
    /// hyperparameters, and this scenario's start, schedule, clipping, noise
    /// and batches) with bias correction off and internals recorded. No racer
    /// at all when `kind` has no bias correction.
    pub fn ghost_config(&self, kind: OptimizerKind) -> RaceConfig {
        let mut c = self.race_config();
        c.racers = if kind.has_bias_correction() {
            vec![*self.hyper(kind)]
        } else {
            Vec::new()
        };
        c.record_internals = true;
        c.bias_correction = false;
        c
    }

    /// The race this scenario describes (the enabled racers only).
    pub fn race_config(&self) -> RaceConfig {
        RaceConfig {
            landscape: self.landscape,
            start: self.start,
            racers: self.enabled.iter().map(|&k| *self.hyper(k)).collect(),
            lr_scale: self.lrx,
            schedule: self.schedule.clone(),
            clip: self.clip,
            noise: self.noise,
            seed: self.seed,
            batch: self.batch,
            history_cap: DEFAULT_CAP,
            record_internals: false,
            internals_of: Vec::new(),
            bias_correction: true,
        }
    }

    /// Decodes a query string (with or without the leading `?`). Never fails:
    /// returns the nearest valid scenario and one note per thing ignored or changed.
    pub fn from_query(query: &str) -> (Scenario, Vec<String>) {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut notes = Vec::new();
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            if pairs.len() >= MAX_PAIRS {
                notes.push(format!("only the first {MAX_PAIRS} settings were read"));
                break;
            }
            if k.len() > MAX_LEN || v.len() > MAX_LEN {
                notes.push(format!("ignored {}: too long", shown(&k)));
                continue;
            }
            if k.is_empty() {
                continue;
            }
            if let Some(old) = pairs.iter().position(|(pk, _)| *pk == k) {
                notes.push(format!(
                    "{} was given more than once; the last one counts",
                    shown(&k)
                ));
                pairs.remove(old);
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        let take = |name: &str, pairs: &mut Vec<(String, String)>| {
            pairs
                .iter()
                .position(|(k, _)| k == name)
                .map(|i| pairs.remove(i).1)
        };
        let landscape = take("l", &mut pairs).and_then(|v| {
            let l = Landscape::from_slug(&v);
            if l.is_none() {
                notes.push(format!(
                    "ignored l={}: no such landscape (choose {})",
                    shown(&v),
                    slugs(Landscape::ALL.map(Landscape::slug))
                ));
            }
            l
        });
        let scene = take("scene", &mut pairs)
            .filter(|v| !v.is_empty())
            .and_then(|v| {
                let scene = Scene::from_slug(&v);
                if scene.is_none() {
                    notes.push(format!(
                        "ignored scene={}: no such scene (choose {})",
                        shown(&v),
                        Scene::ALL.map(Scene::slug).join(", ")
                    ));
                }
                scene
            });
        // A scene's scenario first; `l` then switches landscape (keeping the
        // rest of the scene), and every other key overrides one value.
        let mut s = match (scene, landscape) {
            (Some(sc), l) => {
                let s = sc.scenario();
                match l {
                    Some(l) if l != s.landscape => s.with_landscape(l),
                    _ => s,
                }
            }
            (None, l) => Scenario::preset(l.unwrap_or(DEFAULT_LANDSCAPE)),
        };
        // The schedule's kind must be known before its parameters.
        if let Some(v) = take("sched", &mut pairs) {
            apply(&mut s, "sched", &v, &mut notes);
        }
        for (k, v) in pairs {
            apply(&mut s, &k, &v, &mut notes);
        }
        (s, notes)
    }

    /// What a link's keys are written against: the scene's scenario (moved
    /// to this landscape if it differs), or else the landscape's preset.
    fn encoding_base(&self) -> Scenario {
        match self.scene {
            Some(sc) => {
                let s = sc.scenario();
                if s.landscape == self.landscape {
                    s
                } else {
                    s.with_landscape(self.landscape)
                }
            }
            None => Scenario::preset(self.landscape),
        }
    }

    /// The query string (without `?`) that reproduces this scenario: only the
    /// values that differ from the landscape's preset (or, with a scene, from
    /// the scene's scenario), in table order.
    pub fn to_query(&self) -> String {
        let base = self.encoding_base();
        let mut out = Vec::new();
        for key in KEYS {
            (key.encode)(self, &base, &mut out);
        }
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &out {
            ser.append_pair(k, v);
        }
        // Commas and dots read better unescaped, and are safe in a query.
        ser.finish().replace("%2C", ",")
    }
}

/// Why a key is not one, with the nearest real key when the key is a
/// racer's setting written without its racer (`lr=0.1`, `beta1=0.8`).
fn unknown_key_hint(key: &str) -> String {
    let Some(owner) = OptimizerKind::ALL
        .into_iter()
        .find(|k| k.params().iter().any(|p| p.name == key))
    else {
        return "unknown setting".into();
    };
    let mut hint = format!(
        "unknown setting; {key} belongs to a racer, as in {}.{key}",
        owner.slug()
    );
    if key == "lr" {
        hint += " (lrx scales every racer's rate)";
    }
    hint
}

const MAX_PAIRS: usize = 300;
const MAX_LEN: usize = 2000;

fn apply(s: &mut Scenario, key: &str, value: &str, notes: &mut Vec<String>) {
    match KEYS.iter().find(|k| (k.matches)(key)) {
        None => notes.push(format!("ignored {}: {}", shown(key), unknown_key_hint(key))),
        Some(k) => {
            if let Err(why) = (k.decode)(s, key, value) {
                notes.push(format!("{}={}: {why}", shown(key), shown(value)));
            }
        }
    }
}

/// A user-supplied string, shortened and stripped of control characters, for
/// quoting in a note. (Notes are shown as text, never as HTML.)
pub fn shown(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        format!("{clean}…")
    } else {
        clean
    }
}

fn slugs<const N: usize>(a: [&str; N]) -> String {
    a.join(", ")
}

pub use crate::optim::fmt_num;

fn parse_finite(v: &str) -> Result<f64, String> {
    match crate::decimal::parse_f64(v.trim()) {
        Some(x) if x.is_finite() => Ok(x + 0.0),
        Some(_) => Err("not a finite number; ignored".into()),
        None => Err("not a number; ignored".into()),
    }
}

fn parse_whole(v: &str) -> Result<u64, String> {
    let x = parse_finite(v)?;
    if x < 0.0 || x.fract() != 0.0 {
        return Err("not a whole number ≥ 0; ignored".into());
    }
    Ok(if x > u64::MAX as f64 {
        u64::MAX
    } else {
        x as u64
    })
}

/// A bounded setting's value, written as a link writes it.
trait Bounded: PartialOrd + Copy {
    fn text(self) -> String;
}

impl Bounded for f64 {
    fn text(self) -> String {
        fmt_num(self)
    }
}

macro_rules! bounded_int {
    ($($t:ty),*) => {$(
        impl Bounded for $t {
            fn text(self) -> String {
                self.to_string()
            }
        }
    )*};
}
bounded_int!(u32, u64, usize);

/// Clamps into [lo, hi]; Err names the clamped value (the caller applied it).
fn clamp_note<T: Bounded>(x: T, lo: T, hi: T, set: impl FnOnce(T)) -> Result<(), String> {
    if x < lo {
        set(lo);
        Err(format!(
            "below the smallest allowed value; {} used",
            lo.text()
        ))
    } else if x > hi {
        set(hi);
        Err(format!(
            "above the largest allowed value; {} used",
            hi.text()
        ))
    } else {
        set(x);
        Ok(())
    }
}

/// Sets a parameter from text; out-of-range numbers go to the nearest valid value.
fn set_param(p: &Param, text: &str, set: impl FnOnce(f64)) -> Result<(), String> {
    match p.parse(text) {
        Ok(v) => {
            set(v);
            Ok(())
        }
        Err(_) => {
            let x = match p.kind {
                crate::optim::ParamKind::Bool => return Err("not true or false; ignored".into()),
                _ => parse_finite(text)?,
            };
            let v = p.nearest_valid(x);
            set(v);
            Err(format!("out of range; {} used", p.format(v)))
        }
    }
}

fn bool_flag(v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err("not 0 or 1; ignored".into()),
    }
}

/// Reads a comma-separated list of slugs: the known ones sorted and without
/// repeats, and the unknown ones quoted for a note.
fn slug_list<T: Ord + Copy>(v: &str, from_slug: fn(&str) -> Option<T>) -> (Vec<T>, Vec<String>) {
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match from_slug(part) {
            Some(k) => known.push(k),
            None => unknown.push(shown(part)),
        }
    }
    crate::short_sort::sort(&mut known);
    known.dedup();
    (known, unknown)
}

/// Writes a list of slugs comma-separated.
fn join_slugs<T: Copy>(items: &[T], slug: fn(T) -> &'static str) -> String {
    items.iter().map(|&k| slug(k)).collect::<Vec<_>>().join(",")
}

type Out = Vec<(String, String)>;

/// One row of the codec table.
pub struct Key {
    /// The key as written in the URL reference (`<racer>.<hyper>` for patterns).
    pub name: &'static str,
    pub doc: &'static str,
    matches: fn(&str) -> bool,
    decode: fn(&mut Scenario, &str, &str) -> Result<(), String>,
    encode: fn(&Scenario, &Scenario, &mut Out),
}

fn flag(on: bool) -> String {
    if on { "1" } else { "0" }.into()
}

fn put(out: &mut Out, k: &str, v: String) {
    out.push((k.to_string(), v));
}

/// The URL reference, as a table. Order is the order keys are written in.
pub const KEYS: &[Key] = &[
    Key {
        name: "scene",
        doc: "a named preset (a lesson); other keys override it",
        matches: |k| k == "scene",
        decode: |_, _, _| Ok(()), // read first, in from_query
        encode: |s, _, out| {
            if let Some(sc) = s.scene {
                put(out, "scene", sc.slug().into());
            }
        },
    },
    Key {
        name: "l",
        doc: "landscape slug (with a scene: switches the scene's landscape)",
        matches: |k| k == "l",
        decode: |_, _, _| Ok(()), // read first, in from_query
        encode: |s, _, out| {
            let origin = s.scene.map_or(DEFAULT_LANDSCAPE, |sc| sc.landscape());
            if s.landscape != origin {
                put(out, "l", s.landscape.slug().into());
            }
        },
    },
    Key {
        name: "o",
        doc: "enabled racers, comma-separated slugs (default: all)",
        matches: |k| k == "o",
        decode: |s, _, v| {
            let (kinds, unknown) = slug_list(v, OptimizerKind::from_slug);
            if !kinds.is_empty() {
                s.enabled = kinds;
            }
            if unknown.is_empty() {
                Ok(())
            } else {
                Err(format!("no racer named {}; ignored", unknown.join(", ")))
            }
        },
        encode: |s, b, out| {
            if s.enabled != b.enabled {
                put(out, "o", join_slugs(&s.enabled, OptimizerKind::slug));
            }
        },
    },
    Key {
        name: "s",
        doc: "start point x,y",
        matches: |k| k == "s",
        decode: |s, _, v| {
            let (x, y) = v.split_once(',').ok_or("not x,y; ignored")?;
            let p = Vec2::new(parse_finite(x)?, parse_finite(y)?);
            let bounds = s.landscape.view().scaled(100.0);
            if bounds.contains(p) {
                s.start = p;
                Ok(())
            } else {
                let v = s.landscape.view();
                // (max/min, not clamp: clamp links a panic message that
                // formats floats, see `crate::decimal`.)
                s.start = Vec2::new(p.x.max(v.x0).min(v.x1), p.y.max(v.y0).min(v.y1));
                Err("far outside the landscape; moved to its edge".into())
            }
        },
        encode: |s, b, out| {
            if s.start != b.start {
                put(
                    out,
                    "s",
                    format!("{},{}", fmt_num(s.start.x), fmt_num(s.start.y)),
                );
            }
        },
    },
    Key {
        name: "t",
        doc: "show the race at step t",
        matches: |k| k == "t",
        decode: |s, _, v| {
            let t = parse_whole(v)?;
            clamp_note(t, 0, MAX_STEPS_LIMIT, |t| s.t = t)?;
            Ok(())
        },
        encode: |s, _, out| {
            if s.t != 0 {
                put(out, "t", s.t.to_string());
            }
        },
    },
    Key {
        name: "max",
        doc: "the race's length in steps",
        matches: |k| k == "max",
        decode: |s, _, v| {
            let n = parse_whole(v)?;
            clamp_note(n, 10, MAX_STEPS_LIMIT, |n| s.max_steps = n)
        },
        encode: |s, b, out| {
            if s.max_steps != b.max_steps {
                put(out, "max", s.max_steps.to_string());
            }
        },
    },
    Key {
        name: "speed",
        doc: "steps per animation frame",
        matches: |k| k == "speed",
        decode: |s, _, v| {
            let n = parse_whole(v)?.min(u32::MAX as u64) as u32;
            clamp_note(n, SPEED_RANGE.0, SPEED_RANGE.1, |n| s.speed = n)
        },
        encode: |s, b, out| {
            if s.speed != b.speed {
                put(out, "speed", s.speed.to_string());
            }
        },
    },
    Key {
        name: "lrx",
        doc: "global learning-rate multiplier",
        matches: |k| k == "lrx",
        decode: |s, _, v| {
            let x = parse_finite(v)?;
            clamp_note(x, LRX_RANGE.0, LRX_RANGE.1, |x| s.lrx = x)
        },
        encode: |s, b, out| {
            if s.lrx != b.lrx {
                put(out, "lrx", fmt_num(s.lrx));
            }
        },
    },
    Key {
        name: "<racer>.<hyper>",
        doc: "one hyperparameter of one racer, names as in optimizers.md",
        matches: |k| k.split_once('.').is_some_and(|(r, _)| r != "sched"),
        decode: |s, k, v| {
            let (racer, name) = k.split_once('.').ok_or("not racer.hyper")?;
            let kind = OptimizerKind::from_slug(racer).ok_or("no such racer; ignored")?;
            let h = s.hyper_mut(kind);
            let p = *h.param(name).map_err(|e| format!("{e}; ignored"))?;
            set_param(&p, v, |x| {
                let _ = h.set(name, x);
            })
        },
        encode: |s, b, out| {
            for (h, hb) in s.hypers.iter().zip(&b.hypers) {
                for ((p, v), (_, vb)) in h.iter().zip(hb.iter()) {
                    if v != vb {
                        put(out, &format!("{}.{}", h.kind().slug(), p.name), p.format(v));
                    }
                }
            }
        },
    },
    Key {
        name: "sched",
        doc: "learning-rate schedule",
        matches: |k| k == "sched",
        decode: |s, _, v| {
            let kind = ScheduleKind::from_slug(v).ok_or_else(|| {
                format!(
                    "no such schedule; choose {}",
                    ScheduleKind::ALL.map(ScheduleKind::slug).join(", ")
                )
            })?;
            s.schedule = Schedule::new(kind);
            Ok(())
        },
        encode: |s, b, out| {
            if s.schedule.kind() != b.schedule.kind() {
                put(out, "sched", s.schedule.kind().slug().into());
            }
        },
    },
    Key {
        name: "sched.<param>",
        doc: "a parameter of the schedule, names as in optimizers.md",
        matches: |k| k.starts_with("sched."),
        decode: |s, k, v| {
            let name = &k["sched.".len()..];
            if name == "anneal_strategy" {
                return s
                    .schedule
                    .set_str(name, v)
                    .map_err(|e| format!("{e}; ignored"));
            }
            let p = *s
                .schedule
                .param(name)
                .map_err(|e| format!("{e}; ignored"))?;
            let sched = &mut s.schedule;
            set_param(&p, v, |x| {
                let _ = sched.set(name, x);
            })
        },
        encode: |s, b, out| {
            // `sched=` resets the parameters to their defaults; without it
            // they start from the base's.
            let same_kind = s.schedule.kind() == b.schedule.kind();
            for (p, v) in s.schedule.iter() {
                let was = if same_kind {
                    b.schedule.get(p.name)
                } else {
                    p.default
                };
                if v != was {
                    put(out, &format!("sched.{}", p.name), p.format(v));
                }
            }
        },
    },
    Key {
        name: "clip",
        doc: "clip gradients to this global norm (0: off)",
        matches: |k| k == "clip",
        decode: |s, _, v| {
            let x = parse_finite(v)?;
            if x <= 0.0 {
                s.clip = None;
                return if x == 0.0 {
                    Ok(())
                } else {
                    Err("negative; clipping off".into())
                };
            }
            clamp_note(x, 1e-9, 1e12, |x| s.clip = Some(x))
        },
        encode: |s, b, out| {
            if s.clip != b.clip {
                put(out, "clip", s.clip.map_or("0".into(), fmt_num));
            }
        },
    },
    Key {
        name: "noise",
        doc: "gradient noise scale σ",
        matches: |k| k == "noise",
        decode: |s, _, v| {
            let x = parse_finite(v)?;
            clamp_note(x, 0.0, 1e6, |x| s.noise = x)
        },
        encode: |s, b, out| {
            if s.noise != b.noise {
                put(out, "noise", fmt_num(s.noise));
            }
        },
    },
    Key {
        name: "seed",
        doc: "seed of the gradient noise and of the mini-batches",
        matches: |k| k == "seed",
        decode: |s, _, v| {
            s.seed = v
                .trim()
                .parse::<u64>()
                .map_err(|_| "not a whole number ≥ 0; ignored")?;
            Ok(())
        },
        encode: |s, b, out| {
            if s.seed != b.seed {
                put(out, "seed", s.seed.to_string());
            }
        },
    },
    Key {
        name: "batch",
        doc: "mini-batch size on the regression landscape (0: full batch; \
              other landscapes have no data and ignore it)",
        matches: |k| k == "batch",
        decode: |s, _, v| {
            let n = parse_whole(v)?.min(usize::MAX as u64) as usize;
            clamp_note(n, 0, regression::N, |n| s.batch = n)
        },
        encode: |s, b, out| {
            if s.batch != b.batch {
                put(out, "batch", s.batch.to_string());
            }
        },
    },
    Key {
        name: "focus",
        doc: "the racer shown in the inspectors",
        matches: |k| k == "focus",
        decode: |s, _, v| {
            // Empty: no focus (what a scene's focus is overridden with).
            s.focus = match v {
                "" => None,
                v => Some(OptimizerKind::from_slug(v).ok_or("no such racer; ignored")?),
            };
            Ok(())
        },
        encode: |s, b, out| {
            if s.focus != b.focus {
                put(out, "focus", s.focus.map_or("", OptimizerKind::slug).into());
            }
        },
    },
    Key {
        name: "embed",
        doc: "minimal chrome for an iframe",
        matches: |k| k == "embed",
        decode: |s, _, v| {
            s.embed = bool_flag(v)?;
            Ok(())
        },
        encode: |s, b, out| {
            if s.embed != b.embed {
                put(out, "embed", flag(s.embed));
            }
        },
    },
    Key {
        name: "hide",
        doc: "panels to hide, comma-separated",
        matches: |k| k == "hide",
        decode: |s, _, v| {
            let (panels, unknown) = slug_list(v, Panel::from_slug);
            s.hide = panels;
            if unknown.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "no panel named {}; choose {}",
                    unknown.join(", "),
                    Panel::ALL.map(Panel::slug).join(", ")
                ))
            }
        },
        encode: |s, b, out| {
            if s.hide != b.hide {
                put(out, "hide", join_slugs(&s.hide, Panel::slug));
            }
        },
    },
    Key {
        name: "autoplay",
        doc: "start playing on load",
        matches: |k| k == "autoplay",
        decode: |s, _, v| {
            s.autoplay = bool_flag(v)?;
            Ok(())
        },
        encode: |s, b, out| {
            if s.autoplay != b.autoplay {
                put(out, "autoplay", flag(s.autoplay));
            }
        },
    },
    Key {
        name: "gallery",
        doc: "show the gallery of scenes",
        matches: |k| k == "gallery",
        decode: |s, _, v| {
            s.gallery = bool_flag(v)?;
            Ok(())
        },
        encode: |s, b, out| {
            if s.gallery != b.gallery {
                put(out, "gallery", flag(s.gallery));
            }
        },
    },
    Key {
        name: "arrows",
        doc: "arrows at the focused racer's head: gradient, momentum, step (default 1)",
        matches: |k| k == "arrows",
        decode: |s, _, v| {
            s.lens.arrows = bool_flag(v)?;
            Ok(())
        },
        encode: |s, b, out| {
            if s.lens.arrows != b.lens.arrows {
                put(out, "arrows", flag(s.lens.arrows));
            }
        },
    },
    Key {
        name: "ghost",
        doc: "the focused racer again without bias correction, dashed",
        matches: |k| k == "ghost",
        decode: |s, _, v| {
            s.lens.ghost = bool_flag(v)?;
            Ok(())
        },
        encode: |s, b, out| {
            if s.lens.ghost != b.lens.ghost {
                put(out, "ghost", flag(s.lens.ghost));
            }
        },
    },
    Key {
        name: "field",
        doc: "the gradient field as faint arrows",
        matches: |k| k == "field",
        decode: |s, _, v| {
            s.lens.field = bool_flag(v)?;
            Ok(())
        },
        encode: |s, b, out| {
            if s.lens.field != b.lens.field {
                put(out, "field", flag(s.lens.field));
            }
        },
    },
];

#[cfg(test)]
mod tests;
