//! `cargo xtask dist [--debug]`: the page, built by trunk into `dist/`.
//!
//! After trunk, the inline `<script>` trunk writes to start the wasm (and any
//! other inline script or style) is moved into its own file, because the page
//! is served under [`crate::serve::CSP`], which allows no inline code.

use crate::tools::{self, say};
use crate::{root, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn run(args: &[String]) -> Result {
    let mut release = true;
    for arg in args {
        match arg.as_str() {
            "--debug" => release = false,
            "--release" => release = true,
            other => return Err(format!("dist: unexpected argument `{other}`")),
        }
    }
    build(release)
}

/// Installs what is missing, runs trunk, makes `dist/index.html` CSP-clean and
/// prints the sizes of what a visitor downloads.
pub fn build(release: bool) -> Result {
    tools::ensure_build_tools()?;
    check_trunk_toml()?;

    // trunk runs `cargo build --offline`: fetch whatever the lockfile needs first.
    say("cargo fetch (crates for trunk's offline build)…");
    tools::run(tools::cargo_command().arg("fetch"))?;

    let trunk = tools::which("trunk").ok_or("trunk is not on PATH after installing it")?;
    let mut cmd = tools::command(trunk);
    cmd.args(["build", "--offline"]);
    if release {
        cmd.arg("--release");
        // Link the page without the exports it never uses (see `link.rs`).
        let me =
            std::env::current_exe().map_err(|e| format!("cannot find this program's path: {e}"))?;
        forget_older_link(&me)?;
        cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", me)
            .env(crate::link::AS_LINKER, "1");
        say("trunk build --release --offline → dist/ (wasm-release profile + wasm-opt; a cold build takes minutes)…");
    } else {
        say("trunk build --offline → dist/ (debug)…");
    }
    tools::run(&mut cmd)?;

    let dist = root().join("dist");
    if release {
        check_not_linked()?;
        finish_release(&dist)?;
    }
    let moved = externalize_in_place(&dist)?;
    if moved > 0 {
        say(format!(
            "moved {moved} inline script/style block(s) out of index.html (the CSP forbids inline code)"
        ));
    }
    report_sizes(&dist)
}

/// Trunk's `[tools] wasm_bindgen` must name the `Cargo.lock` version: offline,
/// trunk cannot fetch another one, and a mismatched CLI breaks the JS glue.
fn check_trunk_toml() -> Result {
    let path = root().join("Trunk.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let lock = tools::wasm_bindgen_version()?;
    match trunk_tool_version(&text, "wasm_bindgen") {
        Some(v) if v == lock => Ok(()),
        Some(v) => Err(format!(
            "Trunk.toml has wasm_bindgen = \"{v}\" but Cargo.lock has wasm-bindgen {lock}: make them equal"
        )),
        None => Err("Trunk.toml has no [tools] wasm_bindgen version".to_owned()),
    }
}

/// `key = "value"` inside `[tools]` of a Trunk.toml.
pub fn trunk_tool_version(toml: &str, key: &str) -> Option<String> {
    let mut in_tools = false;
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_tools = line == "[tools]";
        } else if in_tools {
            let Some(rest) = line.strip_prefix(key) else {
                continue;
            };
            let Some(value) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let value = value.split('#').next()?.trim();
            return Some(value.strip_prefix('"')?.strip_suffix('"')?.to_owned());
        }
    }
    None
}

// ---------------------------------------------------------------------------
// CSP: no inline code

/// Rewrites `dir/index.html`, writing each inline block to a file beside it.
fn externalize_in_place(dir: &Path) -> Result<usize> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let (html, files) = externalize_inline(&html);
    for (name, content) in &files {
        std::fs::write(dir.join(name), content).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    if !files.is_empty() {
        std::fs::write(&index, &html)
            .map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    }
    if has_style_attribute(&html) {
        say("warning: dist/index.html has style=\"…\" attributes, which the CSP blocks");
    }
    Ok(files.len())
}

/// Code the page must not link, by a fragment of its symbol name, and what to
/// use instead. Each costs kilobytes of the download for little use.
const NOT_LINKED: &[(&[&str], &str)] = &[
    (
        &["dec2flt"],
        "`str::parse::<f64>` links 12 KB (gzipped) of tables and code: use `downhill_core::decimal::parse_f64`",
    ),
    (
        &["flt2dec"],
        "formatting an f64 with `{}`, `{:?}`, `{:.N}` or `{:e}` (or `f64::clamp` with bounds not known at compile time: its panic message formats them) links 8 KB (gzipped) of tables and code: use `downhill_core::decimal` (and `max`/`min`)",
    ),
    (
        &["init_current"],
        "`std::thread::current()` links std's thread-handle code (2.8 KB gzipped) into a page that has one thread; Leptos calls it through `send_wrapper`, which the workspace patches to crates/send-wrapper: is that patch still applied, and does the new caller need the thread at all?",
    ),
    (
        // In symbols mangled the legacy way (generic arguments) and the v0 way.
        &[
            "..into_underlying_",
            "20into_underlying_sink",
            "22into_underlying_source",
            "27into_underlying_byte_source",
        ],
        "wasm-streams' stream adapters (4.6 KB of the gzipped wasm, never run by the page) are linked: the release build must link through `xtask/src/link.rs`, which leaves out their exports",
    ),
];

/// Where Cargo puts the page's release wasm.
fn release_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("wasm32-unknown-unknown/wasm-release")
}

/// Deletes the page's linked wasm if it is older than `linker` (this
/// program, see `link.rs`). Cargo's fingerprint records the linker's path,
/// not its contents: without this, a change to how the page is linked would
/// leave the wasm linked the old way until its code changed. Without its
/// output, Cargo builds the page's crate again (about a minute), not its
/// dependencies.
fn forget_older_link(linker: &Path) -> Result {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let Some(linker_time) = modified(linker) else {
        return Ok(());
    };
    let dir = release_dir();
    let mut linked = vec![dir.join("downhill-app.wasm")];
    if let Ok(entries) = std::fs::read_dir(dir.join("deps")) {
        linked.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("downhill_app-") && n.ends_with(".wasm"))
                }),
        );
    }
    let older: Vec<PathBuf> = linked
        .into_iter()
        .filter(|p| modified(p).is_some_and(|t| t < linker_time))
        .collect();
    if !older.is_empty() {
        say(format!(
            "the page's wasm was linked before xtask was built: removing {} linked file(s) in {}, so that it is linked again",
            older.len(),
            dir.display()
        ));
    }
    for path in older {
        std::fs::remove_file(&path)
            .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Fails when the page's wasm links code in [`NOT_LINKED`]. Cargo's output (before
/// wasm-bindgen and wasm-opt) still has its name section, so the names show.
fn check_not_linked() -> Result {
    let path = release_dir().join("downhill-app.wasm");
    let wasm = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    match linked(&wasm, NOT_LINKED) {
        Some(why) => Err(format!("the page links code it must not: {why}")),
        None => Ok(()),
    }
}

fn linked(wasm: &[u8], list: &[(&[&str], &'static str)]) -> Option<&'static str> {
    list.iter()
        .find(|(names, _)| {
            names
                .iter()
                .any(|name| wasm.windows(name.len()).any(|w| w == name.as_bytes()))
        })
        .map(|(_, why)| *why)
}

/// Finishes trunk's release build: short names across the wasm ↔ JS boundary
/// and the unused exports dropped, with their classes in the glue (see
/// `boundary.rs`); wasm-opt's size passes; the functions ordered by likeness
/// (see `order.rs`); terser on the glue (npm, pinned in package.json: trunk's own minifier
/// cannot parse the glue's `export { … as default }` and leaves it as is),
/// then both files' `integrity="sha384-…"` in `index.html`, once each.
fn finish_release(dir: &Path) -> Result {
    let index = dir.join("index.html");
    let mut html = std::fs::read_to_string(&index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let wasm_files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_str().is_some_and(|n| n.ends_with("_bg.wasm")))
        .collect();
    let [wasm_path] = &wasm_files[..] else {
        return Err(format!(
            "expected one *_bg.wasm in dist/, found {}",
            wasm_files.len()
        ));
    };
    let wasm_name = wasm_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_owned();
    let js_name = format!("{}.js", wasm_name.trim_end_matches("_bg.wasm"));
    let js_path = dir.join(&js_name);
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let write = |p: &Path, bytes: &[u8]| {
        std::fs::write(p, bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    let (wasm, js) = (read(wasm_path)?, read(&js_path)?);
    let js_text = String::from_utf8(js.clone()).map_err(|_| format!("{js_name} is not UTF-8"))?;

    let (renamed, renames) = crate::boundary::rename_wasm(&wasm)?;
    write(wasm_path, &renamed)?;
    let glue = crate::boundary::rename_js(&js_text, &renames)?;
    write(
        &js_path,
        crate::boundary::drop_classes(&glue, &renames.dropped)?.as_bytes(),
    )?;
    // wasm-opt's one run (trunk runs none: index.html says `data-wasm-opt="0"`),
    // after the unused exports went, so their code goes too. -Os, not -Oz:
    // larger raw but smaller gzipped (what a visitor downloads), and it
    // inlines more. --low-memory-unused (1.3 KB gzipped less) lets it fold
    // small constants into load and store offsets; sound here, as Rust lays
    // out the wasm stack first, 1 MiB down from 0x100000, so the low KiB is
    // the stack's far end, touched only by a stack about to overflow. The
    // features come from the module's target_features section.
    wasm_opt(
        wasm_path,
        &[
            "-Os",
            "--converge",
            "--strip-producers",
            "--low-memory-unused",
        ],
    )?;
    // Similar functions next to each other (see `order.rs`), ordered by their
    // final bodies, so after the pass above: wasm-opt permutes them by the
    // names this writes, then drops the names.
    write(
        wasm_path,
        &crate::order::with_order_names(&read(wasm_path)?)?,
    )?;
    wasm_opt(
        wasm_path,
        &["--reorder-functions-by-name", "--strip-target-features"],
    )?;
    let node = tools::which("node").ok_or("node is not on PATH")?;
    tools::run(
        tools::command(node)
            .arg(root().join("node_modules/terser/bin/terser"))
            .arg(&js_path)
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(&js_path),
    )?;

    let (new_wasm, new_js) = (read(wasm_path)?, read(&js_path)?);
    for (name, before, after) in [(&wasm_name, &wasm, &new_wasm), (&js_name, &js, &new_js)] {
        html = replace_integrity(&html, name, &sri(before), &sri(after))
            .ok_or_else(|| format!("index.html has no integrity=\"{}\" for {name}", sri(before)))?;
    }
    write(&index, html.as_bytes())?;
    say(format!(
        "release: {} imports and {} exports renamed, {} unused exports dropped; wasm {} → {} bytes (wasm-opt -Os, functions ordered by likeness); glue {} → {} bytes (short names, terser)",
        renames.imports.len(),
        renames.exports.len(),
        renames.dropped.len(),
        wasm.len(),
        new_wasm.len(),
        js.len(),
        new_js.len()
    ));
    Ok(())
}

/// Runs npm's wasm-opt on `path` in place with `args`.
fn wasm_opt(path: &Path, args: &[&str]) -> Result {
    tools::run(
        tools::command(root().join("node_modules/.bin/wasm-opt"))
            .arg(path)
            .args(args)
            .arg("-o")
            .arg(path),
    )
}

/// A subresource-integrity value: `sha384-` and the base64 of the digest.
pub fn sri(content: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha384::digest(content);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `html` with `old` replaced by `new` in the integrity of every tag that
/// names `file`; None when no tag names `file` with that integrity.
pub fn replace_integrity(html: &str, file: &str, old: &str, new: &str) -> Option<String> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut found = false;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        out.push_str(&rest[..open]);
        if tag.contains(file) && tag.contains(old) {
            out.push_str(&tag.replace(old, new));
            found = true;
        } else {
            out.push_str(tag);
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    found.then_some(out)
}

/// Moves every inline JavaScript `<script>` and every `<style>` of an HTML
/// document into a file named after a hash of its content, replacing it with
/// `<script … src>` / `<link rel="stylesheet">`. Returns the new document and
/// the `(file name, content)` pairs to write beside it. Scripts that are not
/// JavaScript (JSON data, import maps) stay.
pub fn externalize_inline(html: &str) -> (String, Vec<(String, String)>) {
    let mut out = String::with_capacity(html.len());
    let mut files = Vec::new();
    let mut rest = html;
    while let Some((start, tag)) = next_open_tag(rest) {
        let Some(open_len) = rest[start..].find('>').map(|i| i + 1) else {
            break;
        };
        let attrs = rest[start + 1 + tag.len()..start + open_len - 1].trim_end();
        let attrs = attrs.strip_suffix('/').unwrap_or(attrs);
        let body_start = start + open_len;
        let close = format!("</{tag}");
        let Some(body_len) = find_ci(&rest[body_start..], &close) else {
            break;
        };
        let body = &rest[body_start..body_start + body_len];
        let Some(close_len) = rest[body_start + body_len..].find('>').map(|i| i + 1) else {
            break;
        };
        let end = body_start + body_len + close_len;

        let movable = !body.trim().is_empty()
            && match tag {
                "script" => attr(attrs, "src").is_none() && is_javascript(attr(attrs, "type")),
                _ => true,
            };
        out.push_str(&rest[..start]);
        if movable {
            let ext = if tag == "script" { "js" } else { "css" };
            let name = format!("inline-{:016x}.{ext}", fnv1a(body.as_bytes()));
            if tag == "script" {
                out.push_str(&format!("<script{attrs} src=\"./{name}\"></script>"));
            } else {
                out.push_str(&format!(
                    "<link rel=\"stylesheet\" href=\"./{name}\"{attrs}>"
                ));
            }
            files.push((name, body.to_owned()));
        } else {
            out.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, files)
}

/// The next `<script` or `<style` opening tag: its offset and lowercase name.
fn next_open_tag(html: &str) -> Option<(usize, &'static str)> {
    ["script", "style"]
        .into_iter()
        .filter_map(|tag| {
            let mut from = 0;
            while let Some(at) = find_ci(&html[from..], &format!("<{tag}")) {
                let at = from + at;
                // `<scripts>` or `<style-x>` are other tags.
                match html[at + 1 + tag.len()..].chars().next() {
                    Some(c) if c.is_whitespace() || c == '>' || c == '/' => {
                        return Some((at, tag));
                    }
                    _ => from = at + 1,
                }
            }
            None
        })
        .min_by_key(|&(at, _)| at)
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

/// The value of an attribute (`name="v"`, `name='v'`, `name=v` or bare `name`).
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start();
        let mut value = "";
        if let Some(after_eq) = rest.strip_prefix('=') {
            let after_eq = after_eq.trim_start();
            let (v, after) = match after_eq.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after_eq[1..];
                    let close = inner.find(q).unwrap_or(inner.len());
                    (&inner[..close], inner.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
                    (&after_eq[..end], &after_eq[end..])
                }
            };
            value = v;
            rest = after.trim_start();
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
    None
}

fn is_javascript(script_type: Option<&str>) -> bool {
    match script_type.map(|t| t.trim().to_ascii_lowercase()) {
        None => true,
        Some(t) => matches!(
            t.as_str(),
            "" | "module" | "text/javascript" | "application/javascript"
        ),
    }
}

fn has_style_attribute(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.contains(" style=") || lower.contains("\tstyle=") || lower.contains("\nstyle=")
}

/// FNV-1a, 64 bits: a stable content hash for file names (cache busting).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

// ---------------------------------------------------------------------------
// Sizes

/// Prints each wasm, js and css file of `dist/` with its raw and gzipped size.
pub fn report_sizes(dir: &Path) -> Result {
    let mut files = Vec::new();
    collect_files(dir, &mut files);
    files.retain(|f| {
        matches!(
            f.extension().and_then(|e| e.to_str()),
            Some("wasm" | "js" | "css" | "html")
        )
    });
    files.sort_by_key(|f| {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        let rank = ["wasm", "js", "css", "html"].iter().position(|e| *e == ext);
        (rank, f.clone())
    });
    say("dist sizes (raw / gzip -9):");
    let (mut raw_total, mut gz_total) = (0, 0);
    for file in &files {
        let raw = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(file);
        raw_total += raw;
        gz_total += gz.unwrap_or(0);
        let name = file.strip_prefix(dir).unwrap_or(file).display().to_string();
        println!(
            "  {name:<44} {:>10}  {:>10}",
            kib(raw),
            gz.map_or_else(|| "?".to_owned(), kib)
        );
    }
    println!(
        "  {:<44} {:>10}  {:>10}",
        "total",
        kib(raw_total),
        kib(gz_total)
    );
    Ok(())
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn gzip_size(file: &Path) -> Option<u64> {
    let output = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(file)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then_some(output.stdout.len() as u64)
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_OUTPUT: &str = r#"<!DOCTYPE html><html><head>
<link rel="modulepreload" href="/downhill-1a.js" crossorigin="anonymous" integrity="sha384-x">
<link rel="stylesheet" href="/style-2b.css" integrity="sha384-y"/>
<script type="application/json" id="data">{"a":1}</script>
</head><body>
<script type="module">
import init, * as bindings from '/downhill-1a.js';
const wasm = await init({ module_or_path: '/downhill-1a_bg.wasm' });
</script><SCRIPT src="/already.js"></SCRIPT>
<style media="print">body { color: black }</style>
</body></html>"#;

    #[test]
    fn finds_code_the_page_must_not_link_by_name() {
        let names = b"\0asm...name...core::num::dec2flt::lemire::compute_float...";
        assert_eq!(linked(names, NOT_LINKED), Some(NOT_LINKED[0].1));
        assert_eq!(linked(b"\0asm...core::num::fmt::...", NOT_LINKED), None);
        let thread = b"_RNvNtNtCsebHcaeoSrxy_3std6thread7current12init_current";
        assert_eq!(linked(thread, NOT_LINKED), Some(NOT_LINKED[2].1));
        let streams = b"drop_in_place$LT$wasm_streams..writable..into_underlying_sink..Inner$GT$";
        assert_eq!(linked(streams, NOT_LINKED), Some(NOT_LINKED[3].1));
        let v0 = b"_RNvMNtNtCs1_12wasm_streams8writable20into_underlying_sinkNtB2_18IntoUnderlyingSink5write";
        assert_eq!(linked(v0, NOT_LINKED), Some(NOT_LINKED[3].1));
        // wasm-bindgen's metadata names the classes and their JS imports, and
        // their describe functions stay: none of these is the adapters' code.
        let metadata = b"IntoUnderlyingSink __wbg_new_with_into_underlying_sink_2b75 __wbindgen_describe_intounderlyingsink_write_58a9";
        assert_eq!(linked(metadata, NOT_LINKED), None);
    }

    #[test]
    fn moves_inline_code_out() {
        let (html, files) = externalize_inline(TRUNK_OUTPUT);
        assert_eq!(files.len(), 2, "{files:?}");
        let (js, css) = (&files[0], &files[1]);
        assert!(js.0.starts_with("inline-") && js.0.ends_with(".js"));
        assert!(js.1.contains("await init("));
        assert!(css.0.ends_with(".css"));
        assert_eq!(css.1, "body { color: black }");
        assert!(
            html.contains(&format!(
                r#"<script type="module" src="./{}"></script>"#,
                js.0
            )),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                r#"<link rel="stylesheet" href="./{}" media="print">"#,
                css.0
            )),
            "{html}"
        );
        // Data blocks, external scripts and everything else stay as they were.
        assert!(html.contains(r#"<script type="application/json" id="data">{"a":1}</script>"#));
        assert!(html.contains(r#"<SCRIPT src="/already.js"></SCRIPT>"#));
        assert!(html.contains(r#"<link rel="modulepreload" href="/downhill-1a.js""#));
        assert!(!html.contains("await init"));
    }

    #[test]
    fn same_content_same_name_and_idempotent() {
        let (once, files) = externalize_inline(TRUNK_OUTPUT);
        let (_, again) = externalize_inline(TRUNK_OUTPUT);
        assert_eq!(files, again);
        let (twice, none) = externalize_inline(&once);
        assert!(none.is_empty());
        assert_eq!(once, twice);
    }

    #[test]
    fn leaves_documents_without_inline_code_alone() {
        let html = "<html><body><p>scripts and styles</p><scripts></scripts></body></html>";
        assert_eq!(externalize_inline(html), (html.to_owned(), vec![]));
        let empty = "<script type=module>  </script>";
        assert_eq!(externalize_inline(empty).1, vec![]);
    }

    #[test]
    fn attributes() {
        let a = r#" type="module" data-x='1 2' defer src=/a.js"#;
        assert_eq!(attr(a, "type"), Some("module"));
        assert_eq!(attr(a, "data-x"), Some("1 2"));
        assert_eq!(attr(a, "defer"), Some(""));
        assert_eq!(attr(a, "SRC"), Some("/a.js"));
        assert_eq!(attr(a, "nonce"), None);
        assert!(is_javascript(None));
        assert!(is_javascript(Some("Module")));
        assert!(!is_javascript(Some("importmap")));
    }

    #[test]
    fn sri_is_sha384_in_base64() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            sri(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn replace_integrity_touches_only_the_named_file() {
        let html = r#"<link href=/a-1.js integrity=sha384-OLD rel=modulepreload><link href=/b.css integrity=sha384-OLD rel=stylesheet>"#;
        let out = replace_integrity(html, "a-1.js", "sha384-OLD", "sha384-NEW").unwrap();
        assert_eq!(
            out,
            r#"<link href=/a-1.js integrity=sha384-NEW rel=modulepreload><link href=/b.css integrity=sha384-OLD rel=stylesheet>"#
        );
        assert_eq!(replace_integrity(html, "c.js", "sha384-OLD", "x"), None);
        assert_eq!(replace_integrity(html, "a-1.js", "sha384-OTHER", "x"), None);
    }

    #[test]
    fn trunk_toml_tool_versions() {
        let toml = "[build]\nwasm_bindgen = \"no\"\n[tools]\nwasm_opt = \"version_132\" # npm binaryen\nwasm_bindgen = \"0.2.130\"\n";
        assert_eq!(
            trunk_tool_version(toml, "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            trunk_tool_version(toml, "wasm_opt").as_deref(),
            Some("version_132")
        );
        assert_eq!(trunk_tool_version(toml, "sass"), None);
    }

    #[test]
    fn the_real_trunk_toml_matches_the_lockfile() {
        check_trunk_toml().unwrap();
        let toml = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        assert_eq!(
            trunk_tool_version(&toml, "wasm_opt"),
            Some(format!("version_{}", tools::BINARYEN_MAJOR))
        );
    }
}
