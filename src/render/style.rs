//! Each racer's look: a colour (a light-theme and a dark-theme variant), a dash
//! pattern and a marker shape. Colour is never the only cue: no two racers share
//! both marker and dash, so the race reads for colour-blind viewers too.

use downhill_core::OptimizerKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Diamond,
    TriangleUp,
    TriangleDown,
    Plus,
    Cross,
}

#[derive(Clone, Copy, Debug)]
pub struct RacerStyle {
    pub light: &'static str,
    pub dark: &'static str,
    pub dash: &'static [f64],
    pub marker: Marker,
    /// A filled marker, or an outline.
    pub filled: bool,
}

impl RacerStyle {
    pub fn color(&self, dark: bool) -> &'static str {
        if dark {
            self.dark
        } else {
            self.light
        }
    }
}

const SOLID: &[f64] = &[];
const DASH: &[f64] = &[7.0, 4.0];
const DOT: &[f64] = &[2.0, 3.0];
const DASH_DOT: &[f64] = &[8.0, 3.0, 2.0, 3.0];

pub fn style(kind: OptimizerKind) -> RacerStyle {
    use Marker::*;
    use OptimizerKind::*;
    let (light, dark, dash, marker, filled) = match kind {
        Sgd => ("#c77c00", "#ffb000", SOLID, Circle, true),
        Momentum => ("#1f8fd0", "#8fd3ff", DASH, Square, true),
        Nesterov => ("#008a63", "#3fd0a0", DOT, Diamond, true),
        Adagrad => ("#b8528f", "#f0a0d0", DASH_DOT, TriangleUp, true),
        Rmsprop => ("#0060a0", "#5aaeff", SOLID, TriangleDown, true),
        Adadelta => ("#c04d00", "#ff8a50", DASH, Plus, false),
        Adam => ("#d7191c", "#ff6b6b", SOLID, Cross, false),
        Amsgrad => ("#7b3f9a", "#c9a0ff", DOT, Circle, false),
        Adamw => ("#8c4a1c", "#d9a070", DASH_DOT, Square, false),
        Nadam => ("#4f8a10", "#a0d060", DASH, Diamond, false),
        Lion => ("#9a7d00", "#f0d060", DOT, TriangleUp, false),
        Lamb => ("#0f8c9c", "#5fe0f0", DASH_DOT, TriangleDown, false),
        Muon => ("#5a5a5a", "#cfcfcf", DASH, Circle, true),
        Shampoo => ("#8a8a00", "#e0e060", DOT, Square, true),
    };
    RacerStyle {
        light,
        dark,
        dash,
        marker,
        filled,
    }
}

/// An SVG path (in a 12 × 12 box centred on 6, 6) for a marker, for legends.
pub fn marker_svg_path(m: Marker) -> &'static str {
    match m {
        Marker::Circle => "M10,6 A4,4 0 1 1 2,6 A4,4 0 1 1 10,6 Z",
        Marker::Square => "M2.5,2.5 H9.5 V9.5 H2.5 Z",
        Marker::Diamond => "M6,1.5 L10.5,6 L6,10.5 L1.5,6 Z",
        Marker::TriangleUp => "M6,1.5 L10.5,10 L1.5,10 Z",
        Marker::TriangleDown => "M6,10.5 L10.5,2 L1.5,2 Z",
        Marker::Plus => "M6,1.5 V10.5 M1.5,6 H10.5",
        Marker::Cross => "M2.5,2.5 L9.5,9.5 M9.5,2.5 L2.5,9.5",
    }
}

/// Whether the marker is drawn as lines only (plus, cross).
pub fn marker_is_open(m: Marker) -> bool {
    matches!(m, Marker::Plus | Marker::Cross)
}
