//! Orders the release wasm's functions so that similar ones sit together.
//!
//! gzip finds repeats only within its 32 KiB window, and rustc lays functions
//! out in no order that helps it: the same shapes (a signal's getter, a view's
//! mount, one optimizer's step) recur far apart. Putting each function next
//! to the one most like it lets gzip encode the second as references to the
//! first: about 10 KB less to download (gzipped), with no change to any
//! function. The
//! functions are the same, called the same way; only their order (and so
//! their indices, which wasm-opt renumbers everywhere) changes.
//!
//! Likeness is the Jaccard similarity of two bodies' sets of 4-byte windows,
//! estimated with MinHash signatures; the order is a greedy chain from the
//! first function, each step to the function not yet placed that is most
//! like one of the last few placed (gzip can copy from any of them; ties to
//! the nearest in the old order), so the result is deterministic. gzip's
//! result is jumpy in the order: small changes to the rule move it by up to
//! about 1 KB either way, so the rule's constants were chosen on more than
//! one build.
//! This module computes the order and writes it as a `name` section (the
//! rank of each function, zero-padded); `wasm-opt --reorder-functions-by-name`
//! then permutes the module by those names (and, without `-g`, writes no
//! names back).

use crate::boundary::err;
use wasm_encoder::{NameMap, NameSection};
use wasmparser::{Parser, Payload, TypeRef};

/// Hash functions per signature: more estimate the similarity better (256
/// gave 2 KB less than 64 on this page) at a cost linear in the count.
const HASHES: usize = 256;
/// Window length in bytes: 4 did better than 3, 5 or 6 on this page.
const WINDOW: usize = 4;

/// The number of imported functions and the body of each defined function.
fn bodies(wasm: &[u8]) -> Result<(u32, Vec<&[u8]>), String> {
    let (mut imported, mut bodies) = (0, Vec::new());
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(err)? {
            Payload::ImportSection(s) => {
                for import in s.into_imports() {
                    if matches!(import.map_err(err)?.ty, TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(&wasm[body.range()]),
            _ => {}
        }
    }
    Ok((imported, bodies))
}

/// splitmix64's finaliser: a good 64-bit mix.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The MinHash signature of `body`: per hash function, the least hash of any
/// of its windows (a body shorter than a window is one window).
fn signature(body: &[u8]) -> [u32; HASHES] {
    let mut sig = [u32::MAX; HASHES];
    let windows: Vec<u64> = if body.len() < WINDOW {
        vec![body.iter().fold(0u64, |a, &b| a << 8 | u64::from(b))]
    } else {
        let mut w: Vec<u64> = body
            .windows(WINDOW)
            .map(|w| u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
            .collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    for (i, s) in sig.iter_mut().enumerate() {
        let seed = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for &w in &windows {
            *s = (*s).min(mix(w ^ seed) as u32);
        }
    }
    sig
}

/// How many of the last placed functions a candidate is compared with: gzip
/// can refer back to any of them, not only the last. 8 did better than 1, 4
/// or 12 on this page (about 1.5 KB gzipped less than comparing with the
/// last one only); see [`similarity_order`].
const RECENT: usize = 8;
/// How much less a match one place further back counts (5 % per place), so
/// that of two equally good matches the nearer wins. Other values measured
/// worse: no discount, 2 %, 10 % and 20 % gave 0.3–2.1 KB more on the two
/// builds they were tried on.
const DISCOUNT: f64 = 0.05;

/// A permutation of `0..bodies.len()`: a greedy chain that appends, at each
/// step, the function most like the [`RECENT`] last placed ones (its best
/// shared-hash count with any of them, discounted by [`DISCOUNT`] per place
/// back; ties to the nearest in the old order).
pub fn similarity_order(bodies: &[&[u8]]) -> Vec<usize> {
    let n = bodies.len();
    let sigs: Vec<[u32; HASHES]> = bodies.iter().map(|b| signature(b)).collect();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    // The shared-hash counts of every function with each of the last
    // RECENT placed ones, newest first.
    let mut recent: std::collections::VecDeque<Vec<u16>> = std::collections::VecDeque::new();
    let mut cur = 0;
    while order.len() < n {
        order.push(cur);
        placed[cur] = true;
        let shared: Vec<u16> = sigs
            .iter()
            .map(|sig| sig.iter().zip(&sigs[cur]).filter(|(a, b)| a == b).count() as u16)
            .collect();
        recent.push_front(shared);
        recent.truncate(RECENT);
        let mut best: Option<(f64, usize)> = None; // (score, index)
        for j in (0..n).filter(|&j| !placed[j]) {
            let score = recent
                .iter()
                .enumerate()
                .map(|(back, counts)| f64::from(counts[j]) / (1.0 + DISCOUNT * back as f64))
                .fold(0.0, f64::max);
            let better = match best {
                None => true,
                Some((s, b)) => score > s || (score == s && j.abs_diff(cur) < b.abs_diff(cur)),
            };
            if better {
                best = Some((score, j));
            }
        }
        match best {
            Some((_, j)) => cur = j,
            None => break,
        }
    }
    order
}

/// `wasm` with a `name` section (any old one dropped) that names each defined
/// function by its rank in [`similarity_order`].
pub fn with_order_names(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let (imported, bodies) = bodies(wasm)?;
    let order = similarity_order(&bodies);
    let mut ranks = vec![0; bodies.len()];
    for (rank, &f) in order.iter().enumerate() {
        ranks[f] = rank;
    }
    let mut names = NameMap::new();
    for (f, rank) in ranks.iter().enumerate() {
        names.append(imported + f as u32, &format!("f{rank:07}"));
    }
    // Every section as it is (as `boundary::rename_wasm` copies them), but
    // an old `name` section, then the new one.
    let mut module = wasm_encoder::Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        if matches!(&payload, Payload::CustomSection(c) if c.name() == "name") {
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            module.section(&wasm_encoder::RawSection {
                id,
                data: &wasm[range],
            });
        }
    }
    let mut section = NameSection::new();
    section.functions(&names);
    module.section(&section);
    Ok(module.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, Function, FunctionSection, ImportSection, Instruction, Module,
        TypeSection,
    };

    #[test]
    fn similar_bodies_end_up_next_to_each_other() {
        let a: Vec<u8> = (0..200u8).collect();
        let b: Vec<u8> = (0..200u8)
            .map(|x| x.wrapping_mul(37).wrapping_add(11))
            .collect();
        let mut a2 = a.clone();
        a2[100] ^= 0xff;
        let mut b2 = b.clone();
        b2[50] ^= 0xff;
        let bodies: Vec<&[u8]> = vec![&a, &b, &a2, &b2];
        assert_eq!(similarity_order(&bodies), [0, 2, 1, 3]);
        // A permutation, whatever the input; short bodies included.
        let tiny: Vec<&[u8]> = vec![&[1], &[], &[1, 2, 3], &a, &[1]];
        let mut order = similarity_order(&tiny);
        order.sort_unstable();
        assert_eq!(order, [0, 1, 2, 3, 4]);
        assert!(similarity_order(&[]).is_empty());
    }

    #[test]
    fn the_next_function_may_match_one_placed_before_the_last() {
        // 64 pseudo-random bytes per block; a body is a list of blocks.
        let block = |seed: u64| -> Vec<u8> {
            (0..64u64)
                .map(|i| (mix(seed * 1000 + i) & 0xff) as u8)
                .collect()
        };
        let body = |seeds: &[u64]| -> Vec<u8> { seeds.iter().flat_map(|&s| block(s)).collect() };
        let (x, y, z, w, v) = (1..9, 20..26, 30..32, 40..42, 50..56);
        let cat = |parts: &[std::ops::Range<u64>]| -> Vec<u64> {
            parts.iter().cloned().flatten().collect()
        };
        let a = body(&cat(&[x.clone(), y.clone()]));
        let b = body(&cat(&[x, z.clone()])); // most like a
        let c = body(&cat(&[y, w])); // like a, nothing of b
        let d = body(&cat(&[z, v])); // a little like b, nothing of a
                                     // Comparing with the last placed only would go a, b, d (b's best), c.
        let bodies: Vec<&[u8]> = vec![&a, &b, &c, &d];
        assert_eq!(similarity_order(&bodies), [0, 1, 2, 3]);
    }

    #[test]
    fn the_names_rank_each_defined_function_after_the_imports() {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut imports = ImportSection::new();
        imports.import("a", "a", EntityType::Function(0));
        m.section(&imports);
        let mut funcs = FunctionSection::new();
        let mut code = CodeSection::new();
        // f1 and f3 are alike, f2 is not: the chain from f1 goes to f3 first.
        for (k, nop) in [(5, false), (900_000, false), (5, true)] {
            funcs.function(0);
            let mut f = Function::new([]);
            for _ in 0..20 {
                f.instruction(&Instruction::I32Const(k));
                f.instruction(&Instruction::Drop);
            }
            if nop {
                f.instruction(&Instruction::Nop);
            }
            f.instruction(&Instruction::Call(0));
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        m.section(&funcs);
        m.section(&code);
        let out = with_order_names(&m.finish()).unwrap();
        wasmparser::validate(&out).unwrap();
        let mut names = Vec::new();
        for p in Parser::new(0).parse_all(&out) {
            if let Payload::CustomSection(c) = p.unwrap() {
                if let wasmparser::KnownCustom::Name(r) = c.as_known() {
                    for sub in r {
                        if let wasmparser::Name::Function(map) = sub.unwrap() {
                            for n in map {
                                let n = n.unwrap();
                                names.push((n.index, n.name.to_owned()));
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(
            names,
            [
                (1, "f0000000".into()),
                (2, "f0000002".into()),
                (3, "f0000001".into())
            ]
        );
        // Run again on its own output: the old names go, the new are the same.
        assert_eq!(with_order_names(&out).unwrap(), out);
    }
}
