#![cfg(target_arch = "wasm32")]
//! Browser tests: `cargo xtask test` runs them in headless Chromium through
//! wasm-bindgen-test-runner and chromedriver (see webdriver.json). They check
//! the drawing code against a real canvas and the core compiled to wasm.

use downhill::components::share::embed_snippet;
use downhill::render::heatmap::{colorize, contour_lines, draw_base, sample_grid};
use downhill::render::paths::{draw_all, heads, Quality};
use downhill::render::prepare;
use downhill::render::viewport::{nice_ticks, Viewport};
use downhill_core::race::{Race, RaceConfig};
use downhill_core::scenario::Scenario;
use downhill_core::{Hyper, Landscape, OptimizerKind, Vec2};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

fn canvas() -> HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c = doc
        .create_element("canvas")
        .unwrap()
        .dyn_into::<HtmlCanvasElement>()
        .unwrap();
    doc.body().unwrap().append_child(&c).unwrap();
    c
}

/// The canvas's RGBA bytes.
fn pixels(c: &HtmlCanvasElement) -> Vec<u8> {
    let ctx = downhill::render::context(c).unwrap();
    ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data()
        .0
}

/// Distinct RGBA values in a canvas's pixels (a blank canvas has one).
fn distinct_colors(c: &HtmlCanvasElement) -> usize {
    let data = pixels(c);
    let mut seen: Vec<[u8; 4]> = data.chunks(4).map(|p| [p[0], p[1], p[2], p[3]]).collect();
    seen.sort();
    seen.dedup();
    seen.len()
}

#[wasm_bindgen_test]
fn viewport_maps_both_ways_with_equal_units() {
    for l in Landscape::ALL {
        let vp = Viewport::new(l.view(), 640.0);
        let p = Vec2::new(0.3, -0.7);
        let (x, y) = vp.to_px(p);
        let back = vp.to_data(x, y);
        assert!((back - p).norm() < 1e-9, "{l:?}");
        let sx = vp.plot_w / l.view().width();
        let sy = vp.plot_h / l.view().height();
        assert!((sx - sy).abs() / sx < 0.01, "{l:?}: units differ");
    }
    assert_eq!(nice_ticks(-5.0, 5.0, 5), vec![-4.0, -2.0, 0.0, 2.0, 4.0]);
}

#[wasm_bindgen_test]
fn every_landscape_paints_a_heatmap_with_contours() {
    for l in Landscape::ALL {
        let c = canvas();
        let vp = Viewport::new(l.view(), 400.0);
        let ctx = prepare(&c, vp.css_w, vp.css_h).unwrap();
        draw_base(&ctx, &vp, l, false);
        assert!(distinct_colors(&c) > 50, "{l:?} looks blank");
        assert!(
            contour_lines(l, 10).len() >= 5,
            "{l:?} has too few contours"
        );
        c.remove();
    }
}

#[wasm_bindgen_test]
fn colour_map_is_monotonic_in_lightness() {
    let values: Vec<f64> = (0..=50).map(|i| i as f64).collect();
    let px = colorize(&values, false);
    let lum: Vec<f64> = px
        .chunks(4)
        .map(|p| 0.2126 * p[0] as f64 + 0.7152 * p[1] as f64 + 0.0722 * p[2] as f64)
        .collect();
    assert!(lum.windows(2).all(|w| w[1] >= w[0] - 1.0), "{lum:?}");
    // The log-scaled landscapes really span decades in their raw values.
    let g = sample_grid(Landscape::Rosenbrock, 50, 50);
    assert!(
        g.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
            - g.iter().cloned().fold(f64::INFINITY, f64::min)
            > 3.0
    );
}

/// How many pixels of `c` carry any ink.
fn inked(c: &HtmlCanvasElement) -> usize {
    pixels(c).chunks(4).filter(|p| p[3] > 0).count()
}

#[wasm_bindgen_test]
fn a_draft_strokes_the_same_paths_thinner() {
    let mut race = Race::new(Scenario::preset(Landscape::Rosenbrock).race_config());
    race.run(2000);
    let vp = Viewport::new(Landscape::Rosenbrock.view(), 500.0);
    let (full, draft) = (canvas(), canvas());
    draw_all(
        &prepare(&full, vp.css_w, vp.css_h).unwrap(),
        &vp,
        &race,
        2000,
        false,
        Quality::Full,
    );
    draw_all(
        &prepare(&draft, vp.css_w, vp.css_h).unwrap(),
        &vp,
        &race,
        2000,
        false,
        Quality::Draft,
    );
    let (f, d) = (inked(&full), inked(&draft));
    assert!(d > f / 4, "a draft still shows every path: {d} vs {f}");
    assert!(d < f * 3 / 4, "one-pixel paths: {d} vs {f}");
}

#[wasm_bindgen_test]
fn paths_are_drawn_and_heads_follow_the_race() {
    let scenario = Scenario::preset(Landscape::Ravine);
    let mut race = Race::new(scenario.race_config());
    race.run(200);
    let c = canvas();
    let vp = Viewport::new(Landscape::Ravine.view(), 500.0);
    let ctx = prepare(&c, vp.css_w, vp.css_h).unwrap();
    draw_all(&ctx, &vp, &race, 100, false, Quality::Full);
    assert!(distinct_colors(&c) > 14);
    let hs = heads(&race, 100);
    assert_eq!(hs.len(), 14);
    let sgd = race
        .racer(OptimizerKind::Sgd)
        .unwrap()
        .trace()
        .at(100)
        .unwrap()
        .theta;
    assert_eq!(
        hs.iter().find(|h| h.0 == OptimizerKind::Sgd).unwrap().1,
        sgd
    );
    c.remove();
}

#[wasm_bindgen_test]
fn the_core_in_wasm_matches_a_golden_step() {
    // bowl, adam, lr 0.05: the first step of the shared golden case.
    let mut h = Hyper::defaults(OptimizerKind::Adam);
    h.set("lr", 0.05).unwrap();
    let mut race = Race::new(RaceConfig::single(Landscape::Bowl, h));
    race.run(2);
    let s = race.racers()[0].trace().samples();
    assert_eq!(s[1].theta, Vec2::new(-3.9500000000625, 2.9500000000833335));
    assert!((s[2].theta.x - -3.900017382213908).abs() < 1e-12);
}

#[wasm_bindgen_test]
fn embed_snippet_escapes_the_url() {
    let s = embed_snippet("https://x/?a=1&b=\"<script>", "t<i>");
    assert!(s.contains("a=1&amp;b=&quot;&lt;script&gt;"));
    assert!(s.contains("title=\"t&lt;i&gt;\""));
    assert!(!s.contains("<script>"));
}
