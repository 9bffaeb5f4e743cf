//! Decimal text ↔ f64, exactly as the standard library reads and writes it,
//! without linking the standard library's float parsing and formatting.
//!
//! `str::parse::<f64>` links the Eisel–Lemire tables and their fallback, and
//! `format!("{x}")`, `{x:?}`, `{x:.3}` and `{x:.3e}` link Grisu, Dragon4 and
//! their tables: together about 20 KB of the page's gzipped download, for
//! reading a few numbers out of a link or a text box and writing labels.
//! Here:
//! - [`parse_f64`] reads Rust's grammar to the same bits (Clinger's fast path
//!   when the digits fit in a double, an exact big-integer quotient otherwise;
//!   slow only for a number with more than 15 significant digits or an
//!   exponent past ±22, which nobody notices);
//! - [`debug`] and [`display`] write the shortest round-trip digits (from
//!   `zmij`, which the exports use anyway) laid out as `{:?}` and `{}` do
//!   (where a double has two equally short spellings, zmij's choice may
//!   differ from std's in the last digit; both read back as the same double);
//! - [`fixed`] and [`sci`] write `{:.N}` and `{:.Ne}`: the exact decimal
//!   expansion of the double, rounded half to even.
//!
//! The tests compare every function with the standard library's output on
//! edge cases and on random doubles and text. `cargo xtask dist` fails if the
//! page links the standard library's versions again.

mod big;
mod format;
mod parse;

pub use format::{debug, display, fixed, sci};
pub use parse::parse_f64;
