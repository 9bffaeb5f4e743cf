//! The mapping between data coordinates and CSS pixels on the landscape canvas.
//! Units are equal on both axes, so a circle stays a circle and the rotated
//! ravine shows its true 30°.

use downhill_core::landscape::Rect;
use downhill_core::Vec2;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub data: Rect,
    /// The whole canvas, CSS pixels.
    pub css_w: f64,
    pub css_h: f64,
    /// The plot area inside the axis margins.
    pub left: f64,
    pub top: f64,
    pub plot_w: f64,
    pub plot_h: f64,
}

pub const MARGIN_LEFT: f64 = 34.0;
pub const MARGIN_BOTTOM: f64 = 22.0;
pub const MARGIN_TOP: f64 = 6.0;
pub const MARGIN_RIGHT: f64 = 8.0;

impl Viewport {
    /// A viewport `css_w` wide whose height keeps the data's aspect ratio.
    pub fn new(data: Rect, css_w: f64) -> Viewport {
        let css_w = css_w.max(120.0);
        let plot_w = css_w - MARGIN_LEFT - MARGIN_RIGHT;
        let plot_h = (plot_w * data.height() / data.width()).round();
        Viewport {
            data,
            css_w,
            css_h: plot_h + MARGIN_TOP + MARGIN_BOTTOM,
            left: MARGIN_LEFT,
            top: MARGIN_TOP,
            plot_w,
            plot_h,
        }
    }

    /// The largest viewport at most `max_w` wide and `max_h` tall (CSS
    /// pixels) that keeps the data's aspect ratio: a wide column on a short
    /// screen gets a canvas that fits the screen, not one to scroll through.
    pub fn fit(data: Rect, max_w: f64, max_h: f64) -> Viewport {
        let vp = Viewport::new(data, max_w);
        let max_plot_h = max_h - MARGIN_TOP - MARGIN_BOTTOM;
        if vp.plot_h <= max_plot_h || max_plot_h <= 0.0 {
            return vp;
        }
        let plot_w = (max_plot_h * data.width() / data.height()).floor();
        Viewport::new(data, plot_w + MARGIN_LEFT + MARGIN_RIGHT)
    }

    pub fn to_px(&self, p: Vec2) -> (f64, f64) {
        let d = &self.data;
        (
            self.left + (p.x - d.x0) / d.width() * self.plot_w,
            self.top + (d.y1 - p.y) / d.height() * self.plot_h,
        )
    }

    /// [`Viewport::to_px`] as a scale and an offset per axis, `(sx, bx, sy,
    /// by)`: `x = bx + sx·p.x`, `y = by + sy·p.y`. Without its two divisions,
    /// for the tens of thousands of points a slider frame converts (the
    /// results differ from `to_px`'s in the last bits only).
    pub fn px_affine(&self) -> (f64, f64, f64, f64) {
        let d = &self.data;
        let sx = self.plot_w / d.width();
        let sy = -self.plot_h / d.height();
        (sx, self.left - d.x0 * sx, sy, self.top - d.y1 * sy)
    }

    pub fn to_data(&self, px: f64, py: f64) -> Vec2 {
        let d = &self.data;
        Vec2::new(
            d.x0 + (px - self.left) / self.plot_w * d.width(),
            d.y1 - (py - self.top) / self.plot_h * d.height(),
        )
    }

    pub fn in_plot(&self, px: f64, py: f64) -> bool {
        px >= self.left
            && px <= self.left + self.plot_w
            && py >= self.top
            && py <= self.top + self.plot_h
    }
}

/// "Nice" tick positions (1, 2 or 5 × 10ᵏ apart) covering [lo, hi]: of the
/// nice steps, the one whose count comes closest to `target` (the larger step
/// on a tie), with at least two ticks. (Taking the first nice step at least
/// (hi − lo) / target apart can leave a single tick: beale's −4.5 … 4.5 on a
/// phone got steps of 5, so its x axis read only "0".)
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || target == 0 {
        return Vec::new();
    }
    let mag = 10f64.powf(((hi - lo) / target as f64).log10().floor());
    let count = |step: f64| (hi / step).floor() - (lo / step).ceil() + 1.0;
    let step = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .map(|m| m * mag)
        .filter(|&s| count(s) >= 2.0)
        .min_by(|&a, &b| {
            let off = |s: f64| (count(s) - target as f64).abs();
            off(a).total_cmp(&off(b)).then(b.total_cmp(&a))
        })
        .unwrap_or(mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step + 0.0).collect()
}

#[cfg(test)]
mod tests {
    use super::{nice_ticks, Viewport};
    use downhill_core::Landscape;

    #[test]
    fn the_affine_map_is_to_px() {
        for l in Landscape::ALL {
            let vp = Viewport::new(l.view(), 674.0);
            let (sx, bx, sy, by) = vp.px_affine();
            let d = l.view();
            for (fx, fy) in [(0.0, 0.0), (1.0, 1.0), (0.3, 0.8), (-0.5, 1.7)] {
                let p = downhill_core::Vec2::new(d.x0 + fx * d.width(), d.y0 + fy * d.height());
                let (x, y) = vp.to_px(p);
                assert!((bx + sx * p.x - x).abs() < 1e-9, "{l:?}");
                assert!((by + sy * p.y - y).abs() < 1e-9, "{l:?}");
            }
        }
    }

    #[test]
    fn every_axis_gets_at_least_two_nice_ticks_near_the_target() {
        for l in Landscape::ALL {
            let v = l.view();
            for (lo, hi) in [(v.x0, v.x1), (v.y0, v.y1)] {
                for target in 2..=16 {
                    let ticks = nice_ticks(lo, hi, target);
                    assert!(
                        ticks.len() >= 2,
                        "{l:?} {lo}..{hi} target {target}: {ticks:?}"
                    );
                    assert!(
                        ticks.len() <= 2 * target + 1,
                        "{l:?} target {target}: {ticks:?}"
                    );
                    assert!(ticks.iter().all(|t| (lo..=hi).contains(t)));
                    // Evenly spaced by 1, 2 or 5 × 10ᵏ.
                    let step = ticks[1] - ticks[0];
                    let m = step / 10f64.powf(step.log10().floor());
                    assert!(
                        [1.0, 2.0, 5.0, 10.0].iter().any(|n| (m - n).abs() < 1e-9),
                        "{l:?}: step {step}"
                    );
                }
            }
        }
    }

    #[test]
    fn beale_on_a_phone_reads_more_than_zero() {
        // −4.5 … 4.5 over a 300 px plot: about four ticks wanted.
        assert_eq!(nice_ticks(-4.5, 4.5, 4), [-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(nice_ticks(0.0, 10.0, 5), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert!(nice_ticks(1.0, 1.0, 4).is_empty());
    }

    #[test]
    fn fit_keeps_the_aspect_and_both_limits() {
        for l in Landscape::ALL {
            for (w, h) in [
                (832.0, 650.0),
                (374.0, 700.0),
                (900.0, 2000.0),
                (600.0, 300.0),
            ] {
                let vp = Viewport::fit(l.view(), w, h);
                assert!(vp.css_w <= w + 1e-9, "{l:?} {w}x{h}: {vp:?}");
                assert!(
                    vp.css_h <= h + 1e-9 || vp.css_w <= 120.0,
                    "{l:?} {w}x{h}: {vp:?}"
                );
                let aspect = vp.plot_h / vp.plot_w;
                let want = l.view().height() / l.view().width();
                assert!(
                    (aspect - want).abs() < 2.0 / vp.plot_w,
                    "{l:?}: {aspect} vs {want}"
                );
            }
            // Room enough: the full width, as before.
            let wide = Viewport::fit(l.view(), 500.0, 5000.0);
            assert_eq!(wide, Viewport::new(l.view(), 500.0));
        }
    }
}
