//! The release page's linker: rust-lld, without the exports the page never
//! uses, so that their code is not linked at all.
//!
//! rustc exports every `#[wasm_bindgen]` function of every crate in the
//! build, and Leptos brings in wasm-streams' stream adapters this way (see
//! [`crate::boundary::is_unused_export`]). Dropped after linking (as
//! `boundary` did alone before), they left their closures' functions in the
//! indirect-call table, which no later pass can prove dead: code the page
//! never runs, 4.6 KB of the gzipped wasm (11.7 KiB raw) plus 0.2 KB of glue
//! for the JS functions only that code called, measured on the release build.
//! Linked without the exports, that code is never reached and wasm-ld leaves
//! it out.
//!
//! wasm-bindgen still expects every export its metadata names, so each one
//! comes back as a stub of the same type whose body traps; `boundary` drops
//! the stubs and their JS classes as before, and wasm-opt the stubs' bodies.
//!
//! `cargo xtask dist` sets the environment variable [`AS_LINKER`] and makes
//! this program the wasm target's linker for trunk's release build; rustc
//! then runs it with rust-lld's arguments (or a response file of them), and
//! `main` comes here first. Only the page's own wasm is relinked; any other
//! wasm link (a dependency's cdylib) is rust-lld's, unchanged. Cargo does not
//! relink when only the linker changes, so `dist` deletes a page wasm older
//! than this program first.

use crate::boundary::{err, is_unused_export};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use wasm_encoder::Encode;
use wasmparser::{BinaryReader, ExternalKind, Parser, Payload, TypeRef};

/// Set (to anything) when rustc runs this program as the linker.
pub const AS_LINKER: &str = "DOWNHILL_XTASK_AS_LINKER";

/// The linker's entry point: links, reports any failure on stderr (rustc
/// shows it) and exits as rust-lld would.
pub fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match link(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask (as the wasm linker): {message}");
            ExitCode::FAILURE
        }
    }
}

fn link(args: &[OsString]) -> Result<(), String> {
    let args = Args::read(args)?;
    let out = args
        .list
        .iter()
        .position(|a| a == "-o")
        .and_then(|i| args.list.get(i + 1))
        .map(PathBuf::from)
        .ok_or("no `-o <output>` among the linker's arguments")?;
    args.rust_lld(&args.list)?;
    // Only the page: other wasm links (a dependency's own cdylib) as they are.
    if !is_the_page(&out) {
        return Ok(());
    }
    let unused = unused_exports(&read(&out)?)?;
    if unused.is_empty() {
        return Ok(());
    }
    args.rust_lld(&without_exports(&args.list, &unused))?;
    // Stubs only for what the second link left out (an export that came
    // back some other way is not stubbed twice).
    let lean = read(&out)?;
    let still = unused_exports(&lean)?;
    let missing: Vec<Unused> = unused.into_iter().filter(|u| !still.contains(u)).collect();
    let stubbed = with_stubs(&lean, &missing)?;
    std::fs::write(&out, stubbed).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// Whether `out` is the page's wasm (Cargo names it `downhill_app-<hash>.wasm`).
fn is_the_page(out: &Path) -> bool {
    out.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("downhill_app") && n.ends_with(".wasm"))
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The linker's arguments, as rustc gave them: on the command line, or in a
/// response file (`@path`) when the command line would be too long.
struct Args {
    list: Vec<OsString>,
    /// The response file they came in, if any.
    file: Option<PathBuf>,
}

impl Args {
    fn read(args: &[OsString]) -> Result<Args, String> {
        match args {
            [one] if one.to_string_lossy().starts_with('@') => {
                let path = PathBuf::from(&one.to_string_lossy()[1..]);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                Ok(Args {
                    list: parse_response_file(&text),
                    file: Some(path),
                })
            }
            _ if args.iter().any(|a| a.to_string_lossy().starts_with('@')) => {
                Err("a response file among other arguments: not what rustc writes".into())
            }
            _ => Ok(Args {
                list: args.to_vec(),
                file: None,
            }),
        }
    }

    /// Runs rust-lld (which rustc puts on the linker's PATH) with `list`, in a
    /// response file beside rustc's if rustc used one.
    fn rust_lld(&self, list: &[OsString]) -> Result<(), String> {
        let mut cmd = Command::new("rust-lld");
        match &self.file {
            Some(file) => {
                let ours = file.with_extension("downhill-link");
                std::fs::write(&ours, write_response_file(list))
                    .map_err(|e| format!("cannot write {}: {e}", ours.display()))?;
                cmd.arg(format!("@{}", ours.display()));
            }
            None => {
                cmd.args(list);
            }
        }
        let status = cmd
            .status()
            .map_err(|e| format!("cannot run rust-lld: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("rust-lld failed ({status})"))
        }
    }
}

/// rustc's response file for a GNU-style linker: one argument per line, with
/// `\` and spaces escaped by a `\`.
fn parse_response_file(text: &str) -> Vec<OsString> {
    text.lines()
        .map(|line| {
            let mut arg = String::with_capacity(line.len());
            let mut chars = line.chars();
            while let Some(c) = chars.next() {
                arg.push(if c == '\\' {
                    chars.next().unwrap_or(c)
                } else {
                    c
                });
            }
            OsString::from(arg)
        })
        .collect()
}

/// The response file rust-lld reads back as `list` (as rustc writes one).
fn write_response_file(list: &[OsString]) -> String {
    let mut out = String::new();
    for arg in list {
        for c in arg.to_string_lossy().chars() {
            if c == '\\' || c == ' ' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

/// An export to leave out: its name and its function type.
#[derive(Debug, PartialEq)]
struct Unused {
    name: String,
    params: Vec<wasmparser::ValType>,
    results: Vec<wasmparser::ValType>,
}

/// The exported functions of `wasm` that the page never uses, with their types.
fn unused_exports(wasm: &[u8]) -> Result<Vec<Unused>, String> {
    let mut types: Vec<wasmparser::FuncType> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut exports: Vec<(String, u32)> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(err)? {
            Payload::TypeSection(r) => {
                for ty in r.into_iter_err_on_gc_types() {
                    types.push(ty.map_err(err)?);
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    if let TypeRef::Func(t) = import.map_err(err)?.ty {
                        func_types.push(t);
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    func_types.push(t.map_err(err)?);
                }
            }
            Payload::ExportSection(r) => {
                for export in r {
                    let export = export.map_err(err)?;
                    if export.kind == ExternalKind::Func && is_unused_export(export.name) {
                        exports.push((export.name.to_owned(), export.index));
                    }
                }
            }
            _ => {}
        }
    }
    exports
        .into_iter()
        .map(|(name, index)| {
            let ty = func_types
                .get(index as usize)
                .and_then(|&t| types.get(t as usize))
                .ok_or_else(|| format!("the export `{name}` has no function type"))?;
            Ok(Unused {
                name,
                params: ty.params().to_vec(),
                results: ty.results().to_vec(),
            })
        })
        .collect()
}

/// The linker's arguments without `--export <name>` for the `unused` names.
fn without_exports(args: &[OsString], unused: &[Unused]) -> Vec<OsString> {
    let dropped = |a: &OsStr| unused.iter().any(|u| a == u.name.as_str());
    let mut out = Vec::with_capacity(args.len());
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--export" && args.get(i + 1).is_some_and(|a| dropped(a)) {
            i += 2;
            continue;
        }
        if args[i]
            .to_str()
            .and_then(|a| a.strip_prefix("--export="))
            .is_some_and(|a| dropped(OsStr::new(a)))
        {
            i += 1;
            continue;
        }
        out.push(args[i].clone());
        i += 1;
    }
    out
}

/// `wasm` with a function per `unused` export, of its type, that traps,
/// exported under its name: what wasm-bindgen needs to find. Validated.
fn with_stubs(wasm: &[u8], unused: &[Unused]) -> Result<Vec<u8>, String> {
    let mut module = wasm_encoder::Module::new();
    let (mut type_count, mut func_count) = (0_u32, 0_u32);
    let mut seen = [false; 4];
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        if let Payload::ImportSection(r) = &payload {
            for import in r.clone().into_imports() {
                if let TypeRef::Func(_) = import.map_err(err)?.ty {
                    func_count += 1;
                }
            }
        }
        let Some((id, range)) = payload.as_section() else {
            continue;
        };
        let data = &wasm[range.clone()];
        let n = unused.len();
        let section = match id {
            // Types: the stubs' types after the module's own.
            1 => {
                seen[0] = true;
                let (count, out) = append_entries(data, range.start, n, |out| {
                    for u in unused {
                        out.push(0x60); // a function type: its parameters, then its results
                        for list in [&u.params, &u.results] {
                            (list.len() as u32).encode(out);
                            for &t in list.iter() {
                                val_type(t)?.encode(out);
                            }
                        }
                    }
                    Ok(())
                })?;
                type_count = count;
                out
            }
            // Functions: each stub's type index.
            3 => {
                seen[1] = true;
                let (count, out) = append_entries(data, range.start, n, |out| {
                    (0..n as u32).for_each(|i| (type_count + i).encode(out));
                    Ok(())
                })?;
                func_count += count;
                out
            }
            // Exports: each stub under its name.
            7 => {
                seen[2] = true;
                append_entries(data, range.start, n, |out| {
                    for (i, u) in unused.iter().enumerate() {
                        u.name.as_str().encode(out);
                        out.push(0x00); // a function
                        (func_count + i as u32).encode(out);
                    }
                    Ok(())
                })?
                .1
            }
            // Code: each stub's body, no locals, `unreachable`.
            10 => {
                seen[3] = true;
                append_entries(data, range.start, n, |out| {
                    let mut f = wasm_encoder::Function::new([]);
                    f.instructions().unreachable().end();
                    (0..n).for_each(|_| f.encode(out));
                    Ok(())
                })?
                .1
            }
            _ => data.to_vec(),
        };
        module.section(&wasm_encoder::RawSection { id, data: &section });
    }
    if seen != [true; 4] {
        return Err("the linked wasm lacks a type, function, export or code section".into());
    }
    let stubbed = module.finish();
    wasmparser::Validator::new()
        .validate_all(&stubbed)
        .map_err(|e| format!("the wasm with stubs is not valid: {e}"))?;
    Ok(stubbed)
}

/// A section that is a vector (its count, then its entries) with `extra`
/// more entries, which `append` writes after the others; and the old count.
fn append_entries(
    data: &[u8],
    offset: usize,
    extra: usize,
    append: impl FnOnce(&mut Vec<u8>) -> Result<(), String>,
) -> Result<(u32, Vec<u8>), String> {
    let mut r = BinaryReader::new(data, offset);
    let count = r.read_var_u32().map_err(err)?;
    let mut out = Vec::with_capacity(data.len() + 32 * extra);
    (count + extra as u32).encode(&mut out);
    out.extend_from_slice(&data[r.current_position()..]);
    append(&mut out)?;
    Ok((count, out))
}

fn val_type(t: wasmparser::ValType) -> Result<wasm_encoder::ValType, String> {
    use wasmparser::ValType as V;
    Ok(match t {
        V::I32 => wasm_encoder::ValType::I32,
        V::I64 => wasm_encoder::ValType::I64,
        V::F32 => wasm_encoder::ValType::F32,
        V::F64 => wasm_encoder::ValType::F64,
        V::V128 => wasm_encoder::ValType::V128,
        V::Ref(r) if r == wasmparser::RefType::EXTERNREF => wasm_encoder::ValType::EXTERNREF,
        V::Ref(r) if r == wasmparser::RefType::FUNCREF => wasm_encoder::ValType::FUNCREF,
        V::Ref(r) => {
            return Err(format!(
                "an unused export takes or returns a {r}: no stub for it"
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
        ImportSection, Module, TypeSection, ValType,
    };

    /// A linked module: an import, `filler` exported functions (so that the
    /// counts can take more than one LEB128 byte), `main`, and if `unused` a
    /// function of another type exported under an unused class's name.
    fn linked(unused: bool, filler: u32) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        types
            .ty()
            .function([ValType::I32, ValType::F64], [ValType::I32]);
        m.section(&types);
        let mut imports = ImportSection::new();
        imports.import("env", "log", EntityType::Function(0));
        m.section(&imports);
        let (mut funcs, mut exports, mut code) = (
            FunctionSection::new(),
            ExportSection::new(),
            CodeSection::new(),
        );
        for i in 0..filler {
            funcs.function(0);
            exports.export(&format!("f{i}"), ExportKind::Func, 1 + i);
            let mut f = Function::new([]);
            f.instructions().end();
            code.function(&f);
        }
        funcs.function(0);
        exports.export("main", ExportKind::Func, 1 + filler);
        let mut main = Function::new([]);
        main.instructions().call(0).end();
        code.function(&main);
        if unused {
            funcs.function(1);
            exports.export(
                "intounderlyingsink_write_58a9",
                ExportKind::Func,
                2 + filler,
            );
            let mut write = Function::new([]);
            write.instructions().i32_const(7).end();
            code.function(&write);
        }
        m.section(&funcs);
        m.section(&exports);
        m.section(&code);
        m.finish()
    }

    /// `linked(false, filler)` with the stubs for `linked(true, 0)`'s unused
    /// export (a valid module, or `with_stubs` fails), which it exports again
    /// with the same type.
    fn stubbed(filler: u32) -> Vec<u8> {
        let unused = unused_exports(&linked(true, 0)).unwrap();
        let stubbed = with_stubs(&linked(false, filler), &unused).unwrap();
        assert_eq!(unused_exports(&stubbed).unwrap(), unused);
        stubbed
    }

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn finds_the_unused_exports_with_their_types() {
        let found = unused_exports(&linked(true, 0)).unwrap();
        assert_eq!(
            found,
            [Unused {
                name: "intounderlyingsink_write_58a9".into(),
                params: vec![wasmparser::ValType::I32, wasmparser::ValType::F64],
                results: vec![wasmparser::ValType::I32],
            }]
        );
        assert_eq!(unused_exports(&linked(false, 0)).unwrap(), []);
    }

    #[test]
    fn the_second_link_leaves_out_only_the_unused_exports() {
        let unused = unused_exports(&linked(true, 0)).unwrap();
        let args = os(&[
            "-flavor",
            "wasm",
            "--export",
            "main",
            "--export",
            "intounderlyingsink_write_58a9",
            "--export=intounderlyingsink_write_58a9",
            "--export",
            "__wbindgen_describe_intounderlyingsink_write_58a9",
            "-o",
            "out.wasm",
        ]);
        assert_eq!(
            without_exports(&args, &unused),
            os(&[
                "-flavor",
                "wasm",
                "--export",
                "main",
                "--export",
                "__wbindgen_describe_intounderlyingsink_write_58a9",
                "-o",
                "out.wasm",
            ])
        );
    }

    #[test]
    fn stubs_restore_each_export_with_its_type_and_a_trapping_body() {
        let stubbed = stubbed(0);
        // Its body is `unreachable`; `main` is untouched.
        let mut bodies = Vec::new();
        for payload in Parser::new(0).parse_all(&stubbed) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let ops: Vec<String> = body
                    .get_operators_reader()
                    .unwrap()
                    .into_iter()
                    .map(|op| format!("{:?}", op.unwrap()))
                    .collect();
                bodies.push(ops.join(" "));
            }
        }
        assert_eq!(
            bodies,
            ["Call { function_index: 0 } End", "Unreachable End"]
        );
    }

    #[test]
    fn stubs_keep_counts_and_indices_past_one_leb128_byte() {
        let stubbed = stubbed(200);
        let mut exports = 0;
        for payload in Parser::new(0).parse_all(&stubbed) {
            if let Payload::ExportSection(r) = payload.unwrap() {
                for e in r {
                    let e = e.unwrap();
                    exports += 1;
                    if e.name.starts_with("intounderlying") {
                        assert_eq!(e.index, 202, "after the import, 200 fillers and main");
                    }
                }
            }
        }
        assert_eq!(exports, 202);
    }

    #[test]
    fn response_files_read_back_as_written() {
        let args = os(&["--export", "a b", "-o", "C:\\x\\y.wasm", ""]);
        let text = write_response_file(&args);
        assert_eq!(text, "--export\na\\ b\n-o\nC:\\\\x\\\\y.wasm\n\n");
        assert_eq!(parse_response_file(&text), args);
    }

    #[test]
    fn only_the_page_is_relinked() {
        assert!(is_the_page(Path::new(
            "target/wasm32-unknown-unknown/wasm-release/deps/downhill_app-24f3f7e2a49feba7.wasm"
        )));
        assert!(!is_the_page(Path::new(
            "target/wasm32-unknown-unknown/wasm-release/deps/wasm_streams-f6496a54d8f570b2.wasm"
        )));
    }
}
