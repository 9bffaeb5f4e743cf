//! The release page's linker: rust-lld, without the exports the page never
//! uses, so that their code is not linked at all.
//!
//! rustc exports every `#[wasm_bindgen]` function of every crate in the
//! build, and Leptos brings in wasm-streams' stream adapters this way (see
//! [`crate::boundary::UNUSED_EXPORT_PREFIXES`]). `boundary` drops those
//! exports after wasm-bindgen, but by then their code has put its closures'
//! functions in the indirect-call table, which no later pass can prove dead:
//! about 6 KB of wasm (2.7 KB gzipped) that the page never runs. Linked
//! without the exports, the code is never reached and wasm-ld leaves it out.
//!
//! wasm-bindgen still expects every export its metadata names, so each one
//! comes back as a stub of the same type whose body traps; `boundary` drops
//! the stubs and their JS classes as before, and wasm-opt the stubs' bodies.
//!
//! `cargo xtask dist` sets the environment variable [`AS_LINKER`] and makes
//! this program the wasm target's linker for trunk's release build; rustc
//! then runs it with rust-lld's arguments, and `main` comes here first.

use crate::boundary::{err, UNUSED_EXPORT_PREFIXES};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
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
    if let Some(file) = args.iter().find(|a| a.to_string_lossy().starts_with('@')) {
        return Err(format!(
            "rustc passed its arguments in a response file ({}), which this linker does not read",
            file.to_string_lossy()
        ));
    }
    let out = args
        .iter()
        .position(|a| a == "-o")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .ok_or("no `-o <output>` among the linker's arguments")?;
    rust_lld(args)?;
    let full = std::fs::read(&out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    let unused = unused_exports(&full)?;
    if unused.is_empty() {
        return Ok(());
    }
    rust_lld(&without_exports(args, &unused))?;
    let lean = std::fs::read(&out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    let stubbed = with_stubs(&lean, &unused)?;
    std::fs::write(&out, stubbed).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// Runs rust-lld (which rustc puts on the linker's PATH) with `args`.
fn rust_lld(args: &[OsString]) -> Result<(), String> {
    let status = Command::new("rust-lld")
        .args(args)
        .status()
        .map_err(|e| format!("cannot run rust-lld: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("rust-lld failed ({status})"))
    }
}

/// An export to leave out: its name and its function type.
#[derive(Debug, PartialEq)]
pub struct Unused {
    name: String,
    params: Vec<wasmparser::ValType>,
    results: Vec<wasmparser::ValType>,
}

fn is_unused(name: &str) -> bool {
    UNUSED_EXPORT_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The exported functions of `wasm` that the page never uses, with their types.
pub fn unused_exports(wasm: &[u8]) -> Result<Vec<Unused>, String> {
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
                    if export.kind == ExternalKind::Func && is_unused(export.name) {
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
pub fn without_exports(args: &[OsString], unused: &[Unused]) -> Vec<OsString> {
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
/// exported under its name: what wasm-bindgen needs to find.
pub fn with_stubs(wasm: &[u8], unused: &[Unused]) -> Result<Vec<u8>, String> {
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
        let mut r = BinaryReader::new(data, range.start);
        let section = match id {
            // Types: the stubs' types after the module's own.
            1 => {
                seen[0] = true;
                type_count = r.read_var_u32().map_err(err)?;
                let mut out = Vec::new();
                (type_count + unused.len() as u32).encode(&mut out);
                out.extend_from_slice(&data[r.current_position()..]);
                for u in unused {
                    out.push(0x60); // a function type: its parameters, then its results
                    for list in [&u.params, &u.results] {
                        (list.len() as u32).encode(&mut out);
                        for &t in list.iter() {
                            val_type(t).encode(&mut out);
                        }
                    }
                }
                out
            }
            // Functions: each stub's type index.
            3 => {
                seen[1] = true;
                let n = r.read_var_u32().map_err(err)?;
                func_count += n;
                let mut out = Vec::new();
                (n + unused.len() as u32).encode(&mut out);
                out.extend_from_slice(&data[r.current_position()..]);
                for i in 0..unused.len() as u32 {
                    (type_count + i).encode(&mut out);
                }
                out
            }
            // Exports: each stub under its name.
            7 => {
                seen[2] = true;
                let n = r.read_var_u32().map_err(err)?;
                let mut out = Vec::new();
                (n + unused.len() as u32).encode(&mut out);
                out.extend_from_slice(&data[r.current_position()..]);
                for (i, u) in unused.iter().enumerate() {
                    u.name.as_str().encode(&mut out);
                    out.push(0x00); // a function
                    (func_count + i as u32).encode(&mut out);
                }
                out
            }
            // Code: each stub's body, no locals, `unreachable`.
            10 => {
                seen[3] = true;
                let n = r.read_var_u32().map_err(err)?;
                let mut out = Vec::new();
                (n + unused.len() as u32).encode(&mut out);
                out.extend_from_slice(&data[r.current_position()..]);
                for _ in unused {
                    let mut f = wasm_encoder::Function::new([]);
                    f.instructions().unreachable().end();
                    f.encode(&mut out);
                }
                out
            }
            _ => data.to_vec(),
        };
        module.section(&wasm_encoder::RawSection { id, data: &section });
    }
    if seen != [true; 4] {
        return Err("the linked wasm lacks a type, function, export or code section".into());
    }
    Ok(module.finish())
}

fn val_type(t: wasmparser::ValType) -> wasm_encoder::ValType {
    match t {
        wasmparser::ValType::I32 => wasm_encoder::ValType::I32,
        wasmparser::ValType::I64 => wasm_encoder::ValType::I64,
        wasmparser::ValType::F32 => wasm_encoder::ValType::F32,
        wasmparser::ValType::F64 => wasm_encoder::ValType::F64,
        wasmparser::ValType::V128 => wasm_encoder::ValType::V128,
        wasmparser::ValType::Ref(r) if r.is_extern_ref() => wasm_encoder::ValType::EXTERNREF,
        wasmparser::ValType::Ref(_) => wasm_encoder::ValType::FUNCREF,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
        ImportSection, Module, TypeSection, ValType,
    };

    /// A linked module: an import, two functions of different types, and
    /// exports of both, the second under an unused class's name if `unused`.
    fn linked(unused: bool) -> Vec<u8> {
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
        let mut funcs = FunctionSection::new();
        funcs.function(0);
        if unused {
            funcs.function(1);
        }
        m.section(&funcs);
        let mut exports = ExportSection::new();
        exports.export("main", ExportKind::Func, 1);
        if unused {
            exports.export("intounderlyingsink_write_58a9", ExportKind::Func, 2);
        }
        m.section(&exports);
        let mut code = CodeSection::new();
        let mut main = Function::new([]);
        main.instructions().call(0).end();
        code.function(&main);
        if unused {
            let mut write = Function::new([]);
            write.instructions().i32_const(7).end();
            code.function(&write);
        }
        m.section(&code);
        m.finish()
    }

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn finds_the_unused_exports_with_their_types() {
        let found = unused_exports(&linked(true)).unwrap();
        assert_eq!(
            found,
            [Unused {
                name: "intounderlyingsink_write_58a9".into(),
                params: vec![wasmparser::ValType::I32, wasmparser::ValType::F64],
                results: vec![wasmparser::ValType::I32],
            }]
        );
        assert_eq!(unused_exports(&linked(false)).unwrap(), []);
    }

    #[test]
    fn the_second_link_leaves_out_only_the_unused_exports() {
        let unused = unused_exports(&linked(true)).unwrap();
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
        let unused = unused_exports(&linked(true)).unwrap();
        let stubbed = with_stubs(&linked(false), &unused).unwrap();
        wasmparser::Validator::new()
            .validate_all(&stubbed)
            .expect("a valid module");
        // The same export, of the same type, as in the full link.
        assert_eq!(unused_exports(&stubbed).unwrap(), unused);
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
}
