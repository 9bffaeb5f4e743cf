//! `downhill race` (a page link's export) and `downhill pytorch` (its PyTorch
//! snippet), exercised on the built binary.

use downhill_core::{Landscape, ScheduleKind};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn downhill(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_downhill"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_one_racer_race_prints_what_trace_prints() {
    let trace = downhill(&[
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
        "--clip",
        "1",
        "--noise",
        "0.3",
        "--seed",
        "7",
    ]);
    let race = downhill(&[
        "race",
        "--query",
        "l=ravine&o=nadam&s=-8,2&nadam.lr=0.05&max=300&clip=1&noise=0.3&seed=7",
    ]);
    assert_eq!(race, format!("[{}]\n", trace.trim_end()));
}

#[test]
fn race_csv_has_a_racer_column_and_stops_at_the_step_asked() {
    let csv = downhill(&[
        "race",
        "--query",
        "l=bowl&o=sgd,adam",
        "--steps",
        "3",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "racer,step,x,y,loss");
    assert_eq!(lines.len(), 1 + 2 * 4);
    assert_eq!(lines[1], "sgd,0,-4.0,3.0,25.0");
    assert!(lines[8].starts_with("adam,3,"));
    let json: Value =
        serde_json::from_str(&downhill(&["race", "--query", "l=bowl&o=sgd,adam&max=10"])).unwrap();
    let racers = json.as_array().unwrap();
    assert_eq!(racers.len(), 2);
    assert_eq!(racers[1]["optimizer"], "adam");
    assert_eq!(racers[1]["steps"], 10);
    assert_eq!(racers[1]["path"].as_array().unwrap().len(), 11);
}

/// Parses `source` with Python's own parser.
fn python_parses(source: &str) -> Result<(), String> {
    let mut child = Command::new("python3")
        .args(["-c", "import ast,sys; ast.parse(sys.stdin.read())"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3 is needed for this test and did not start: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Every racer (the default link enables all 14), every landscape, every
/// schedule, with clipping and noise, and the odd corners of the mapping.
fn queries() -> Vec<String> {
    let mut q: Vec<String> = Vec::new();
    for (i, kind) in ScheduleKind::ALL.iter().enumerate() {
        let l = Landscape::ALL[i % Landscape::ALL.len()];
        q.push(format!(
            "l={}&sched={}&clip=2&noise=0.3&seed={i}&max=120",
            l.slug(),
            kind.slug()
        ));
    }
    for l in Landscape::ALL {
        q.push(format!("l={}&lrx=0.3&max=50", l.slug()));
    }
    q.push(
        "sched=one_cycle_lr&sched.max_lr=0.1&sched.three_phase=1&sched.anneal_strategy=linear\
         &nesterov.momentum=0&rmsprop.centered=1&adamw.amsgrad=1&muon.nesterov=0\
         &nadam.decoupled_weight_decay=1&o=nesterov,rmsprop,adamw,muon,nadam"
            .into(),
    );
    q.push(String::new());
    q
}

#[test]
fn every_pytorch_snippet_is_valid_python() {
    for q in queries() {
        let snippet = downhill(&["pytorch", "--query", &q]);
        assert!(snippet.contains("import torch"), "{q}");
        if let Err(e) = python_parses(&snippet) {
            panic!("the snippet of ?{q} does not parse:\n{e}");
        }
    }
    // And the check fails on broken Python (so the loop above checks something).
    assert!(python_parses("def f(:\n").is_err());
}

#[test]
fn pytorch_runs_the_link_length_unless_told() {
    let s = downhill(&["pytorch", "--query", "l=bowl&max=77"]);
    assert!(s.contains("STEPS = 77\n"));
    let s = downhill(&["pytorch", "--query", "l=bowl&noise=1", "--steps", "5"]);
    assert!(s.contains("STEPS = 5\n"));
    let xi = &s[s.find("XI = [").unwrap()..];
    let xi = &xi[..xi.find("\n]\n").unwrap()];
    assert_eq!(xi.matches('(').count(), 5, "one draw per step");
}
