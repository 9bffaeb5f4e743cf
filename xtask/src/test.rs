//! `cargo xtask test`: everything CI checks, in order, stopping at the first
//! failure. Tool output is passed through as it comes.

use crate::tools::{self, say};
use crate::{dist, root, serve, Result};
use std::path::PathBuf;
use std::process::Command;

/// A named step.
type Step = (&'static str, fn() -> Result);

/// The steps, in order: cheap and local first, browser last.
const STEPS: [Step; 9] = [
    ("cargo fmt --check", fmt),
    ("clippy (native crates, all targets)", clippy_native),
    ("clippy (the app and its browser tests, wasm32)", clippy_app),
    ("native tests (app logic, core, cli, xtask)", native_tests),
    ("long runs (core, release, ignored in debug)", long_runs),
    ("core builds for wasm32", core_wasm_build),
    ("wasm-bindgen tests in headless Chromium", browser_tests),
    ("release build (dist/)", release_build),
    ("end-to-end tests (playwright-core + Chromium)", e2e_tests),
];

pub fn run() -> Result {
    say("test: installing what the tests need");
    tools::ensure_all()?;
    let total = STEPS.len();
    for (i, (name, step)) in STEPS.iter().enumerate() {
        say(format!("test [{}/{total}]: {name}", i + 1));
        step().map_err(|e| format!("test step {}/{total} ({name}) failed: {e}", i + 1))?;
    }
    println!("xtask test: all steps passed");
    Ok(())
}

fn cargo(args: &[&str]) -> Command {
    let mut cmd = tools::cargo_command();
    cmd.args(args);
    cmd
}

fn fmt() -> Result {
    tools::run(&mut cargo(&["fmt", "--all", "--", "--check"]))
}

fn clippy_native() -> Result {
    tools::run(&mut cargo(&[
        "clippy",
        "-p",
        "downhill",
        "-p",
        "downhill-kernel",
        "-p",
        "downhill-core",
        "-p",
        "downhill-cli",
        "-p",
        "send_wrapper",
        "-p",
        "xtask",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_app() -> Result {
    // `--tests`: the browser tests (tests/web.rs) too, so an API change that
    // breaks them fails here, minutes before the browser step.
    tools::run(&mut cargo(&[
        "clippy",
        "-p",
        "downhill",
        "--target",
        tools::WASM_TARGET,
        "--tests",
        "--",
        "-D",
        "warnings",
    ]))
}

fn native_tests() -> Result {
    tools::run(&mut cargo(&[
        "test",
        "-p",
        "downhill",
        "-p",
        "downhill-kernel",
        "-p",
        "downhill-core",
        "-p",
        "downhill-cli",
        "-p",
        "send_wrapper",
        "-p",
        "xtask",
    ]))
}

/// The tests too slow for a debug build (`#[ignore]`d there): 10⁶-step races.
fn long_runs() -> Result {
    tools::run(&mut cargo(&[
        "test",
        "-p",
        "downhill-core",
        "--release",
        "--test",
        "long_runs",
        "--",
        "--ignored",
    ]))
}

fn core_wasm_build() -> Result {
    tools::run(&mut cargo(&[
        "build",
        "-p",
        "downhill-core",
        "--target",
        tools::WASM_TARGET,
    ]))
}

/// `cargo test` on wasm32 runs each test binary through
/// `wasm-bindgen-test-runner`, which drives Chromium through chromedriver
/// (chosen by `CHROMEDRIVER`) with the capabilities in `./webdriver.json`.
fn browser_tests() -> Result {
    let webdriver = root().join("webdriver.json");
    if !webdriver.is_file() {
        return Err(format!("{} is missing", webdriver.display()));
    }
    // Integration tests only (tests/*.rs): the lib's plain #[test]s run natively.
    let mut cmd = cargo(&[
        "test",
        "-p",
        "downhill",
        "--target",
        tools::WASM_TARGET,
        "--test",
        "*",
    ]);
    cmd.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
    .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver)
    // Cold Chromium on a 2-core machine: the default 20 s is tight.
    .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
    // A single browser, however many drivers happen to be on PATH.
    .env_remove("GECKODRIVER")
    .env_remove("SAFARIDRIVER")
    .env_remove("MSEDGEDRIVER")
    .env_remove("NO_HEADLESS");
    tools::run(&mut cmd)
}

fn release_build() -> Result {
    dist::build(true)
}

/// The spec files of the e2e suite: `tests/e2e/*.spec.mjs`. Named explicitly
/// because node 20's `--test <dir>` only picks up `*.test.mjs`-style names.
pub fn e2e_specs() -> Result<Vec<PathBuf>> {
    let dir = root().join("tests").join("e2e");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".spec.mjs"))
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("no *.spec.mjs files in {}", dir.display()));
    }
    Ok(specs)
}

/// A `node` command pointed at the served page, with an artifacts directory.
pub fn node_against(url: &str) -> Result<Command> {
    let node = tools::which("node").ok_or("node is not on PATH")?;
    let artifacts = root().join("tests").join("e2e").join("artifacts");
    std::fs::create_dir_all(&artifacts)
        .map_err(|e| format!("cannot create {}: {e}", artifacts.display()))?;
    let mut cmd = tools::command(node);
    cmd.env("DOWNHILL_URL", url)
        .env("DOWNHILL_ARTIFACTS", artifacts)
        .env("CHROMIUM", tools::CHROMIUM);
    Ok(cmd)
}

fn e2e_tests() -> Result {
    // The specs compare the page with the CLI's traces.
    tools::run(&mut cargo(&["build", "-p", "downhill-cli"]))?;
    let cli = root().join("target").join("debug").join("downhill");
    let server = serve::start(&root().join("dist"), 0)?;
    say(format!(
        "serving dist/ at {} for the e2e tests",
        server.url()
    ));
    let mut cmd = node_against(&server.url())?;
    cmd.env("DOWNHILL_CLI", cli);
    // A test that hangs (a page promise that never settles) fails after ten
    // minutes instead of holding CI until its limit; the slowest (300 hostile
    // links) takes under two.
    cmd.args(["--test", "--test-reporter=spec", "--test-timeout=600000"]);
    cmd.args(e2e_specs()?);
    tools::run(&mut cmd)
}
