use super::handler;
use super::size::observe_width;
use crate::format::short;
use crate::raf::now_ms;
use crate::render::lens;
use crate::render::paths::{append, draw_all, draw_overlay, restore, Dirty, Quality};
use crate::render::viewport::Viewport;
use crate::render::{context, dpr, heatmap, paint_still, prepare};
use crate::state::{app_state, AppState, At, Lane};
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
    /// When the race or the view last changed (ms): a new race, size or
    /// theme, or going back (not the race playing on or the pointer).
    changed_at: f64,
    /// A full-quality repaint is scheduled.
    settle_pending: bool,
    /// `paths` holds what the visible canvas shows under its markers: the
    /// last whole repaint was in full quality. A draft is stroked straight
    /// onto the visible canvas (no offscreen copy to clear and blit on every
    /// input of a drag), which leaves `paths` stale until the next full one.
    offscreen_valid: bool,
    /// The point the canvas's `data-lookahead` test hook was last set to
    /// (outer None: not set yet; inner None: Nesterov not racing, hook empty).
    /// The hook is Nesterov's look-ahead point θ − lr·μ·b where this frame
    /// draws it, "x,y" in shortest round-trip decimals.
    lookahead: Option<Option<Vec2>>,
}

/// A whole repaint this soon after the previous change of the race or view
/// (a slider or a drag moving), or after a slider's input (its first one too,
/// see [`crate::raf::sliding`]), strokes the travelled paths in
/// [`Quality::Draft`]; the landscape repaints in full quality once nothing
/// changed for this long (ms).
const DRAFT_MS: f64 = crate::raf::DRAG_REST_MS;

/// Bumps `settle` (a full-quality repaint) once the race and the sliders
/// have rested for [`DRAFT_MS`], checking again after `wait` ms. A drag goes
/// on far longer than that: each check that finds it still moving only sets
/// the next one, instead of repainting a draft the canvas already shows (a
/// whole repaint, from a timer that could fire between a frame's input and
/// its paint).
fn settle_when_rested(shown: Rc<RefCell<Shown>>, settle: RwSignal<u64>, wait: f64) {
    set_timeout(
        move || {
            let Ok(mut sh) = shown.try_borrow_mut() else {
                return settle_when_rested(shown.clone(), settle, 16.0);
            };
            let left = sh.live_for(now_ms());
            if left > 0.0 {
                drop(sh);
                settle_when_rested(shown, settle, left);
            } else {
                sh.settle_pending = false;
                drop(sh);
                settle.try_update(|n| *n += 1);
            }
        },
        std::time::Duration::from_micros((wait * 1000.0) as u64 + 2000),
    );
}

impl Shown {
    /// How long (ms) after `now` whole repaints stay drafts: until the race
    /// and the view have not changed, and no slider has moved, for
    /// [`DRAFT_MS`] (0 once that holds).
    fn live_for(&self, now: f64) -> f64 {
        (self.changed_at + DRAFT_MS - now).max(crate::raf::until_rested(now, DRAFT_MS))
    }
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

/// Room left under the canvas for the hover readout (CSS pixels).
const READOUT_PX: f64 = 24.0;

/// The tallest landscape canvas that fits the window below the canvas's top
/// (under the page's header, and a scene's lesson when there is one) with the
/// readout under it, never under 320 px. Without the element (before the
/// first layout) the top is guessed at the plain page's 116 px.
fn fit_height(wrap: Option<&web_sys::Element>) -> f64 {
    let Some(win) = web_sys::window() else {
        return 320.0;
    };
    let h = win
        .inner_height()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(800.0);
    let top = wrap
        .map(|e| e.get_bounding_client_rect().top() + win.scroll_y().unwrap_or(0.0))
        .unwrap_or(116.0);
    (h - top - READOUT_PX).max(320.0)
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
    let state = app_state();
    let wrap = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let lens_layer = NodeRef::<html::Canvas>::new();
    let race_layer = NodeRef::<html::Canvas>::new();
    let width = observe_width(wrap, initial_width());
    let landscape = state.landscape;
    // At most as tall as the window leaves room for: the whole landscape in
    // view without scrolling (and fewer pixels to paint per frame).
    let max_h = RwSignal::new(fit_height(None));
    // Measured once laid out, and again when a scene's lesson comes or goes
    // or the window changes size. Small differences from the first guess
    // are left alone: each change repaints the heatmap.
    // (A frame or a resize may come after the component is gone: try_.)
    let refit = move |slack: f64| {
        let Some(el) = wrap.try_get_untracked().flatten() else {
            return;
        };
        let h = fit_height(Some(&el.into()));
        if max_h
            .try_get_untracked()
            .is_some_and(|cur| (h - cur).abs() > slack)
        {
            max_h.try_set(h);
        }
    };
    let resize = window_event_listener(ev::resize, move |_| refit(0.5));
    on_cleanup(move || resize.remove());
    let scene = crate::reactive::memo(move || state.scenario.with(|s| s.scene));
    crate::reactive::effect(move || {
        scene.track();
        if wrap.get().is_some() {
            request_animation_frame(move || refit(8.0));
        }
    });
    let viewport = crate::reactive::memo(move || {
        Viewport::fit(
            landscape.get().view(),
            width.get().clamp(200.0, 900.0),
            max_h.get(),
        )
    });

    // The heatmap, once the page has been shown (see `AppState::shown`).
    crate::reactive::effect(move || {
        if !state.shown.get() {
            return;
        }
        let (vp, dark, l) = (viewport.get(), state.dark.get(), landscape.get());
        if let Some(c) = base.get() {
            paint_still(&c, vp.css_w, vp.css_h, &mut |s| {
                heatmap::draw_base_cached(s, &vp, l, dark)
            });
        }
    });

    // The race layer: repaint the paths on a new race, size or theme, or when
    // going back; else append what was travelled since the last frame. Then
    // the markers (see `render::paths`).
    // The lens layer: gradient field and the ghost's path; redrawn only when
    // the race (if the ghost shows), the toggles, the size or the theme
    // change, and left alone while it has nothing to show (touching a
    // full-size canvas costs its upload to the compositor).
    let lens_opts = crate::reactive::memo(move || state.lens());
    let lens_inked = StoredValue::new(false);
    crate::reactive::effect(move || {
        let (vp, dark, l, opts) = (
            viewport.get(),
            state.dark.get(),
            landscape.get(),
            lens_opts.get(),
        );
        let Some(c) = lens_layer.get() else { return };
        if !(opts.field || opts.ghost) {
            if lens_inked.get_value() {
                paint_still(&c, vp.css_w, vp.css_h, &mut |_| {});
                lens_inked.set_value(false);
            }
            return;
        }
        paint_still(&c, vp.css_w, vp.css_h, &mut |s| {
            if opts.field {
                lens::draw_field(&s.ctx, &vp, l, dark);
            }
            if opts.ghost {
                state.with_ghost(|g| lens::draw_ghost_path(&s.ctx, &vp, g, dark));
            }
        });
        lens_inked.set_value(true);
    });

    // The minibatch-noise scene: full and mini-batch gradients at the focused
    // racer's point (regression landscape only).
    let minibatch = crate::reactive::memo(move || {
        let (show, batch, seed) = state.settings.with(|s| {
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
    let arrows = focus_arrows(state, At::Frame);

    let hover = RwSignal::new(None::<(f64, f64)>);
    let shown = Rc::new(RefCell::new(Shown {
        paths: None,
        version: u64::MAX,
        upto: 0,
        vp: None,
        dark: false,
        markers: Vec::new(),
        changed_at: f64::NEG_INFINITY,
        settle_pending: false,
        offscreen_valid: false,
        lookahead: None,
    }));
    // Bumped by a timer to repaint a draft in full quality.
    let settle = RwSignal::new(0u64);
    crate::reactive::effect(move || {
        let (vp, dark, step, version, h) = (
            viewport.get(),
            state.dark.get(),
            state.step.get(),
            state.race_version.get(),
            hover.get(),
        );
        settle.track();
        let Some(c) = race_layer.get() else { return };
        let ghost = state.with_race(|race| {
            race.racer(OptimizerKind::Nesterov)
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
        let now = now_ms();
        // The same race on the same canvas, further along: only the markers
        // and the travelled part change, appended onto the offscreen paths
        // (which a draft leaves stale: then a whole repaint).
        let same = sh.version == version && sh.vp == Some(vp) && sh.dark == dark && step >= sh.upto;
        let incremental = same && sh.offscreen_valid;
        // Appends go onto a full repaint, in full quality.
        let live = sh.live_for(now) > 0.0;
        let quality = if !incremental && live {
            Quality::Draft
        } else {
            Quality::Full
        };
        if !same {
            sh.changed_at = now;
        }
        if quality == Quality::Draft && !sh.settle_pending {
            sh.settle_pending = true;
            settle_when_rested(shown.clone(), settle, DRAFT_MS);
        }
        let ctx = state.with_race_untracked(|race| {
            if incremental {
                let ctx = context(&c)?;
                let pctx = context(&paths)?;
                let mut dirty = std::mem::take(&mut sh.markers);
                let trail = append(&pctx, &vp, race, sh.upto, step, dark, quality);
                dirty.extend(trail);
                restore(&ctx, &paths, &dirty, k);
                Some(ctx)
            } else if quality == Quality::Draft {
                let ctx = prepare(&c, vp.css_w, vp.css_h)?;
                draw_all(&ctx, &vp, race, step, dark, quality);
                sh.offscreen_valid = false;
                Some(ctx)
            } else {
                let pctx = prepare(&paths, vp.css_w, vp.css_h)?;
                draw_all(&pctx, &vp, race, step, dark, quality);
                let ctx = prepare(&c, vp.css_w, vp.css_h)?;
                restore(&ctx, &paths, &[(0.0, 0.0, vp.css_w, vp.css_h)], k);
                sh.offscreen_valid = true;
                Some(ctx)
            }
        });
        let Some(ctx) = ctx else { return };
        sh.markers =
            state.with_race_untracked(|race| draw_overlay(&ctx, &vp, race, step, h, ghost, dark));
        // (Compared as a point, so a frame that leaves it where it was, a
        // hover or a paused repaint, formats nothing.)
        let lookahead = ghost.filter(|g| g.is_finite());
        if sh.lookahead != Some(lookahead) {
            let text = lookahead
                .map(|g| {
                    format!(
                        "{},{}",
                        crate::format::exact(g.x),
                        crate::format::exact(g.y)
                    )
                })
                .unwrap_or_default();
            let _ = c.set_attribute("data-lookahead", &text);
            sh.lookahead = Some(lookahead);
        }
        // The focused racer's lens, on top; its areas are restored next frame
        // like the markers'.
        let _ = ctx.set_transform(k, 0.0, 0.0, k, 0.0, 0.0);
        let opts = lens_opts.get();
        if opts.ghost {
            let d = state.with_ghost(|g| lens::draw_ghost_head(&ctx, &vp, g, step, dark));
            sh.markers.extend(d);
        }
        // The mini-batch cloud replaces the focused racer's arrows (both
        // start at its head; one set at a time reads).
        if let Some((head, m)) = minibatch.get() {
            let d = lens::draw_minibatch(&ctx, &vp, head, m.full, &m.batches);
            sh.markers.extend(d);
        } else if let Some(a) = opts.arrows.then(|| arrows.get()).flatten() {
            sh.markers.push(lens::draw_arrows(&ctx, &vp, &a));
        }
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
                let l = landscape.get();
                // x, y — or w, b for the regression's slope and intercept.
                let [a, b] = l.axis_names();
                format!(
                    "{a} = {}, {b} = {}, f({a}, {b}) = {}",
                    short(p.x),
                    short(p.y),
                    short(l.value(p))
                )
            }
            _ => "Click or drag on the landscape to restart every racer from there.".into(),
        }
    };
    let description = move || {
        let l = landscape.get();
        let start = state.scenario.with(|s| s.start);
        let (step, leader) = state.with_race_at(At::Text(Lane::Board), |race, step| {
            let leader = race
                .racers()
                .iter()
                .filter(|r| r.diverged_at().is_none_or(|k| k > step))
                .filter_map(|r| r.trace().at(step).map(|s| (r.kind(), s.loss)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            (step, leader)
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
            <div class="canvas-stack landscape-stack"
                style:height=move || crate::format::px(viewport.get().css_h)
                style:width=move || crate::format::px(viewport.get().css_w)>
                <canvas node_ref=base aria-hidden="true"></canvas>
                <canvas node_ref=lens_layer aria-hidden="true"></canvas>
                <canvas node_ref=race_layer data-testid="landscape-canvas" role="img" tabindex="0"
                    aria-label=description
                    on:pointerdown=handler(move |ev: ev::PointerEvent| {
                        dragging.set(true);
                        if let Some(t) = ev.target() {
                            if let Ok(el) = t.dyn_into::<web_sys::Element>() {
                                let _ = el.set_pointer_capture(ev.pointer_id());
                            }
                        }
                        set_start(ev.offset_x() as f64, ev.offset_y() as f64);
                    })
                    on:pointermove=handler(move |ev: ev::PointerEvent| {
                        let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
                        hover.set(Some((x, y)));
                        if dragging.get_untracked() {
                            set_start(x, y);
                        }
                    })
                    on:pointerup=handler(move |_| dragging.set(false))
                    on:pointercancel=handler(move |_| dragging.set(false))
                    on:pointerleave=handler(move |_| hover.set(None))></canvas>
            </div>
            <p class="readout" data-testid="hover-readout">{readout}</p>
            <LensBar viewport=viewport />
        </div>
    }
}

/// The focused racer's arrows at the step `at` follows.
fn focus_arrows(state: AppState, at: At) -> Memo<Option<lens::Arrows>> {
    crate::reactive::memo(move || {
        let kind = state.focus();
        state.with_race_at(at, |race, step| lens::arrows(race, kind, step))
    })
}

/// The lens toggles under the canvas, with the arrows' legend and hooks
/// (`data-testid="focus-arrows"`: the values drawn, shortest round-trip).
#[component]
fn LensBar(viewport: Memo<Viewport>) -> impl IntoView {
    use crate::format::exact;
    let state = app_state();
    // The hooks are exact after any input; the legend follows its text lane.
    let arrows = focus_arrows(state, At::Hooks);
    let legend_arrows = focus_arrows(state, At::Text(Lane::Inside));
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
                    on:change=handler(move |ev| {
                        let on = event_target_checked(&ev);
                        state.set_lens(|l| set(l, on));
                    }) />
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
            {crate::reactive::show(move || state.lens().arrows && legend_arrows.with(Option::is_some), move || view! {
                <span class="small legend">
                    {move || state.focus().title()} ": "
                    <span class="key" style:color=lens::GRAD_INK>"━ −g"</span> " "
                    <span class="key" style:color=lens::MOMENTUM_INK>"━ −m"</span> " (same scale) "
                    <span class="key" style:color=lens::UPDATE_INK>"━ Δθ"</span>
                    {move || {
                        let a = legend_arrows.get()?;
                        // Δθ is drawn ×10ᵏ when too short or long to see; say so.
                        let k = lens::update_magnification(&viewport.get(), &a);
                        (k != 1.0).then(|| format!(" ×{}", crate::format::short(k)))
                    }}
                </span>
            }.into_any())}
            {crate::reactive::show(move || state.lens().ghost, move || view! {
                <span class="small legend">{ghost_note}</span>
            }.into_any())}
        </div>
    }
}
