//! Small landscapes beside the main one, for scenes that compare: one racer
//! per canvas (`sgd-vs-momentum`), or the same racers on another landscape
//! (`ravine-zigzag` shows the rotated ravine beside the ravine).

use super::size::observe_width;
use crate::render::paths::{marker, stroke_samples};
use crate::render::style::style;
use crate::render::viewport::Viewport;
use crate::render::{heatmap, paint_still, prepare};
use crate::state::app_state;
use downhill_core::race::Race;
use downhill_core::{Landscape, OptimizerKind};
use leptos::html;
use leptos::prelude::*;
use web_sys::CanvasRenderingContext2d;

/// Futures faint, the travelled part in full colour, heads: for the racers
/// of `race` that `keep` accepts.
fn draw_race(
    ctx: &CanvasRenderingContext2d,
    vp: &Viewport,
    race: &Race,
    step: u64,
    keep: impl Fn(OptimizerKind) -> bool,
    dark: bool,
) {
    ctx.save();
    ctx.begin_path();
    ctx.rect(vp.left, vp.top, vp.plot_w, vp.plot_h);
    ctx.clip();
    for r in race.racers().iter().filter(|r| keep(r.kind())) {
        let color = style(r.kind()).color(dark);
        ctx.set_stroke_style_str(color);
        for (samples, alpha, width) in [
            (r.trace().samples(), 0.4, 1.0),
            (r.trace().until(step), 1.0, 2.0),
        ] {
            ctx.set_global_alpha(alpha);
            ctx.set_line_width(width);
            stroke_samples(ctx, vp, samples);
        }
        ctx.set_global_alpha(1.0);
        if let Some(s) = r.trace().at(step) {
            let (x, y) = vp.to_px(s.theta);
            marker(ctx, r.kind(), x, y, 5.0, dark);
        }
    }
    ctx.restore();
}

/// Where a small canvas takes its race from.
#[derive(Clone, Copy)]
pub enum Source {
    /// The main race, one racer only.
    Main(OptimizerKind),
    /// The same scenario on another landscape (its own race, run here).
    Elsewhere(Landscape),
}

/// One small landscape with a race on it and a caption.
#[component]
pub fn MiniCanvas(source: Source) -> impl IntoView {
    let state = app_state();
    let wrap = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let top = NodeRef::<html::Canvas>::new();
    let width = observe_width(wrap, 320.0);
    let landscape = crate::reactive::memo(move || match source {
        Source::Main(_) => state.landscape.get(),
        Source::Elsewhere(l) => l,
    });
    let viewport = crate::reactive::memo(move || {
        Viewport::new(landscape.get().view(), width.get().clamp(160.0, 600.0))
    });
    // The other landscape's race: the scenario's racers and settings there
    // (with that landscape's preset start and rates), re-run when they change.
    let elsewhere = StoredValue::new(None::<Race>);
    let version = crate::reactive::memo(move || {
        if let Source::Elsewhere(l) = source {
            let s = state.scenario.with(|s| {
                let mut o = s.with_landscape(l);
                o.enabled = s.enabled.clone();
                o
            });
            let mut race = Race::new(s.race_config());
            race.run_to(s.max_steps);
            elsewhere.set_value(Some(race));
        }
        state.race_version.get()
    });
    crate::reactive::effect(move || {
        let (vp, dark, l) = (viewport.get(), state.dark.get(), landscape.get());
        if let Some(c) = base.get() {
            paint_still(&c, vp.css_w, vp.css_h, &mut |s| {
                heatmap::draw_base(&s.ctx, &vp, l, dark)
            });
        }
    });
    crate::reactive::effect(move || {
        let (vp, dark, step) = (viewport.get(), state.dark.get(), state.step.get());
        let _ = version.get();
        let Some(ctx) = top.get().and_then(|c| prepare(&c, vp.css_w, vp.css_h)) else {
            return;
        };
        match source {
            Source::Main(kind) => state
                .with_race_untracked(|race| draw_race(&ctx, &vp, race, step, |k| k == kind, dark)),
            Source::Elsewhere(_) => elsewhere.with_value(|r| {
                if let Some(race) = r {
                    draw_race(&ctx, &vp, race, step, |_| true, dark)
                }
            }),
        }
    });
    let caption = move || match source {
        Source::Main(kind) => kind.title().to_string(),
        Source::Elsewhere(l) => {
            format!("The same racers on the {}", l.title().to_ascii_lowercase())
        }
    };
    let testid = match source {
        Source::Main(kind) => format!("mini-{}", kind.slug()),
        Source::Elsewhere(l) => format!("mini-{}", l.slug()),
    };
    view! {
        <figure class="mini" data-testid=testid>
            <div class="canvas-wrap" node_ref=wrap>
                <div class="canvas-stack" style:height=move || crate::format::px(viewport.get().css_h)>
                    <canvas node_ref=base aria-hidden="true"></canvas>
                    <canvas node_ref=top role="img" aria-label=caption></canvas>
                </div>
            </div>
            <figcaption class="small">{caption}</figcaption>
        </figure>
    }
}
