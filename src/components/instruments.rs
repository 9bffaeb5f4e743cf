//! The instruments: loss curves, effective learning rates, the timeline and
//! the schedule curve. They read the race's recorded traces, never a second
//! simulation. Charts redraw when the race changes; per frame only their
//! cursor overlays move.

use super::handler;
use super::size::observe_width;
use super::swatch::Swatch;
use crate::format::{exact, short};
use crate::render::chart::{auto_scale, draw_loss, draw_schedule, paint_chart, ChartGeom, YScale};
use crate::render::{paint_still, Coalesced};
use crate::state::{app_state, At, Lane};
use downhill_core::OptimizerKind;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;

const CHART_H: f64 = 220.0;

/// Draws the hover line on a chart's overlay (it changes only on hover).
fn draw_hover(
    canvas: &web_sys::HtmlCanvasElement,
    geom: &ChartGeom,
    css_w: f64,
    css_h: f64,
    hover: Option<f64>,
    dark: bool,
) {
    let k = crate::render::dpr();
    paint_still(canvas, css_w, css_h, &mut |s| {
        let (Some(x), ctx) = (hover, &s.ctx) else {
            return;
        };
        ctx.begin_path();
        ctx.move_to(x, geom.y0 / k);
        ctx.line_to(x, geom.y1 / k);
        ctx.set_stroke_style_str(if dark {
            "rgba(255,255,255,0.4)"
        } else {
            "rgba(0,0,0,0.35)"
        });
        ctx.set_line_width(1.0);
        ctx.stroke();
    });
}

/// The step cursor: a box over the plot, as wide as the chart, whose
/// background is the line; the step moves the background (`.step-cursor` in
/// main.css says why it is not a moved element). It follows the board's text
/// lane (every step at rest; about ten times a second while playing).
#[component]
pub fn StepCursor(geom: RwSignal<Option<ChartGeom>>) -> impl IntoView {
    let state = app_state();
    let k = crate::render::dpr();
    view! {
        <div class="step-cursor" aria-hidden="true"
            style:top=move || geom.get().map(|g| crate::format::px(g.y0 / k)).unwrap_or_default()
            style:height=move || geom.get().map(|g| crate::format::px((g.y1 - g.y0) / k)).unwrap_or_else(|| "0".into())
            style:background-position-x=move || {
                let x = geom.get().map(|g| g.x_px(state.step_at(At::Text(Lane::Board)) as f64) / k).unwrap_or(-10.0);
                crate::format::px(x)
            }></div>
    }
}

/// Loss curves for every racer (`data-testid="loss-chart"`).
#[component]
pub fn LossChart() -> impl IntoView {
    let state = app_state();
    let wrap = NodeRef::<html::Div>::new();
    let chart = NodeRef::<html::Canvas>::new();
    let overlay = NodeRef::<html::Canvas>::new();
    let width = observe_width(wrap, 600.0);
    // None: automatic (log when every loss is positive, symmetric log otherwise).
    let mode = RwSignal::new(None::<YScale>);
    let scale =
        crate::reactive::memo(move || mode.get().unwrap_or_else(|| state.with_race(auto_scale)));
    let geom = RwSignal::new(None::<ChartGeom>);
    // Redrawn when the race, size, theme or axis changes, in idle time (at
    // once on a new width; see `Coalesced`).
    let redraw = Coalesced::default();
    crate::reactive::effect(move || {
        let _ = (width.get(), state.dark.get(), scale.get());
        state.race_version.track();
        if chart.get().is_none() {
            return;
        }
        redraw.run(width.get_untracked(), move || {
            let Some(c) = chart.get_untracked() else {
                return;
            };
            let (w, dark, s) = (
                width.get_untracked(),
                state.dark.get_untracked(),
                scale.get_untracked(),
            );
            geom.set(paint_chart(&c, w, CHART_H, &mut |surface| {
                state.with_race_untracked(|race| draw_loss(surface, race, s, dark))
            }));
        });
    });
    let hover_x = RwSignal::new(None::<f64>);
    // The width the overlay was last painted at, and whether it shows a line:
    // a chart redraw with nothing hovered leaves a blank overlay alone.
    let painted = StoredValue::new((f64::NAN, false));
    crate::reactive::effect(move || {
        let (w, dark, h) = (width.get(), state.dark.get(), hover_x.get());
        let (Some(c), Some(g)) = (overlay.get(), geom.get()) else {
            return;
        };
        if h.is_none() && painted.get_value() == (w, false) {
            return;
        }
        painted.set_value((w, h.is_some()));
        draw_hover(&c, &g, w, CHART_H, h, dark);
    });
    let hovered_step = move || {
        let g = geom.get()?;
        let x = hover_x.get()? * crate::render::dpr();
        Some(g.x_of(x).round() as u64)
    };
    let readout = move || {
        let Some(step) = hovered_step() else {
            return "Hover over the chart to read every racer's loss at a step.".to_string();
        };
        let parts: Vec<String> = state.with_race(|race| {
            race.racers()
                .iter()
                .filter_map(|r| {
                    let s = r.trace().at(step)?;
                    (r.diverged_at().is_none_or(|k| k > step))
                        .then(|| format!("{} {}", r.kind().title(), short(s.loss)))
                })
                .collect()
        });
        format!("step {step}: {}", parts.join(" · "))
    };
    view! {
        <section class="panel instrument" aria-labelledby="loss-title">
            <div class="panel-head">
                <h2 id="loss-title">"Loss"</h2>
                <label class="small">"axis "
                    <select on:change=handler(move |ev| mode.set(match event_target_value(&ev).as_str() {
                        "log" => Some(YScale::Log),
                        "symlog" => Some(YScale::SymLog),
                        "linear" => Some(YScale::Linear),
                        _ => None,
                    }))>
                        <option value="auto">"automatic"</option>
                        <option value="log">"log"</option>
                        <option value="symlog">"symmetric log"</option>
                        <option value="linear">"linear"</option>
                    </select>
                </label>
            </div>
            <div class="chart-wrap" node_ref=wrap data-testid="loss-chart" data-scale=move || scale.get().label()>
                <div class="canvas-stack" style:height=crate::format::px(CHART_H)>
                    <canvas node_ref=chart role="img"
                        aria-label=move || format!("Loss of every racer against the step, {} axis", scale.get().label())></canvas>
                    <canvas node_ref=overlay aria-hidden="true"
                        on:pointermove=handler(move |e: ev::PointerEvent| hover_x.set(Some(e.offset_x() as f64)))
                        on:pointerleave=handler(move |_| hover_x.set(None))
                        on:click=handler(move |_| if let Some(s) = hovered_step() { state.playing.set(false); state.set_step(s) })></canvas>
                    <StepCursor geom=geom />
                </div>
            </div>
            <p class="readout">{readout}</p>
        </section>
    }
}

/// Position of a rate on the bars' log scale, as a percentage.
fn bar_percent(v: f64) -> f64 {
    const LO: f64 = -5.0;
    const HI: f64 = 1.0;
    ((v.max(1e-300).log10() - LO) / (HI - LO) * 100.0).clamp(1.0, 100.0)
}

/// Effective learning rate per racer and axis, |Δθᵢ| / |gᵢ| at the shown step.
#[component]
pub fn EffectiveLr() -> impl IntoView {
    let state = app_state();
    // The race's racers are the enabled ones, in order: a memo that changes
    // only when racers come or go, not on a re-run.
    let kinds = state.enabled;
    let bar = move |kind: OptimizerKind| {
        // Computed once per step: for the hooks (exact after any input), and
        // for the bars and numbers (one of the rates' two text lanes, see `raf`).
        let at = move |race: &downhill_core::race::Race, step| {
            race.racer(kind)
                .and_then(|r| r.sample_at(step))
                .map(|s| s.effective_lr())
                .unwrap_or([None, None])
        };
        let hooks = crate::reactive::memo(move || state.with_race_at(At::Hooks, at));
        let rates =
            crate::reactive::memo(move || state.with_race_at(At::Text(Lane::rates(kind)), at));
        let rates = move || rates.get();
        let axis = move |i: usize| {
            view! {
                // The bar is the track's first background, its length that
                // background's size: a new rate repaints the track and nothing
                // else (see `.bar-track` in main.css). Set as the property
                // itself, not a custom property the style sheet reads: a
                // var() is substituted and re-parsed at each style recalc,
                // which made recalculating a lane's 14 tracks take about four
                // times as long (0.65 against 0.17 ms). Set through the CSSOM,
                // which the served CSP allows (a `style` attribute it would
                // refuse).
                <div class="bar-track" class:y=i == 1
                    style=("background-size", move || format!("{}% 100%, auto", crate::format::plain(rates()[i].map(bar_percent).unwrap_or(0.0))))>
                    {move || rates()[i].map(short).unwrap_or_else(|| "—".into())}
                </div>
            }
        };
        let row = NodeRef::<leptos::html::Div>::new();
        crate::reactive::hooks(
            &["data-x", "data-y"],
            move || row.get().map(Into::into),
            move || {
                hooks
                    .get()
                    .map(|r| r.map(exact).unwrap_or_default())
                    .to_vec()
            },
        );
        view! {
            <div class="eff-row" node_ref=row data-testid=format!("eff-lr-{}", kind.slug())>
                <span class="name"><Swatch kind=kind /> {kind.title()}</span>
                {axis(0)}
                {axis(1)}
            </div>
        }
    };
    view! {
        <section class="panel instrument" aria-labelledby="eff-title">
            <div class="panel-head">
                <h2 id="eff-title">"Effective learning rate"</h2>
                <span class="small">"|Δθ| / |g| per axis, log scale 1e-5 … 10"</span>
            </div>
            <div class="eff-head small"><span></span><span>"x"</span><span>"y"</span></div>
            <div data-testid="effective-lr">
                {crate::reactive::each_kind(move || kinds.get(), move |k| bar(k).into_any())}
            </div>
            <super::focus_charts::EffLrHistory />
        </section>
    }
}

/// A scrubber over the recorded steps: moves every head, row and cursor.
#[component]
pub fn Timeline() -> impl IntoView {
    let state = app_state();
    view! {
        <label class="timeline">
            <span class="visually-hidden">"Step shown"</span>
            <input type="range" min="0" step="1" data-testid="timeline"
                max=move || state.max_steps().to_string()
                prop:value=move || state.hook_step.get().to_string()
                on:input=handler(move |ev| {
                    if let Ok(t) = event_target_value(&ev).parse::<u64>() {
                        state.playing.set(false);
                        state.set_step(t);
                    }
                }) />
        </label>
    }
}

/// The learning-rate schedule over the race with the current step marked.
#[component]
pub fn ScheduleChart() -> impl IntoView {
    let state = app_state();
    let wrap = NodeRef::<html::Div>::new();
    let chart = NodeRef::<html::Canvas>::new();
    let width = observe_width(wrap, 400.0);
    let height = 140.0;
    let geom = RwSignal::new(None::<ChartGeom>);
    // Only the schedule and the race length matter (not every setting).
    let input =
        crate::reactive::memo(move || state.scenario.with(|s| (s.schedule.clone(), s.max_steps)));
    let redraw = Coalesced::default();
    crate::reactive::effect(move || {
        let _ = (width.get(), state.dark.get());
        input.track();
        if chart.get().is_none() {
            return;
        }
        redraw.run(width.get_untracked(), move || {
            let Some(c) = chart.get_untracked() else {
                return;
            };
            let (w, dark) = (width.get_untracked(), state.dark.get_untracked());
            let (schedule, steps) = input.get_untracked();
            geom.set(paint_chart(&c, w, height, &mut |surface| {
                draw_schedule(surface, &schedule, steps, dark)
            }));
        });
    });
    view! {
        <section class="panel instrument" aria-labelledby="sched-title">
            <div class="panel-head">
                <h2 id="sched-title">"Learning-rate schedule"</h2>
                <span class="small" data-testid="schedule-peak">{move || input.with(|(sched, max_steps)| {
                    let stride = (max_steps / 2000).max(1) as usize;
                    let peak = (0..*max_steps).step_by(stride).map(|i| sched.lr(1.0, i)).fold(0.0, f64::max);
                    if sched.kind() == downhill_core::ScheduleKind::OneCycleLr && sched.get("max_lr") > 0.0 {
                        format!("{}: peak lr {} (one-cycle's max_lr, for every racer)", sched.kind().title(), short(peak))
                    } else {
                        format!("{}: peak = ×{} of each racer's lr", sched.kind().title(), short(peak))
                    }
                })}</span>
            </div>
            <div class="chart-wrap" node_ref=wrap data-testid="schedule-chart">
                <div class="canvas-stack" style:height=crate::format::px(height)>
                    <canvas node_ref=chart role="img" aria-label="The learning rate as a share of its peak, against the step"></canvas>
                    <StepCursor geom=geom />
                </div>
            </div>
        </section>
    }
}
