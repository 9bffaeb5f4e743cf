use super::handler;
use crate::format::{plain, short};
use crate::state::app_state;
use downhill_core::decimal::parse_f64;
use downhill_core::optim::{Param, ParamKind};
use downhill_core::scenario::LRX_RANGE;
use downhill_core::schedule::{Schedule, ScheduleKind};
use downhill_core::Landscape;
use leptos::prelude::*;

/// Rounds to 3 significant digits, so that slider values read (and link)
/// well: the double nearest the rounded decimal, which prints as such
/// ("0.82", not "0.8200000000000001", which ×0.01 gave: it read badly, made
/// links long, and overflowing its number field made Chromium re-layerize
/// the page at each input of a drag). A whole number of units divided or
/// multiplied by an exact power of ten (10ᵏ is exact up to k = 22) is
/// correctly rounded.
pub fn round_sig(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let k = 2 - v.abs().log10().floor() as i32;
    let p = POW10[(k.unsigned_abs() as usize).min(22)];
    if k >= 0 {
        (v * p).round() / p
    } else {
        (v / p).round() * p
    }
}

/// 10⁰ … 10²², each exact.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The slider position of a parameter value (log10 for log-scale parameters).
pub fn to_slider(p: &Param, v: f64) -> f64 {
    if p.log {
        v.max(p.slider_min).log10()
    } else {
        v
    }
}

/// The value at a slider position, rounded and clamped to the valid domain.
pub fn from_slider(p: &Param, x: f64) -> f64 {
    let v = if p.log { 10f64.powf(x) } else { x };
    let v = match p.kind {
        ParamKind::Real => round_sig(v),
        _ => v.round(),
    };
    p.nearest_valid(v)
}

/// The `<input type=range>` bounds for a parameter: (min, max, step).
pub fn slider_bounds(p: &Param) -> (f64, f64, f64) {
    if p.log {
        (p.slider_min.log10(), p.slider_max.log10(), 0.01)
    } else if p.kind != ParamKind::Real {
        (p.slider_min, p.slider_max, 1.0)
    } else {
        (
            p.slider_min,
            p.slider_max,
            (p.slider_max - p.slider_min) / 200.0,
        )
    }
}

/// Landscape picker.
#[component]
pub fn LandscapePicker() -> impl IntoView {
    let state = app_state();
    view! {
        <label class="picker">
            <span>"Landscape"</span>
            <select data-testid="landscape-select"
                prop:value=move || state.settings.with(|s| s.landscape.slug())
                on:change=handler(move |ev| {
                    if let Some(l) = Landscape::from_slug(&event_target_value(&ev)) {
                        state.update(|s| *s = s.with_landscape(l));
                        state.set_step(0);
                    }
                })>
                {Landscape::ALL.into_iter().map(|l| view! {
                    <option value=l.slug()>{l.title()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// The global learning-rate multiplier on a log slider (`lrx`).
#[component]
pub fn LrMultiplier() -> impl IntoView {
    let state = app_state();
    let lrx = move || state.scenario.with(|s| s.lrx);
    view! {
        <label class="slider-row">
            <span>"Learning-rate multiplier"</span>
            <input type="range" data-testid="lr-multiplier"
                min="-3" max="3" step="0.01"
                aria-valuetext=move || format!("times {}", short(lrx()))
                prop:value=move || plain(lrx().log10())
                on:input=handler(move |ev| {
                    if let Some(x) = parse_f64(&event_target_value(&ev)) {
                        let v = round_sig(10f64.powf(x)).clamp(LRX_RANGE.0, LRX_RANGE.1);
                        state.update(|s| s.lrx = v);
                    }
                }) />
            <output>{move || format!("×{}", short(lrx()))}</output>
        </label>
    }
}

/// A number field that applies valid input and ignores the rest.
#[component]
fn NumberField(
    label: String,
    value: Signal<f64>,
    on_set: Callback<f64>,
    #[prop(optional)] help: &'static str,
) -> impl IntoView {
    view! {
        <label class="field" title=help>
            <span>{label}</span>
            <input type="number" step="any"
                prop:value=move || plain(value.get())
                on:change=handler(move |ev| {
                    if let Some(v) = parse_f64(event_target_value(&ev).trim()) {
                        if v.is_finite() {
                            on_set.run(v);
                        }
                    }
                }) />
        </label>
    }
}

/// Schedule, clipping and gradient noise: settings shared by every racer.
#[component]
pub fn TrainingControls() -> impl IntoView {
    let state = app_state();
    let kind = move || state.settings.with(|s| s.schedule.kind());
    let sched_params = move || {
        kind().params().iter().map(|p| {
            let name = p.name;
            let p = *p;
            let value = Signal::derive(move || state.settings.with(|s| s.schedule.get(name)));
            if p.kind == ParamKind::Bool {
                view! {
                    <label class="field" title=p.help>
                        <span>{name}</span>
                        <input type="checkbox" prop:checked=move || value.get() != 0.0
                            on:change=handler(move |ev| {
                                let on = event_target_checked(&ev) as u8 as f64;
                                state.update(|s| { let _ = s.schedule.set(name, on); });
                            }) />
                    </label>
                }.into_any()
            } else {
                let on_set = Callback::new(move |v: f64| {
                    state.update(|s| { let _ = s.schedule.set(name, p.nearest_valid(v)); });
                });
                view! { <NumberField label=name.to_string() value=value on_set=on_set help=p.help /> }.into_any()
            }
        }).collect_view()
    };
    let clip = move || state.settings.with(|s| s.clip);
    let noise = move || state.settings.with(|s| s.noise);
    view! {
        <section class="panel training" aria-labelledby="training-title">
            <h2 id="training-title">"Training"</h2>
            <super::controls::LrMultiplier />
            <label class="field">
                <span>"LR schedule"</span>
                <select data-testid="schedule-select"
                    prop:value=move || kind().slug()
                    on:change=handler(move |ev| {
                        if let Some(k) = ScheduleKind::from_slug(&event_target_value(&ev)) {
                            state.update(|s| s.schedule = Schedule::new(k));
                        }
                    })>
                    {ScheduleKind::ALL.into_iter().map(|k| view! { <option value=k.slug()>{k.title()}</option> }).collect_view()}
                </select>
            </label>
            <div class="sched-params">{sched_params}</div>
            <label class="field">
                <span>"Clip gradient norm"</span>
                <input type="checkbox" data-testid="clip-toggle" prop:checked=move || clip().is_some()
                    on:change=handler(move |ev| {
                        let on = event_target_checked(&ev);
                        state.update(|s| s.clip = on.then_some(1.0));
                    }) />
                <input type="number" step="any" min="0" data-testid="clip"
                    aria-label="Maximum gradient norm"
                    disabled=move || clip().is_none()
                    prop:value=move || clip().map(plain).unwrap_or_else(|| "1".into())
                    on:change=handler(move |ev| {
                        if let Some(v) = parse_f64(event_target_value(&ev).trim()) {
                            if v.is_finite() && v > 0.0 {
                                state.update(|s| s.clip = Some(v));
                            }
                        }
                    }) />
            </label>
            <label class="slider-row">
                <span>"Gradient noise σ"</span>
                <input type="range" min="0" max="3" step="0.01" data-testid="noise"
                    prop:value=move || plain(noise())
                    on:input=handler(move |ev| {
                        if let Some(v) = parse_f64(&event_target_value(&ev)) {
                            state.update(|s| s.noise = v.clamp(0.0, 1e6));
                        }
                    }) />
                <output>{move || short(noise())}</output>
            </label>
            <label class="field">
                <span>"Noise seed"</span>
                <input type="number" min="0" step="1" data-testid="seed"
                    prop:value=move || state.settings.with(|s| s.seed.to_string())
                    on:change=handler(move |ev| {
                        if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                            state.update(|s| s.seed = v);
                        }
                    }) />
                <button type="button" title="Draw another mini-batch sequence"
                    on:click=handler(move |_| state.update(|s| s.seed = s.seed.wrapping_add(1)))>"Resample"</button>
            </label>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::round_sig;
    use downhill_core::decimal::parse_f64;

    #[test]
    fn round_sig_gives_the_double_of_the_rounded_decimal() {
        for (v, want) in [
            (0.8199, "0.82"),
            (0.69993, "0.7"),
            (0.8849115, "0.885"),
            (1.2345e-4, "0.000123"),
            (123456.0, "123000"),
            (-0.0567891, "-0.0568"),
            (9.996, "10"),
            (1.0, "1"),
        ] {
            assert_eq!(round_sig(v), parse_f64(want).unwrap(), "{v}");
        }
        // Every slider position of a drag prints with at most 3 significant digits.
        for i in 0..=4000 {
            let v = 10f64.powf(-5.0 + i as f64 * 0.0025);
            let text = downhill_core::decimal::debug(round_sig(v));
            let digits = text.trim_start_matches(['0', '.']).replace('.', "");
            let digits = digits.split('e').next().unwrap_or("").trim_end_matches('0');
            assert!(digits.len() <= 3, "{v} rounds to {text}");
        }
        assert!(round_sig(f64::NAN).is_nan());
        assert_eq!(round_sig(0.0), 0.0);
    }
}
