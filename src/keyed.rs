//! A keyed list of racer rows that moves as few rows as a reorder needs.
//!
//! Leptos's `<For>` moves, on a reorder, every row whose index changed: when
//! one racer overtakes five others in the leaderboard, it moves all six rows.
//! Moving a row is a detach and re-attach in the browser (its style and
//! layout are rebuilt), so a sorted leaderboard that reorders while the race
//! plays or a slider moves paid for rows that kept their place among the
//! others. This list keeps the longest run of rows that are already in order
//! relative to each other (a longest increasing subsequence of their old
//! positions, as Inferno and Vue do) and moves only the others: one overtake,
//! one move.
//!
//! Each row is built once, under its own reactive owner, and kept (with its
//! effects) until its racer leaves the list. The list is
//! `move || KindRows { .. }`, a reactive view: Leptos builds it once and
//! calls [`Render::rebuild`] with the new order whenever `each` changes.

use downhill_core::OptimizerKind;
use leptos::prelude::*;
use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::types::{Element, Node, Placeholder};
use leptos::tachys::renderer::Rndr;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use std::sync::Arc;

/// Builds one racer's row.
pub type KindRow = Arc<dyn Fn(OptimizerKind) -> AnyView + Send + Sync>;

/// The rows of `kinds`, in that order.
pub struct KindRows {
    pub kinds: Vec<OptimizerKind>,
    pub row: KindRow,
    /// The owner the rows' owners descend from (the list's creator, as
    /// `<For>` does), so a rebuild of the list never disposes a row.
    pub owner: Owner,
}

/// One built row: its racer, the owner of its effects, its DOM state.
struct Built {
    kind: OptimizerKind,
    // Declared before the owner: the view's effects drop before it disposes.
    view: AnyViewState,
    _owner: Owner,
}

pub struct KindRowsState {
    parent: Option<Element>,
    /// Marks the list's end: rows are inserted before the next row or it.
    marker: Placeholder,
    rows: Vec<Built>,
    row: KindRow,
    owner: Owner,
}

fn build_row(owner: &Owner, row: &KindRow, kind: OptimizerKind) -> Built {
    let child = owner.with(Owner::new);
    // Untracked: a signal read while building a row must not subscribe the
    // list (the row's own effects track what they read).
    let view = child.with(|| untrack(|| row(kind).build()));
    Built {
        kind,
        view,
        _owner: child,
    }
}

/// Which items of the new order stay where they are: a longest subsequence
/// whose old positions increase (`None`: a new item, which never stays).
/// Every other item is moved or inserted. Quadratic, for at most 14 rows.
pub fn staying(old_positions: &[Option<usize>]) -> Vec<bool> {
    let n = old_positions.len();
    // len[i]: the longest increasing run ending at i; prev[i]: its previous item.
    let mut len = vec![0usize; n];
    let mut prev = vec![usize::MAX; n];
    let mut best = usize::MAX;
    for i in 0..n {
        let Some(oi) = old_positions[i] else { continue };
        len[i] = 1;
        for j in 0..i {
            if let Some(oj) = old_positions[j] {
                if oj < oi && len[j] + 1 > len[i] {
                    len[i] = len[j] + 1;
                    prev[i] = j;
                }
            }
        }
        if best == usize::MAX || len[i] > len[best] {
            best = i;
        }
    }
    let mut stay = vec![false; n];
    let mut at = best;
    while at != usize::MAX {
        stay[at] = true;
        at = prev[at];
    }
    stay
}

impl Render for KindRows {
    type State = KindRowsState;

    fn build(self) -> KindRowsState {
        let rows = self
            .kinds
            .iter()
            .map(|&k| build_row(&self.owner, &self.row, k))
            .collect();
        KindRowsState {
            parent: None,
            marker: Rndr::create_placeholder(),
            rows,
            row: self.row,
            owner: self.owner,
        }
    }

    fn rebuild(self, state: &mut KindRowsState) {
        let old = std::mem::take(&mut state.rows);
        if old.iter().map(|b| b.kind).eq(self.kinds.iter().copied()) {
            state.rows = old;
            return;
        }
        let mut old: Vec<Option<Built>> = old.into_iter().map(Some).collect();
        let position = |k: OptimizerKind, old: &[Option<Built>]| {
            old.iter()
                .position(|b| b.as_ref().is_some_and(|b| b.kind == k))
        };
        let old_positions: Vec<Option<usize>> =
            self.kinds.iter().map(|&k| position(k, &old)).collect();
        // Rows that leave the list go first (their owners dispose their effects).
        for b in old.iter_mut() {
            if b.as_ref().is_some_and(|b| !self.kinds.contains(&b.kind)) {
                if let Some(mut gone) = b.take() {
                    gone.view.unmount();
                }
            }
        }
        let stay = staying(&old_positions);
        // From the end: each row that does not stay goes before the row after it.
        let mut rows: Vec<Built> = Vec::with_capacity(self.kinds.len());
        for (i, &kind) in self.kinds.iter().enumerate().rev() {
            let mut b = match old_positions[i].and_then(|p| old[p].take()) {
                Some(b) => b,
                None => build_row(&state.owner, &state.row, kind),
            };
            if !stay[i] {
                if let Some(parent) = &state.parent {
                    match rows.last() {
                        Some(next) => {
                            next.view.insert_before_this_or_marker(
                                parent,
                                &mut b.view,
                                Some(state.marker.as_ref()),
                            );
                        }
                        None => b.view.mount(parent, Some(state.marker.as_ref())),
                    }
                }
            }
            rows.push(b);
        }
        rows.reverse();
        state.rows = rows;
    }
}

impl Mountable for KindRowsState {
    fn unmount(&mut self) {
        for b in &mut self.rows {
            b.view.unmount();
        }
        self.marker.unmount();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.parent = Some(parent.clone());
        for b in &mut self.rows {
            b.view.mount(parent, marker);
        }
        self.marker.mount(parent, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        match self.rows.first() {
            Some(b) => b.view.insert_before_this(child),
            None => self.marker.insert_before_this(child),
        }
    }

    fn elements(&self) -> Vec<Element> {
        self.rows.iter().flat_map(|b| b.view.elements()).collect()
    }
}

// The page renders on the client only: the server-side half of Leptos's view
// traits is never called, and is implemented as an empty list.

impl AddAnyAttr for KindRows {
    type Output<SomeNewAttr: Attribute> = KindRows;

    fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> KindRows {
        self
    }
}

impl RenderHtml for KindRows {
    type AsyncOutput = KindRows;
    type Owned = KindRows;
    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> KindRows {
        self
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
        buf.push_str("<!>");
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        _cursor: &Cursor,
        _position: &PositionState,
    ) -> KindRowsState {
        self.build()
    }

    fn into_owned(self) -> KindRows {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::staying;

    fn moved(old: &[Option<usize>]) -> usize {
        let stay = staying(old);
        old.iter()
            .zip(&stay)
            .filter(|(o, s)| o.is_some() && !**s)
            .count()
    }

    #[test]
    fn one_overtake_is_one_move() {
        // Row 5 of 0..7 overtakes rows 1..=4: `<For>` moved five rows.
        let old = [0, 5, 1, 2, 3, 4, 6].map(Some);
        assert_eq!(moved(&old), 1);
        assert_eq!(staying(&old), [true, false, true, true, true, true, true]);
    }

    #[test]
    fn order_kept_moves_nothing() {
        let old: Vec<_> = (0..14).map(Some).collect();
        assert_eq!(moved(&old), 0);
    }

    #[test]
    fn reversal_keeps_one() {
        let old: Vec<_> = (0..6).rev().map(Some).collect();
        assert_eq!(moved(&old), 5);
    }

    #[test]
    fn new_items_never_stay_and_removed_ones_leave_gaps() {
        // Old rows 0, 2, 3 remain (1 left), and a new row comes second.
        let old = [Some(0), None, Some(3), Some(2)];
        let stay = staying(&old);
        assert!(!stay[1]);
        assert_eq!(stay.iter().filter(|s| **s).count(), 2);
        assert!(stay[0]);
    }

    #[test]
    fn the_kept_run_is_increasing_and_longest() {
        // Exhaustive over every order of 6 rows: the kept rows' old positions
        // increase, and no increasing run is longer (checked by brute force).
        let mut perm: Vec<usize> = (0..6).collect();
        let mut count = 0;
        loop {
            let old: Vec<_> = perm.iter().map(|&p| Some(p)).collect();
            let stay = staying(&old);
            let kept: Vec<usize> = perm
                .iter()
                .zip(&stay)
                .filter(|(_, s)| **s)
                .map(|(p, _)| *p)
                .collect();
            assert!(kept.windows(2).all(|w| w[0] < w[1]), "{perm:?}");
            let longest = (0u32..1 << 6)
                .filter(|mask| {
                    let sub: Vec<usize> = (0..6)
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| perm[i])
                        .collect();
                    sub.windows(2).all(|w| w[0] < w[1])
                })
                .map(|mask| mask.count_ones() as usize)
                .max()
                .unwrap();
            assert_eq!(kept.len(), longest, "{perm:?}");
            count += 1;
            // Next permutation (lexicographic).
            let Some(i) = (0..5).rev().find(|&i| perm[i] < perm[i + 1]) else {
                break;
            };
            let j = (i + 1..6).rev().find(|&j| perm[j] > perm[i]).unwrap();
            perm.swap(i, j);
            perm[i + 1..].reverse();
        }
        assert_eq!(count, 720);
    }
}
