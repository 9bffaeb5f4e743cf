//! Trajectories as JSON and CSV, in the shape `downhill trace` prints: the CLI
//! and the page's export buttons both write through here, so the two agree byte
//! for byte.
//!
//! One racer, JSON: `{"diverged_at", "hyper", "landscape", "loss", "optimizer",
//! "path", "start", "steps"}` (keys in this order, the order the CLI has always
//! printed them), floats as shortest round-trip decimals (as serde_json
//! writes them), a non-finite float as `null`. A diverged racer's path stops at
//! its last finite point and `diverged_at` is the step that failed. CSV:
//! `step,x,y,loss`, or `racer,step,x,y,loss` for several racers.
//!
//! A race longer than the trace's cap keeps every `stride`-th step only (see
//! [`crate::trace`]); the CSV names each row's step, the JSON path lists the
//! kept points.

use crate::landscape::Landscape;
use crate::optim::{Hyper, ParamKind};
use crate::race::{Race, Racer, RacerStatus};
use crate::trace::Sample;
use crate::vec2::Vec2;
use std::fmt::Write;

/// One racer's trajectory from step 0 up to a given step.
#[derive(Clone, Copy, Debug)]
pub struct Trajectory<'a> {
    pub landscape: Landscape,
    pub hyper: &'a Hyper,
    /// Multiplies `hyper`'s lr in the output (the page's `lrx`), so that the
    /// printed lr is the one the racer ran with.
    pub lr_scale: f64,
    pub start: Vec2,
    /// The step the trajectory runs to (the CLI's `--steps`).
    pub steps: u64,
    /// The recorded samples up to `steps`.
    pub samples: &'a [Sample],
    /// The step at which the racer diverged, if it did by `steps`.
    pub diverged_at: Option<u64>,
}

impl<'a> Trajectory<'a> {
    /// The racer's trajectory up to `step` (at most the race's current step).
    pub fn of(race: &Race, racer: &'a Racer, step: u64) -> Trajectory<'a> {
        let c = race.config();
        let step = step.min(race.step_count());
        Trajectory {
            landscape: c.landscape,
            hyper: racer.hyper(),
            lr_scale: c.lr_scale,
            start: c.start,
            steps: step,
            samples: racer.trace().until(step),
            diverged_at: match racer.status_at(step) {
                RacerStatus::Diverged { step } => Some(step),
                _ => None,
            },
        }
    }

    /// The JSON object (one line, no newline).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + 48 * self.samples.len());
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        out.push_str("{\"diverged_at\":");
        match self.diverged_at {
            Some(k) => push_display(out, k),
            None => out.push_str("null"),
        }
        out.push_str(",\"hyper\":{");
        let mut hyper: Vec<_> = self.hyper.iter().collect();
        crate::short_sort::sort_by(&mut hyper, |a, b| a.0.name < b.0.name);
        for (i, (p, v)) in hyper.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let v = if p.name == "lr" { v * self.lr_scale } else { v };
            let _ = write!(out, "\"{}\":", p.name);
            match p.kind {
                ParamKind::Bool => out.push_str(if v != 0.0 { "true" } else { "false" }),
                ParamKind::Int => push_display(out, v as i64),
                ParamKind::Real => push_num(out, v),
            }
        }
        let _ = write!(
            out,
            "}},\"landscape\":\"{}\",\"loss\":[",
            self.landscape.slug()
        );
        for (i, s) in self.samples.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_num(out, s.loss);
        }
        let _ = write!(
            out,
            "],\"optimizer\":\"{}\",\"path\":[",
            self.hyper.kind().slug()
        );
        for (i, s) in self.samples.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_point(out, s.theta);
        }
        out.push_str("],\"start\":");
        push_point(out, self.start);
        out.push_str(",\"steps\":");
        push_display(out, self.steps);
        out.push('}');
    }

    /// CSV rows `step,x,y,loss`, each prefixed with `prefix` (e.g. `"adam,"`).
    fn write_csv_rows(&self, out: &mut String, prefix: &str) {
        for s in self.samples {
            out.push_str(prefix);
            push_display(out, s.step);
            out.push(',');
            push_num(out, s.theta.x);
            out.push(',');
            push_num(out, s.theta.y);
            out.push(',');
            push_num(out, s.loss);
            out.push('\n');
        }
    }

    /// CSV with the header `step,x,y,loss` (what `downhill trace --format csv` prints).
    pub fn to_csv(&self) -> String {
        let mut out = String::with_capacity(16 + 48 * self.samples.len());
        out.push_str(CSV_HEADER);
        self.write_csv_rows(&mut out, "");
        out
    }
}

/// The header of a one-racer CSV.
pub const CSV_HEADER: &str = "step,x,y,loss\n";
/// The header of a several-racer CSV.
pub const RACE_CSV_HEADER: &str = "racer,step,x,y,loss\n";

/// Every racer of the race up to `step`, as a JSON array of [`Trajectory`]
/// objects (one line, no newline), in the race's racer order.
pub fn race_json(race: &Race, step: u64) -> String {
    let mut out = String::from("[");
    for (i, r) in race.racers().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        Trajectory::of(race, r, step).write_json(&mut out);
    }
    out.push(']');
    out
}

/// Every racer of the race up to `step` as one CSV, `racer,step,x,y,loss`,
/// the racer named by its slug.
pub fn race_csv(race: &Race, step: u64) -> String {
    let mut out = String::from(RACE_CSV_HEADER);
    for r in race.racers() {
        let prefix = format!("{},", r.kind().slug());
        Trajectory::of(race, r, step).write_csv_rows(&mut out, &prefix);
    }
    out
}

/// Shortest round-trip decimal, as serde_json writes an f64 (`25.0`, `1e-7`);
/// `null` when not finite.
pub fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

fn push_num(out: &mut String, v: f64) {
    if v.is_finite() {
        out.push_str(zmij::Buffer::new().format_finite(v));
    } else {
        out.push_str("null");
    }
}

fn push_point(out: &mut String, p: Vec2) {
    out.push('[');
    push_num(out, p.x);
    out.push(',');
    push_num(out, p.y);
    out.push(']');
}

fn push_display(out: &mut String, v: impl std::fmt::Display) {
    let _ = write!(out, "{v}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;
    use crate::race::RaceConfig;
    use serde_json::{json, Map, Value};

    /// The CLI's JSON as it was built before this module existed (serde_json's
    /// `json!`), kept as the reference for the hand-written writer.
    fn reference(race: &Race, i: usize) -> String {
        let r = &race.racers()[i];
        let samples = r.trace().samples();
        let hyper: Map<String, Value> = r
            .hyper()
            .iter()
            .map(|(p, v)| {
                let v = match p.kind {
                    ParamKind::Bool => json!(v != 0.0),
                    ParamKind::Int => json!(v as i64),
                    ParamKind::Real => json!(v),
                };
                (p.name.to_string(), v)
            })
            .collect();
        let c = race.config();
        json!({
            "landscape": c.landscape.slug(),
            "optimizer": r.kind().slug(),
            "hyper": hyper,
            "start": [c.start.x, c.start.y],
            "steps": race.step_count(),
            "path": samples.iter().map(|s| [s.theta.x, s.theta.y]).collect::<Vec<_>>(),
            "loss": samples.iter().map(|s| s.loss).collect::<Vec<_>>(),
            "diverged_at": r.diverged_at(),
        })
        .to_string()
    }

    /// serde_json reads floats to within an ulp (its exact parser is a
    /// feature we do not turn on); the CSV checks are exact.
    fn same(v: &Value, x: f64) -> bool {
        v.as_f64()
            .is_some_and(|v| (v - x).abs() <= 2.0 * f64::EPSILON * x.abs())
    }

    fn race(landscape: Landscape, steps: u64, set: impl Fn(&mut RaceConfig)) -> Race {
        let mut c = RaceConfig::new(landscape);
        set(&mut c);
        let mut race = Race::new(c);
        race.run_to(steps);
        race
    }

    #[test]
    fn json_is_byte_identical_to_serde_json() {
        for l in Landscape::ALL {
            let race = race(l, 120, |c| {
                c.noise = 0.2;
                c.seed = 3;
                c.clip = Some(2.0);
                // A racer that diverges, with tiny and huge numbers on the way.
                let mut h = Hyper::defaults(OptimizerKind::Sgd);
                h.set("lr", 3.0).unwrap();
                c.racers.push(h);
            });
            for i in 0..race.racers().len() {
                let t = Trajectory::of(&race, &race.racers()[i], 120);
                assert_eq!(t.to_json(), reference(&race, i), "{l:?} racer {i}");
            }
        }
    }

    #[test]
    fn a_trajectory_up_to_a_step_is_that_prefix_and_that_status() {
        let race = race(Landscape::Bowl, 50, |c| {
            let mut h = Hyper::defaults(OptimizerKind::Sgd);
            h.set("lr", 1e6).unwrap();
            c.racers = vec![Hyper::defaults(OptimizerKind::Adam), h];
            c.lr_scale = 2.0;
        });
        let k = race.racers()[1].diverged_at().unwrap();
        let early = Trajectory::of(&race, &race.racers()[1], k - 1);
        assert_eq!(early.diverged_at, None);
        assert_eq!(early.samples.len() as u64, k);
        let late: Value =
            serde_json::from_str(&Trajectory::of(&race, &race.racers()[1], 40).to_json()).unwrap();
        assert_eq!(late["diverged_at"], k);
        assert_eq!(late["path"].as_array().unwrap().len() as u64, k);
        assert_eq!(late["hyper"]["lr"], 2e6, "lr is the one the racer ran with");
        let adam: Value =
            serde_json::from_str(&Trajectory::of(&race, &race.racers()[0], 10).to_json()).unwrap();
        assert_eq!(adam["steps"], 10);
        assert_eq!(adam["path"].as_array().unwrap().len(), 11);
        let s = race.racers()[0].trace().at(10).unwrap();
        assert!(same(&adam["path"][10][0], s.theta.x));
        assert!(same(&adam["loss"][10], s.loss));
        // Asking past the race's end gives what the race has.
        let all = Trajectory::of(&race, &race.racers()[0], 10_000);
        assert_eq!(all.steps, 50);
    }

    #[test]
    fn race_json_and_csv_hold_every_racer_and_parse_back() {
        let race = race(Landscape::Rosenbrock, 30, |c| {
            c.racers.truncate(3);
        });
        let doc: Value = serde_json::from_str(&race_json(&race, 20)).unwrap();
        let doc = doc.as_array().unwrap();
        assert_eq!(doc.len(), 3);
        let csv = race_csv(&race, 20);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("racer,step,x,y,loss"));
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), 3 * 21);
        for (j, r) in race.racers().iter().enumerate() {
            assert_eq!(doc[j]["optimizer"], r.kind().slug());
            for (k, row) in rows[21 * j..21 * (j + 1)].iter().enumerate() {
                assert_eq!(row[0], r.kind().slug());
                assert_eq!(row[1], k.to_string());
                let s = r.trace().at(k as u64).unwrap();
                assert_eq!(row[2].parse::<f64>().unwrap(), s.theta.x);
                assert_eq!(row[3].parse::<f64>().unwrap(), s.theta.y);
                assert!(same(&doc[j]["path"][k][1], s.theta.y));
            }
        }
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        for v in [
            25.0, 0.1, 1e-7, 1e-5, 1e16, 1.5e17, -0.0, 123456.789, 5e-324,
        ] {
            assert_eq!(num(v), serde_json::to_string(&v).unwrap());
        }
        assert_eq!(num(f64::NAN), "null");
        assert_eq!(num(f64::INFINITY), "null");
    }
}
