//! The few big-integer operations exact decimal conversion needs.

/// A non-negative big integer, little-endian 32-bit limbs.
#[derive(Clone)]
pub(super) struct Big(pub(super) Vec<u32>);

impl Big {
    pub(super) fn from_digits(digits: &[u8]) -> Big {
        let mut n = Big(Vec::new());
        for chunk in digits.chunks(9) {
            let (scale, add) = chunk
                .iter()
                .fold((1u32, 0u32), |(s, a), &d| (s * 10, a * 10 + d as u32));
            n.mul_add_small(scale, add);
        }
        n
    }

    pub(super) fn mul_add_small(&mut self, m: u32, add: u32) {
        let mut carry = add as u64;
        for limb in &mut self.0 {
            let v = *limb as u64 * m as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// self·base^e, in steps of the largest power of `base` (≥ 2) in a limb.
    pub(super) fn mul_pow(&mut self, base: u32, mut e: u32) {
        let step = u32::MAX.ilog(base);
        while e > 0 {
            let k = e.min(step);
            self.mul_add_small(base.pow(k), 0);
            e -= k;
        }
    }

    pub(super) fn bits(&self) -> usize {
        match self.0.iter().rposition(|&l| l != 0) {
            Some(i) => 32 * i + 32 - self.0[i].leading_zeros() as usize,
            None => 0,
        }
    }

    pub(super) fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| l >> (i % 32) & 1 == 1)
    }

    /// Whether any bit below `i` is set.
    pub(super) fn any_below(&self, i: usize) -> bool {
        let (whole, part) = (i / 32, i % 32);
        self.0[..whole.min(self.0.len())].iter().any(|&l| l != 0)
            || self
                .0
                .get(whole)
                .is_some_and(|l| l & ((1u32 << part) - 1) != 0)
    }

    /// The 64 bits from bit `i` up.
    pub(super) fn shr_u64(&self, i: usize) -> u64 {
        (0..64).fold(0, |v, k| v | (self.bit(i + k) as u64) << k)
    }

    pub(super) fn shl(&mut self, s: usize) {
        let (whole, part) = (s / 32, s % 32);
        if part > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = *limb;
                *limb = v << part | carry;
                carry = v >> (32 - part);
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, whole));
    }

    /// self − other·2^k when that is ≥ 0 (then true); unchanged otherwise.
    fn sub_shifted_if_fits(&mut self, other: &Big, k: usize) -> bool {
        let mut shifted = other.clone();
        shifted.shl(k);
        if cmp(self, &shifted) == std::cmp::Ordering::Less {
            return false;
        }
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = *limb as i64 - *shifted.0.get(i).unwrap_or(&0) as i64 - borrow;
            *limb = v as u32;
            borrow = (v < 0) as i64;
        }
        true
    }

    /// (⌊self / d⌋, whether a remainder is left), for a quotient below 2^64.
    pub(super) fn div_small_quotient(mut self, d: &Big) -> (Big, bool) {
        let top = (self.bits() as i64 - d.bits() as i64).clamp(0, 63) as usize;
        let mut q = 0u64;
        for k in (0..=top).rev() {
            if self.sub_shifted_if_fits(d, k) {
                q |= 1 << k;
            }
        }
        let rem = self.bits() > 0;
        (Big(vec![q as u32, (q >> 32) as u32]), rem)
    }
}

fn cmp(a: &Big, b: &Big) -> std::cmp::Ordering {
    let len = a.0.len().max(b.0.len());
    (0..len)
        .rev()
        .map(|i| a.0.get(i).unwrap_or(&0).cmp(b.0.get(i).unwrap_or(&0)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

impl Big {
    /// Decimal digits, most significant first (`[0]` for zero).
    pub(super) fn to_digits(&self) -> Vec<u8> {
        let mut n = self.0.clone();
        let mut chunks = Vec::new();
        while n.iter().any(|&l| l != 0) {
            let mut rem = 0u64;
            for limb in n.iter_mut().rev() {
                let v = rem << 32 | *limb as u64;
                *limb = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            chunks.push(rem as u32);
        }
        let mut digits = Vec::with_capacity(9 * chunks.len());
        for (i, c) in chunks.iter().rev().enumerate() {
            let d: Vec<u8> = (0..9)
                .rev()
                .map(|k| (c / 10u32.pow(k) % 10) as u8)
                .collect();
            digits.extend(if i == 0 {
                &d[d.iter().take_while(|&&x| x == 0).count().min(8)..]
            } else {
                &d[..]
            });
        }
        if digits.is_empty() {
            digits.push(0);
        }
        digits
    }
}
