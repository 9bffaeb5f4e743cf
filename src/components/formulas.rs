//! Each racer's exact update rule as MathML (native in Chromium and Firefox),
//! with the values in use and a one-line intuition. The rules are those of
//! `crates/downhill-core/src/optim/` (and `optimizers.md`); the markup is our
//! own constant files (`rules/`), never anything from user input.

use super::handler;
use crate::format::short;
use crate::state::{app_state, At, Lane};
use downhill_core::OptimizerKind;
use leptos::prelude::*;

/// The update rule of `kind`, as MathML lines, one `<math>` per line of the
/// rule (θ is the point, g the gradient, η the learning rate of this step, t
/// the step count from 1). Constant markup from `rules/<slug>.mathml`: as
/// data it downloads 2.8 KB (gzipped) smaller than the code that built it.
pub fn rule(kind: OptimizerKind) -> &'static str {
    use OptimizerKind::*;
    match kind {
        Sgd => include_str!("rules/sgd.mathml"),
        Momentum => include_str!("rules/momentum.mathml"),
        Nesterov => include_str!("rules/nesterov.mathml"),
        Adagrad => include_str!("rules/adagrad.mathml"),
        Rmsprop => include_str!("rules/rmsprop.mathml"),
        Adadelta => include_str!("rules/adadelta.mathml"),
        Adam => include_str!("rules/adam.mathml"),
        Amsgrad => include_str!("rules/amsgrad.mathml"),
        Adamw => include_str!("rules/adamw.mathml"),
        Nadam => include_str!("rules/nadam.mathml"),
        Lion => include_str!("rules/lion.mathml"),
        Lamb => include_str!("rules/lamb.mathml"),
        Muon => include_str!("rules/muon.mathml"),
        Shampoo => include_str!("rules/shampoo.mathml"),
    }
}

/// One line, in plain words, of why the rule behaves as it does.
pub fn intuition(kind: OptimizerKind) -> &'static str {
    use OptimizerKind::*;
    match kind {
        Sgd => "Step straight down the slope, in proportion to how steep it is: slow on flat ground, jumpy across steep walls.",
        Momentum => "A heavy ball: past gradients keep pushing, so steady directions speed up and back-and-forth wobbles cancel out.",
        Nesterov => "Momentum that adds the fresh gradient on top of the already-updated buffer, so it brakes a little before overshooting.",
        Adagrad => "Each coordinate's step is divided by the square root of all its squared gradients so far, so the rate only ever shrinks.",
        Rmsprop => "Like AdaGrad, but it forgets old gradients: dividing by a running RMS keeps each coordinate's step size steady.",
        Adadelta => "Sets its own units: the step is the RMS of past steps over the RMS of gradients, so it starts with tiny √ε-sized steps.",
        Adam => "Momentum on the gradient divided by its running RMS, with the early bias towards zero corrected: about η per step per coordinate.",
        Amsgrad => "Adam that never lets the denominator shrink (it keeps the largest v), so a coordinate's step can only get smaller.",
        Adamw => "Adam plus weight decay applied to θ directly, outside the normalisation, so every coordinate decays at the same rate.",
        Nadam => "Adam with Nesterov's look-ahead folded in: part of the step uses the fresh gradient, part the momentum of the next step.",
        Lion => "Only the sign counts: every coordinate moves exactly η each step, in the direction of a blend of momentum and gradient.",
        Lamb => "Adam's direction rescaled so that the step length is η·‖θ‖: a trust ratio per layer (here the whole point is one layer).",
        Muon => "Orthogonalised momentum; for a single row it is normalised momentum, so it always steps about 0.7·η and bounces near the minimum.",
        Shampoo => "Full-matrix AdaGrad: it learns how the coordinates co-vary, so a ravine turned off the axes is as easy as an aligned one.",
    }
}

/// The update rule of the focused racer (or any chosen one), with its values.
#[component]
pub fn Formulas() -> impl IntoView {
    let state = app_state();
    let chosen = RwSignal::new(None::<OptimizerKind>);
    let kind = move || chosen.get().unwrap_or_else(|| state.focus());
    // The values in use follow the inspector's text lane (see `raf`): a
    // slider drag changes them every frame, and this line is re-laid out at
    // most every 100 ms while it does, and exactly once it rests.
    let in_use = move || {
        let k = kind();
        state.step_at(At::Text(Lane::Inside));
        // The lanes follow the race; a racer switched off is not in it, so a
        // change to its settings moves no lane: follow them directly.
        if !state.enabled.with_untracked(|e| e.contains(&k)) {
            state.hypers.track();
        }
        state.scenario.with_untracked(|s| {
            let values = s
                .hyper(k)
                .iter()
                .map(|(p, v)| format!("{} = {}", p.name, p.format(v)))
                .collect::<Vec<_>>()
                .join(" · ");
            let lrx = if s.lrx != 1.0 {
                format!(" (lr × {})", short(s.lrx))
            } else {
                String::new()
            };
            format!("In use: {values}{lrx}")
        })
    };
    view! {
        <section class="panel instrument formulas" aria-labelledby="formula-title" data-testid="formulas">
            <div class="panel-head">
                <h2 id="formula-title">"Update rule"</h2>
                <label class="small">"racer "
                    <select prop:value=move || kind().slug()
                        on:change=handler(move |ev| chosen.set(OptimizerKind::from_slug(&event_target_value(&ev))))>
                        {OptimizerKind::ALL.into_iter().map(|k| view! { <option value=k.slug()>{k.title()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="math" data-racer=move || kind().slug() inner_html=move || rule(kind())></div>
            <p class="small" data-testid="formula-values">{in_use}</p>
            <p class="intuition">{move || intuition(kind())}</p>
        </section>
    }
}

/// One racer's rule and intuition, for places that show a chosen racer
/// (the family tree).
#[component]
pub fn RuleOf(#[prop(into)] kind: Signal<OptimizerKind>) -> impl IntoView {
    view! {
        <div class="math" data-racer=move || kind.get().slug() inner_html=move || rule(kind.get())></div>
        <p class="intuition">{move || intuition(kind.get())}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements a rule may use; text stands only inside the token elements.
    const TOKENS: [&str; 4] = ["mi", "mo", "mn", "mtext"];
    const LAYOUT: [&str; 6] = ["math", "mrow", "mfrac", "msqrt", "msup", "msub"];

    /// The element names of `line` in document order, checking that it is
    /// well formed: every tag closed in order, text only inside tokens.
    fn elements(line: &str) -> Vec<&str> {
        let (mut open, mut seen) = (Vec::new(), Vec::new());
        let mut rest = line;
        while let Some(lt) = rest.find('<') {
            let text = &rest[..lt];
            let parent = open.last().copied().unwrap_or("");
            assert!(
                text.is_empty() || TOKENS.contains(&parent),
                "text {text:?} outside a token in {line}"
            );
            let gt = rest[lt..].find('>').expect("a tag closes") + lt;
            let tag = &rest[lt + 1..gt];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop(), Some(name), "{line}");
            } else {
                let name = tag.split(' ').next().unwrap_or_default();
                assert!(TOKENS.contains(&name) || LAYOUT.contains(&name), "<{name}>");
                open.push(name);
                seen.push(name);
            }
            rest = &rest[gt + 1..];
        }
        assert!(open.is_empty() && rest.is_empty(), "{line}");
        seen
    }

    #[test]
    fn every_rule_is_well_formed_block_math_that_updates_theta() {
        for kind in OptimizerKind::ALL {
            let lines: Vec<&str> = rule(kind).lines().collect();
            assert!(!lines.is_empty(), "{kind:?}");
            for line in &lines {
                assert!(
                    line.starts_with("<math display=\"block\"><mrow>"),
                    "{kind:?}: {line}"
                );
                assert!(line.ends_with("</mrow></math>"), "{kind:?}: {line}");
                assert_eq!(elements(line).iter().filter(|e| **e == "math").count(), 1);
                assert!(!line.contains('&'), "{kind:?}: plain UTF-8, no entities");
            }
            // θ ← …: every rule moves the point.
            let theta = "<mi>θ</mi><mo>←</mo>";
            assert!(
                lines.iter().any(|l| l.contains(theta)),
                "{kind:?} never updates θ"
            );
        }
    }

    #[test]
    fn a_malformed_line_is_caught() {
        let bad = [
            "<mrow><mi>θ</mi>",
            "<mrow>θ</mrow>",
            "<mrow><mi>θ</mo></mrow>",
            "<script></script>",
        ];
        for line in bad {
            let caught = std::panic::catch_unwind(|| elements(line)).is_err();
            assert!(caught, "{line}");
        }
        assert_eq!(elements("<mrow><mi>θ</mi></mrow>"), ["mrow", "mi"]);
    }
}
