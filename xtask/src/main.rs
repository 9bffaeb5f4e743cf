//! Downhill's task runner: `cargo xtask <command>`.
//!
//! Each command lives in its own module; this file only parses the command
//! line and dispatches. Everything the build and the tests need (wasm target,
//! trunk, wasm-bindgen-cli, npm packages, Chromium) is installed on demand by
//! `tools`, so a fresh machine only needs `cargo`, `rustup`, `node` and `npm`.

mod bench;
mod boundary;
mod check_torch;
mod dist;
mod doctor;
mod link;
mod order;
mod serve;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Every fallible step reports a human-readable message; `main` prints it.
pub type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  doctor                   report which build/test tools are present or missing
  install                  install every missing tool (what `test` would install)
  dist [--debug]           build the page into dist/ with trunk (release by default)
  serve [--port N] [--no-build] [--debug]
                           build, then serve dist/ on http://127.0.0.1:N/ (default 8080)
  test                     fmt, clippy, native tests, wasm build, browser tests, e2e
  bench                    run the core benchmark (and tests/e2e/bench.mjs if present)
  check-torch [QUERY...]   re-run races with PyTorch (installed in a venv under target/)
                           and compare every racer's path with Downhill's
  help                     show this text
";

fn main() -> ExitCode {
    if std::env::var_os(link::AS_LINKER).is_some() {
        return link::main();
    }
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_else(|| "help".to_owned());
    let rest: Vec<String> = args.collect();
    let result = match command.as_str() {
        "doctor" => no_args(&rest).and_then(|()| doctor::run()),
        "install" => no_args(&rest).and_then(|()| tools::ensure_all()),
        "dist" => dist::run(&rest),
        "serve" => serve::run(&rest),
        "test" => no_args(&rest).and_then(|()| test::run()),
        "bench" => no_args(&rest).and_then(|()| bench::run()),
        "check-torch" => check_torch::run(&rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn no_args(rest: &[String]) -> Result {
    match rest.first() {
        None => Ok(()),
        Some(arg) => Err(format!("unexpected argument `{arg}`\n\n{USAGE}")),
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
