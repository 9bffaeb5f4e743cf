use super::controls::{from_slider, slider_bounds, to_slider};
use super::handler;
use super::swatch::Swatch;
use crate::format::short;
use crate::state::app_state;
use downhill_core::decimal::parse_f64;
use downhill_core::optim::{fmt_num, Param, ParamKind};
use downhill_core::scenario::Scenario;
use downhill_core::OptimizerKind;
use leptos::prelude::*;

/// Per-racer hyperparameter sliders, generated from each optimizer's parameter
/// table; each shows its value and resets to the landscape preset.
#[component]
pub fn RacerPanels() -> impl IntoView {
    let state = app_state();
    view! {
        <section class="panel racers" aria-labelledby="racers-title">
            <h2 id="racers-title">"Racers"</h2>
            {OptimizerKind::ALL.into_iter().map(|kind| view! { <RacerPanel kind=kind /> }).collect_view()}
            <button type="button" class="small"
                on:click=handler(move |_| state.update(|s| s.hypers = Scenario::preset(s.landscape).hypers))>
                "Reset every racer to the preset"
            </button>
        </section>
    }
}

#[component]
fn RacerPanel(kind: OptimizerKind) -> impl IntoView {
    let state = app_state();
    let enabled = crate::reactive::memo(move || state.enabled.with(|e| e.contains(&kind)));
    let enabled = move || enabled.get();
    let lr = crate::reactive::memo(move || state.hypers.with(|h| h[kind as usize].get("lr")));
    let sliders = kind
        .params()
        .iter()
        .map(|p| view! { <HyperControl kind=kind param=*p id=format!("{}-{}", kind.slug(), p.name) /> })
        .collect_view();
    view! {
        <details class="racer-panel" class:off=move || !enabled()>
            <summary><Swatch kind=kind /> {kind.title()}
                <span class="lr">{move || format!("lr {}", short(lr.get()))}</span>
            </summary>
            {sliders}
        </details>
    }
}

/// One hyperparameter of one racer: a slider (log scale where it fits) or a
/// checkbox, the exact value, and a reset to the landscape's preset. `id` is
/// both the element id and its `data-testid`.
#[component]
pub fn HyperControl(kind: OptimizerKind, param: Param, id: String) -> impl IntoView {
    let state = app_state();
    let p = param;
    let name = p.name;
    // Memos: a change elsewhere in the scenario (another racer, the global
    // multiplier, the start) reaches this control's DOM only if its own value
    // or the landscape's preset for it changed. About 60 controls listen.
    let value = crate::reactive::memo(move || state.hypers.with(|h| h[kind as usize].get(name)));
    let preset = crate::reactive::memo(move || {
        Scenario::preset(state.landscape.get())
            .hyper(kind)
            .get(name)
    });
    let value = move || value.get();
    let preset = move || preset.get();
    let set = move |v: f64| {
        state.update(|s| {
            let _ = s.hyper_mut(kind).set(name, p.nearest_valid(v));
        })
    };
    let input = if p.kind == ParamKind::Bool {
        view! {
            <input type="checkbox" id=id.clone() data-testid=id.clone()
                prop:checked=move || value() != 0.0
                on:change=handler(move |ev| set(event_target_checked(&ev) as u8 as f64)) />
        }
        .into_any()
    } else {
        let (lo, hi, step) = slider_bounds(&p);
        view! {
            <input type="range" id=id.clone() data-testid=id.clone()
                min=crate::format::plain(lo) max=crate::format::plain(hi) step=crate::format::plain(step)
                prop:value=move || crate::format::plain(to_slider(&p, value()))
                on:input=handler(move |ev| {
                    if let Some(x) = parse_f64(&event_target_value(&ev)) {
                        set(from_slider(&p, x));
                    }
                }) />
        }
        .into_any()
    };
    view! {
        <div class="hyper" title=p.help>
            <label for=id>{name}</label>
            {input}
            <input type="number" step="any" class="hyper-value"
                aria-label=format!("{} {}", kind.title(), name)
                prop:value=move || fmt_num(value())
                on:change=handler(move |ev| {
                    if let Some(v) = parse_f64(event_target_value(&ev).trim()) {
                        if v.is_finite() { set(v) }
                    }
                }) />
            <button type="button" class="icon" title="Back to the preset value"
                aria-label=format!("Reset {} {}", kind.title(), name)
                disabled=move || value() == preset()
                on:click=handler(move |_| set(preset()))>"↺"</button>
        </div>
    }
}
