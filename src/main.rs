fn main() {
    downhill::start();
}

// talc, not std's dlmalloc: smaller, and as fast here (see Cargo.toml). The
// page is single-threaded, so the allocator needs no lock.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
