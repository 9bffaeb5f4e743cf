//! Reproduces the reference trajectories and schedules that PyTorch computed in
//! float64 (`tests/golden/`, copied from the project's shared golden set).
//! Tolerance: |Δ| ≤ 1e-10·max(1, |coord|) per coordinate at every step.
//! The expected numbers are only read here, never by the code under test.

use downhill_core::clip::clip_grad_norm;
use downhill_core::race::{Race, RaceConfig};
use downhill_core::schedule::{Schedule, ScheduleKind};
use downhill_core::{Hyper, Landscape, OptimizerKind, Vec2};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-10 * want.abs().max(1.0)
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

fn check_case(path: &Path) -> Result<(), String> {
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let landscape = Landscape::from_slug(case["landscape"].as_str().unwrap()).unwrap();
    let kind = OptimizerKind::from_slug(case["optimizer"].as_str().unwrap()).unwrap();
    let mut hyper = Hyper::defaults(kind);
    for (name, v) in case["hyper"].as_object().unwrap() {
        let value = match v {
            Value::Bool(b) => *b as u8 as f64,
            v => f(v),
        };
        hyper
            .set(name, value)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let start = &case["start"];
    let mut config = RaceConfig::single(landscape, hyper);
    config.start = Vec2::new(f(&start[0]), f(&start[1]));
    let steps = case["steps"].as_u64().unwrap();
    let mut race = Race::new(config);
    race.run(steps);
    let racer = &race.racers()[0];
    let samples = racer.trace().samples();
    let want_path = case["path"].as_array().unwrap();
    let want_loss = case["loss"].as_array().unwrap();
    if samples.len() != want_path.len() {
        return Err(format!(
            "{}: {} points, want {} (status {:?})",
            path.display(),
            samples.len(),
            want_path.len(),
            racer.status()
        ));
    }
    for (k, s) in samples.iter().enumerate() {
        let (wx, wy) = (f(&want_path[k][0]), f(&want_path[k][1]));
        let wl = f(&want_loss[k]);
        if !(close(s.theta.x, wx) && close(s.theta.y, wy) && close(s.loss, wl)) {
            return Err(format!(
                "{}: step {k}: got ({}, {}) loss {}, want ({wx}, {wy}) loss {wl}",
                path.display(),
                s.theta.x,
                s.theta.y,
                s.loss
            ));
        }
    }
    Ok(())
}

#[test]
fn every_golden_trajectory() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().contains("__"))
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 28, "2 landscapes × 14 optimizers");
    let failures: Vec<String> = cases.iter().filter_map(|p| check_case(p).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_golden_schedule_and_clip() {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(golden_dir().join("schedules.json")).unwrap(),
    )
    .unwrap();
    let cases = doc["schedules"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let kind = ScheduleKind::from_slug(case["schedule"].as_str().unwrap()).unwrap();
        let mut s = Schedule::new(kind);
        for (name, v) in case["params"].as_object().unwrap() {
            match v {
                Value::String(text) => s.set_str(name, text).unwrap(),
                Value::Bool(b) => s.set(name, *b as u8 as f64).unwrap(),
                v => s.set(name, f(v)).unwrap(),
            }
        }
        let base = f(&case["base_lr"]);
        let want = case["lr"].as_array().unwrap();
        let got = s.sequence(base, case["steps"].as_u64().unwrap());
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            let w = f(w);
            assert!(
                (g - w).abs() <= 1e-12 * w.abs().max(1e-300),
                "{kind:?} lr_{i}: got {g}, want {w}"
            );
        }
    }
    for case in doc["clip_grad_norm"].as_array().unwrap() {
        let g = Vec2::new(f(&case["grad"][0]), f(&case["grad"][1]));
        let (clipped, norm) = clip_grad_norm(g, f(&case["max_norm"]));
        assert!(close(norm, f(&case["total_norm"])));
        assert!(close(clipped.x, f(&case["clipped"][0])), "{clipped:?}");
        assert!(close(clipped.y, f(&case["clipped"][1])), "{clipped:?}");
    }
}
