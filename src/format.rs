//! Numbers as the page shows them (through `downhill_core::decimal`, which
//! writes what `format!` would without linking std's float formatting).

use downhill_core::decimal;
/// `{v:.frac$}`: `frac` digits after the point.
pub use downhill_core::decimal::fixed;

/// Shortest round-trip decimal of an f64 (what the `data-*` test hooks carry;
/// `parseFloat` reads back the exact value). Exponent form for tiny and huge values.
pub fn exact(v: f64) -> String {
    decimal::debug(v)
}

/// `{v}`: shortest round-trip digits, never an exponent (what `to_string`
/// writes), for a value an input or a style reads back.
pub fn plain(v: f64) -> String {
    decimal::display(v)
}

/// A CSS length in pixels.
pub fn px(v: f64) -> String {
    plain(v) + "px"
}

/// A compact human reading: 4 significant digits, exponent where needed
/// (below 0.001 and from 100000 on, judged after rounding, so 0.00099999
/// reads 0.001 like 0.001 itself, and 99999.9 reads 1e5).
pub fn short(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "—".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    if v == 0.0 {
        return "0".into();
    }
    // 1.230e-7: the mantissa rounded to 4 digits, and its exponent.
    let sci = decimal::sci(v, 3);
    let Some((m, e)) = sci.split_once('e') else {
        return sci;
    };
    let trim = |s: &str| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    match e.parse::<i32>() {
        Ok(e) if (-3..5).contains(&e) => trim(&decimal::fixed(v, (3 - e).clamp(0, 6) as usize)),
        _ => format!("{}e{e}", trim(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_readings() {
        assert_eq!(short(0.05), "0.05");
        assert_eq!(short(1234.5678), "1235");
        assert_eq!(short(4.56789), "4.568");
        assert_eq!(short(1.23e-7), "1.23e-7");
        assert_eq!(short(-2.5e12), "-2.5e12");
        assert_eq!(short(f64::NAN), "—");
        // The range is judged after rounding to 4 digits.
        assert_eq!(short(0.001), "0.001");
        assert_eq!(short(0.000999999999), "0.001");
        assert_eq!(short(0.00099994), "9.999e-4");
        assert_eq!(short(-0.00099999), "-0.001");
        assert_eq!(short(9999.4), "9999");
        assert_eq!(short(99994.0), "99994");
        assert_eq!(short(99999.9), "1e5");
        assert_eq!(short(1e5), "1e5");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(f64::INFINITY), "∞");
        assert_eq!(exact(0.1 + 0.2), "0.30000000000000004");
    }
}
