use super::size::observe_width;
use crate::format::short;
use crate::render::lens;
use crate::render::paths::{append, draw_all, draw_overlay};
use crate::render::viewport::Viewport;
use crate::render::{context, heatmap, prepare};
use crate::state::AppState;
use downhill_core::{OptimizerKind, Vec2};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;

/// Rounds a clicked point to a precision that reads well in a link
/// (a thousandth of the view's width).
fn snap(p: Vec2, width: f64) -> Vec2 {
    let decimals = (3.0 - width.log10().floor()).clamp(0.0, 8.0) as i32;
    let k = 10f64.powi(decimals);
    Vec2::new((p.x * k).round() / k + 0.0, (p.y * k).round() / k + 0.0)
}

/// A first guess of the canvas's width from the window's (no layout needed),
/// matching the CSS grid: the side column takes up to 400 px beside it.
fn initial_width() -> f64 {
    let w = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1280.0);
    if w > 860.0 {
        w.min(1400.0) - 32.0 - 16.0 - (w * 0.3).clamp(300.0, 400.0)
    } else {
        w - 16.0
    }
}

/// The landscape with the race on top: three stacked canvases (see `render`).
/// Click, tap or drag to restart every racer from that point.
#[component]
pub fn LandscapeCanvas() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wrap = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let paths = NodeRef::<html::Canvas>::new();
    let lens_layer = NodeRef::<html::Canvas>::new();
    let overlay = NodeRef::<html::Canvas>::new();
    let width = observe_width(wrap, initial_width());
    let landscape = Memo::new(move |_| state.scenario.with(|s| s.landscape));
    let viewport =
        Memo::new(move |_| Viewport::new(landscape.get().view(), width.get().clamp(200.0, 900.0)));

    Effect::new(move |_| {
        let (vp, dark, l) = (viewport.get(), state.dark.get(), landscape.get());
        if let Some(c) = base.get() {
            if let Some(ctx) = prepare(&c, vp.css_w, vp.css_h) {
                heatmap::draw_base(&ctx, &vp, l, dark);
            }
        }
    });

    // Paths: repaint on a new race, size or theme, or when going back; else
    // only append what was travelled since the last frame.
    let drawn = StoredValue::new((u64::MAX, 0u64, None::<Viewport>, false));
    Effect::new(move |_| {
        let (vp, dark, step, version) = (
            viewport.get(),
            state.dark.get(),
            state.step.get(),
            state.race_version.get(),
        );
        let Some(c) = paths.get() else { return };
        let (v0, upto, vp0, dark0) = drawn.get_value();
        state.with_race_untracked(|race| {
            if v0 == version && vp0 == Some(vp) && dark0 == dark && step >= upto {
                if let Some(ctx) = context(&c) {
                    append(&ctx, &vp, race, upto, step, dark);
                }
            } else if let Some(ctx) = prepare(&c, vp.css_w, vp.css_h) {
                draw_all(&ctx, &vp, race, step, dark);
            }
        });
        drawn.set_value((version, step, Some(vp), dark));
    });

    // The lens layer: gradient field and the ghost's path; redrawn only when
    // the race, the toggles, the size or the theme change.
    Effect::new(move |_| {
        let (vp, dark, l, opts) = (
            viewport.get(),
            state.dark.get(),
            landscape.get(),
            state.lens(),
        );
        let Some(c) = lens_layer.get() else { return };
        if let Some(ctx) = prepare(&c, vp.css_w, vp.css_h) {
            if opts.field {
                lens::draw_field(&ctx, &vp, l, dark);
            }
            if opts.ghost {
                state.with_ghost(|g| lens::draw_ghost_path(&ctx, &vp, g, dark));
            }
        }
    });

    let hover = RwSignal::new(None::<(f64, f64)>);
    // The minibatch-noise scene: full and mini-batch gradients at the focused
    // racer's point (regression landscape only).
    let minibatch = Memo::new(move |_| {
        let (show, batch, seed) = state.scenario.with(|s| {
            let show = s.landscape == downhill_core::Landscape::Regression
                && s.scene.and_then(|sc| sc.widget())
                    == Some(downhill_core::scene::Widget::MinibatchArrows);
            (show, s.batch, s.seed)
        });
        if !show {
            return None;
        }
        let (step, kind) = (state.step.get(), state.focus());
        let head = state.with_race(|r| r.racer(kind)?.trace().at(step).map(|s| s.theta))?;
        let m =
            downhill_core::landscape::regression::minibatch_arrows(head, batch.max(1), 40, seed);
        Some((head, m))
    });
    let arrows = Memo::new(move |_| {
        let (step, kind) = (state.step.get(), state.focus());
        state.with_race(|race| state.with_detail(|d| lens::arrows(race, d, kind, step)))
    });
    Effect::new(move |_| {
        let (vp, dark, step, h) = (
            viewport.get(),
            state.dark.get(),
            state.step.get(),
            hover.get(),
        );
        let Some(c) = overlay.get() else { return };
        if let Some(ctx) = prepare(&c, vp.css_w, vp.css_h) {
            let ghost = state.with_detail(|d| {
                d.racer(OptimizerKind::Nesterov)
                    .and_then(|r| r.trace().internals_at(step))
                    .map(|i| i.lookahead)
            });
            state.with_race(|race| draw_overlay(&ctx, &vp, race, step, h, ghost, dark));
            let opts = state.lens();
            if opts.ghost {
                state.with_ghost(|g| lens::draw_ghost_head(&ctx, &vp, g, step, dark));
            }
            // The mini-batch cloud replaces the focused racer's arrows (both
            // start at its head; one set at a time reads).
            if let Some((head, m)) = minibatch.get() {
                lens::draw_minibatch(&ctx, &vp, head, m.full, &m.batches);
            } else if let Some(a) = opts.arrows.then(|| arrows.get()).flatten() {
                lens::draw_arrows(&ctx, &vp, &a);
            }
        }
    });

    let dragging = RwSignal::new(false);
    let set_start = move |px: f64, py: f64| {
        let vp = viewport.get_untracked();
        if !vp.in_plot(px, py) {
            return;
        }
        let p = snap(vp.to_data(px, py), vp.data.width());
        state.update(|s| s.start = p);
        state.set_step(0);
    };
    let readout = move || {
        let vp = viewport.get();
        match hover.get() {
            Some((x, y)) if vp.in_plot(x, y) => {
                let p = vp.to_data(x, y);
                let f = landscape.get().value(p);
                format!(
                    "x = {}, y = {}, f(x, y) = {}",
                    short(p.x),
                    short(p.y),
                    short(f)
                )
            }
            _ => "Click or drag on the landscape to restart every racer from there.".into(),
        }
    };
    let description = move || {
        let l = landscape.get();
        let start = state.scenario.with(|s| s.start);
        let step = state.step.get();
        let leader = state.with_race(|race| {
            race.racers()
                .iter()
                .filter(|r| r.diverged_at().is_none_or(|k| k > step))
                .filter_map(|r| r.trace().at(step).map(|s| (r.kind(), s.loss)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
        });
        let lead = leader
            .map(|(k, loss)| format!("{} leads with loss {}", k.title(), short(loss)))
            .unwrap_or_default();
        format!(
            "{} landscape, {}. Start ({}, {}), step {step}. {lead}.",
            l.title(),
            l.formula(),
            short(start.x),
            short(start.y)
        )
    };
    view! {
        <div class="canvas-wrap" node_ref=wrap>
            <div class="canvas-stack" style:height=move || format!("{}px", viewport.get().css_h)>
                <canvas node_ref=base aria-hidden="true"></canvas>
                <canvas node_ref=paths aria-hidden="true"></canvas>
                <canvas node_ref=lens_layer aria-hidden="true"></canvas>
                <canvas node_ref=overlay data-testid="landscape-canvas" role="img" tabindex="0"
                    aria-label=description
                    on:pointerdown=move |ev: ev::PointerEvent| {
                        dragging.set(true);
                        if let Some(t) = ev.target() {
                            use wasm_bindgen::JsCast;
                            if let Ok(el) = t.dyn_into::<web_sys::Element>() {
                                let _ = el.set_pointer_capture(ev.pointer_id());
                            }
                        }
                        set_start(ev.offset_x() as f64, ev.offset_y() as f64);
                    }
                    on:pointermove=move |ev: ev::PointerEvent| {
                        let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
                        hover.set(Some((x, y)));
                        if dragging.get_untracked() {
                            set_start(x, y);
                        }
                    }
                    on:pointerup=move |_| dragging.set(false)
                    on:pointercancel=move |_| dragging.set(false)
                    on:pointerleave=move |_| hover.set(None)></canvas>
            </div>
            <p class="readout" data-testid="hover-readout">{readout}</p>
            <LensBar arrows=arrows viewport=viewport />
        </div>
    }
}

/// The lens toggles under the canvas, with the arrows' legend and hooks
/// (`data-testid="focus-arrows"`: the values drawn, shortest round-trip).
#[component]
fn LensBar(arrows: Memo<Option<lens::Arrows>>, viewport: Memo<Viewport>) -> impl IntoView {
    use crate::format::exact;
    let state = expect_context::<AppState>();
    let pair = |v: Vec2| {
        if v.is_finite() {
            format!("{},{}", exact(v.x), exact(v.y))
        } else {
            String::new()
        }
    };
    let toggle = move |label: &'static str,
                       id: &'static str,
                       get: fn(&downhill_core::scenario::Lens) -> bool,
                       set: fn(&mut downhill_core::scenario::Lens, bool)| {
        view! {
            <label class="small lens-toggle">
                <input type="checkbox" data-testid=id
                    prop:checked=move || get(&state.lens())
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        state.set_lens(|l| set(l, on));
                    } />
                " " {label}
            </label>
        }
    };
    let ghost_note = move || {
        let k = state.focus();
        if k.has_bias_correction() {
            format!("{} without bias correction (dashed)", k.title())
        } else {
            format!(
                "no bias-correction ghost: {} has no bias correction",
                k.title()
            )
        }
    };
    view! {
        <div class="lens-bar" data-testid="focus-arrows"
            data-step=move || arrows.get().map(|a| a.step.to_string()).unwrap_or_default()
            data-racer=move || state.focus().slug()
            data-grad=move || arrows.get().map(|a| pair(a.grad)).unwrap_or_default()
            data-momentum=move || arrows.get().map(|a| pair(a.momentum)).unwrap_or_default()
            data-update=move || arrows.get().map(|a| pair(a.update)).unwrap_or_default()>
            {toggle("arrows", "toggle-arrows", |l| l.arrows, |l, on| l.arrows = on)}
            {toggle("bias-correction ghost", "toggle-ghost", |l| l.ghost, |l, on| l.ghost = on)}
            {toggle("gradient field", "toggle-field", |l| l.field, |l, on| l.field = on)}
            <Show when=move || state.lens().arrows && arrows.with(Option::is_some)>
                <span class="small legend">
                    {move || state.focus().title()} ": "
                    <span class="key" style:color=lens::GRAD_INK>"━ −g"</span> " "
                    <span class="key" style:color=lens::MOMENTUM_INK>"━ −m"</span> " (same scale) "
                    <span class="key" style:color=lens::UPDATE_INK>"━ Δθ"</span>
                    {move || {
                        let a = arrows.get()?;
                        // Δθ is drawn ×10ᵏ when too short or long to see; say so.
                        let k = lens::update_magnification(&viewport.get(), &a);
                        (k != 1.0).then(|| format!(" ×{}", crate::format::short(k)))
                    }}
                </span>
            </Show>
            <Show when=move || state.lens().ghost>
                <span class="small legend">{ghost_note}</span>
            </Show>
        </div>
    }
}
