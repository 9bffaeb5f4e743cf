//! The CLI contract, exercised on the built binary.

use serde_json::Value;
use std::process::Command;

fn downhill(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_downhill"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn golden(name: &str) -> Value {
    let p = format!(
        "{}/../downhill-core/tests/golden/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn trace_json_reproduces_a_golden_case() {
    let g = golden("ravine__nadam__A.json");
    let (code, out, err) = downhill(&[
        "trace",
        "--landscape",
        "ravine",
        "--optimizer",
        "nadam",
        "--start",
        "-8,2",
        "--steps",
        "300",
        "--set",
        "lr=0.05",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["landscape"], "ravine");
    assert_eq!(doc["optimizer"], "nadam");
    assert_eq!(doc["hyper"]["lr"], 0.05);
    assert_eq!(doc["diverged_at"], Value::Null);
    let (got, want) = (
        doc["path"].as_array().unwrap(),
        g["path"].as_array().unwrap(),
    );
    assert_eq!(got.len(), 301);
    for (a, b) in got.iter().zip(want) {
        for i in 0..2 {
            let (a, b) = (a[i].as_f64().unwrap(), b[i].as_f64().unwrap());
            assert!((a - b).abs() <= 1e-10 * b.abs().max(1.0));
        }
    }
}

#[test]
fn trace_csv_and_booleans() {
    let (code, out, err) = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--optimizer",
        "muon",
        "--steps",
        "3",
        "--set",
        "nesterov=FALSE",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "step,x,y,loss");
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[1], "0,-4.0,3.0,25.0");
}

#[test]
fn divergence_is_reported_not_printed_as_nan() {
    let (code, out, _) = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--optimizer",
        "sgd",
        "--steps",
        "50",
        "--set",
        "lr=1e6",
    ]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let k = doc["diverged_at"].as_u64().expect("diverged");
    assert_eq!(doc["path"].as_array().unwrap().len() as u64, k);
    assert!(!out.contains("NaN"));
}

#[test]
fn bad_names_and_values_exit_2_naming_what_is_accepted() {
    let (code, _, err) = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--optimizer",
        "adam",
        "--set",
        "beta3=0.9",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("beta1") && err.contains("beta2") && err.contains("eps"),
        "{err}"
    );
    let (code, _, err) = downhill(&["trace", "--landscape", "moon", "--optimizer", "adam"]);
    assert_eq!(code, 2);
    assert!(err.contains("rosenbrock"), "{err}");
    let (code, _, _) = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--optimizer",
        "adam",
        "--set",
        "lr=abc",
    ]);
    assert_eq!(code, 2);
    let (code, _, _) = downhill(&[
        "trace",
        "--landscape",
        "bowl",
        "--optimizer",
        "adam",
        "--start",
        "1",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn schedule_matches_the_golden_sequence() {
    let g = golden("schedules.json");
    let case = &g["schedules"][2];
    assert_eq!(case["schedule"], "cosine_annealing_lr");
    let (code, out, err) = downhill(&[
        "schedule",
        "--kind",
        "cosine_annealing_lr",
        "--base-lr",
        "0.1",
        "--steps",
        "100",
        "--set",
        "T_max=100",
        "--set",
        "eta_min=0.001",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let (got, want) = (
        doc["lr"].as_array().unwrap(),
        case["lr"].as_array().unwrap(),
    );
    assert_eq!(got.len(), want.len());
    for (a, b) in got.iter().zip(want) {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        assert!((a - b).abs() <= 1e-12 * b.abs());
    }
    let (code, _, err) = downhill(&[
        "schedule",
        "--kind",
        "one_cycle_lr",
        "--steps",
        "10",
        "--set",
        "anneal_strategy=linear",
        "--set",
        "three_phase=True",
        "--set",
        "total_steps=20",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = downhill(&[
        "schedule", "--kind", "step_lr", "--steps", "5", "--set", "T_max=3",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("step_size") && err.contains("gamma"), "{err}");
}

#[test]
fn trace_on_mini_batches_of_the_regression() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "trace",
            "--landscape",
            "regression",
            "--optimizer",
            "sgd",
            "--steps",
            "40",
            "--set",
            "lr=0.1",
            "--seed",
            "3",
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = downhill(&args);
        assert_eq!(code, 0, "{err}");
        let doc: Value = serde_json::from_str(&out).unwrap();
        doc["path"].clone()
    };
    let full = run(&[]);
    let mini = run(&["--batch", "16"]);
    assert_ne!(full, mini);
    assert_eq!(mini, run(&["--batch", "16"]), "reproducible from the seed");
    assert_eq!(full, run(&["--batch", "0"]));
    // The core's race gives the same path.
    use downhill_core::race::{Race, RaceConfig};
    use downhill_core::{Hyper, Landscape, OptimizerKind};
    let mut h = Hyper::defaults(OptimizerKind::Sgd);
    h.set("lr", 0.1).unwrap();
    let mut c = RaceConfig::single(Landscape::Regression, h);
    c.batch = 16;
    c.seed = 3;
    let mut race = Race::new(c);
    race.run(40);
    let want: Vec<[f64; 2]> = race.racers()[0]
        .trace()
        .samples()
        .iter()
        .map(|s| [s.theta.x, s.theta.y])
        .collect();
    // (serde_json's default parser may be an ulp off: compare within 1e-14.)
    let got = mini.as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        for i in 0..2 {
            let g = g[i].as_f64().unwrap();
            assert!(
                (g - w[i]).abs() <= 1e-14 * w[i].abs().max(1.0),
                "{g} vs {}",
                w[i]
            );
        }
    }
    // Landscapes without data ignore it.
    let bowl = |extra: &[&str]| {
        let mut args = vec!["trace", "--landscape", "bowl", "--optimizer", "sgd"];
        args.extend_from_slice(extra);
        downhill(&args).1
    };
    assert_eq!(bowl(&["--batch", "8"]), bowl(&[]));
}
