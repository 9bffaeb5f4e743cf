//! Text → f64.

use super::big::Big;

/// Parses `s` as `s.parse::<f64>().ok()` does, to the same bits.
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (negative, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let v = if let Some(special) = special(b) {
        special
    } else {
        magnitude(b)?
    };
    Some(if negative { -v } else { v })
}

fn special(b: &[u8]) -> Option<f64> {
    let is = |word: &str| b.eq_ignore_ascii_case(word.as_bytes());
    if is("inf") || is("infinity") {
        Some(f64::INFINITY)
    } else if is("nan") {
        Some(f64::NAN)
    } else {
        None
    }
}

/// Significant digits kept. A double's halfway points have at most 767
/// significant digits, so digits past these only break ties (the sticky digit).
const KEPT: usize = 800;

fn magnitude(b: &[u8]) -> Option<f64> {
    // digits × 10^exp10, digits without leading zeros.
    let mut digits: Vec<u8> = Vec::new();
    let mut exp10: i64 = 0;
    let mut seen_digit = false;
    let mut dropped_nonzero = false;
    let mut i = 0;
    let mut after_point = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                seen_digit = true;
                let d = c - b'0';
                if digits.is_empty() && d == 0 {
                    // A leading zero: only its place counts.
                } else if digits.len() < KEPT {
                    digits.push(d);
                } else {
                    dropped_nonzero |= d != 0;
                    exp10 += 1;
                }
                if after_point {
                    exp10 -= 1;
                }
            }
            b'.' if !after_point => after_point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if i < b.len() {
        if b[i] != b'e' && b[i] != b'E' {
            return None;
        }
        let (sign, rest) = match b.get(i + 1) {
            Some(b'-') => (-1, &b[i + 2..]),
            Some(b'+') => (1, &b[i + 2..]),
            _ => (1, &b[i + 1..]),
        };
        if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // Saturate: past a million the answer is 0 or ∞ whatever the digits.
        let e = rest
            .iter()
            .fold(0i64, |e, &c| (e * 10 + (c - b'0') as i64).min(1 << 20));
        exp10 += sign * e;
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    if dropped_nonzero {
        // Just above the kept digits, still below their next value.
        digits.push(1);
        exp10 -= 1;
    }
    // The value lies in [10^(magnitude-1), 10^magnitude).
    let magnitude = digits.len() as i64 + exp10;
    if magnitude > 310 {
        return Some(f64::INFINITY);
    }
    if magnitude < -324 {
        return Some(0.0);
    }
    Some(fast_path(&digits, exp10).unwrap_or_else(|| slow_path(&digits, exp10)))
}

/// Clinger: an integer below 2^53 times or over an exact power of ten is one
/// correctly rounded operation.
fn fast_path(digits: &[u8], exp10: i64) -> Option<f64> {
    if digits.len() > 15 || !(-22..=22).contains(&exp10) {
        return None;
    }
    let m = digits.iter().fold(0u64, |m, &d| m * 10 + d as u64) as f64;
    let p = POW10[exp10.unsigned_abs() as usize];
    Some(if exp10 < 0 { m / p } else { m * p })
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Exact: digits × 10^exp10 as a big integer quotient q (plus a nonzero-remainder
/// flag) times 2^shift, then rounded half to even at the double's precision.
fn slow_path(digits: &[u8], exp10: i64) -> f64 {
    let mut n = Big::from_digits(digits);
    let (q, inexact, shift) = if exp10 >= 0 {
        n.mul_pow(10, exp10 as u32);
        (n, false, 0i64)
    } else {
        let mut d = Big::from_digits(&[1]);
        d.mul_pow(10, exp10.unsigned_abs() as u32);
        // Scale one side so that the quotient has 55 or 56 bits: a double's
        // 53, its rounding bit, and one to spare.
        let s = d.bits() as i64 - n.bits() as i64 + 55;
        if s >= 0 {
            n.shl(s as usize);
        } else {
            d.shl(s.unsigned_abs() as usize);
        }
        let (q, rem_nonzero) = n.div_small_quotient(&d);
        (q, rem_nonzero, -s)
    };
    round(&q, inexact, shift)
}

/// q·2^shift (+ a bit more when `inexact`) to the nearest double, ties to even.
fn round(q: &Big, inexact: bool, shift: i64) -> f64 {
    let len = q.bits() as i64;
    // The value's binary exponent, and the precision a double has there.
    let e2 = len - 1 + shift;
    let precision = if e2 >= -1022 { 53 } else { e2 + 1075 };
    let drop = len - precision;
    if drop <= 0 {
        return libm::scalbn(q.shr_u64(0) as f64, shift as i32);
    }
    let mut m = q.shr_u64(drop as usize);
    let half = q.bit((drop - 1) as usize);
    let sticky = inexact || q.any_below((drop - 1) as usize);
    if half && (sticky || m & 1 == 1) {
        m += 1;
    }
    let e = (shift + drop).clamp(-2000, 2000) as i32;
    libm::scalbn(m as f64, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(s: &str) {
        let ours = parse_f64(s);
        let std = s.parse::<f64>().ok();
        match (ours, std) {
            (Some(a), Some(b)) => assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "{s}: {a:e} vs std {b:e}"
            ),
            (a, b) => assert_eq!(a.is_some(), b.is_some(), "{s}: {a:?} vs std {b:?}"),
        }
    }

    #[test]
    fn grammar_edges_match_std() {
        for s in [
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "+.e1",
            "1.",
            ".5",
            "-.5e-3",
            "1.e5",
            "0",
            "-0",
            "+0.0",
            "00012",
            "1_0",
            " 1",
            "1 ",
            "0x10",
            "1e5.0",
            "1..2",
            "--1",
            "inf",
            "-INF",
            "Infinity",
            "+infinity",
            "nan",
            "NaN",
            "-nan",
            "infinit",
            "in",
            "1e0000000000000000000005",
            "1e-99999999999999999999",
            "1e99999999999999",
            "0e999999",
            "0.0000000000000000000000000000001e31",
        ] {
            same(s);
        }
    }

    #[test]
    fn hard_cases_match_std() {
        for s in [
            // Halfway and near-halfway cases, subnormals, the edges of the range.
            "9007199254740993",
            "9007199254740992.000000000000000000000000000000001",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.47032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817996189898282347722858865463328355177969898199387398005390939063150356595155702263922908583924491051844359318028499365361525003193704576782492193656236698636584807570015857692699037063119282795585513329278343384093519780155312465972635795746227664652728272200563740064854999770965994704540208281662262378573934507363390079677619305775067401763246736009689513405355374585166611342237666786041621596804619144672918403005300575308490487653917113865916462395249126236538818796362393732804238910186723484976682350898633885879256283027559956575244555072551893136908362547791869486679949683240497058210285131854513962138377228261454376934125320985913276672363281255e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999",
            "0.30000000000000004",
            "0.1",
            "123456789012345678901234567890",
            "1e23",
            "8.98846567431158e307",
            "5e-324",
            "1e-400",
            "1e310",
            "7.038531e-26",
        ] {
            same(s);
        }
    }

    #[test]
    fn every_shortest_and_long_form_round_trips() {
        let mut x = 1.0f64;
        for _ in 0..2000 {
            x = f64::from_bits(
                x.to_bits()
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407)
                    >> 1,
            );
            for s in [
                format!("{x:?}"),
                format!("{x:e}"),
                format!("{x:.30e}"),
                format!("{:.40}", x * 1e-20),
            ] {
                same(&s);
            }
        }
    }

    /// The exact decimal of k·2^-p, as k·5^p e-p (base-10⁹ limbs, independent of `Big`).
    fn exact_decimal(k: u64, p: u32) -> String {
        let mut limbs: Vec<u64> = vec![
            k % 1_000_000_000,
            k / 1_000_000_000 % 1_000_000_000,
            k / 1_000_000_000_000_000_000,
        ];
        for _ in 0..p {
            let mut carry = 0;
            for l in &mut limbs {
                let v = *l * 5 + carry;
                *l = v % 1_000_000_000;
                carry = v / 1_000_000_000;
            }
            if carry > 0 {
                limbs.push(carry);
            }
        }
        while limbs.len() > 1 && *limbs.last().unwrap() == 0 {
            limbs.pop();
        }
        let mut s = limbs.last().unwrap().to_string();
        for l in limbs.iter().rev().skip(1) {
            s += &format!("{l:09}");
        }
        format!("{s}e-{p}")
    }

    proptest! {
        /// Exact ties between two doubles (odd k with 54 significant bits, and
        /// subnormal ones) round half to even, as std does.
        #[test]
        fn exact_ties_round_to_even(k in (1u64 << 53)..(1u64 << 54), p in prop_oneof![Just(1075u32), Just(1100), 1u32..1075], small in 1u64..4096) {
            same(&exact_decimal(k | 1, p));
            same(&exact_decimal(small | 1, 1075));
            same(&format!("{}", k | 1));
        }

        #[test]
        fn any_double_round_trips(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            same(&format!("{x:?}"));
            same(&format!("{x:.25e}"));
        }

        #[test]
        fn any_short_text_matches_std(s in "[-+]?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][-+]?[0-9]{1,4})?") {
            same(&s);
        }

        #[test]
        fn any_soup_matches_std(s in "[-+.eE0-9ainfAINF]{0,12}") {
            same(&s);
        }
    }
}
