//! Detecting and installing the tools the build and the tests need.
//!
//! Every `ensure_*` function checks first and prints one line: either
//! `xtask: <tool> <version> present` or `xtask: installing <tool> …` followed
//! by the installer's own output. Versions are pinned here (trunk), in
//! `Cargo.lock` (wasm-bindgen) and in `package.json` (npm packages).

use crate::{root, Result};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// trunk 0.22 needs a newer rustc than the one this project pins, so exactly this.
pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// wasm-opt comes from npm's `binaryen` at this major version. Debian's binaryen
/// (108) emits modules that crash Chromium, so it must never be the one used.
pub const BINARYEN_MAJOR: &str = "132";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The npm packages `package.json` must pin, and that `node_modules` must hold.
pub const NPM_PACKAGES: [&str; 3] = ["binaryen", "playwright-core", "terser"];

/// Prints one progress line.
pub fn say(message: impl AsRef<str>) {
    println!("xtask: {}", message.as_ref());
}

/// The cargo that runs us (so nested builds use the same toolchain).
pub fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => home_dir().join(".cargo").join("bin"),
    }
}

fn home_dir() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

pub fn node_bin_dir() -> PathBuf {
    root().join("node_modules").join(".bin")
}

/// `PATH` with `node_modules/.bin` (wasm-opt 132) and cargo's bin directory
/// (trunk, wasm-bindgen, wasm-bindgen-test-runner) in front, so every tool we
/// spawn, and every tool *they* spawn, finds the pinned versions first.
pub fn path_env() -> OsString {
    let mut dirs = vec![node_bin_dir(), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// A command run from the workspace root with [`path_env`] as its `PATH`.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root()).env("PATH", path_env());
    cmd
}

/// A `cargo` command (see [`command`]).
pub fn cargo_command() -> Command {
    command(cargo())
}

/// Runs a command with inherited stdio (its output is shown as it comes) and
/// fails if it does not exit successfully.
pub fn run(cmd: &mut Command) -> Result {
    let shown = show(cmd);
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its trimmed stdout if it succeeded.
pub fn capture(cmd: &mut Command) -> Option<String> {
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The command line, for messages.
pub fn show(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// Finds an executable on [`path_env`].
pub fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&path_env())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

// ---------------------------------------------------------------------------
// Version sources

/// The versions of `package` recorded in a `Cargo.lock`, in file order.
pub fn lock_versions(lock: &str, package: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut in_package = false;
    let mut name_matches = false;
    for line in lock.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[[package]]";
            name_matches = false;
        } else if !in_package {
            continue;
        } else if let Some(name) = toml_string(line, "name") {
            name_matches = name == package;
        } else if let Some(version) = toml_string(line, "version") {
            if name_matches {
                versions.push(version.to_owned());
            }
        }
    }
    versions
}

/// `key = "value"` → `value`.
fn toml_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
    rest.trim().strip_prefix('"')?.strip_suffix('"')
}

/// The single `wasm-bindgen` version in `Cargo.lock`: wasm-bindgen-cli must
/// match it exactly, or the generated JS glue does not fit the wasm.
pub fn wasm_bindgen_lock_version(lock: &str) -> Result<String> {
    let mut versions = lock_versions(lock, "wasm-bindgen");
    versions.dedup();
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err("Cargo.lock has no `wasm-bindgen` package".to_owned()),
        many => Err(format!(
            "Cargo.lock has several `wasm-bindgen` versions ({}); pin one",
            many.join(", ")
        )),
    }
}

/// Reads the workspace `Cargo.lock` and returns its wasm-bindgen version.
pub fn wasm_bindgen_version() -> Result<String> {
    let path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    wasm_bindgen_lock_version(&lock)
}

/// The second whitespace-separated word of a `--version` line: `trunk 0.21.14`,
/// `wasm-bindgen 0.2.130`, `Chromium 156.0.1 built on …`, `ChromeDriver 156.0.1 (…)`.
pub fn version_word(output: &str) -> Option<String> {
    output
        .lines()
        .next()?
        .split_whitespace()
        .nth(1)
        .map(str::to_owned)
}

/// The string value of the first `"key": "value"` in a JSON text. Enough for
/// `package.json` files (the `version` of a package, a pinned dependency)
/// without pulling a JSON parser into the task runner.
pub fn json_string(json: &str, key: &str) -> Option<String> {
    let quoted = format!("\"{key}\"");
    let mut from = 0;
    while let Some(at) = json[from..].find(&quoted) {
        let after = from + at + quoted.len();
        from = after;
        let Some(rest) = json[after..].trim_start().strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start().strip_prefix('"')?;
        return Some(rest[..rest.find('"')?].to_owned());
    }
    None
}

/// The exact version `package.json` pins for an npm package.
pub fn npm_pin(package: &str) -> Result<String> {
    let path = root().join("package.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let pin = json_string(&text, package)
        .ok_or_else(|| format!("package.json does not list `{package}`"))?;
    if !pin.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!(
            "package.json must pin `{package}` exactly (found `{pin}`)"
        ));
    }
    if package == "binaryen" && pin.split('.').next() != Some(BINARYEN_MAJOR) {
        return Err(format!(
            "package.json pins binaryen {pin}; trunk is configured for wasm-opt {BINARYEN_MAJOR}"
        ));
    }
    Ok(pin)
}

/// The version of an npm package installed in `node_modules`.
pub fn npm_installed(package: &str) -> Option<String> {
    let manifest = root()
        .join("node_modules")
        .join(package)
        .join("package.json");
    json_string(&std::fs::read_to_string(manifest).ok()?, "version")
}

// ---------------------------------------------------------------------------
// Detection

/// What `doctor` shows and what `ensure_*` decides on.
pub struct Check {
    pub name: String,
    /// The version we need, if a specific one.
    pub wanted: Option<String>,
    /// What is there: `None` when missing.
    pub found: Option<String>,
    pub ok: bool,
}

impl Check {
    fn new(name: impl Into<String>, wanted: Option<String>, found: Option<String>) -> Self {
        let ok = match (&wanted, &found) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(w), Some(f)) => w == f,
        };
        Check {
            name: name.into(),
            wanted,
            found,
            ok,
        }
    }

    /// `trunk 0.21.14 present`, `trunk missing (need 0.21.14)`, …
    pub fn describe(&self) -> String {
        match (&self.found, &self.wanted, self.ok) {
            (Some(found), _, true) if found.is_empty() => format!("{} present", self.name),
            (Some(found), _, true) => format!("{} {found} present", self.name),
            (Some(found), Some(wanted), false) => {
                format!("{} {found} present, but {wanted} is needed", self.name)
            }
            (_, Some(wanted), _) => format!("{} missing (need {wanted})", self.name),
            _ => format!("{} missing", self.name),
        }
    }
}

pub fn check_wasm_target() -> Check {
    let installed = capture(command("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|out| out.lines().any(|l| l.trim() == WASM_TARGET));
    Check::new(
        format!("rust target {WASM_TARGET}"),
        None,
        installed.then(String::new),
    )
}

fn tool_version(program: &str) -> Option<String> {
    // Resolved on our PATH, so a missing tool is `None` rather than an error.
    let path = which(program)?;
    capture(command(path).arg("--version")).and_then(|out| version_word(&out))
}

pub fn check_trunk() -> Check {
    Check::new(
        "trunk",
        Some(TRUNK_VERSION.to_owned()),
        tool_version("trunk"),
    )
}

pub fn check_wasm_bindgen(version: &str) -> Check {
    Check::new(
        "wasm-bindgen",
        Some(version.to_owned()),
        tool_version("wasm-bindgen"),
    )
}

pub fn check_test_runner(version: &str) -> Check {
    Check::new(
        "wasm-bindgen-test-runner",
        Some(version.to_owned()),
        tool_version("wasm-bindgen-test-runner"),
    )
}

pub fn check_node() -> Check {
    Check::new("node", None, tool_version_raw("node"))
}

pub fn check_npm() -> Check {
    Check::new("npm", None, tool_version_raw("npm"))
}

/// For tools whose `--version` prints only the version (`v20.1.0`, `11.0.0`).
fn tool_version_raw(program: &str) -> Option<String> {
    let path = which(program)?;
    capture(command(path).arg("--version")).filter(|v| !v.is_empty())
}

/// An npm package in `node_modules`; binaryen also needs its `wasm-opt` shim.
pub fn check_npm_package(package: &str) -> Check {
    let wanted = npm_pin(package).ok();
    let mut found = npm_installed(package);
    if package == "binaryen" && !node_bin_dir().join("wasm-opt").is_file() {
        found = None;
    }
    let name = if package == "binaryen" {
        "npm binaryen (node_modules/.bin/wasm-opt)".to_owned()
    } else {
        format!("npm {package}")
    };
    Check::new(name, wanted, found)
}

/// A program at a fixed path (Debian's Chromium and its driver).
pub fn check_file(path: &str) -> Check {
    let found = Path::new(path).is_file().then(|| {
        capture(Command::new(path).arg("--version"))
            .and_then(|out| version_word(&out))
            .unwrap_or_else(|| "(version unknown)".to_owned())
    });
    Check::new(path, None, found)
}

// ---------------------------------------------------------------------------
// Installation

fn present_or(check: &Check, what: &str) -> bool {
    if check.ok {
        say(check.describe());
    } else {
        say(format!("{} → installing {what}", check.describe()));
    }
    check.ok
}

pub fn ensure_wasm_target() -> Result {
    if present_or(&check_wasm_target(), &format!("{WASM_TARGET} (rustup)")) {
        return Ok(());
    }
    run(command("rustup").args(["target", "add", WASM_TARGET]))
}

pub fn ensure_trunk() -> Result {
    let what = format!("trunk {TRUNK_VERSION} (cargo install, ~20 min cold)…");
    if present_or(&check_trunk(), &what) {
        return Ok(());
    }
    run(cargo_command().args([
        "install",
        "--locked",
        "--force",
        "trunk",
        "--version",
        TRUNK_VERSION,
    ]))?;
    require(check_trunk())
}

/// wasm-bindgen-cli at the `Cargo.lock` version; it also brings
/// `wasm-bindgen-test-runner`.
pub fn ensure_wasm_bindgen() -> Result {
    let version = wasm_bindgen_version()?;
    let cli = check_wasm_bindgen(&version);
    let runner = check_test_runner(&version);
    let what = format!("wasm-bindgen-cli {version} (cargo install, ~6 min cold)…");
    if cli.ok && runner.ok {
        say(cli.describe());
        say(runner.describe());
        return Ok(());
    }
    say(format!(
        "{} → installing {what}",
        if cli.ok {
            runner.describe()
        } else {
            cli.describe()
        }
    ));
    // No --locked: wasm-bindgen-cli's own lockfile does not resolve on this index.
    run(cargo_command().args([
        "install",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &version,
    ]))?;
    require(check_wasm_bindgen(&version))?;
    require(check_test_runner(&version))
}

/// `npm ci` (or `npm install` without a lockfile) when `node_modules` does not
/// hold exactly the versions `package.json` pins.
pub fn ensure_npm_packages() -> Result {
    for package in NPM_PACKAGES {
        npm_pin(package)?;
    }
    let checks: Vec<Check> = NPM_PACKAGES.iter().map(|p| check_npm_package(p)).collect();
    if checks.iter().all(|c| c.ok) {
        checks.iter().for_each(|c| say(c.describe()));
        return Ok(());
    }
    let missing = checks.iter().find(|c| !c.ok).expect("one check failed");
    let (node, npm) = (check_node(), check_npm());
    if !node.ok || !npm.ok {
        return Err(format!(
            "{} and {}: install Node.js ≥ 20 with npm first",
            node.describe(),
            npm.describe()
        ));
    }
    let verb = if root().join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    say(format!(
        "{} → installing npm packages (npm {verb}, ~10 s)…",
        missing.describe()
    ));
    run(command(which("npm").expect("checked above")).args([verb, "--no-audit", "--no-fund"]))?;
    NPM_PACKAGES
        .iter()
        .try_for_each(|p| require(check_npm_package(p)))
}

/// Debian's Chromium and chromedriver, from apt if either is missing.
pub fn ensure_chromium() -> Result {
    let checks = [check_file(CHROMIUM), check_file(CHROMEDRIVER)];
    if checks.iter().all(|c| c.ok) {
        checks.iter().for_each(|c| say(c.describe()));
        return Ok(());
    }
    let missing = checks.iter().find(|c| !c.ok).expect("one check failed");
    say(format!(
        "{} → installing chromium chromium-driver (apt-get, ~2 min)…",
        missing.describe()
    ));
    let as_root = capture(Command::new("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut cmd = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    apt(&["update"])?;
    apt(&[
        "install",
        "-y",
        "--no-install-recommends",
        "chromium",
        "chromium-driver",
    ])?;
    require(check_file(CHROMIUM))?;
    require(check_file(CHROMEDRIVER))
}

/// What `dist` needs.
pub fn ensure_build_tools() -> Result {
    ensure_wasm_target()?;
    ensure_npm_packages()?;
    ensure_wasm_bindgen()?;
    ensure_trunk()
}

/// Everything: what `test` needs. Quick checks and installs first, so a broken
/// machine is reported before the long cargo installs.
pub fn ensure_all() -> Result {
    ensure_wasm_target()?;
    ensure_npm_packages()?;
    ensure_chromium()?;
    ensure_wasm_bindgen()?;
    ensure_trunk()
}

fn require(check: Check) -> Result {
    if check.ok {
        say(format!("{} (installed)", check.describe()));
        Ok(())
    } else {
        Err(format!("after installing: {}", check.describe()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.999"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen",
]

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "abc"
dependencies = [
 "cfg-if",
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-test"
version = "0.3.80"
"#;

    #[test]
    fn finds_the_wasm_bindgen_version_and_not_its_siblings() {
        assert_eq!(wasm_bindgen_lock_version(LOCK).unwrap(), "0.2.130");
        assert_eq!(lock_versions(LOCK, "wasm-bindgen-test"), ["0.3.80"]);
        assert!(lock_versions(LOCK, "wasm").is_empty());
    }

    #[test]
    fn wasm_bindgen_version_must_be_unique() {
        assert!(wasm_bindgen_lock_version("version = 4\n").is_err());
        let two = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.100\"\n");
        let err = wasm_bindgen_lock_version(&two).unwrap_err();
        assert!(err.contains("0.2.130") && err.contains("0.2.100"), "{err}");
    }

    #[test]
    fn the_real_lockfile_has_one_wasm_bindgen() {
        let version = wasm_bindgen_version().unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }

    #[test]
    fn version_lines() {
        assert_eq!(version_word("trunk 0.21.14").as_deref(), Some("0.21.14"));
        assert_eq!(
            version_word("wasm-bindgen 0.2.130\n").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            version_word("Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)")
                .as_deref(),
            Some("156.0.8078.79")
        );
        assert_eq!(version_word("trunk"), None);
        assert_eq!(version_word(""), None);
    }

    #[test]
    fn json_strings() {
        let json = r#"{ "name": "x", "version" : "1.65.1",
            "devDependencies": { "binaryen": "132.0.0", "playwright-core":"1.65.1" } }"#;
        assert_eq!(json_string(json, "version").as_deref(), Some("1.65.1"));
        assert_eq!(json_string(json, "binaryen").as_deref(), Some("132.0.0"));
        assert_eq!(
            json_string(json, "playwright-core").as_deref(),
            Some("1.65.1")
        );
        assert_eq!(json_string(json, "missing"), None);
        // A key that is only a value somewhere is skipped.
        assert_eq!(
            json_string(r#"{"a": "version", "version": "2"}"#, "version").as_deref(),
            Some("2")
        );
    }

    #[test]
    fn package_json_pins_what_the_tools_expect() {
        assert!(npm_pin("binaryen").unwrap().starts_with("132."));
        assert!(npm_pin("playwright-core").unwrap().starts_with("1."));
    }

    #[test]
    fn check_descriptions() {
        let ok = Check::new("trunk", Some("1".into()), Some("1".into()));
        assert!(ok.ok);
        assert_eq!(ok.describe(), "trunk 1 present");
        let wrong = Check::new("trunk", Some("1".into()), Some("2".into()));
        assert!(!wrong.ok);
        assert_eq!(wrong.describe(), "trunk 2 present, but 1 is needed");
        let missing = Check::new("trunk", Some("1".into()), None);
        assert_eq!(missing.describe(), "trunk missing (need 1)");
        assert!(!Check::new("x", None, None).ok);
        assert!(Check::new("x", None, Some("y".into())).ok);
        assert_eq!(
            Check::new("x", None, Some(String::new())).describe(),
            "x present"
        );
    }
}
