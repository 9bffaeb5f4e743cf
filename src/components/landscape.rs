use super::size::observe_width;
use crate::format::short;
use crate::render::paths::{append, draw_all, draw_overlay, restore, Dirty};
use crate::render::viewport::Viewport;
use crate::render::{context, dpr, heatmap, prepare};
use crate::state::AppState;
use downhill_core::{OptimizerKind, Vec2};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// What the race canvas shows, so a frame can draw only the difference.
struct Shown {
    /// The paths alone, offscreen (the visible canvas adds the markers).
    paths: Option<HtmlCanvasElement>,
    version: u64,
    upto: u64,
    vp: Option<Viewport>,
    dark: bool,
    /// Where the markers were drawn last frame.
    markers: Vec<Dirty>,
}

fn offscreen() -> Option<HtmlCanvasElement> {
    web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into::<HtmlCanvasElement>()
        .ok()
}

/// Rounds a clicked point to a precision that reads well in a link
/// (a thousandth of the view's width).
fn snap(p: Vec2, width: f64) -> Vec2 {
    let decimals = (3.0 - width.log10().floor()).clamp(0.0, 8.0) as i32;
    let k = 10f64.powi(decimals);
    Vec2::new((p.x * k).round() / k + 0.0, (p.y * k).round() / k + 0.0)
}

/// A first guess of the canvas's width from the window's (no layout needed),
/// matching the CSS grid: 16 px padding each side, a 16 px gap and the side
/// column, which takes its full 400 px before the stage gets the rest. A right
/// guess saves repainting the landscape when the first size report arrives.
fn initial_width() -> f64 {
    let w = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1280.0);
    if w > 860.0 {
        w.min(1400.0) - 32.0 - 16.0 - 400.0
    } else {
        w - 16.0
    }
}

/// The landscape with the race on top: two stacked canvases (see `render`).
/// Click, tap or drag to restart every racer from that point.
#[component]
pub fn LandscapeCanvas() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wrap = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let race_layer = NodeRef::<html::Canvas>::new();
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

    // The race layer: repaint the paths on a new race, size or theme, or when
    // going back; else append what was travelled since the last frame. Then
    // the markers (see `render::paths`).
    let hover = RwSignal::new(None::<(f64, f64)>);
    let shown = Rc::new(RefCell::new(Shown {
        paths: None,
        version: u64::MAX,
        upto: 0,
        vp: None,
        dark: false,
        markers: Vec::new(),
    }));
    Effect::new(move |_| {
        let (vp, dark, step, version, h) = (
            viewport.get(),
            state.dark.get(),
            state.step.get(),
            state.race_version.get(),
            hover.get(),
        );
        let Some(c) = race_layer.get() else { return };
        let ghost = state.with_detail(|d| {
            d.racer(OptimizerKind::Nesterov)
                .and_then(|r| r.trace().internals_at(step))
                .map(|i| i.lookahead)
        });
        let mut sh = shown.borrow_mut();
        if sh.paths.is_none() {
            sh.paths = offscreen();
        }
        let Some(paths) = sh.paths.clone() else {
            return;
        };
        let k = dpr();
        let incremental =
            sh.version == version && sh.vp == Some(vp) && sh.dark == dark && step >= sh.upto;
        let ctx = state.with_race_untracked(|race| {
            if incremental {
                let ctx = context(&c)?;
                let pctx = context(&paths)?;
                let mut dirty = std::mem::take(&mut sh.markers);
                let trail = append(&pctx, &vp, race, sh.upto, step, dark);
                dirty.extend(trail);
                restore(&ctx, &paths, &dirty, k);
                Some(ctx)
            } else {
                let pctx = prepare(&paths, vp.css_w, vp.css_h)?;
                draw_all(&pctx, &vp, race, step, dark);
                let ctx = prepare(&c, vp.css_w, vp.css_h)?;
                restore(&ctx, &paths, &[(0.0, 0.0, vp.css_w, vp.css_h)], k);
                Some(ctx)
            }
        });
        let Some(ctx) = ctx else { return };
        sh.markers =
            state.with_race_untracked(|race| draw_overlay(&ctx, &vp, race, step, h, ghost, dark));
        sh.version = version;
        sh.upto = step;
        sh.vp = Some(vp);
        sh.dark = dark;
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
        let step = state.text_step.get();
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
                <canvas node_ref=race_layer data-testid="landscape-canvas" role="img" tabindex="0"
                    aria-label=description
                    on:pointerdown=move |ev: ev::PointerEvent| {
                        dragging.set(true);
                        if let Some(t) = ev.target() {
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
        </div>
    }
}
