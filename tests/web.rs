#![cfg(target_arch = "wasm32")]
//! Browser tests: `cargo xtask test` runs them in headless Chromium through
//! wasm-bindgen-test-runner and chromedriver (see webdriver.json). They check
//! the drawing code against a real canvas and the core compiled to wasm.

use downhill::components::share::embed_snippet;
use downhill::render::heatmap::{colorize, contour_lines, draw_base, sample_grid};
use downhill::render::paths::{draw_all, heads, Quality};
use downhill::render::viewport::{nice_ticks, Viewport};
use downhill::render::{paint_still, prepare};
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

/// The canvas's RGBA bytes, read through a copy: a canvas painted by
/// `paint_still` shows a bitmap and has no 2-D context to read.
fn pixels(c: &HtmlCanvasElement) -> Vec<u8> {
    let copy = canvas();
    copy.set_width(c.width());
    copy.set_height(c.height());
    let ctx = downhill::render::context(&copy).unwrap();
    ctx.draw_image_with_html_canvas_element(c, 0.0, 0.0)
        .unwrap();
    let data = ctx
        .get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data()
        .0;
    copy.remove();
    data
}

/// Distinct RGBA values in a canvas's pixels (a blank canvas has one).
fn distinct_colors(c: &HtmlCanvasElement) -> usize {
    let data = pixels(c);
    let mut seen: Vec<[u8; 4]> = data.chunks(4).map(|p| [p[0], p[1], p[2], p[3]]).collect();
    seen.sort();
    seen.dedup();
    seen.len()
}

/// The RGBA of one pixel.
fn pixel_at(c: &HtmlCanvasElement, x: u32, y: u32) -> [u8; 4] {
    let d = pixels(c);
    let i = 4 * (y * c.width() + x) as usize;
    [d[i], d[i + 1], d[i + 2], d[i + 3]]
}

#[wasm_bindgen_test]
fn a_still_canvas_shows_each_new_picture_alone_as_a_bitmap() {
    let c = canvas();
    let fill = |color: &'static str, x: f64| {
        move |s: &downhill::render::Surface| {
            s.ctx.set_fill_style_str(color);
            s.ctx.fill_rect(x, 0.0, 10.0, 10.0);
        }
    };
    paint_still(&c, 40.0, 20.0, &mut fill("#ff0000", 0.0));
    let k = downhill::render::dpr();
    assert_eq!(
        (c.width(), c.height()),
        ((40.0 * k) as u32, (20.0 * k) as u32)
    );
    // Shown through the bitmap renderer, not a 2-D context (which is what
    // the browser re-produces every frame).
    assert!(
        c.get_context("2d").unwrap().is_none(),
        "a 2-D context was taken"
    );
    assert_eq!(pixel_at(&c, 1, 1), [255, 0, 0, 255]);
    // The context is scaled to CSS pixels: x = 20 CSS px is 20·k device px.
    paint_still(&c, 40.0, 20.0, &mut fill("#0000ff", 20.0));
    assert_eq!(pixel_at(&c, 1, 1), [0, 0, 0, 0], "the old picture is gone");
    assert_eq!(pixel_at(&c, (21.0 * k) as u32, 1), [0, 0, 255, 255]);
    // A canvas that already has a 2-D context is drawn directly, and cleared first.
    // (Sized as the painting will size it: a resize alone would clear it.)
    let d = canvas();
    d.set_width(c.width());
    d.set_height(c.height());
    let ctx = downhill::render::context(&d).unwrap();
    ctx.fill_rect(0.0, 0.0, 300.0, 150.0);
    paint_still(&d, 40.0, 20.0, &mut fill("#00ff00", 20.0));
    assert_eq!(pixel_at(&d, 1, 1), [0, 0, 0, 0]);
    assert_eq!(pixel_at(&d, (21.0 * k) as u32, 1), [0, 255, 0, 255]);
    c.remove();
    d.remove();
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

/// The pixel at (x, y) as RGB.
fn rgb_at(data: &[u8], width: u32, x: f64, y: f64) -> [u8; 3] {
    let i = 4 * (y as usize * width as usize + x as usize);
    [data[i], data[i + 1], data[i + 2]]
}

fn hex_rgb(hex: &str) -> [u8; 3] {
    let p = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [p(1), p(3), p(5)]
}

#[wasm_bindgen_test]
fn the_loss_chart_draws_axes_labels_and_every_racer_inside_its_frame() {
    use downhill::render::chart::{draw_loss, YScale};
    let c = canvas();
    let mut race = Race::new(RaceConfig::new(Landscape::Rosenbrock));
    race.run_to(500);
    let mut g = None;
    paint_still(&c, 600.0, 220.0, &mut |s| {
        g = draw_loss(s, &race, YScale::Log, false);
    });
    let g = g.expect("a chart");
    let k = downhill::render::dpr();
    assert!(g.x0 > 40.0 * k && g.x1 < c.width() as f64 && g.y0 >= 0.0 && g.y1 < c.height() as f64);
    assert_eq!(g.max_x, 500.0);
    let data = pixels(&c);
    let inside =
        |x: f64, y: f64| x >= g.x0 - 1.0 && x <= g.x1 + 1.0 && y >= g.y0 - 1.0 && y <= g.y1 + 1.0;
    // The racers' colours show inside the plot area (lines cover each other
    // where the losses agree, so not all of them), and none outside it.
    let mut seen = 0;
    for r in race.racers() {
        let want = hex_rgb(downhill::render::style::style(r.kind()).color(false));
        let (mut ins, mut outs) = (0, 0);
        for y in 0..c.height() {
            for x in 0..c.width() {
                if rgb_at(&data, c.width(), x as f64, y as f64) == want {
                    if inside(x as f64, y as f64) {
                        ins += 1;
                    } else {
                        outs += 1;
                    }
                }
            }
        }
        seen += (ins > 10) as usize;
        assert_eq!(outs, 0, "{:?} drawn outside the plot area", r.kind());
    }
    assert!(seen >= 8, "only {seen} racers' colours show");
    // The axis: a dark column at x0 (where the curves start, they cover it),
    // and labels left of it.
    let ink = hex_rgb(downhill::render::chart::ink(false));
    let axis_rows = (g.y0 as u32..g.y1 as u32)
        .filter(|&y| rgb_at(&data, c.width(), g.x0, y as f64) == ink)
        .count();
    assert!(axis_rows as f64 > 0.6 * (g.y1 - g.y0), "{axis_rows}");
    let label_px = (0..c.height())
        .flat_map(|y| (0..(g.x0 - 8.0) as u32).map(move |x| (x, y)))
        .filter(|&(x, y)| data[4 * (y * c.width() + x) as usize + 3] > 0)
        .count();
    assert!(label_px > 50, "y labels drew {label_px} pixels");
}

#[wasm_bindgen_test]
fn a_line_breaks_where_the_axis_cannot_show_its_value() {
    use downhill::render::chart::YScale;
    use downhill::render::series::{draw_lines, Line};
    let c = canvas();
    // On a log axis a value ≤ 0 has no place: steps 40–60 are a gap.
    let points: Vec<(f64, f64)> = (0..=100)
        .map(|i| {
            (
                i as f64,
                if (40..=60).contains(&i) {
                    0.0
                } else {
                    1.0 + i as f64
                },
            )
        })
        .collect();
    let color = "#ff00ff";
    let lines = [Line {
        points,
        color,
        dashed: false,
    }];
    let mut g = None;
    paint_still(&c, 600.0, 200.0, &mut |s| {
        g = draw_lines(s, &lines, 100.0, YScale::Log, false);
    });
    let g = g.expect("a chart");
    let data = pixels(&c);
    let column_has_line = |step: f64| {
        let x = g.x_px(step).round();
        (0..c.height()).any(|y| rgb_at(&data, c.width(), x, y as f64) == [255, 0, 255])
    };
    assert!(column_has_line(20.0) && column_has_line(80.0));
    assert!(!column_has_line(50.0), "the line jumped across the gap");
}

#[wasm_bindgen_test]
fn decimal_text_matches_std_in_wasm() {
    use downhill_core::decimal::{debug, fixed, parse_f64, sci};
    let mut x = 0.37f64;
    for i in 0..400 {
        x = (x * 3.99 * (1.0 - x)).fract();
        let v = (x - 0.5) * 10f64.powi(i % 40 - 20);
        for n in [0, 1, 3, 6] {
            assert_eq!(fixed(v, n), format!("{v:.n$}"));
            assert_eq!(sci(v, n), format!("{v:.n$e}"));
        }
        assert_eq!(parse_f64(&debug(v)), Some(v));
        let text = format!("{v:.25e}");
        assert_eq!(parse_f64(&text), text.parse::<f64>().ok(), "{text}");
    }
}
