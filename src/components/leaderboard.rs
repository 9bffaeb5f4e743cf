use super::handler;
use super::swatch::Swatch;
use crate::format::{exact, short};
use crate::reactive::{each_kind, show};
use crate::state::{app_state, At, Lane};
use downhill_core::race::RacerStatus;
use downhill_core::short_sort;
use downhill_core::trace::Sample;
use downhill_core::OptimizerKind;
use leptos::prelude::*;

/// One enabled racer as seen at the shown step.
#[derive(Clone, Copy, PartialEq)]
struct Row {
    kind: OptimizerKind,
    sample: Option<Sample>,
    status: RacerStatus,
}

fn rows(race: &downhill_core::race::Race, step: u64) -> Vec<Row> {
    race.racers()
        .iter()
        .map(|r| Row {
            kind: r.kind(),
            sample: r.sample_at(step),
            status: r.status_at(step),
        })
        .collect()
}

fn status_text(status: RacerStatus) -> String {
    match status {
        RacerStatus::Running => "running".into(),
        RacerStatus::Converged { step } => format!("converged at step {step}"),
        RacerStatus::Diverged { step } => format!("diverged at step {step}"),
    }
}

/// Whether `order` lists exactly the racers of `rows`.
fn same_kinds(order: &[OptimizerKind], rows: &[Row]) -> bool {
    order.len() == rows.len() && rows.iter().all(|r| order.contains(&r.kind))
}

/// Sort key: lowest loss first; diverged racers last.
fn rank_key(r: &Row) -> (u8, f64) {
    let loss = r.sample.map(|s| s.loss).unwrap_or(f64::INFINITY);
    match r.status {
        RacerStatus::Diverged { .. } => (1, 0.0),
        _ => (0, loss),
    }
}

/// The leaderboard: per racer its loss, steps and status, with the public
/// `data-testid="racer-<slug>"` hooks; racers toggle on and off here.
/// `by_loss` (sort by loss) is the page's, so that it outlives the board
/// when the board moves between columns (see `app`).
#[component]
pub fn Leaderboard(by_loss: RwSignal<bool>) -> impl IntoView {
    let state = app_state();
    // Memos: a slider moving elsewhere reaches no row through these.
    let last_one = crate::reactive::memo(move || state.enabled.with(|e| e.len() <= 1));
    // The hooks are exact after any input; the visible text, the order and
    // the row's style follow the board's text lane (see `raf`).
    let hook_rows = crate::reactive::memo(move || state.with_race_at(At::Hooks, rows));
    let text_rows = crate::reactive::memo(move || state.with_race_at(At::Text(Lane::Board), rows));
    // While a slider is dragged the rows keep their places (their numbers
    // still follow): rows overtaking each other ten times a second cannot
    // be read, and each move re-lays out the table. They sort on release.
    let last_order = StoredValue::new(Vec::<OptimizerKind>::new());
    let ordered = move || {
        let mut rs = text_rows.get();
        let keep = state.sliding.get() && last_order.with_value(|o| same_kinds(o, &rs));
        if keep {
            return last_order.get_value();
        }
        if by_loss.get() {
            short_sort::sort_by(&mut rs, |a, b| rank_key(a) < rank_key(b));
        }
        let order: Vec<OptimizerKind> = rs.into_iter().map(|r| r.kind).collect();
        last_order.set_value(order.clone());
        order
    };
    let row = move |kind: OptimizerKind| {
        let find = |rows: Memo<Vec<Row>>| {
            move || rows.with(|rs| rs.iter().find(|r| r.kind == kind).copied())
        };
        let (hook, text) = (find(hook_rows), find(text_rows));
        // The row's own hooks and text, as memos: a re-run that leaves this
        // racer as it was (a slider of another racer) re-runs none of its
        // attributes and texts.
        let (hook, text) = (crate::reactive::memo(hook), crate::reactive::memo(text));
        let text_sample = move || text.get().and_then(|r| r.sample);
        let text_status = move || text.get().map(|r| r.status).unwrap_or(RacerStatus::Running);
        let tr = NodeRef::<leptos::html::Tr>::new();
        crate::reactive::hooks(
            &["data-step", "data-x", "data-y", "data-loss", "data-status"],
            move || tr.get().map(Into::into),
            move || {
                let row = hook.get();
                let sample = row.and_then(|r| r.sample);
                let num = |f: fn(&Sample) -> f64| sample.map(|s| exact(f(&s))).unwrap_or_default();
                vec![
                    sample.map(|s| s.step.to_string()).unwrap_or_default(),
                    num(|s| s.theta.x),
                    num(|s| s.theta.y),
                    num(|s| s.loss),
                    row.map_or(RacerStatus::Running, |r| r.status).word().into(),
                ]
            },
        );
        view! {
            <tr node_ref=tr data-testid=format!("racer-{}", kind.slug())
                class=move || format!("racer-row {}", text_status().word())>
                <td>
                    <input type="checkbox" checked=true
                        aria-label=format!("Race {}", kind.title())
                        disabled=move || last_one.get()
                        on:change=handler(move |_| state.update(|s| s.set_enabled(kind, false))) />
                </td>
                <td class="name"><Swatch kind=kind /> {kind.title()}</td>
                <td class="num">{move || text_sample().map(|s| short(s.loss)).unwrap_or_default()}</td>
                <td class="status">{move || status_text(text_status())}</td>
            </tr>
        }
    };
    let disabled = crate::reactive::memo(move || {
        state.enabled.with(|on| {
            OptimizerKind::ALL
                .into_iter()
                .filter(|k| !on.contains(k))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="panel leaderboard" aria-labelledby="lb-title">
            <div class="panel-head">
                <h2 id="lb-title">"Leaderboard"</h2>
                <label class="small">
                    <input type="checkbox" prop:checked=move || by_loss.get()
                        on:change=handler(move |ev| by_loss.set(event_target_checked(&ev))) />
                    " sort by loss"
                </label>
            </div>
            <table>
                <thead>
                    <tr><th><span class="visually-hidden">"On"</span></th><th>"Racer"</th><th class="num">"Loss"</th><th>"Status"</th></tr>
                </thead>
                <tbody>
                    {each_kind(ordered, move |k| row(k).into_any())}
                </tbody>
            </table>
            {show(move || !disabled.with(Vec::is_empty), move || view! {
                <p class="off-racers">
                    "Off: "
                    {each_kind(move || disabled.get(), move |kind| view! {
                        <button type="button" class="chip" title=format!("Add {} to the race", kind.title())
                            on:click=handler(move |_| state.update(|s| s.set_enabled(kind, true)))>
                            <Swatch kind=kind /> {kind.title()}
                        </button>
                    }.into_any())}
                </p>
            }.into_any())}
        </section>
    }
}
