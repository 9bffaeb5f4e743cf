//! Gradient clipping by global norm, as `torch.nn.utils.clip_grad_norm_`
//! (norm_type 2) does it.

use crate::vec2::Vec2;

/// Returns the clipped gradient and the norm before clipping.
///
/// `k = max_norm / (n + 1e-6)`; torch always multiplies by `min(k, 1)`, so
/// clipping starts slightly *below* `n = max_norm`.
#[inline(always)]
pub fn clip_grad_norm(g: Vec2, max_norm: f64) -> (Vec2, f64) {
    let n = g.norm();
    let k = max_norm / (n + 1e-6);
    (g * k.min(1.0), n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_gradients_pass_unchanged() {
        let g = Vec2::new(0.3, 0.4);
        assert_eq!(clip_grad_norm(g, 1.0), (g, 0.5));
    }

    #[test]
    fn clipping_starts_just_below_max_norm() {
        let (c, n) = clip_grad_norm(Vec2::new(0.6, 0.8), 1.0);
        assert_eq!(n, 1.0);
        assert!(c.norm() < 1.0);
    }
}
