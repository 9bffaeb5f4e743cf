//! `cargo xtask doctor`: what is present and what is missing. Installs nothing.

use crate::tools::{self, Check};
use crate::Result;

pub fn run() -> Result {
    let mut checks: Vec<Check> = vec![tools::check_wasm_target(), tools::check_trunk()];
    match tools::wasm_bindgen_version() {
        Ok(version) => {
            checks.push(tools::check_wasm_bindgen(&version));
            checks.push(tools::check_test_runner(&version));
        }
        Err(e) => println!("xtask: doctor: {e}"),
    }
    checks.push(tools::check_node());
    checks.push(tools::check_npm());
    for package in tools::NPM_PACKAGES {
        checks.push(tools::check_npm_package(package));
    }
    checks.push(tools::check_file(tools::CHROMIUM));
    checks.push(tools::check_file(tools::CHROMEDRIVER));

    for check in &checks {
        let mark = match (check.ok, &check.found) {
            (true, _) => "ok     ",
            (false, Some(_)) => "WRONG  ",
            (false, None) => "MISSING",
        };
        println!("  {mark} {}", check.describe());
    }
    let missing = checks.iter().filter(|c| !c.ok).count();
    if missing == 0 {
        println!("xtask: doctor: everything present");
        Ok(())
    } else {
        Err(format!(
            "doctor: {missing} tool(s) missing or at the wrong version; `cargo xtask install` installs them"
        ))
    }
}
