//! Hyperparameters by name: every optimizer publishes a table of [`Param`]s
//! (name, default, valid domain, slider range) and [`Hyper`] holds one value per
//! entry. The URL codec, the CLI and the sliders all go through this table, so a
//! name is spelled in exactly one place.

use super::OptimizerKind;
use std::fmt;

/// The most parameters any optimizer has.
pub const MAX_PARAMS: usize = 8;

/// The largest f64 below 1 (β must stay strictly under 1, as torch requires).
pub const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Real,
    Int,
    Bool,
}

/// One hyperparameter of one optimizer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    /// The name PyTorch and the paper use (`lr`, `beta1`, `momentum`, ...).
    pub name: &'static str,
    pub default: f64,
    pub kind: ParamKind,
    /// The valid domain, both ends included; values outside are refused.
    pub min: f64,
    pub max: f64,
    /// The range a slider offers (a narrower, useful part of the domain).
    pub slider_min: f64,
    pub slider_max: f64,
    /// Whether the slider moves on a log scale.
    pub log: bool,
    /// One line for the tooltip.
    pub help: &'static str,
}

impl Param {
    pub const fn lr(default: f64) -> Param {
        Param {
            name: "lr",
            default,
            kind: ParamKind::Real,
            min: 0.0,
            max: 1e12,
            slider_min: 1e-5,
            slider_max: 10.0,
            log: true,
            help: "learning rate: how far each step goes",
        }
    }

    pub const fn beta(name: &'static str, default: f64, help: &'static str) -> Param {
        Param {
            name,
            default,
            kind: ParamKind::Real,
            min: 0.0,
            max: BELOW_ONE,
            slider_min: 0.0,
            slider_max: 0.9999,
            log: false,
            help,
        }
    }

    pub const fn eps(default: f64) -> Param {
        Param {
            name: "eps",
            default,
            kind: ParamKind::Real,
            min: 0.0,
            max: 1e6,
            slider_min: 1e-12,
            slider_max: 1.0,
            log: true,
            help: "added to the denominator so it is never zero",
        }
    }

    pub const fn weight_decay(default: f64, help: &'static str) -> Param {
        Param {
            name: "weight_decay",
            default,
            kind: ParamKind::Real,
            min: 0.0,
            max: 1e6,
            slider_min: 0.0,
            slider_max: 1.0,
            log: false,
            help,
        }
    }

    pub const fn real(
        name: &'static str,
        default: f64,
        (min, max): (f64, f64),
        (slider_min, slider_max, log): (f64, f64, bool),
        help: &'static str,
    ) -> Param {
        Param {
            name,
            default,
            kind: ParamKind::Real,
            min,
            max,
            slider_min,
            slider_max,
            log,
            help,
        }
    }

    pub const fn int(
        name: &'static str,
        default: u32,
        min: u32,
        max: u32,
        help: &'static str,
    ) -> Param {
        Param {
            name,
            default: default as f64,
            kind: ParamKind::Int,
            min: min as f64,
            max: max as f64,
            slider_min: min as f64,
            slider_max: max as f64,
            log: false,
            help,
        }
    }

    pub const fn flag(name: &'static str, default: bool, help: &'static str) -> Param {
        Param {
            name,
            default: if default { 1.0 } else { 0.0 },
            kind: ParamKind::Bool,
            min: 0.0,
            max: 1.0,
            slider_min: 0.0,
            slider_max: 1.0,
            log: false,
            help,
        }
    }

    /// Checks a value against the domain. Integers must be whole, flags 0 or 1.
    pub fn check(&self, value: f64) -> Result<f64, HyperError> {
        let bad = |why: &'static str| HyperError::Invalid {
            name: self.name,
            value,
            why,
        };
        if !value.is_finite() {
            return Err(bad("not a finite number"));
        }
        if value < self.min || value > self.max {
            return Err(bad("outside the valid range"));
        }
        match self.kind {
            ParamKind::Int if value.fract() != 0.0 => Err(bad("not a whole number")),
            ParamKind::Bool if value != 0.0 && value != 1.0 => Err(bad("not true or false")),
            // -0 becomes 0 so that it prints and compares as people expect.
            _ => Ok(value + 0.0),
        }
    }

    /// The nearest valid value (for inputs that must load anyway, such as URLs).
    pub fn nearest_valid(&self, value: f64) -> f64 {
        let v = if value.is_nan() {
            self.default
        } else {
            // (max/min, not clamp, whose panic message formats floats.)
            value.max(self.min).min(self.max)
        };
        match self.kind {
            ParamKind::Real => v + 0.0,
            ParamKind::Int => v.round(),
            ParamKind::Bool => (v >= 0.5) as u8 as f64,
        }
    }

    /// Parses `true`/`false` (any case) for flags, numbers otherwise.
    pub fn parse(&self, text: &str) -> Result<f64, HyperError> {
        let t = text.trim();
        let value = match self.kind {
            ParamKind::Bool => match t.to_ascii_lowercase().as_str() {
                "true" | "1" => Some(1.0),
                "false" | "0" => Some(0.0),
                _ => None,
            },
            _ => crate::decimal::parse_f64(t),
        };
        match value {
            Some(v) => self.check(v),
            None => Err(HyperError::Unparsable {
                name: self.name,
                text: text.to_string(),
            }),
        }
    }

    /// Formats a value the way [`Param::parse`] reads it back.
    pub fn format(&self, value: f64) -> String {
        match self.kind {
            ParamKind::Bool => (value != 0.0).to_string(),
            ParamKind::Int => format!("{}", value as i64),
            ParamKind::Real => fmt_num(value),
        }
    }
}

/// Shortest round-trip decimal (exponent form for tiny and huge values),
/// without a trailing ".0": how links and fields write numbers.
pub fn fmt_num(v: f64) -> String {
    let s = crate::decimal::debug(v);
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[derive(Clone, Debug, PartialEq)]
pub enum HyperError {
    Unknown {
        optimizer: &'static str,
        name: String,
        accepted: Vec<&'static str>,
    },
    Invalid {
        name: &'static str,
        value: f64,
        why: &'static str,
    },
    Unparsable {
        name: &'static str,
        text: String,
    },
}

impl fmt::Display for HyperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HyperError::Unknown {
                optimizer,
                name,
                accepted,
            } if accepted.is_empty() => {
                write!(f, "{optimizer} has no parameter '{name}' (it takes none)")
            }
            HyperError::Unknown {
                optimizer,
                name,
                accepted,
            } => write!(
                f,
                "{optimizer} has no parameter '{name}' (accepted: {})",
                accepted.join(", ")
            ),
            HyperError::Invalid { name, value, why } => {
                write!(f, "{name} = {} is {why}", fmt_num(*value))
            }
            HyperError::Unparsable { name, text } => {
                write!(f, "{name}: cannot read '{text}' as a value")
            }
        }
    }
}

impl std::error::Error for HyperError {}

/// The hyperparameter values of one racer, aligned with its kind's table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyper {
    kind: OptimizerKind,
    values: [f64; MAX_PARAMS],
}

impl Hyper {
    /// Every parameter at its default.
    pub fn defaults(kind: OptimizerKind) -> Hyper {
        let mut values = [0.0; MAX_PARAMS];
        for (v, p) in values.iter_mut().zip(kind.params()) {
            *v = p.default;
        }
        Hyper { kind, values }
    }

    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }

    pub fn params(&self) -> &'static [Param] {
        self.kind.params()
    }

    fn index(&self, name: &str) -> Result<usize, HyperError> {
        self.params()
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| HyperError::Unknown {
                optimizer: self.kind.slug(),
                name: name.to_string(),
                accepted: self.params().iter().map(|p| p.name).collect(),
            })
    }

    pub fn param(&self, name: &str) -> Result<&'static Param, HyperError> {
        let i = self.index(name)?;
        Ok(&self.kind.params()[i])
    }

    /// The value of `name`; NaN for a name not in the table (a programming
    /// error in an optimizer file, caught by the tests that build each one).
    pub fn get(&self, name: &str) -> f64 {
        debug_assert!(self.index(name).is_ok(), "{}: no {name}", self.kind.slug());
        self.try_get(name).unwrap_or(f64::NAN)
    }

    pub fn try_get(&self, name: &str) -> Option<f64> {
        self.index(name).ok().map(|i| self.values[i])
    }

    pub fn flag(&self, name: &str) -> bool {
        self.get(name) != 0.0
    }

    pub fn set(&mut self, name: &str, value: f64) -> Result<(), HyperError> {
        let i = self.index(name)?;
        self.values[i] = self.kind.params()[i].check(value)?;
        Ok(())
    }

    /// Parses and sets `name=text` (flags accept true/false in any case).
    pub fn set_str(&mut self, name: &str, text: &str) -> Result<(), HyperError> {
        let i = self.index(name)?;
        self.values[i] = self.kind.params()[i].parse(text)?;
        Ok(())
    }

    /// (param, value) pairs in table order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Param, f64)> + '_ {
        self.kind.params().iter().zip(self.values.iter().copied())
    }

    pub fn is_default(&self, name: &str) -> bool {
        self.try_get(name)
            .zip(self.param(name).ok())
            .is_some_and(|(v, p)| v == p.default)
    }
}
