//! Each racer's exact update rule as MathML (native in Chromium and Firefox),
//! with the values in use and a one-line intuition. The rules are those of
//! `crates/downhill-core/src/optim/` (and `optimizers.md`); the markup is built
//! from our own constant strings only, never from user input.

use super::handler;
use crate::format::short;
use crate::state::{app_state, At, Lane};
use downhill_core::OptimizerKind;
use leptos::prelude::*;

fn mi(x: &str) -> String {
    format!("<mi>{x}</mi>")
}
fn mo(x: &str) -> String {
    format!("<mo>{x}</mo>")
}
fn mn(x: &str) -> String {
    format!("<mn>{x}</mn>")
}
fn mtext(x: &str) -> String {
    format!("<mtext>{x}</mtext>")
}
fn row(parts: &[String]) -> String {
    format!("<mrow>{}</mrow>", parts.concat())
}
fn frac(a: String, b: String) -> String {
    format!("<mfrac>{a}{b}</mfrac>")
}
fn sqrt(a: String) -> String {
    format!("<msqrt>{a}</msqrt>")
}
fn sup(a: String, b: String) -> String {
    format!("<msup>{a}{b}</msup>")
}
fn sub(a: &str, b: &str) -> String {
    format!("<msub><mi>{a}</mi><mn>{b}</mn></msub>")
}
fn line(parts: &[String]) -> String {
    format!("<math display=\"block\">{}</math>", row(parts))
}
/// `x ← value`
fn assign(x: &str, value: &[String]) -> String {
    let mut parts = vec![mi(x), mo("←")];
    parts.extend_from_slice(value);
    line(&parts)
}
/// `a·x + (1 − a)·y`, an exponential moving average.
fn ema(keep: String, old: &str, new: String) -> Vec<String> {
    vec![
        keep.clone(),
        mo("·"),
        mi(old),
        mo("+"),
        mo("("),
        mn("1"),
        mo("−"),
        keep,
        mo(")"),
        mo("·"),
        new,
    ]
}
/// √x + ε
fn root_eps(x: &str) -> String {
    row(&[sqrt(mi(x)), mo("+"), mi("ε")])
}
fn g2() -> String {
    sup(mi("g"), mn("2"))
}
fn b1() -> String {
    sub("β", "1")
}
fn b2() -> String {
    sub("β", "2")
}

/// The update rule of `kind`, as MathML lines (θ is the point, g the gradient,
/// η the learning rate of this step, t the step count from 1).
pub fn rule(kind: OptimizerKind) -> Vec<String> {
    use OptimizerKind::*;
    let eta = || mi("η");
    // θ ← θ − η·(…): the shape of most rules.
    let descend = |rest: &[String]| {
        let mut parts = vec![mi("θ"), mo("−"), eta(), mo("·")];
        parts.extend_from_slice(rest);
        assign("θ", &parts)
    };
    // θ·(1 − ηλ): decoupled weight decay (AdamW, Lion).
    let decayed = [
        mi("θ"),
        row(&[
            mo("·"),
            mo("("),
            mn("1"),
            mo("−"),
            mi("η"),
            mi("λ"),
            mo(")"),
        ]),
    ];
    let adam_step = |v: &str| {
        assign(
            "θ",
            &[
                mi("θ"),
                mo("−"),
                frac(eta(), row(&[mn("1"), mo("−"), sup(b1(), mi("t"))])),
                mo("·"),
                frac(
                    mi("m"),
                    row(&[
                        frac(
                            sqrt(mi(v)),
                            sqrt(row(&[mn("1"), mo("−"), sup(b2(), mi("t"))])),
                        ),
                        mo("+"),
                        mi("ε"),
                    ]),
                ),
            ],
        )
    };
    let moments = || {
        vec![
            assign("m", &ema(b1(), "m", mi("g"))),
            assign("v", &ema(b2(), "v", g2())),
        ]
    };
    match kind {
        Sgd => vec![descend(&[mi("g")])],
        Momentum => vec![
            assign(
                "b",
                &[
                    mi("μ"),
                    mo("·"),
                    mi("b"),
                    mo("+"),
                    mo("("),
                    mn("1"),
                    mo("−"),
                    mi("τ"),
                    mo(")"),
                    mo("·"),
                    mi("g"),
                ],
            ),
            line(&[
                mi("b"),
                mo("="),
                mi("g"),
                mtext(" at t = 1; τ is the dampening"),
            ]),
            descend(&[mi("b")]),
        ],
        Nesterov => vec![
            assign("b", &[mi("μ"), mo("·"), mi("b"), mo("+"), mi("g")]),
            descend(&[
                mo("("),
                mi("g"),
                mo("+"),
                mi("μ"),
                mo("·"),
                mi("b"),
                mo(")"),
            ]),
        ],
        Adagrad => vec![
            assign("s", &[mi("s"), mo("+"), g2()]),
            assign(
                "θ",
                &[
                    mi("θ"),
                    mo("−"),
                    frac(
                        eta(),
                        row(&[
                            mn("1"),
                            mo("+"),
                            mo("("),
                            mi("t"),
                            mo("−"),
                            mn("1"),
                            mo(")"),
                            mi("λ"),
                        ]),
                    ),
                    mo("·"),
                    frac(mi("g"), root_eps("s")),
                ],
            ),
        ],
        Rmsprop => vec![
            assign("v", &ema(mi("α"), "v", g2())),
            descend(&[frac(mi("g"), root_eps("v"))]),
        ],
        Adadelta => vec![
            assign("v", &ema(mi("ρ"), "v", g2())),
            line(&[
                mi("Δ"),
                mo("="),
                frac(
                    sqrt(row(&[mi("u"), mo("+"), mi("ε")])),
                    sqrt(row(&[mi("v"), mo("+"), mi("ε")])),
                ),
                mo("·"),
                mi("g"),
            ]),
            assign("u", &ema(mi("ρ"), "u", sup(mi("Δ"), mn("2")))),
            descend(&[mi("Δ")]),
        ],
        Adam => [moments(), vec![adam_step("v")]].concat(),
        Amsgrad => [
            moments(),
            vec![
                assign(
                    "v̂ₘₐₓ",
                    &[mi("max"), mo("("), mi("v̂ₘₐₓ"), mo(","), mi("v"), mo(")")],
                ),
                adam_step("v̂ₘₐₓ"),
            ],
        ]
        .concat(),
        Adamw => [
            vec![assign("θ", &[decayed[0].clone(), decayed[1].clone()])],
            moments(),
            vec![adam_step("v")],
        ]
        .concat(),
        Nadam => [
            vec![line(&[
                sub("μ", "t"),
                mo("="),
                b1(),
                mo("·"),
                mo("("),
                mn("1"),
                mo("−"),
                mn("½"),
                mo("·"),
                sup(mn("0.96"), row(&[mi("t"), mi("ψ")])),
                mo(")"),
            ])],
            vec![assign(
                "Π",
                &[
                    mi("Π"),
                    mo("·"),
                    sub("μ", "t"),
                    mtext(" (Π = 1 at the start)"),
                ],
            )],
            moments(),
            vec![descend(&[
                frac(
                    row(&[mn("1"), mo("−"), sub("μ", "t")]),
                    row(&[mn("1"), mo("−"), mi("Π")]),
                ),
                mo("·"),
                frac(mi("g"), mi("d")),
                mo("−"),
                eta(),
                mo("·"),
                frac(
                    sub("μ", "t+1"),
                    row(&[mn("1"), mo("−"), mi("Π"), sub("μ", "t+1")]),
                ),
                mo("·"),
                frac(mi("m"), mi("d")),
                mo(","),
                mi("d"),
                mo("="),
                sqrt(frac(mi("v"), row(&[mn("1"), mo("−"), sup(b2(), mi("t"))]))),
                mo("+"),
                mi("ε"),
            ])],
        ]
        .concat(),
        Lion => vec![
            line(
                &[[mi("c"), mo("=")].concat()]
                    .into_iter()
                    .chain(ema(b1(), "m", mi("g")))
                    .collect::<Vec<_>>(),
            ),
            assign(
                "θ",
                &[
                    decayed[0].clone(),
                    decayed[1].clone(),
                    mo("−"),
                    eta(),
                    mo("·"),
                    mi("sign"),
                    mo("("),
                    mi("c"),
                    mo(")"),
                ],
            ),
            assign("m", &ema(b2(), "m", mi("g"))),
        ],
        Lamb => [
            moments(),
            vec![
                line(&[
                    mi("r"),
                    mo("="),
                    frac(mi("m̂"), row(&[sqrt(mi("v̂")), mo("+"), mi("ε")])),
                    mo("+"),
                    mi("λ"),
                    mi("θ"),
                ]),
                descend(&[frac(mi("‖θ‖"), mi("‖r‖")), mo("·"), mi("r")]),
            ],
        ]
        .concat(),
        Muon => vec![
            assign("M", &ema(mi("β"), "M", mi("g"))),
            line(&[
                mi("u"),
                mo("="),
                mo("("),
                mn("1"),
                mo("−"),
                mi("β"),
                mo(")"),
                mi("g"),
                mo("+"),
                mi("β"),
                mi("M"),
            ]),
            descend(&[
                mi("NS"),
                mo("("),
                frac(mi("u"), mi("‖u‖")),
                mo(")"),
                mo("≈"),
                mi("θ"),
                mo("−"),
                mn("0.7"),
                eta(),
                mo("·"),
                frac(mi("u"), mi("‖u‖")),
            ]),
        ],
        Shampoo => vec![
            assign("H", &[mi("H"), mo("+"), mi("g"), sup(mi("g"), mi("T"))]),
            line(&[mi("H"), mo("="), mi("ε"), mi("I"), mtext(" at the start")]),
            descend(&[sup(mi("H"), row(&[mo("−"), mn("½")])), mi("g")]),
        ],
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
        if !state.scenario.with_untracked(|s| s.enabled.contains(&k)) {
            state.scenario.track();
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
            <div class="math" data-racer=move || kind().slug() inner_html=move || rule(kind()).concat()></div>
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
        <div class="math" data-racer=move || kind.get().slug() inner_html=move || rule(kind.get()).concat()></div>
        <p class="intuition">{move || intuition(kind.get())}</p>
    }
}
