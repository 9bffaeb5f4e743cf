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
