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

/// A compact human reading: 4 significant digits, exponent where needed.
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
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if (1e-3..1e5).contains(&a) {
        let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
        let s = decimal::fixed(v, digits);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        let s = decimal::sci(v, 3);
        // 1.230e-7 → 1.23e-7
        match s.split_once('e') {
            Some((m, e)) => {
                let m = if m.contains('.') {
                    m.trim_end_matches('0').trim_end_matches('.')
                } else {
                    m
                };
                format!("{m}e{e}")
            }
            None => s,
        }
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
        assert_eq!(exact(0.1 + 0.2), "0.30000000000000004");
    }
}
