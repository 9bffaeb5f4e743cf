//! `cargo xtask bench`: benchmarks, output passed through.
//!
//! 1. native: `cargo run --release -p downhill-core --example bench`, when
//!    `crates/downhill-core/examples/bench.rs` exists;
//! 2. browser: `node tests/e2e/bench.mjs`, when it exists, against the release
//!    `dist/` served in-process (env `DOWNHILL_URL`, `DOWNHILL_ARTIFACTS`, as for
//!    the e2e tests).
//!
//! Add a benchmark by adding an entry to [`BENCHES`].

use crate::tools::{self, say};
use crate::{dist, root, serve, test, Result};
use std::path::{Path, PathBuf};

struct Bench {
    name: &'static str,
    /// The file whose presence enables this benchmark, relative to the root.
    needs: &'static str,
    run: fn(&Path) -> Result,
}

const BENCHES: [Bench; 2] = [
    Bench {
        name: "core (native, release)",
        needs: "crates/downhill-core/examples/bench.rs",
        run: core_bench,
    },
    Bench {
        name: "page (Chromium, release dist/)",
        needs: "tests/e2e/bench.mjs",
        run: browser_bench,
    },
];

pub fn run() -> Result {
    let mut ran = 0;
    for bench in &BENCHES {
        let file: PathBuf = root().join(bench.needs);
        if !file.is_file() {
            say(format!(
                "bench: {}: skipped, no {}",
                bench.name, bench.needs
            ));
            continue;
        }
        say(format!("bench: {}", bench.name));
        (bench.run)(&file).map_err(|e| format!("bench {} failed: {e}", bench.name))?;
        ran += 1;
    }
    if ran == 0 {
        return Err("no benchmark exists yet".to_owned());
    }
    say(format!("bench: {ran} benchmark(s) done"));
    Ok(())
}

fn core_bench(_example: &Path) -> Result {
    tools::run(tools::cargo_command().args([
        "run",
        "--release",
        "-p",
        "downhill-core",
        "--example",
        "bench",
    ]))
}

fn browser_bench(script: &Path) -> Result {
    tools::ensure_chromium()?;
    dist::build(true)?;
    let server = serve::start(&root().join("dist"), 0)?;
    say(format!(
        "serving dist/ at {} for the browser benchmark",
        server.url()
    ));
    let mut cmd = test::node_against(&server.url())?;
    cmd.arg(script);
    tools::run(&mut cmd)
}
