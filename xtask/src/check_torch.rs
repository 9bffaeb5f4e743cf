//! `cargo xtask check-torch [QUERY…]`: re-runs races with PyTorch and compares
//! every racer's path with Downhill's own (too heavy for every CI run).
//!
//! 1. A virtual environment in `target/check-torch/venv` (`python3 -m venv`)
//!    with `torch` from PyPI, installed once. PyPI's Linux x86_64 torch is a
//!    CUDA build whose `import torch` loads the CUDA libraries even on a
//!    machine without a GPU: `pip install torch --no-deps` plus the pure-Python
//!    dependencies does not import (`libcublasLt… not found`), so the CUDA
//!    wheels come too (about 5 GB unpacked). Only CPU code runs.
//! 2. For each scenario (a page link's query string: the defaults below, or the
//!    ones given on the command line), `downhill pytorch --query Q` prints the
//!    snippet, the venv's Python runs it, and `downhill race --query Q` prints
//!    Downhill's trajectories.
//! 3. Each racer must have the same number of points, the same `diverged_at`,
//!    and every coordinate within 1e-10·max(1, |coord|) at every step.
//! 4. When a scenario has a racer that does not, its snippet runs once more
//!    with every gradient multiplied by 1 + 1e-15·N(0, 1) (rounding-sized
//!    changes, as two correct implementations make): a racer whose torch path
//!    then moves by more than 1e-12 amplifies rounding so much that the
//!    comparison cannot be decided at this tolerance (e.g. AdaGrad bouncing in
//!    Rosenbrock's valley). It is shown as `ill-conditioned`, not as a failure.
//!
//! Prints a table (scenario, racer, max error, rounding sensitivity, result)
//! and fails if any row fails.

use crate::tools::{self, say};
use crate::{root, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The relative tolerance of the golden tests.
const TOLERANCE: f64 = 1e-10;
/// How far rounding-sized gradient changes may move a path that can still be
/// compared at [`TOLERANCE`].
const WELL_CONDITIONED: f64 = 1e-12;
/// Where the perturbation goes: right after the snippet's backward pass.
const BACKWARD: &str =
    "        (f(self.p) if BATCHES is None else f(self.p, BATCHES[k - 1])).backward()\n";

/// Every racer on every landscape, with every schedule, clipping, noise, the
/// multiplier, the hyperparameter corners of the torch mapping and divergence.
const SCENARIOS: &[&str] = &[
    "l=bowl&sched=one_cycle_lr&sched.total_steps=150&clip=1&noise=0.5&seed=3&max=200",
    "l=ravine&sched=step_lr&sched.step_size=50&sched.gamma=0.5&noise=0.3&seed=11&max=300",
    "l=saddle&sched=exponential_lr&sched.gamma=0.995&clip=2&max=300",
    "l=rosenbrock&sched=warmup_cosine&clip=5&noise=0.3&seed=7&max=300",
    "l=beale&sched=cosine_annealing_lr&sched.T_max=100&noise=0.1&seed=5&clip=3&max=400",
    "l=rotated_ravine&sched=linear_lr&sched.total_iters=40&lrx=0.7&noise=0.2&seed=9&max=300",
    "l=ravine&sched=one_cycle_lr&sched.total_steps=200&sched.three_phase=1\
     &sched.anneal_strategy=linear&sched.max_lr=0.05&max=250",
    "l=ravine&o=momentum,rmsprop,adagrad,adamw,nadam&momentum.dampening=0.3\
     &rmsprop.centered=1&rmsprop.momentum=0.5&adagrad.lr_decay=0.01\
     &adagrad.initial_accumulator_value=0.1&adamw.amsgrad=1&nadam.weight_decay=0.1\
     &nadam.decoupled_weight_decay=1&max=300",
    "l=rosenbrock&o=sgd,nesterov,adam,lion,lamb,muon&sgd.weight_decay=0.05\
     &nesterov.weight_decay=0.05&adam.weight_decay=0.05&lion.weight_decay=0.1\
     &lamb.weight_decay=0.01&muon.weight_decay=0.1&muon.nesterov=0&muon.ns_steps=3&max=300",
    "l=bowl&o=sgd,rmsprop,adam&sgd.lr=1e6&rmsprop.lr=1e8&adam.lr=1e9&max=50",
];

pub fn run(args: &[String]) -> Result {
    if args.iter().any(|a| a.starts_with('-')) {
        return Err("usage: cargo xtask check-torch [QUERY…]".into());
    }
    let dir = root().join("target").join("check-torch");
    let python = ensure_torch(&dir)?;
    say("check-torch: building the downhill CLI");
    tools::run(tools::cargo_command().args(["build", "-q", "-p", "downhill-cli"]))?;
    let cli = root().join("target").join("debug").join("downhill");
    // By default: the settings above, then every scene of the page.
    let queries: Vec<String> = if args.is_empty() {
        let scenes = output(Command::new(&cli).arg("scenes"))?;
        SCENARIOS
            .iter()
            .map(|s| s.to_string())
            .chain(
                scenes
                    .lines()
                    .filter_map(|l| l.split('\t').next())
                    .map(|slug| format!("scene={slug}")),
            )
            .collect()
    } else {
        args.to_vec()
    };

    let mut rows = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        say(format!(
            "check-torch: scenario {} of {}: ?{q}",
            i + 1,
            queries.len()
        ));
        let snippet = output(Command::new(&cli).args(["pytorch", "--query", q]))?;
        let file = dir.join(format!("scenario-{}.py", i + 1));
        let torch = run_python(&python, &file, &snippet)?;
        let ours = parse(
            &output(Command::new(&cli).args(["race", "--query", q]))?,
            Path::new("downhill race"),
        )?;
        if torch.len() != ours.len() {
            return Err(format!(
                "scenario {}: torch printed {} racers, Downhill {}",
                i + 1,
                torch.len(),
                ours.len()
            ));
        }
        let mut scenario: Vec<Row> = torch
            .iter()
            .zip(&ours)
            .map(|(t, d)| compare(i + 1, t, d))
            .collect();
        if scenario.iter().any(|r| r.result == Verdict::Fail) {
            let file = dir.join(format!("scenario-{}-perturbed.py", i + 1));
            let perturbed = run_python(&python, &file, &perturbed(&snippet)?)?;
            for ((row, t), p) in scenario.iter_mut().zip(&torch).zip(&perturbed) {
                row.judge_sensitivity(max_error(&path(p), &path(t)));
            }
        }
        rows.extend(scenario);
    }
    print_table(&queries, &rows);
    let failed = rows.iter().filter(|r| r.result == Verdict::Fail).count();
    let unsure = rows
        .iter()
        .filter(|r| r.result == Verdict::IllConditioned)
        .count();
    println!(
        "check-torch: {} rows: {} pass, {failed} fail, {unsure} ill-conditioned",
        rows.len(),
        rows.len() - failed - unsure
    );
    if failed > 0 {
        Err(format!("{failed} racer(s) disagree with torch"))
    } else {
        Ok(())
    }
}

/// The venv's python, with torch importable (installed if it is not).
fn ensure_torch(dir: &Path) -> Result<PathBuf> {
    let venv = dir.join("venv");
    let python = venv.join("bin").join("python");
    let imports = |python: &Path| {
        tools::capture(Command::new(python).args(["-c", "import torch; print(torch.__version__)"]))
    };
    if let Some(v) = imports(&python) {
        say(format!("check-torch: torch {v} in {}", venv.display()));
        return Ok(python);
    }
    if !python.is_file() {
        say(format!("check-torch: creating {}", venv.display()));
        let python3 = tools::which("python3").ok_or("python3 is not on PATH")?;
        tools::run(tools::command(python3).args(["-m", "venv"]).arg(&venv))?;
    }
    say("check-torch: installing torch from PyPI (a CUDA build: about 3 GB to download, once)");
    tools::run(tools::command(&python).args([
        "-m",
        "pip",
        "install",
        "--progress-bar",
        "off",
        "torch",
    ]))?;
    let v = imports(&python).ok_or("torch was installed but does not import")?;
    say(format!("check-torch: torch {v} installed"));
    Ok(python)
}

/// Runs a command and returns its stdout; its stderr is shown only if it fails.
fn output(cmd: &mut Command) -> Result<String> {
    let shown = tools::show(cmd);
    let out = cmd
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{shown}` failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("`{shown}` printed non-UTF-8: {e}"))
}

/// Writes `source` to `file`, runs it, and reads the racers it prints.
fn run_python(python: &Path, file: &Path, source: &str) -> Result<Vec<Value>> {
    std::fs::write(file, source).map_err(|e| format!("{}: {e}", file.display()))?;
    parse(&output(Command::new(python).arg(file))?, file)
}

/// The snippet with every gradient multiplied by 1 + 1e-15·N(0, 1) (seeded).
fn perturbed(snippet: &str) -> Result<String> {
    if !snippet.contains(BACKWARD) || !snippet.contains("\nimport torch\n") {
        return Err("the snippet no longer has the lines check-torch perturbs".into());
    }
    Ok(snippet
        .replacen(
            "\nimport torch\n",
            "\nimport torch\ntorch.manual_seed(0)\n",
            1,
        )
        .replacen(
            BACKWARD,
            &format!("{BACKWARD}        self.p.grad *= 1 + 1e-15 * torch.randn(2)\n"),
            1,
        ))
}

fn parse(text: &str, from: &Path) -> Result<Vec<Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(racers)) => Ok(racers),
        Ok(_) => Err(format!("{}: not a JSON array", from.display())),
        Err(e) => Err(format!("{}: not JSON: {e}", from.display())),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Pass,
    Fail,
    IllConditioned,
}

struct Row {
    scenario: usize,
    racer: String,
    /// Largest |Δ| / max(1, |coord|) over the common points.
    error: f64,
    /// The same between torch's path and torch's path with rounding-sized
    /// gradient changes (measured only for scenarios with a failing racer).
    sensitivity: Option<f64>,
    /// Why the paths differ beyond their points, if they do.
    shape: Option<String>,
    result: Verdict,
}

fn path(r: &Value) -> Vec<[f64; 2]> {
    r["path"]
        .as_array()
        .map(|p| {
            p.iter()
                .map(|q| {
                    let c = |i: usize| q[i].as_f64().unwrap_or(f64::NAN);
                    [c(0), c(1)]
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Largest relative difference over the points both paths have.
fn max_error(a: &[[f64; 2]], b: &[[f64; 2]]) -> f64 {
    a.iter()
        .zip(b)
        .flat_map(|(p, q)| (0..2).map(move |i| (p[i] - q[i]).abs() / q[i].abs().max(1.0)))
        .fold(
            0.0,
            |m, e| if e.is_nan() { f64::INFINITY } else { m.max(e) },
        )
}

impl Row {
    /// Turns a failure into `ill-conditioned` if rounding alone moves the path.
    fn judge_sensitivity(&mut self, sensitivity: f64) {
        self.sensitivity = Some(sensitivity);
        if self.result == Verdict::Fail && sensitivity > WELL_CONDITIONED {
            self.result = Verdict::IllConditioned;
        }
    }
}

fn compare(scenario: usize, torch: &Value, ours: &Value) -> Row {
    let (t, d) = (path(torch), path(ours));
    let error = max_error(&t, &d);
    let shape = if torch["optimizer"] != ours["optimizer"] {
        Some(format!(
            "racer {} vs {}",
            torch["optimizer"], ours["optimizer"]
        ))
    } else if t.len() != d.len() || torch["diverged_at"] != ours["diverged_at"] {
        Some(format!(
            "{} vs {} points, diverged_at {} vs {}",
            t.len(),
            d.len(),
            torch["diverged_at"],
            ours["diverged_at"]
        ))
    } else {
        None
    };
    let result = if shape.is_none() && error <= TOLERANCE {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    Row {
        scenario,
        racer: ours["optimizer"].as_str().unwrap_or("?").to_string(),
        error,
        sensitivity: None,
        shape,
        result,
    }
}

fn print_table(queries: &[String], rows: &[Row]) {
    println!();
    for (i, q) in queries.iter().enumerate() {
        println!("scenario {:>2}: ?{q}", i + 1);
    }
    println!();
    println!(
        "{:>8}  {:<9} {:>10} {:>11}  result",
        "scenario", "racer", "max error", "rounding"
    );
    for r in rows {
        let result = match r.result {
            Verdict::Pass => "pass".to_string(),
            Verdict::Fail => "FAIL".to_string(),
            Verdict::IllConditioned => {
                "ill-conditioned (1e-15 gradient changes move torch's own path more than 1e-12)"
                    .into()
            }
        };
        let shape = r
            .shape
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        let sensitivity = r
            .sensitivity
            .map_or_else(|| "-".to_string(), |s| format!("{s:.2e}"));
        println!(
            "{:>8}  {:<9} {:>10.2e} {sensitivity:>11}  {result}{shape}",
            r.scenario, r.racer, r.error
        );
    }
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn racer(name: &str, path: &[[f64; 2]], diverged_at: Option<u64>) -> Value {
        serde_json::json!({"optimizer": name, "path": path, "diverged_at": diverged_at,
                           "start": path.first().copied().unwrap_or([0.0, 0.0])})
    }

    #[test]
    fn rows_pass_fail_or_cannot_be_decided() {
        let d = racer("adam", &[[1.0, 2.0], [3.0, 4.0]], None);
        let close = racer("adam", &[[1.0, 2.0], [3.0 + 1e-12, 4.0]], None);
        let far = racer("adam", &[[1.0, 2.0], [3.0 + 1e-6, 4.0]], None);
        assert!(compare(1, &close, &d).result == Verdict::Pass);
        let mut row = compare(1, &far, &d);
        assert!(row.result == Verdict::Fail);
        row.judge_sensitivity(1e-14);
        assert!(
            row.result == Verdict::Fail,
            "well-conditioned: a real failure"
        );
        row.judge_sensitivity(1e-9);
        assert!(row.result == Verdict::IllConditioned);
        let short = racer("adam", &[[1.0, 2.0]], Some(1));
        let r = compare(1, &short, &d);
        assert!(r.result == Verdict::Fail && r.shape.is_some());
        let nan = racer("adam", &[[1.0, 2.0], [f64::NAN, 4.0]], None);
        assert!(compare(1, &nan, &d).result == Verdict::Fail);
    }

    #[test]
    fn the_perturbation_lands_after_the_backward_pass() {
        let s = format!("import json\nimport torch\n\n    def step(self):\n{BACKWARD}        x\n");
        let p = perturbed(&s).unwrap();
        assert!(p.contains("import torch\ntorch.manual_seed(0)\n"));
        assert!(
            p.contains("backward()\n        self.p.grad *= 1 + 1e-15 * torch.randn(2)\n        x")
        );
        assert!(perturbed("nothing").is_err());
    }
}
