//! A scene's thumbnail for the gallery: its landscape's heatmap and the paths
//! of its race, small, without axes.

use crate::render::heatmap::{colorize, sample_grid};
use crate::render::style::style;
use crate::render::viewport::Viewport;
use crate::state::app_state;
use downhill_core::race::Race;
use downhill_core::scene::Scene;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::Clamped;
use web_sys::ImageData;

const W: f64 = 200.0;

/// A viewport filling the whole canvas (no axis margins).
fn bare(l: downhill_core::Landscape) -> Viewport {
    let data = l.view();
    let h = (W * data.height() / data.width()).round().min(W);
    Viewport {
        data,
        css_w: W,
        css_h: h,
        left: 0.0,
        top: 0.0,
        plot_w: W,
        plot_h: h,
    }
}

fn draw(c: &web_sys::HtmlCanvasElement, scene: Scene, dark: bool) {
    let s = scene.scenario();
    let vp = bare(s.landscape);
    let mut race = Race::new(s.race_config());
    race.run_to(s.max_steps.min(2000));
    let (w, h) = (vp.css_w as u32, vp.css_h as u32);
    // Drawn at its CSS size: the gallery scales it to its column.
    crate::render::paint_still_px(c, w, h, 1.0, &mut |surface| {
        let ctx = &surface.ctx;
        let pixels = colorize(&sample_grid(s.landscape, w as usize, h as usize), dark);
        if let Ok(img) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), w, h) {
            let _ = ctx.put_image_data(&img, 0.0, 0.0);
        }
        ctx.set_line_width(1.5);
        for r in race.racers() {
            ctx.set_stroke_style_str(style(r.kind()).color(dark));
            ctx.begin_path();
            for (i, p) in r.trace().samples().iter().enumerate() {
                let (x, y) = vp.to_px(p.theta);
                if i == 0 {
                    ctx.move_to(x, y);
                } else {
                    ctx.line_to(x, y);
                }
            }
            ctx.stroke();
        }
    });
}

#[component]
pub fn Thumbnail(scene: Scene) -> impl IntoView {
    let state = app_state();
    let canvas = NodeRef::<html::Canvas>::new();
    crate::reactive::effect(move || {
        let dark = state.dark.get();
        if let Some(c) = canvas.get() {
            draw(&c, scene, dark);
        }
    });
    view! { <canvas node_ref=canvas class="thumb" aria-hidden="true"></canvas> }
}
