//! Shorter names across the wasm ↔ JS boundary of a release build.
//!
//! wasm-bindgen names every import after the JS function it calls plus a
//! 16-hex-digit hash (`__wbg_set_nodeValue_7e9217115013d873`), from the module
//! `./downhill-app_bg.js`, and its internal exports as long (`wasm_bindgen__
//! convert__closures_____invoke__h3137e1dc7cb003df`). Both the wasm and the JS
//! glue spell out each name, and hashes do not compress: about 8 KiB of the
//! gzipped download. This renames them to short identifiers in both files,
//! the way Emscripten's `--minify-imports-and-exports` does, and drops the
//! exports of classes the page never uses (stubs, see `link.rs`), so that
//! wasm-opt can drop them. Nothing else changes: the same functions, called the same way.
//!
//! The wasm is rewritten section by section (wasmparser reads, wasm-encoder
//! writes the two sections that change; every other section is copied byte
//! for byte). The JS is rewritten by identifier: an import's name wherever it
//! stands (they are unique hashed names), an export's only after `wasm.` (how
//! the glue calls every export). Every name must be found in the JS, or the
//! step fails rather than ship a page that cannot link.

use std::collections::BTreeMap;
use wasm_encoder::Encode;
use wasmparser::{BinaryReader, ExternalKind, Parser, TypeRef};

/// Exports of `#[wasm_bindgen]` classes that Leptos's server-function crate
/// brings in (wasm-streams' adapters between Rust and JS streams). The page
/// never builds one: the release wasm is linked without them (`link.rs`),
/// with a trapping stub under each name for wasm-bindgen, and this step
/// drops the stubs' exports and their classes in the glue.
const UNUSED_EXPORT_PREFIXES: [&str; 2] = ["intounderlying", "__wbg_intounderlying"];

/// Whether `name` is one of the exports in [`UNUSED_EXPORT_PREFIXES`].
pub fn is_unused_export(name: &str) -> bool {
    UNUSED_EXPORT_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Exports that wasm-bindgen's glue uses internally (renamed); every other
/// export (`memory`, `main`, the page's own `#[wasm_bindgen]` functions) keeps
/// its name.
fn is_internal_export(name: &str) -> bool {
    ["__wbindgen_", "__wbg_", "__externref_", "wasm_bindgen__"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// The new name of the one module the imports come from.
pub const MODULE: &str = "a";

/// What [`rename_wasm`] changed: old name → new name.
#[derive(Debug, Default)]
pub struct Renames {
    /// The module the imports came from (now [`MODULE`]).
    pub module: Option<String>,
    pub imports: BTreeMap<String, String>,
    pub exports: BTreeMap<String, String>,
    /// Exports removed.
    pub dropped: Vec<String>,
}

/// The `n`th short identifier: `a`…`z`, `A`…`Z`, then two characters and on.
pub fn short_name(mut n: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut out = vec![FIRST[n % FIRST.len()]];
    n /= FIRST.len();
    while n > 0 {
        n -= 1;
        out.push(REST[n % REST.len()]);
        n /= REST.len();
    }
    String::from_utf8(out).expect("ASCII")
}

pub fn err(e: wasmparser::BinaryReaderError) -> String {
    format!("cannot read the wasm: {e}")
}

/// `wasm` with its imports and wasm-bindgen's internal exports renamed and
/// the unused exports dropped.
pub fn rename_wasm(wasm: &[u8]) -> Result<(Vec<u8>, Renames), String> {
    let mut renames = Renames::default();
    let mut module = wasm_encoder::Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        let Some((id, range)) = payload.as_section() else {
            continue;
        };
        let data = &wasm[range.clone()];
        let section = match id {
            2 => imports(data, range.start, &mut renames)?,
            7 => exports(data, range.start, &mut renames)?,
            _ => data.to_vec(),
        };
        module.section(&wasm_encoder::RawSection { id, data: &section });
    }
    Ok((module.finish(), renames))
}

/// A new import section: one module (renamed [`MODULE`]), every name short.
fn imports(data: &[u8], offset: usize, renames: &mut Renames) -> Result<Vec<u8>, String> {
    let mut r = BinaryReader::new(data, offset);
    let count = r.read_var_u32().map_err(err)?;
    let mut out = Vec::with_capacity(data.len() / 4);
    count.encode(&mut out);
    for i in 0..count as usize {
        let module = r.read_string().map_err(err)?;
        let name = r.read_string().map_err(err)?;
        // The type as is (a compact import group fails here, loudly).
        let start = r.current_position();
        let _: TypeRef = r.read().map_err(err)?;
        let ty = &data[start..r.current_position()];
        match &renames.module {
            None => renames.module = Some(module.to_owned()),
            Some(m) if m == module => {}
            Some(m) => {
                return Err(format!(
                "imports come from two modules, `{m}` and `{module}`: expected wasm-bindgen's one"
            ))
            }
        }
        let new = short_name(i);
        if renames
            .imports
            .insert(name.to_owned(), new.clone())
            .is_some()
        {
            return Err(format!("the import `{name}` appears twice"));
        }
        MODULE.encode(&mut out);
        new.as_str().encode(&mut out);
        out.extend_from_slice(ty);
    }
    Ok(out)
}

/// A new export section: internal names short, unused exports gone.
fn exports(data: &[u8], offset: usize, renames: &mut Renames) -> Result<Vec<u8>, String> {
    let mut r = BinaryReader::new(data, offset);
    let count = r.read_var_u32().map_err(err)?;
    let mut kept: Vec<(String, &[u8])> = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let name = r.read_string().map_err(err)?;
        let start = r.current_position();
        let _: ExternalKind = r.read().map_err(err)?;
        r.read_var_u32().map_err(err)?;
        let what = &data[start..r.current_position()];
        if is_unused_export(name) {
            renames.dropped.push(name.to_owned());
        } else if is_internal_export(name) {
            let new = short_name(renames.exports.len());
            renames.exports.insert(name.to_owned(), new.clone());
            kept.push((new, what));
        } else {
            kept.push((name.to_owned(), what));
        }
    }
    let mut out = Vec::with_capacity(data.len() / 4);
    (kept.len() as u32).encode(&mut out);
    for (name, what) in kept {
        name.as_str().encode(&mut out);
        out.extend_from_slice(what);
    }
    Ok(out)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// The JS glue with the same renames: the import module's string literal,
/// each import's name wherever it stands as a whole identifier, and each
/// renamed export after `wasm.`. Fails if a name is not found.
pub fn rename_js(js: &str, renames: &Renames) -> Result<String, String> {
    let mut out = String::with_capacity(js.len());
    let mut used_exports = std::collections::BTreeSet::new();
    let mut seen_imports = std::collections::BTreeSet::new();
    let bytes = js.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        // Every identifier is read whole, so `i` only ever lands on its start.
        if !is_ident(bytes[i]) {
            i += 1;
            continue;
        }
        let end = (i..bytes.len())
            .find(|&j| !is_ident(bytes[j]))
            .unwrap_or(bytes.len());
        let word = &js[i..end];
        let after_wasm = js[..i].ends_with("wasm.");
        let new = if after_wasm {
            renames.exports.get(word).inspect(|_| {
                used_exports.insert(word);
            })
        } else {
            renames.imports.get(word).inspect(|_| {
                seen_imports.insert(word);
            })
        };
        if let Some(new) = new {
            out.push_str(&js[copied..i]);
            out.push_str(new);
            copied = end;
        }
        i = end;
    }
    out.push_str(&js[copied..]);
    if let Some(missing) = renames
        .imports
        .keys()
        .find(|k| !seen_imports.contains(k.as_str()))
    {
        return Err(format!("the JS glue never names the import `{missing}`"));
    }
    if let Some(missing) = renames
        .exports
        .keys()
        .find(|k| !used_exports.contains(k.as_str()))
    {
        return Err(format!(
            "the JS glue never calls the export `wasm.{missing}`"
        ));
    }
    if let Some(old) = &renames.module {
        let literal = format!("\"{old}\"");
        match out.matches(&literal).count() {
            1 => out = out.replace(&literal, &format!("\"{MODULE}\"")),
            n => {
                return Err(format!(
                    "the JS glue names the import module {literal} {n} times, expected once"
                ))
            }
        }
    }
    Ok(out)
}

/// The first exported class in `js` whose exports went (`Foo` owns `foo_*`).
fn dropped_class(js: &str, dropped: &[String]) -> Option<String> {
    js.match_indices("export class ").find_map(|(i, _)| {
        let rest = &js[i + "export class ".len()..];
        let name = &rest[..rest.bytes().position(|c| !is_ident(c))?];
        let prefix = format!("{}_", name.to_ascii_lowercase());
        dropped
            .iter()
            .any(|d| d.starts_with(&prefix))
            .then(|| name.to_owned())
    })
}

/// The JS glue without the classes whose exports [`rename_wasm`] dropped:
/// each `export class X { … }` with its `Symbol.dispose` line, and its
/// `XFinalization` registry (whose `new FinalizationRegistry` terser must
/// keep, as a constructor call). The page never builds one, and after this
/// the glue names no dropped export. Fails if a class's pieces are not shaped
/// as wasm-bindgen writes them.
pub fn drop_classes(js: &str, dropped: &[String]) -> Result<String, String> {
    let mut out = js.to_owned();
    while let Some(class) = dropped_class(&out, dropped) {
        let start = out
            .find(&format!("export class {class} {{"))
            .ok_or_else(|| format!("the JS glue's class {class} does not open as expected"))?;
        let dispose = format!(
            "if (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n"
        );
        let end = out[start..]
            .find(&dispose)
            .map(|j| start + j + dispose.len())
            .ok_or_else(|| format!("the JS glue's class {class} has no Symbol.dispose line"))?;
        out.replace_range(start..end, "");
        let registry = format!("const {class}Finalization = ");
        let start = out
            .find(&registry)
            .ok_or_else(|| format!("the JS glue has no {class}Finalization"))?;
        let close = "));\n";
        let end = out[start..]
            .find(close)
            .map(|j| start + j + close.len())
            .ok_or_else(|| format!("the JS glue's {class}Finalization does not end as expected"))?;
        out.replace_range(start..end, "");
    }
    match dropped.iter().find(|d| out.contains(&format!("wasm.{d}"))) {
        Some(d) => Err(format!(
            "the JS glue still calls the dropped export `wasm.{d}` outside a class it could drop"
        )),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
        ImportSection, Instruction, MemorySection, MemoryType, Module, TypeSection,
    };

    /// A module as wasm-bindgen shapes one: two imports from the glue, a
    /// memory, and exports of each kind this step treats differently.
    fn module() -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut imports = ImportSection::new();
        for name in ["__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210"] {
            imports.import("./downhill-app_bg.js", name, EntityType::Function(0));
        }
        m.section(&imports);
        let mut funcs = FunctionSection::new();
        for _ in 0..3 {
            funcs.function(0);
        }
        m.section(&funcs);
        let mut mem = MemorySection::new();
        mem.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        m.section(&mem);
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        exports.export("bench_rerun", ExportKind::Func, 2);
        exports.export("__wbindgen_malloc", ExportKind::Func, 3);
        exports.export(
            "wasm_bindgen__convert__closures_____invoke__h1",
            ExportKind::Func,
            4,
        );
        exports.export("intounderlyingsink_write", ExportKind::Func, 4);
        m.section(&exports);
        let mut code = CodeSection::new();
        for _ in 0..3 {
            let mut f = Function::new([]);
            f.instruction(&Instruction::Call(0));
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        m.section(&code);
        m.finish()
    }

    fn names(wasm: &[u8]) -> (Vec<(String, String)>, Vec<String>) {
        let (mut imports, mut exports) = (Vec::new(), Vec::new());
        for p in Parser::new(0).parse_all(wasm) {
            match p.unwrap() {
                wasmparser::Payload::ImportSection(s) => {
                    for i in s.into_imports() {
                        let i = i.unwrap();
                        imports.push((i.module.to_owned(), i.name.to_owned()));
                    }
                }
                wasmparser::Payload::ExportSection(s) => {
                    for e in s {
                        exports.push(e.unwrap().name.to_owned());
                    }
                }
                _ => {}
            }
        }
        (imports, exports)
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let all: Vec<String> = (0..5000).map(short_name).collect();
        let set: std::collections::BTreeSet<&String> = all.iter().collect();
        assert_eq!(set.len(), all.len());
        assert_eq!((&all[0][..], &all[51][..], &all[52][..]), ("a", "Z", "aa"));
        assert!(all
            .iter()
            .all(|n| n.as_bytes()[0].is_ascii_alphabetic() && n.bytes().all(is_ident)));
    }

    #[test]
    fn renames_imports_and_internal_exports_and_drops_unused_ones() {
        let (wasm, renames) = rename_wasm(&module()).unwrap();
        wasmparser::validate(&wasm).unwrap();
        let (imports, exports) = names(&wasm);
        assert_eq!(
            imports,
            [("a".into(), "a".into()), ("a".into(), "b".into())]
        );
        assert_eq!(exports, ["memory", "bench_rerun", "a", "b"]);
        assert_eq!(renames.module.as_deref(), Some("./downhill-app_bg.js"));
        assert_eq!(renames.imports["__wbg_now_fedcba9876543210"], "b");
        assert_eq!(renames.exports["__wbindgen_malloc"], "a");
        assert_eq!(renames.dropped, ["intounderlyingsink_write"]);
    }

    #[test]
    fn the_glue_follows_the_renames() {
        let (_, renames) = rename_wasm(&module()).unwrap();
        let js = r#"const import0 = { __wbg_log_0123456789abcdef: function(a) { console.log(a) },
            __wbg_now_fedcba9876543210: function() { return Date.now() } };
            const p = wasm.__wbindgen_malloc(8); wasm.wasm_bindgen__convert__closures_____invoke__h1(p);
            wasm.memory.buffer; wasm.bench_rerun(); const __wbindgen_malloc = 1;
            return { "./downhill-app_bg.js": import0 };"#;
        let out = rename_js(js, &renames).unwrap();
        assert!(out.contains("{ a: function(a)"), "{out}");
        assert!(out.contains("b: function() { return Date.now() }"), "{out}");
        assert!(out.contains("wasm.a(8); wasm.b(p)"), "{out}");
        // Untouched: kept exports, and a renamed name not after `wasm.`.
        assert!(out.contains("wasm.memory.buffer; wasm.bench_rerun(); const __wbindgen_malloc = 1"));
        assert!(out.contains(r#"{ "a": import0 }"#), "{out}");
    }

    /// The shape of wasm-bindgen 0.2.130's glue for one exported class.
    const CLASS_GLUE: &str = "export class IntoUnderlyingSink {
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_intounderlyingsink_free(ptr, 0);
    }
    write(chunk) {
        const ret = wasm.intounderlyingsink_write(this.__wbg_ptr, chunk);
        return ret;
    }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;

export function bench_memory() {
    return wasm.bench_memory();
}
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));
const CLOSURE_DTORS = 1;
";

    #[test]
    fn the_classes_of_dropped_exports_leave_the_glue() {
        let dropped = [
            "intounderlyingsink_write".to_owned(),
            "__wbg_intounderlyingsink_free".to_owned(),
        ];
        let out = drop_classes(CLASS_GLUE, &dropped).unwrap();
        assert_eq!(
            out,
            "\nexport function bench_memory() {\n    return wasm.bench_memory();\n}\nconst CLOSURE_DTORS = 1;\n"
        );
        // Nothing dropped: nothing changes.
        assert_eq!(drop_classes(CLASS_GLUE, &[]).unwrap(), CLASS_GLUE);
    }

    #[test]
    fn a_class_not_shaped_as_expected_fails_the_step() {
        let dropped = ["intounderlyingsink_write".to_owned()];
        let no_registry = CLASS_GLUE.replace("IntoUnderlyingSinkFinalization =", "X =");
        let e = drop_classes(&no_registry, &dropped).unwrap_err();
        assert!(e.contains("IntoUnderlyingSinkFinalization"), "{e}");
        // A dropped export the glue calls elsewhere would break the page.
        let elsewhere = format!("{CLASS_GLUE}wasm.intounderlyingsink_write();\n");
        let e = drop_classes(&elsewhere, &dropped).unwrap_err();
        assert!(e.contains("wasm.intounderlyingsink_write"), "{e}");
    }

    #[test]
    fn a_name_the_glue_lacks_fails_the_step() {
        let (_, renames) = rename_wasm(&module()).unwrap();
        let js = r#"{ __wbg_log_0123456789abcdef: 1 } wasm.__wbindgen_malloc(); wasm.wasm_bindgen__convert__closures_____invoke__h1(); "./downhill-app_bg.js""#;
        let e = rename_js(js, &renames).unwrap_err();
        assert!(e.contains("__wbg_now_fedcba9876543210"), "{e}");
        // A longer identifier that merely starts with a name is not that name.
        let js = js.replace("wasm.__wbindgen_malloc()", "wasm.__wbindgen_malloc_x()");
        let js = js.replace("}", ", __wbg_now_fedcba9876543210: 2 }");
        let e = rename_js(&js, &renames).unwrap_err();
        assert!(e.contains("wasm.__wbindgen_malloc"), "{e}");
    }
}
