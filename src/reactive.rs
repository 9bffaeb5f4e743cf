//! Leptos's reactive primitives behind one closure type each.
//!
//! `Effect::new` and `Memo::new` are generic over their closure, so every call
//! site compiles its own copy of Leptos's effect or memo machinery (about
//! 850 and 170 bytes of wasm each). Boxing the closure first leaves one copy
//! per value type; the page's behaviour is the same.

use crate::keyed::{KindRow, KindRows};
use downhill_core::OptimizerKind;
use leptos::prelude::*;
use std::sync::Arc;

/// Runs `f` now and again whenever a signal it read changes (`Effect::new`).
pub fn effect(f: impl FnMut() + 'static) {
    let mut f: Box<dyn FnMut()> = Box::new(f);
    #[allow(clippy::disallowed_methods)]
    Effect::new(move |_| f());
}

/// Keeps the attributes `names` of the element `el()` (once it exists) equal
/// to `values()`, in order, setting only those that changed.
///
/// For the `data-*` hooks of a row that change together (a racer's step,
/// x, y, loss, status): one effect for all of them, where an attribute each
/// is one reactive node and one run per attribute at every change, and a
/// slider input changes every racer: about 70 hooks on the page. (In traced
/// 60-input drags of the learning rate, alternating builds, the script that
/// runs after the input handler took 15–20 % less than with an attribute
/// each.)
pub fn hooks(
    names: &'static [&'static str],
    el: impl Fn() -> Option<web_sys::Element> + 'static,
    values: impl Fn() -> Vec<String> + 'static,
) {
    let mut shown: Vec<String> = Vec::new();
    effect(move || {
        let Some(el) = el() else { return };
        let now = values();
        for (i, (name, value)) in names.iter().zip(&now).enumerate() {
            if shown.get(i) != Some(value) {
                let _ = el.set_attribute(name, value);
            }
        }
        shown = now;
    });
}

/// A value derived from signals, recomputed when they change and passed on
/// only when it differs (`Memo::new`).
pub fn memo<T>(f: impl Fn() -> T + Send + Sync + 'static) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    let f: Box<dyn Fn() -> T + Send + Sync> = Box::new(f);
    #[allow(clippy::disallowed_methods)]
    Memo::new(move |_| f())
}

/// `<Show when>` for this page: `children` while `when` holds, nothing
/// otherwise, rebuilt only when `when` flips. Leptos's `<Show>` compiles its
/// memo, its children wrapper and its view switch once per use and per child
/// type (about 2.5 KB of wasm each); this compiles them once, and each use
/// costs its children's `into_any`.
pub fn show(
    when: impl Fn() -> bool + Send + Sync + 'static,
    children: impl Fn() -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    shown_while(memo(when), Box::new(children))
}

fn shown_while(
    when: Memo<bool>,
    children: Box<dyn Fn() -> AnyView + Send + Sync>,
) -> impl IntoView {
    move || when.get().then(&children)
}

/// A keyed list over racers: one row per kind, built once and kept (not
/// rebuilt) while the list reorders; a reorder moves as few rows as it can
/// (see [`crate::keyed`]).
pub fn each_kind(
    each: impl Fn() -> Vec<OptimizerKind> + Send + Sync + 'static,
    children: impl Fn(OptimizerKind) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    keyed_kinds(Box::new(each), Arc::new(children))
}

fn keyed_kinds(
    each: Box<dyn Fn() -> Vec<OptimizerKind> + Send + Sync>,
    row: KindRow,
) -> impl IntoView {
    let owner = Owner::current().unwrap_or_default();
    move || KindRows {
        kinds: each(),
        row: row.clone(),
        owner: owner.clone(),
    }
}
