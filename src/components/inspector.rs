//! Inside the optimizer: the focused racer's state (m, v, m̂, v̂ for the Adam
//! family; momentum buffers and accumulators for the others) and the update
//! it took, per axis, at the shown step — from the race, which records the
//! focused racer's internals.

use super::focus_charts::MomentChart;
use super::handler;
use super::racer_panel::HyperControl;
use crate::format::{exact, short};
use crate::state::{app_state, At, Lane};
use downhill_core::optim::Internals;
use downhill_core::{OptimizerKind, Vec2};
use leptos::prelude::*;

/// "x,y" in shortest round-trip decimals; empty when the slot is unused.
fn pair(v: Vec2) -> String {
    if v.is_finite() {
        format!("{},{}", exact(v.x), exact(v.y))
    } else {
        String::new()
    }
}

/// What each internal slot means for `kind` (None: the slot is unused).
fn labels(kind: OptimizerKind) -> [Option<&'static str>; 4] {
    use OptimizerKind::*;
    match kind {
        Adam | Amsgrad | Adamw | Nadam | Lamb => [
            Some("m — first moment (EMA of g)"),
            Some(if kind == Amsgrad {
                "v — running max of the second moment"
            } else {
                "v — second moment (EMA of g²)"
            }),
            Some("m̂ = m / (1 − β₁ᵗ)"),
            Some("v̂ = v / (1 − β₂ᵗ)"),
        ],
        Momentum | Nesterov => [Some("b — momentum buffer"), None, None, None],
        Adagrad => [None, Some("s — sum of g²"), None, None],
        Rmsprop => [
            Some("b — momentum buffer"),
            Some("v — EMA of g²"),
            None,
            None,
        ],
        Adadelta => [
            None,
            Some("v — EMA of g²"),
            Some("u — EMA of squared updates"),
            None,
        ],
        Lion => [
            Some("m — momentum (β₂ EMA)"),
            None,
            Some("c — interpolation whose sign is the step"),
            None,
        ],
        Muon => [
            Some("M — momentum (EMA)"),
            None,
            Some("O — orthogonalised update"),
            None,
        ],
        Shampoo => [None, Some("diag(H) — accumulated g·gᵀ"), None, None],
        Sgd => [None, None, None, None],
    }
}

#[derive(Clone, Copy, PartialEq)]
struct Shown {
    step: u64,
    delta: Vec2,
    internals: Internals,
}

impl Shown {
    /// The racer's recorded step at or before `step`, with its internals.
    fn of(r: &downhill_core::race::Racer, step: u64) -> Option<Shown> {
        let s = r.trace().at(step)?;
        Some(Shown {
            step: s.step,
            delta: s.delta,
            internals: r
                .trace()
                .internals_at(step)
                .copied()
                .unwrap_or(Internals::NONE),
        })
    }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let state = app_state();
    let focus = crate::reactive::memo(move || state.focus());
    // The options change only when racers come or go (not on every setting).
    let enabled = state.enabled;
    // Each twice: for the hooks (exact after any input) and for the table
    // (the inside text lane, see `raf`).
    let of_focus =
        move |d: &downhill_core::race::Race, step| Shown::of(d.racer(focus.get())?, step);
    let shown = crate::reactive::memo(move || state.with_race_at(At::Hooks, of_focus));
    let shown_text =
        crate::reactive::memo(move || state.with_race_at(At::Text(Lane::Inside), of_focus));
    // The same racer without bias correction, at the same step.
    let of_ghost = move |g: &downhill_core::race::Race, step| {
        if !state.lens().ghost {
            return None;
        }
        Shown::of(g.racers().first()?, step)
    };
    let ghost = crate::reactive::memo(move || state.with_ghost_at(At::Hooks, of_ghost));
    let ghost_text =
        crate::reactive::memo(move || state.with_ghost_at(At::Text(Lane::Inside), of_ghost));
    let ghost_on = move || ghost.with(Option::is_some);
    let ghost_slot =
        move |f: fn(&Shown) -> Vec2| move || ghost.get().map(|s| pair(f(&s))).unwrap_or_default();
    let slot = move |f: fn(&Internals) -> Vec2| {
        move || {
            shown
                .get()
                .map(|s| pair(f(&s.internals)))
                .unwrap_or_default()
        }
    };
    let row = move |i: usize, f: fn(&Internals) -> Vec2| {
        view! {
            {crate::reactive::show(move || labels(focus.get())[i].is_some(), move || view! {
                <tr>
                    <th scope="row">{move || labels(focus.get())[i].unwrap_or_default()}</th>
                    <td class="num">{move || shown_text.get().map(|s| short(f(&s.internals).x)).unwrap_or_default()}</td>
                    <td class="num">{move || shown_text.get().map(|s| short(f(&s.internals).y)).unwrap_or_default()}</td>
                    {crate::reactive::show(ghost_on, move || view! {
                        <td class="num ghost">{move || ghost_text.get().map(|s| short(f(&s.internals).x)).unwrap_or_default()}</td>
                        <td class="num ghost">{move || ghost_text.get().map(|s| short(f(&s.internals).y)).unwrap_or_default()}</td>
                    }.into_any())}
                </tr>
            }.into_any())}
        }
    };
    let betas = move || {
        let kind = focus.get();
        kind.params()
            .iter()
            .filter(|p| p.name.starts_with("beta") || p.name == "momentum" || p.name == "alpha" || p.name == "rho")
            .map(|p| view! { <HyperControl kind=kind param=*p id=format!("inspector-{}", p.name) /> })
            .collect_view()
    };
    view! {
        <section class="panel instrument inspector" data-testid="adam-inspector"
            data-focus=move || focus.get().slug()
            data-step=move || shown.get().map(|s| s.step.to_string()).unwrap_or_default()
            data-m=slot(|i| i.m)
            data-v=slot(|i| i.v)
            data-mhat=slot(|i| i.m_hat)
            data-vhat=slot(|i| i.v_hat)
            data-ghost-mhat=ghost_slot(|s| s.internals.m_hat)
            data-ghost-vhat=ghost_slot(|s| s.internals.v_hat)
            data-ghost-update=ghost_slot(|s| s.delta)>
            <div class="panel-head">
                <h2>"Inside the optimizer"</h2>
                <label class="small">"racer "
                    <select data-testid="focus-select"
                        prop:value=move || focus.get().slug()
                        on:change=handler(move |ev| {
                            if let Some(k) = OptimizerKind::from_slug(&event_target_value(&ev)) {
                                state.update(|s| s.focus = Some(k));
                            }
                        })>
                        {move || enabled.get().into_iter().map(|k| view! {
                            <option value=k.slug()>{k.title()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <table>
                <thead><tr>
                    <th>{move || format!("step {}", shown_text.get().map(|s| s.step).unwrap_or(0))}</th>
                    <th class="num">"x"</th><th class="num">"y"</th>
                    {crate::reactive::show(ghost_on, move || view! {
                        <th class="num ghost" title="the same racer with m̂ = m and v̂ = v">"x, no bias corr."</th>
                        <th class="num ghost">"y, no bias corr."</th>
                    }.into_any())}
                </tr></thead>
                <tbody>
                    {row(0, |i| i.m)}
                    {row(1, |i| i.v)}
                    {row(2, |i| i.m_hat)}
                    {row(3, |i| i.v_hat)}
                    <tr>
                        <th scope="row">"Δθ — the update taken"</th>
                        <td class="num">{move || shown_text.get().map(|s| short(s.delta.x)).unwrap_or_default()}</td>
                        <td class="num">{move || shown_text.get().map(|s| short(s.delta.y)).unwrap_or_default()}</td>
                        {crate::reactive::show(ghost_on, move || view! {
                            <td class="num ghost">{move || ghost_text.get().map(|s| short(s.delta.x)).unwrap_or_default()}</td>
                            <td class="num ghost">{move || ghost_text.get().map(|s| short(s.delta.y)).unwrap_or_default()}</td>
                        }.into_any())}
                    </tr>
                </tbody>
            </table>
            <label class="inspector-step small">"step "
                <input type="range" min="0" step="1" data-testid="inspector-step"
                    max=move || state.max_steps().to_string()
                    // Like the timeline: exact after any input, 10 Hz while
                    // playing (a range input moved every frame re-lays out).
                    prop:value=move || state.hook_step.get().to_string()
                    on:input=handler(move |ev| {
                        if let Ok(t) = event_target_value(&ev).parse::<u64>() {
                            state.playing.set(false);
                            state.set_step(t);
                        }
                    }) />
                <span class="num">{move || state.hook_step.get()}</span>
            </label>
            <label class="small lens-toggle">
                <input type="checkbox" data-testid="inspector-ghost"
                    prop:checked=move || state.lens().ghost
                    on:change=handler(move |ev| {
                        let on = event_target_checked(&ev);
                        state.set_lens(|l| l.ghost = on);
                    }) />
                " compare without bias correction (m̂ = m, v̂ = v), on the landscape too"
            </label>
            <MomentChart />
            <div class="inspector-betas">{betas}</div>
        </section>
    }
}
