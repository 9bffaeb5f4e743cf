//! Charts of the focused racer over the steps: its effective learning rate
//! per axis (beside the bars), and its internal state in the inspector (m, v,
//! m̂, v̂ or the update, per axis, with the "without bias correction" ghost
//! dashed). They redraw when the race, the focus, the size or the theme
//! changes; the step cursor is a CSS background (see `StepCursor`).

use super::handler;
use super::instruments::StepCursor;
use super::size::observe_width;
use crate::render::chart::{paint_chart, ChartGeom, YScale};
use crate::render::series::{axis_color, draw_lines, Line};
use crate::render::{Coalesced, Surface};
use crate::state::app_state;
use downhill_core::optim::Internals;
use downhill_core::race::Race;
use downhill_core::trace::Sample;
use downhill_core::{OptimizerKind, Vec2};
use leptos::html;
use leptos::prelude::*;

const HEIGHT: f64 = 170.0;

/// A chart canvas sized to its container, redrawn by `draw` whenever what
/// `deps` reads (or the race, size or theme) changes, in idle time and at
/// once on a new width, like the loss chart (see `Coalesced`).
/// `draw` runs untracked. Returns the geometry signal for the cursor.
fn chart_canvas(
    wrap: NodeRef<html::Div>,
    canvas: NodeRef<html::Canvas>,
    deps: impl Fn() + 'static,
    draw: impl Fn(&Surface, bool) -> Option<ChartGeom> + 'static,
) -> RwSignal<Option<ChartGeom>> {
    let state = app_state();
    let width = observe_width(wrap, 400.0);
    let geom = RwSignal::new(None::<ChartGeom>);
    let redraw = Coalesced::default();
    let draw = std::rc::Rc::new(draw);
    crate::reactive::effect(move || {
        let _ = (width.get(), state.dark.get());
        state.race_version.track();
        deps();
        if canvas.get().is_none() {
            return;
        }
        let draw = draw.clone();
        redraw.run(width.get_untracked(), move || {
            let Some(c) = canvas.get_untracked() else {
                return;
            };
            let dark = state.dark.get_untracked();
            geom.set(paint_chart(&c, width.get_untracked(), HEIGHT, &mut |s| {
                untrack(|| draw(s, dark))
            }));
        });
    });
    geom
}

/// (step, value) of one axis of `f(sample)` over a racer's trace.
fn per_axis(samples: &[Sample], f: impl Fn(&Sample) -> [Option<f64>; 2]) -> [Vec<(f64, f64)>; 2] {
    let mut out = [Vec::new(), Vec::new()];
    for s in samples {
        for (axis, v) in f(s).into_iter().enumerate() {
            out[axis].push((s.step as f64, v.unwrap_or(f64::NAN)));
        }
    }
    out
}

fn lines_of(axes: [Vec<(f64, f64)>; 2], dashed: bool, dark: bool) -> impl Iterator<Item = Line> {
    axes.into_iter().enumerate().map(move |(i, points)| Line {
        points,
        color: axis_color(i, dark),
        dashed,
    })
}

/// A "how many steps" choice for a chart (the first steps are where the
/// adaptive methods differ most).
#[component]
fn SpanSelect(span: RwSignal<u64>) -> impl IntoView {
    view! {
        <label>" over "
            <select prop:value=move || span.get().to_string()
                on:change=handler(move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<u64>() {
                        span.set(n);
                    }
                })>
                <option value="30">"the first 30 steps"</option>
                <option value="100">"the first 100 steps"</option>
                <option value="500">"the first 500 steps"</option>
                <option value=WHOLE.to_string()>"the whole race"</option>
            </select>
        </label>
    }
}

/// The span value meaning "the whole race".
const WHOLE: u64 = u64::MAX;

/// The focused racer's effective learning rate, |Δθᵢ| / |gᵢ|, over the steps.
#[component]
pub fn EffLrHistory() -> impl IntoView {
    let state = app_state();
    let span = RwSignal::new(WHOLE);
    let wrap = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    // The adagrad-vs-rmsprop scene compares every racer's history (each in
    // its colour, x solid and y dashed); elsewhere the focused racer's x and y.
    let compare = move || {
        state.settings.with(|s| {
            s.scene.and_then(|sc| sc.widget()) == Some(downhill_core::scene::Widget::EffLrHistory)
        })
    };
    let deps = move || {
        let _ = (state.focus(), span.get(), compare());
    };
    let geom = chart_canvas(wrap, canvas, deps, move |c, dark| {
        let (kind, span, all) = (state.focus(), span.get(), compare());
        state.with_race(|race: &Race| {
            let mut lines: Vec<Line> = Vec::new();
            for r in race.racers().iter().filter(|r| all || r.kind() == kind) {
                let axes = per_axis(r.trace().samples(), Sample::effective_lr);
                if all {
                    let color = crate::render::style::style(r.kind()).color(dark);
                    for (i, points) in axes.into_iter().enumerate() {
                        lines.push(Line {
                            points,
                            color,
                            dashed: i == 1,
                        });
                    }
                } else {
                    lines.extend(lines_of(axes, false, dark));
                }
            }
            let max = span.min(race.step_count());
            draw_lines(c, &lines, max as f64, YScale::Log, dark)
        })
    });
    let caption = move || {
        if compare() {
            "Every racer's effective learning rate (log scale): ━ x, ┅ y".to_string()
        } else {
            format!(
                "{}'s effective learning rate (log scale)",
                state.focus().title()
            )
        }
    };
    view! {
        <div class="focus-chart">
            <div class="chart-controls small">
                <span>{caption}</span>
                <SpanSelect span=span />
                {crate::reactive::show(move || !compare(), move || view! {
                    <span><span class="axis-x">"━ x"</span> " " <span class="axis-y">"━ y"</span></span>
                }.into_any())}
            </div>
            <div class="chart-wrap" node_ref=wrap data-testid="eff-lr-history" data-racer=move || state.focus().slug()>
                <div class="canvas-stack" style:height=crate::format::px(HEIGHT)>
                    <canvas node_ref=canvas role="img"
                        aria-label=move || format!("{}'s effective learning rate per axis against the step", state.focus().title())></canvas>
                    <StepCursor geom=geom />
                </div>
            </div>
        </div>
    }
}

/// What the inspector's chart plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    M,
    V,
    MHat,
    VHat,
    Update,
}

impl Quantity {
    pub const ALL: [Quantity; 5] = [
        Quantity::M,
        Quantity::V,
        Quantity::MHat,
        Quantity::VHat,
        Quantity::Update,
    ];
    pub fn slug(self) -> &'static str {
        match self {
            Quantity::M => "m",
            Quantity::V => "v",
            Quantity::MHat => "mhat",
            Quantity::VHat => "vhat",
            Quantity::Update => "update",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Quantity::M => "m",
            Quantity::V => "v",
            Quantity::MHat => "m̂",
            Quantity::VHat => "v̂",
            Quantity::Update => "update Δθ",
        }
    }
    /// Second moments are positive and span decades: log axis.
    fn scale(self) -> YScale {
        match self {
            Quantity::V | Quantity::VHat => YScale::Log,
            _ => YScale::Linear,
        }
    }
    fn of(self, s: &Sample, i: Option<&Internals>) -> Vec2 {
        let i = i.copied().unwrap_or(Internals::NONE);
        match self {
            Quantity::M => i.m,
            Quantity::V => i.v,
            Quantity::MHat => i.m_hat,
            Quantity::VHat => i.v_hat,
            Quantity::Update => s.delta,
        }
    }
}

/// (step, value) per axis of `q` for the first racer of `kind` in `race`.
fn quantity(race: &Race, kind: OptimizerKind, q: Quantity) -> Option<[Vec<(f64, f64)>; 2]> {
    let t = race.racer(kind)?.trace();
    Some(per_axis(t.samples(), |s| {
        let v = q.of(s, t.internals_at(s.step));
        [Some(v.x), Some(v.y)]
    }))
}

/// The inspector's chart: one quantity per axis over the first steps, the
/// ghost (no bias correction) dashed when it is shown.
#[component]
pub fn MomentChart() -> impl IntoView {
    let state = app_state();
    let q = RwSignal::new(Quantity::Update);
    // How many steps the chart spans (bias correction matters early).
    let span = RwSignal::new(100u64);
    let wrap = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let deps = move || {
        let _ = (
            state.focus(),
            q.get(),
            state.lens().ghost,
            span.get(),
            state.max_steps(),
        );
    };
    let geom = chart_canvas(wrap, canvas, deps, move |c, dark| {
        let (kind, q, ghost_on) = (state.focus(), q.get(), state.lens().ghost);
        let max = span.get().min(state.max_steps()).max(1);
        let mut lines: Vec<Line> = state
            .with_race(|race| quantity(race, kind, q))
            .map(|a| lines_of(a, false, dark).collect())
            .unwrap_or_default();
        if ghost_on {
            if let Some(a) = state.with_ghost(|g| quantity(g, kind, q)) {
                lines.extend(lines_of(a, true, dark));
            }
        }
        draw_lines(c, &lines, max as f64, q.scale(), dark)
    });
    view! {
        <div class="focus-chart">
            <div class="chart-controls small">
                <label>"plot "
                    <select data-testid="moment-quantity"
                        on:change=handler(move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(x) = Quantity::ALL.into_iter().find(|x| x.slug() == v) {
                                q.set(x);
                            }
                        })>
                        {Quantity::ALL.map(|x| view! {
                            <option value=x.slug() selected=x == Quantity::Update>{x.label()}</option>
                        })}
                    </select>
                </label>
                <SpanSelect span=span />
                <span><span class="axis-x">"━ x"</span> " " <span class="axis-y">"━ y"</span>
                    {crate::reactive::show(move || state.lens().ghost, move || view! {" ┅ without bias correction"}.into_any())}
                </span>
            </div>
            <div class="chart-wrap" node_ref=wrap data-testid="moment-chart" data-quantity=move || q.get().slug()>
                <div class="canvas-stack" style:height=crate::format::px(HEIGHT)>
                    <canvas node_ref=canvas role="img"
                        aria-label=move || format!("{} of {} per axis against the step", q.get().label(), state.focus().title())></canvas>
                    <StepCursor geom=geom />
                </div>
            </div>
        </div>
    }
}
