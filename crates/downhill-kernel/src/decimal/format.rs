//! f64 → text.

use super::big::Big;

/// `format!("{v:?}")`: shortest round-trip digits, `1.0`, `0.0001`, `1e-5`, `1e16`.
pub fn debug(v: f64) -> String {
    let Some((neg, digits, point)) = shortest(v) else {
        return special(v);
    };
    let e = point - 1;
    let mut out = sign(neg);
    if digits.is_empty() || (-4..16).contains(&e) {
        out += &layout(&digits, point);
        if !out.contains('.') {
            out.push_str(".0");
        }
    } else {
        out += &mantissa(&digits);
        out += &format!("e{e}");
    }
    out
}

/// `format!("{v}")`: shortest round-trip digits, never an exponent.
pub fn display(v: f64) -> String {
    match shortest(v) {
        Some((neg, digits, point)) => sign(neg) + &layout(&digits, point),
        None => special(v),
    }
}

/// `format!("{v:.frac$}")`: exactly `frac` digits after the point, rounded
/// half to even from the double's exact value.
pub fn fixed(v: f64, frac: usize) -> String {
    let Some((neg, digits, point)) = rounded(v, |point| point + frac as i32) else {
        return special(v);
    };
    let mut out = sign(neg);
    out += &layout_padded(&digits, point, frac);
    out
}

/// `format!("{v:.frac$e}")`: one digit, the point, `frac` digits, `e` and
/// the exponent, rounded half to even from the double's exact value.
pub fn sci(v: f64, frac: usize) -> String {
    let Some((neg, digits, point)) = rounded(v, |_| frac as i32 + 1) else {
        return special(v);
    };
    // (Zero's exponent is 0, like std's `0.000e0`.)
    let e = if digits.is_empty() { 0 } else { point - 1 };
    let mut out = sign(neg);
    out += &layout_padded(&digits, 1, frac);
    out += &format!("e{e}");
    out
}

fn sign(neg: bool) -> String {
    if neg { "-" } else { "" }.to_string()
}

fn special(v: f64) -> String {
    if v.is_nan() {
        "NaN"
    } else if v > 0.0 {
        "inf"
    } else {
        "-inf"
    }
    .to_string()
}

/// Digits (no leading or trailing zeros; empty for 0) and the place of the
/// point: the value is 0.d₁d₂… × 10^point.
type Decimal = (bool, Vec<u8>, i32);

/// The shortest digits that read back as `v`, or None when `v` is not finite.
/// (Where two spellings are equally short, zmij may pick the other one than
/// std: `586954412535875.2` for std's `…875.3`; both read back as `v`.)
fn shortest(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    let mut buf = zmij::Buffer::new();
    let text = buf.format_finite(v.abs());
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let int_len = mantissa.find('.').unwrap_or(mantissa.len()) as i32;
    let all = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|c| c - b'0');
    Some(decimal(v, all.collect(), int_len + exp))
}

/// `v`'s sign with `digits` × 10^(point − len), leading and trailing zeros
/// dropped (and the point 0 for zero), as a [`Decimal`].
fn decimal(v: f64, mut digits: Vec<u8>, point: i32) -> Decimal {
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let lead = digits.iter().take_while(|&&d| d == 0).count();
    let point = if lead == digits.len() {
        0
    } else {
        point - lead as i32
    };
    (v.is_sign_negative(), digits.split_off(lead), point)
}

/// Every digit of `v`'s exact binary value, or None when it is not finite.
fn exact(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    };
    let mut n = Big(vec![m as u32, (m >> 32) as u32]);
    // m·2^e = m·5^-e / 10^-e when e < 0.
    if e >= 0 {
        n.shl(e as usize);
    } else {
        n.mul_pow(5, e.unsigned_abs());
    }
    let digits = n.to_digits();
    let point = digits.len() as i32 + e.min(0);
    Some(decimal(v, digits, point))
}

/// `v` rounded half to even to its first `keep(point)` significant digits.
///
/// Fast path: from the shortest digits, when at most 14 are kept of a normal
/// double (53 bits). It is within half an ulp of its shortest digits, far
/// less than half a unit of the 14th digit, so both round alike, except when
/// the shortest digits end in a lone 5 just past the kept ones: whether the
/// double lies above or below that tie takes its exact expansion, as does a
/// longer rounding.
fn rounded(v: f64, keep: impl Fn(i32) -> i32) -> Option<Decimal> {
    let (neg, digits, point) = shortest(v)?;
    let k = keep(point);
    let tie = k >= 0 && digits.len() == k as usize + 1 && digits[k as usize] == 5;
    let (digits, point) = if k <= 14 && !tie && v.abs() >= f64::MIN_POSITIVE {
        (digits, point)
    } else {
        let (_, digits, point) = exact(v)?;
        (digits, point)
    };
    let (digits, point) = round(digits, point, keep(point));
    Some((neg, digits, point))
}

/// Keeps the first `keep` digits (of 0.d₁d₂… × 10^point), rounding half to even.
fn round(mut digits: Vec<u8>, mut point: i32, keep: i32) -> (Vec<u8>, i32) {
    if keep < 0 {
        return (Vec::new(), point);
    }
    let keep = keep as usize;
    if digits.len() <= keep {
        return (digits, point);
    }
    let rest = &digits[keep..];
    let odd = keep > 0 && digits[keep - 1] % 2 == 1;
    let up = rest[0] > 5 || (rest[0] == 5 && (rest[1..].iter().any(|&d| d != 0) || odd));
    digits.truncate(keep);
    if up {
        let mut i = keep;
        loop {
            if i == 0 {
                digits.insert(0, 1);
                point += 1;
                digits.truncate(keep.max(1));
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    (digits, point)
}

fn text(digits: &[u8]) -> String {
    digits.iter().map(|&d| (b'0' + d) as char).collect()
}

/// 0.d₁d₂… × 10^point without an exponent, as few digits as it takes.
fn layout(digits: &[u8], point: i32) -> String {
    let frac = (digits.len() as i32 - point).max(0) as usize;
    layout_padded(digits, point, frac)
}

/// 0.d₁d₂… × 10^point with exactly `frac` digits after the point.
fn layout_padded(digits: &[u8], point: i32, frac: usize) -> String {
    let digit = |i: i32| {
        if i >= 0 && (i as usize) < digits.len() {
            b'0' + digits[i as usize]
        } else {
            b'0'
        }
    };
    let mut out: Vec<u8> = if point > 0 {
        (0..point).map(digit).collect()
    } else {
        vec![b'0']
    };
    if frac > 0 {
        out.push(b'.');
        out.extend((0..frac as i32).map(|i| digit(point + i)));
    }
    String::from_utf8(out).unwrap_or_default()
}

/// d₁.d₂d₃… (no point for one digit).
fn mantissa(digits: &[u8]) -> String {
    let mut s = text(&digits[..1]);
    if digits.len() > 1 {
        s.push('.');
        s += &text(&digits[1..]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Ours is std's text, or (where a double has two shortest spellings and
    /// zmij picks the other) as long, laid out alike and read back as `v`.
    fn alike(ours: String, std: String, v: f64) {
        if ours != std {
            let back = ours.parse::<f64>().unwrap();
            assert!(
                back.to_bits() == v.to_bits() && ours.len() == std.len(),
                "{ours} vs std {std}"
            );
            let shape = |s: &str| s.replace(|c: char| c.is_ascii_digit(), "9");
            assert_eq!(shape(&ours), shape(&std));
        }
    }

    fn same(v: f64) {
        alike(debug(v), format!("{v:?}"), v);
        alike(display(v), format!("{v}"), v);
        for n in [0, 1, 2, 3, 6, 17, 30] {
            assert_eq!(fixed(v, n), format!("{v:.n$}"), "fixed {n} of {v:e}");
            assert_eq!(sci(v, n), format!("{v:.n$e}"), "sci {n} of {v:e}");
        }
    }

    #[test]
    fn edges_match_std() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.25,
            0.35,
            2.5,
            3.5,
            0.5,
            1.5,
            0.125,
            9.5,
            99.5,
            0.95,
            0.05,
            0.0001,
            0.00015,
            1e-5,
            1.5e-5,
            9.99999e-5,
            1e-7,
            1e15,
            9.999999999999998e15,
            1e16,
            1e21,
            1e22,
            123456789.0,
            5e-324,
            2.2250738585072014e-308,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            0.30000000000000004,
            999.9996,
            999.9994,
            0.9999,
            9.9995,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            same(v);
            same(-v);
        }
    }

    #[test]
    fn page_sized_values_match_std() {
        // What the page writes most: values from 1e-9 to 1e9 with few digits.
        for e in -9..=9 {
            for m in [1.0, 1.5, 2.0, 2.25, 3.0, 4.999, 5.0, 7.5, 9.95, 9.999] {
                same(m * 10f64.powi(e));
            }
        }
    }

    proptest! {
        #[test]
        fn any_double_matches_std(bits in any::<u64>()) {
            same(f64::from_bits(bits));
        }

        #[test]
        fn any_ordinary_double_matches_std(v in -1e6f64..1e6) {
            same(v);
        }
    }
}
