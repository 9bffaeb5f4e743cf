//! A racer's recorded history, bounded by design.
//!
//! Samples are kept every `stride` steps. When the buffer reaches its cap,
//! every other sample is dropped and the stride doubles, so a race of any
//! length holds at most `cap` samples (and the first `cap − 1` steps are kept
//! exactly). The racer's current state is always exact, whatever the stride.

use crate::optim::Internals;
use crate::vec2::Vec2;

/// The state after step `step`, and the step that led there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub step: u64,
    /// θ after `step` steps.
    pub theta: Vec2,
    /// f(θ).
    pub loss: f64,
    /// The gradient the optimizer received at this step (after noise and
    /// clipping), evaluated at the previous point. NaN for step 0.
    pub grad: Vec2,
    /// The step actually taken, θ_step − θ_{step−1}. NaN for step 0.
    pub delta: Vec2,
    /// The learning rate this step used (schedule × multiplier). NaN for step 0.
    pub lr: f64,
}

impl Sample {
    pub fn start(theta: Vec2, loss: f64) -> Sample {
        Sample {
            step: 0,
            theta,
            loss,
            grad: Vec2::NAN,
            delta: Vec2::NAN,
            lr: f64::NAN,
        }
    }

    /// |Δθᵢ| / |gᵢ| per axis: the learning rate the step effectively used.
    /// `None` on an axis where the gradient is 0 (or at step 0).
    pub fn effective_lr(&self) -> [Option<f64>; 2] {
        let f =
            |d: f64, g: f64| (g != 0.0 && g.is_finite() && d.is_finite()).then(|| (d / g).abs());
        [f(self.delta.x, self.grad.x), f(self.delta.y, self.grad.y)]
    }
}

/// The default cap: 2¹³ samples (≈ 0.6 MB per racer, 1.2 MB with internals),
/// so a 2,000-step race is kept whole and a million-step race at a stride of 128.
pub const DEFAULT_CAP: usize = 1 << 13;

#[derive(Clone, Debug)]
pub struct Trace {
    samples: Vec<Sample>,
    /// The optimizer's state after each kept sample's step, when recorded
    /// (parallel to `samples`; empty otherwise).
    internals: Vec<Internals>,
    stride: u64,
    cap: usize,
}

impl Trace {
    pub fn new(cap: usize) -> Trace {
        let cap = cap.max(4);
        Trace {
            samples: Vec::with_capacity(cap.min(4096)),
            internals: Vec::new(),
            stride: 1,
            cap,
        }
    }

    /// Empties the trace, keeping its allocation.
    pub fn clear(&mut self) {
        self.samples.clear();
        self.internals.clear();
        self.stride = 1;
    }

    /// Records a sample (and, if given, the optimizer state after it) when its
    /// step falls on the stride.
    #[inline(always)]
    pub fn push(&mut self, s: Sample, internals: Option<Internals>) {
        if internals.is_none() && self.appends_plainly() {
            self.append(s);
        } else {
            self.push_decimating(s, internals);
        }
    }

    /// Whether a sample without internals would simply be appended (every step
    /// kept, room left): the common case, which needs no division.
    #[inline(always)]
    pub fn appends_plainly(&self) -> bool {
        self.stride == 1 && self.samples.len() < self.cap && self.internals.is_empty()
    }

    /// Whether a sample of `step` falls on the stride (is kept, unless the
    /// buffer is full and the doubled stride drops it). Much cheaper than a
    /// push: a long race skips building what would be dropped.
    #[inline(always)]
    pub fn keeps(&self, step: u64) -> bool {
        // The stride is a power of two (1, doubled when full).
        step & (self.stride - 1) == 0
    }

    /// Appends a sample when [`Trace::appends_plainly`] (what `push` would do).
    #[inline(always)]
    pub fn append(&mut self, s: Sample) {
        debug_assert!(self.appends_plainly());
        self.samples.push(s);
    }

    #[inline(never)]
    fn push_decimating(&mut self, s: Sample, internals: Option<Internals>) {
        if !self.keeps(s.step) {
            return;
        }
        if self.samples.len() == self.cap {
            self.stride *= 2;
            let stride = self.stride;
            if !self.internals.is_empty() {
                let mut keep = self.samples.iter().map(|x| x.step % stride == 0);
                self.internals.retain(|_| keep.next().unwrap_or(false));
            }
            self.samples.retain(|x| x.step % stride == 0);
            if s.step % stride != 0 {
                return;
            }
        }
        if let Some(i) = internals {
            // Step 0 has no state: pad so the two stay aligned.
            if self.internals.len() < self.samples.len() {
                self.internals.resize(self.samples.len(), Internals::NONE);
            }
            self.internals.push(i);
        }
        self.samples.push(s);
    }

    /// The optimizer's state after the sample at or before `step`, if recorded.
    pub fn internals_at(&self, step: u64) -> Option<&Internals> {
        let i = self
            .samples
            .partition_point(|s| s.step <= step)
            .checked_sub(1)?;
        self.internals.get(i)
    }

    /// The heap memory this trace holds (its buffers' capacities, in bytes).
    pub fn heap_bytes(&self) -> usize {
        self.samples.capacity() * std::mem::size_of::<Sample>()
            + self.internals.capacity() * std::mem::size_of::<Internals>()
    }

    /// The most samples it keeps.
    pub fn cap(&self) -> usize {
        self.cap
    }

    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn stride(&self) -> u64 {
        self.stride
    }

    pub fn last(&self) -> Option<&Sample> {
        self.samples.last()
    }

    /// The latest recorded sample at or before `step`.
    pub fn at(&self, step: u64) -> Option<&Sample> {
        let i = self.samples.partition_point(|s| s.step <= step);
        self.samples.get(i.checked_sub(1)?)
    }

    /// The recorded samples up to and including `step`.
    pub fn until(&self, step: u64) -> &[Sample] {
        let i = self.samples.partition_point(|s| s.step <= step);
        &self.samples[..i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(step: u64) -> Sample {
        Sample::start(Vec2::new(step as f64, 0.0), 0.0).with_step(step)
    }

    impl Sample {
        fn with_step(mut self, step: u64) -> Self {
            self.step = step;
            self
        }
    }

    #[test]
    fn stays_within_cap_and_keeps_evenly_spaced_samples() {
        let mut t = Trace::new(16);
        for k in 0..1000 {
            t.push(sample(k), None);
        }
        assert!(t.samples().len() <= 16);
        let stride = t.stride();
        assert_eq!(stride, 64);
        for (i, s) in t.samples().iter().enumerate() {
            assert_eq!(s.step, i as u64 * stride);
        }
        assert_eq!(t.at(130).unwrap().step, 128);
        assert_eq!(t.until(128).len(), 3);
    }

    #[test]
    fn internals_stay_aligned_through_decimation() {
        let mut t = Trace::new(8);
        t.push(sample(0), None);
        for k in 1..100 {
            let mut i = Internals::NONE;
            i.m = Vec2::splat(k as f64);
            t.push(sample(k), Some(i));
        }
        for s in t.samples().iter().skip(1) {
            assert_eq!(t.internals_at(s.step).unwrap().m.x, s.step as f64);
        }
        assert!(t.internals_at(0).unwrap().m.x.is_nan());
    }

    #[test]
    fn short_races_are_kept_whole() {
        let mut t = Trace::new(DEFAULT_CAP);
        for k in 0..=2000 {
            t.push(sample(k), None);
        }
        assert_eq!(t.samples().len(), 2001);
        assert_eq!(t.at(1234).unwrap().step, 1234);
    }
}
