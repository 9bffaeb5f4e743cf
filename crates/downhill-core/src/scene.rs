//! Scenes: the lessons of the course, each a named [`Scenario`] (`?scene=<slug>`)
//! with a title, a short lesson and the special widget the page shows beside
//! the race. Plus the data of the two non-race scenes: the optimizer family
//! tree ([`FAMILY_TREE`]) and the "which optimizer?" decision tree
//! ([`DECISION_TREE`]).
//!
//! The slugs are public (teachers link to them): add, never change. Every
//! lesson's claim is checked by a test below against the race it sets up.

use crate::landscape::Landscape;
use crate::optim::OptimizerKind;
use crate::scenario::{Panel, Scenario};
use crate::schedule::{Schedule, ScheduleKind};
use crate::vec2::Vec2;

use OptimizerKind::*;

/// A lesson of the course, as a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scene {
    LandscapeExplorer,
    MinibatchNoise,
    SgdVsMomentum,
    NesterovLookahead,
    AdagradVsRmsprop,
    AdamInternals,
    BiasCorrection,
    AdamwVsL2,
    Schedules,
    SaddleEscape,
    RavineZigzag,
    RosenbrockValley,
    BealeCanyon,
    GrandRace,
    FamilyTree,
    DecisionTree,
}

/// The special widget a scene shows beside (or instead of) the race. The page
/// draws it; the core gives it its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Widget {
    /// A learning-rate slider for the one racer and buttons to switch between
    /// [`Scene::landscapes`]; a click drops the ball (as on every canvas).
    LandscapeExplorer,
    /// At the focused racer's current point: the full-batch gradient and many
    /// mini-batch gradients, with a batch-size slider and "resample"
    /// (see [`crate::landscape::regression::minibatch_arrows`]).
    MinibatchArrows,
    /// One canvas per enabled racer, side by side, on the same landscape,
    /// with a slider for the named hyperparameter of the second racer.
    SplitRacers { slider: &'static str },
    /// The same race drawn a second time, beside, on another landscape.
    Beside(Landscape),
    /// Nesterov's look-ahead ghost point, shown on the canvas.
    LookaheadGhost,
    /// Each racer's effective learning rate per axis over the steps (a chart,
    /// from `Sample::effective_lr`), not only the current bars.
    EffLrHistory,
    /// The moment inspector (m, v, m̂, v̂, the update) with β₁, β₂ sliders and
    /// the step scrubber.
    Inspector,
    /// Adam's path and step sizes beside those of the same Adam without bias
    /// correction ([`Scenario::ghost_config`]), drawn as a ghost.
    BiasGhost,
    /// The schedule explorer: kind, total steps, warm-up share, the curve
    /// normalised to its peak, and the race it drives.
    ScheduleExplorer,
    /// A λ (weight decay) slider that sets the same value on every enabled
    /// racer's `weight_decay`.
    WeightDecaySlider,
    /// The optimizer family tree ([`FAMILY_TREE`]).
    FamilyTree,
    /// The "which optimizer should I use?" questions ([`DECISION_TREE`]).
    DecisionTree,
}

impl Scene {
    pub const ALL: [Scene; 16] = [
        Scene::LandscapeExplorer,
        Scene::MinibatchNoise,
        Scene::SgdVsMomentum,
        Scene::NesterovLookahead,
        Scene::AdagradVsRmsprop,
        Scene::AdamInternals,
        Scene::BiasCorrection,
        Scene::AdamwVsL2,
        Scene::Schedules,
        Scene::SaddleEscape,
        Scene::RavineZigzag,
        Scene::RosenbrockValley,
        Scene::BealeCanyon,
        Scene::GrandRace,
        Scene::FamilyTree,
        Scene::DecisionTree,
    ];

    /// The public name (`?scene=<slug>`, `data-scene="<slug>"`).
    pub fn slug(self) -> &'static str {
        match self {
            Scene::LandscapeExplorer => "landscape-explorer",
            Scene::MinibatchNoise => "minibatch-noise",
            Scene::SgdVsMomentum => "sgd-vs-momentum",
            Scene::NesterovLookahead => "nesterov-lookahead",
            Scene::AdagradVsRmsprop => "adagrad-vs-rmsprop",
            Scene::AdamInternals => "adam-internals",
            Scene::BiasCorrection => "bias-correction",
            Scene::AdamwVsL2 => "adamw-vs-l2",
            Scene::Schedules => "schedules",
            Scene::SaddleEscape => "saddle-escape",
            Scene::RavineZigzag => "ravine-zigzag",
            Scene::RosenbrockValley => "rosenbrock-valley",
            Scene::BealeCanyon => "beale-canyon",
            Scene::GrandRace => "grand-race",
            Scene::FamilyTree => "family-tree",
            Scene::DecisionTree => "decision-tree",
        }
    }

    pub fn from_slug(s: &str) -> Option<Scene> {
        Scene::ALL.into_iter().find(|sc| sc.slug() == s)
    }

    /// The lesson's title.
    pub fn title(self) -> &'static str {
        match self {
            Scene::LandscapeExplorer => "Rolling downhill, and three ways to fail",
            Scene::MinibatchNoise => "Full-batch against mini-batch gradients",
            Scene::SgdVsMomentum => "SGD against momentum in a ravine",
            Scene::NesterovLookahead => "Nesterov looks ahead",
            Scene::AdagradVsRmsprop => "AdaGrad's shrinking rate against RMSProp's",
            Scene::AdamInternals => "Inside Adam: the two moments",
            Scene::BiasCorrection => "Why Adam corrects its bias",
            Scene::AdamwVsL2 => "AdamW's decoupled decay against Adam + L2",
            Scene::Schedules => "Learning-rate schedules",
            Scene::SaddleEscape => "Who escapes the saddle first",
            Scene::RavineZigzag => "Zig-zag in the ravine, and the rotated ravine",
            Scene::RosenbrockValley => "The Rosenbrock banana valley",
            Scene::BealeCanyon => "Beale's flat plateau",
            Scene::GrandRace => "The grand race",
            Scene::FamilyTree => "The optimizer family tree",
            Scene::DecisionTree => "Which optimizer should I use?",
        }
    }

    /// The lesson: two or three plain sentences (checked by the tests below).
    pub fn lesson(self) -> &'static str {
        match self {
            Scene::LandscapeExplorer => {
                "One SGD ball steps against the slope, lr times the gradient each step. \
                 Too small a rate crawls; on the bowl a rate above 1 overshoots further at \
                 every step and diverges; and on the saddle a ball dropped exactly on the \
                 ridge (y = 0) rolls into the flat saddle point and stops there."
            }
            Scene::MinibatchNoise => {
                "A mini-batch gradient is the mean over a few randomly drawn data points, \
                 so it scatters around the full-batch gradient (the mean over all 256); \
                 bigger batches scatter less, roughly as one over the square root of the \
                 batch size. SGD on mini-batches still heads for the least-squares fit, but \
                 it keeps jittering around it instead of settling."
            }
            Scene::SgdVsMomentum => {
                "With a rate large enough to make progress along the gentle x direction, \
                 plain SGD overshoots across the steep y direction and bounces from wall to \
                 wall. Momentum adds up past steps: the back-and-forth parts cancel while \
                 the steady pull along the valley builds up, so at the same rate it arrives \
                 in a fraction of the steps. Too much momentum (β near 1) swings around the \
                 minimum for a long time instead: try the slider."
            }
            Scene::NesterovLookahead => {
                "Nesterov adds μ times the freshly updated momentum to the gradient, which \
                 amounts to judging the step from a point one momentum step ahead (the ghost). \
                 Near the minimum that lets it brake before it overshoots, so it swings less \
                 and settles sooner than plain momentum at the same rate."
            }
            Scene::AdagradVsRmsprop => {
                "AdaGrad divides by the root of the sum of all squared gradients so far, so \
                 its effective learning rate only ever shrinks and it slows down the longer \
                 it runs. RMSProp divides by a running average instead, which forgets old \
                 gradients, so with noisy gradients its effective rate levels off."
            }
            Scene::AdamInternals => {
                "Adam keeps m, a running average of the gradients (β₁), and v, a running \
                 average of their squares (β₂). Its step is lr·m̂/(√v̂ + ε) per coordinate: \
                 about lr in size whatever the gradient's scale, smaller where the gradient's \
                 sign keeps changing."
            }
            Scene::BiasCorrection => {
                "m and v start at zero, so for their first steps they are too small: by the \
                 factors 1 − β₁ᵗ and 1 − β₂ᵗ, and v stays too small far longer (β₂ = 0.999). \
                 Without the correction Adam's first step would be (1 − β₁)/√(1 − β₂) ≈ 3.2 \
                 times too large; dividing by those factors makes it lr per coordinate."
            }
            Scene::AdamwVsL2 => {
                "Adam's weight_decay adds λθ to the gradient, so the decay is rescaled by \
                 √v like the rest, and the run settles where the gradient of f + ½λ‖θ‖² \
                 vanishes, pulled toward the origin. AdamW shrinks θ by lr·λ outside the \
                 adaptive step, so the two end at visibly different points for the same λ."
            }
            Scene::Schedules => {
                "A schedule scales every racer's learning rate along a curve: a short warm-up \
                 starts with small steps, and the decay at the end shrinks the steps. With \
                 mini-batch gradients that decay is what lets the racers settle close to the \
                 least-squares fit instead of jittering around it."
            }
            Scene::SaddleEscape => {
                "Just off the ridge the slope across it is tiny, so plain SGD needs over 200 \
                 steps before its small offset grows, and momentum, which builds up speed, \
                 about 50; AdaGrad, RMSProp and Adam divide by the gradient's size, turn the \
                 tiny slope into full-size steps and leave first. AdaDelta's first steps are \
                 about √ε/√(v + ε)·g, a few thousandths along x, so it barely moves toward \
                 the saddle point and drifts off sideways long before reaching it."
            }
            Scene::RavineZigzag => {
                "In the ravine SGD's step across the steep y direction overshoots, so y flips \
                 sign at every step; Adam and RMSProp rescale each axis by its own gradient \
                 size and go down without the zig-zag. Turn the ravine by 30° (beside) and \
                 the steep direction mixes both axes: a per-axis rescaling no longer fits it \
                 and they take far longer, while Shampoo's full 2×2 preconditioner learns the \
                 tilt and is as quick as before."
            }
            Scene::RosenbrockValley => {
                "Rosenbrock's minimum at (1, 1) lies at the end of a long, curved, nearly \
                 flat valley. Reaching the valley floor is quick; following its bend is slow, \
                 because the steep walls force small steps while the floor barely slopes."
            }
            Scene::BealeCanyon => {
                "From (0.5, −1.5) Beale's landscape is a wide, nearly flat plateau ending in a \
                 flat valley. SGD's steps are proportional to the small gradient, so it crawls \
                 (after 300 steps its loss is still above 3), and momentum gathers speed but \
                 needs over 1,000 steps to creep down the valley; Adam divides by the \
                 gradient's size, keeps full-size steps and arrives in under 300."
            }
            Scene::GrandRace => {
                "All fourteen optimizers, each with the landscape's tuned learning rate. No \
                 method wins everywhere: switch the landscape and watch the ranking change."
            }
            Scene::FamilyTree => {
                "Every optimizer here is SGD plus one or two ideas: momentum (remember past \
                 steps), per-coordinate scaling (divide by the gradient's typical size), or a \
                 change of geometry (sign, trust ratio, orthogonalisation, a full \
                 preconditioner). Click a node for its idea, its rule and a race."
            }
            Scene::DecisionTree => {
                "There is no best optimizer, only good defaults for a situation. Answer a few \
                 questions to get a starting point, then open the race it suggests and check \
                 it on a landscape."
            }
        }
    }

    /// The special widget the page shows, if any.
    pub fn widget(self) -> Option<Widget> {
        Some(match self {
            Scene::LandscapeExplorer => Widget::LandscapeExplorer,
            Scene::MinibatchNoise => Widget::MinibatchArrows,
            Scene::SgdVsMomentum => Widget::SplitRacers { slider: "momentum" },
            Scene::NesterovLookahead => Widget::LookaheadGhost,
            Scene::AdagradVsRmsprop => Widget::EffLrHistory,
            Scene::AdamInternals => Widget::Inspector,
            Scene::BiasCorrection => Widget::BiasGhost,
            Scene::AdamwVsL2 => Widget::WeightDecaySlider,
            Scene::Schedules => Widget::ScheduleExplorer,
            Scene::RavineZigzag => Widget::Beside(Landscape::RotatedRavine),
            Scene::FamilyTree => Widget::FamilyTree,
            Scene::DecisionTree => Widget::DecisionTree,
            Scene::SaddleEscape
            | Scene::RosenbrockValley
            | Scene::BealeCanyon
            | Scene::GrandRace => return None,
        })
    }

    /// Landscapes the page offers as quick switches in this scene (empty: the
    /// scene's own only; the full picker stays available unless hidden).
    pub fn landscapes(self) -> &'static [Landscape] {
        match self {
            Scene::LandscapeExplorer => &[Landscape::Bowl, Landscape::Ravine, Landscape::Saddle],
            Scene::GrandRace => &Landscape::ALL,
            _ => &[],
        }
    }

    /// The scene's landscape.
    pub fn landscape(self) -> Landscape {
        match self {
            Scene::LandscapeExplorer | Scene::NesterovLookahead => Landscape::Bowl,
            Scene::MinibatchNoise | Scene::Schedules | Scene::AdamwVsL2 => Landscape::Regression,
            Scene::SgdVsMomentum | Scene::AdagradVsRmsprop | Scene::RavineZigzag => {
                Landscape::Ravine
            }
            Scene::SaddleEscape => Landscape::Saddle,
            Scene::RosenbrockValley | Scene::AdamInternals | Scene::BiasCorrection => {
                Landscape::Rosenbrock
            }
            Scene::BealeCanyon | Scene::GrandRace | Scene::FamilyTree | Scene::DecisionTree => {
                Landscape::Beale
            }
        }
    }

    /// Everything the scene sets: its landscape's preset, then the scene's own
    /// racers, rates and settings; `scene` names the scene.
    pub fn scenario(self) -> Scenario {
        let mut s = Scenario::preset(self.landscape());
        s.scene = Some(self);
        let set = |s: &mut Scenario, k: OptimizerKind, name: &str, v: f64| {
            // The values below are valid (the tests build every scene).
            let _ = s.hyper_mut(k).set(name, v);
        };
        match self {
            Scene::LandscapeExplorer => {
                s.enabled = vec![Sgd];
                s.focus = Some(Sgd);
                s.max_steps = 300;
                s.hide = vec![Panel::Racers, Panel::Inspector, Panel::Schedule];
            }
            Scene::MinibatchNoise => {
                s.enabled = vec![Sgd];
                s.focus = Some(Sgd);
                s.batch = 16;
                s.seed = 1;
                s.max_steps = 500;
                s.hide = vec![Panel::Inspector, Panel::Schedule];
            }
            Scene::SgdVsMomentum => {
                s.enabled = vec![Sgd, Momentum];
                s.focus = Some(Momentum);
                set(&mut s, Momentum, "lr", 0.45);
                set(&mut s, Momentum, "momentum", 0.5);
                s.max_steps = 500;
                s.hide = vec![Panel::Inspector, Panel::Schedule];
            }
            Scene::NesterovLookahead => {
                s.enabled = vec![Momentum, Nesterov];
                s.focus = Some(Nesterov);
                set(&mut s, Momentum, "lr", 0.05);
                set(&mut s, Nesterov, "lr", 0.05);
                s.start = Vec2::new(-3.0, 2.0);
                s.max_steps = 300;
                s.hide = vec![Panel::Schedule];
            }
            Scene::AdagradVsRmsprop => {
                s.enabled = vec![Adagrad, Rmsprop];
                s.focus = Some(Rmsprop);
                s.noise = 0.5;
                s.seed = 1;
                s.hide = vec![Panel::Inspector, Panel::Schedule];
            }
            Scene::AdamInternals => {
                s.enabled = vec![Adam];
                s.focus = Some(Adam);
                s.max_steps = 1000;
                s.hide = vec![Panel::Schedule];
            }
            Scene::BiasCorrection => {
                s.enabled = vec![Adam];
                s.focus = Some(Adam);
                s.lens.ghost = true;
                s.max_steps = 1000;
                s.hide = vec![Panel::Schedule];
            }
            Scene::AdamwVsL2 => {
                s.enabled = vec![Adam, Adamw];
                s.focus = Some(Adamw);
                set(&mut s, Adam, "weight_decay", 0.5);
                set(&mut s, Adamw, "weight_decay", 0.5);
                s.hide = vec![Panel::Schedule];
            }
            Scene::Schedules => {
                s.enabled = vec![Sgd, Momentum, Adam];
                s.focus = Some(Adam);
                s.batch = 8;
                s.seed = 1;
                s.max_steps = 1000;
                let mut sched = Schedule::new(ScheduleKind::WarmupCosine);
                let _ = sched.set("warmup_iters", 50.0);
                let _ = sched.set("T_max", 950.0);
                s.schedule = sched;
                s.hide = vec![Panel::Inspector];
            }
            Scene::SaddleEscape => {
                s.enabled = vec![Sgd, Momentum, Adagrad, Rmsprop, Adadelta, Adam, Lion];
                s.max_steps = 500;
                s.hide = vec![Panel::Schedule];
            }
            Scene::RavineZigzag => {
                s.enabled = vec![Sgd, Rmsprop, Adam, Shampoo];
                s.focus = Some(Adam);
                s.max_steps = 1000;
                s.hide = vec![Panel::Schedule];
            }
            Scene::RosenbrockValley => {
                s.enabled = vec![Sgd, Momentum, Rmsprop, Adam, Nadam, Shampoo];
                s.hide = vec![Panel::Schedule];
            }
            Scene::BealeCanyon => {
                s.enabled = vec![Sgd, Momentum, Adam];
                s.focus = Some(Adam);
                s.hide = vec![Panel::Schedule];
            }
            Scene::GrandRace => {}
            Scene::FamilyTree | Scene::DecisionTree => {
                s.hide = vec![Panel::Inspector, Panel::Schedule, Panel::EffectiveLr];
            }
        }
        s
    }

    /// The scene's link (`scene=<slug>`, without `?`).
    pub fn query(self) -> String {
        self.scenario().to_query()
    }
}

/// One node of the optimizer family tree.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FamilyNode {
    pub kind: OptimizerKind,
    /// The optimizer it builds on (`None`: the root, SGD).
    pub parent: Option<OptimizerKind>,
    /// Its key idea in one sentence.
    pub idea: &'static str,
}

/// The family tree: the 14 optimizers, each with the one it builds on and
/// what it adds. (The rule itself: the formulas panel; a race link:
/// [`race_query`] with the node's kind.)
pub const FAMILY_TREE: [FamilyNode; 14] = [
    FamilyNode {
        kind: Sgd,
        parent: None,
        idea: "Step against the gradient, lr times its size.",
    },
    FamilyNode {
        kind: Momentum,
        parent: Some(Sgd),
        idea: "Keep a running sum of past gradients and step along it, so steady \
               directions speed up and oscillations cancel.",
    },
    FamilyNode {
        kind: Nesterov,
        parent: Some(Momentum),
        idea: "Add the momentum once more to the gradient, as if looking one step ahead, \
               so it brakes before overshooting.",
    },
    FamilyNode {
        kind: Adagrad,
        parent: Some(Sgd),
        idea: "Divide each coordinate by the root of its summed squared gradients, so \
               rarely-moving coordinates get larger steps.",
    },
    FamilyNode {
        kind: Rmsprop,
        parent: Some(Adagrad),
        idea: "Replace AdaGrad's ever-growing sum by a running average, so the rate \
               stops shrinking.",
    },
    FamilyNode {
        kind: Adadelta,
        parent: Some(Adagrad),
        idea: "Replace AdaGrad's sum by running averages and scale each step by the \
               running size of past steps, so the units match and lr can stay 1.",
    },
    FamilyNode {
        kind: Adam,
        parent: Some(Rmsprop),
        idea: "RMSProp's scaling applied to a momentum average, with both averages \
               corrected for starting at zero.",
    },
    FamilyNode {
        kind: Amsgrad,
        parent: Some(Adam),
        idea: "Divide by the largest second moment seen so far, so the step size can \
               never grow back.",
    },
    FamilyNode {
        kind: Adamw,
        parent: Some(Adam),
        idea: "Apply weight decay directly to the weights instead of through the \
               gradient, so the adaptive scaling does not distort it.",
    },
    FamilyNode {
        kind: Nadam,
        parent: Some(Adam),
        idea: "Adam with Nesterov's look-ahead on the momentum term.",
    },
    FamilyNode {
        kind: Lion,
        parent: Some(Momentum),
        idea: "Step by the sign of a blend of gradient and momentum: every coordinate \
               moves by exactly lr.",
    },
    FamilyNode {
        kind: Lamb,
        parent: Some(Adam),
        idea: "Rescale Adam's step by a trust ratio, the weights' norm over the step's \
               norm, so each layer moves in proportion to its size.",
    },
    FamilyNode {
        kind: Muon,
        parent: Some(Momentum),
        idea: "Orthogonalise the momentum matrix with Newton–Schulz iterations; for a \
               vector that is a normalised momentum step.",
    },
    FamilyNode {
        kind: Shampoo,
        parent: Some(Adagrad),
        idea: "AdaGrad with a full matrix: divide by the root of the summed gradient \
               outer products, so it also fits tilted valleys.",
    },
];

/// The children of `kind` in the family tree, in tree order.
pub fn family_children(kind: OptimizerKind) -> impl Iterator<Item = &'static FamilyNode> {
    FAMILY_TREE.iter().filter(move |n| n.parent == Some(kind))
}

/// The family-tree node of `kind`.
pub fn family_node(kind: OptimizerKind) -> &'static FamilyNode {
    // FAMILY_TREE is in OptimizerKind::ALL order (checked by a test).
    &FAMILY_TREE[kind as usize]
}

/// A race link for one optimizer: it alone on `landscape`, with the preset's rate.
pub fn race_query(kind: OptimizerKind, landscape: Landscape) -> String {
    let mut s = Scenario::preset(landscape);
    s.enabled = vec![kind];
    s.focus = Some(kind);
    s.to_query()
}

/// Where an answer of the decision tree leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Another question: an index into [`DECISION_TREE`].
    Question(usize),
    /// A scene.
    Scene(Scene),
    /// A configured race, as a query string (without `?`), with a one-line
    /// recommendation.
    Race {
        advice: &'static str,
        query: &'static str,
    },
}

/// One answer of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    pub text: &'static str,
    pub next: Next,
}

/// One question of the decision tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub text: &'static str,
    pub answers: &'static [Answer],
}

/// "Which optimizer should I use?": start at question 0; every answer leads to
/// another question, a scene or a configured race.
pub const DECISION_TREE: &[Question] = &[
    // 0
    Question {
        text: "What are you training?",
        answers: &[
            Answer {
                text: "A large model (transformer, big network) in mini-batches",
                next: Next::Question(1),
            },
            Answer {
                text: "A small or classic model, or a convex problem",
                next: Next::Question(2),
            },
            Answer {
                text: "I just want to see them all",
                next: Next::Scene(Scene::GrandRace),
            },
        ],
    },
    // 1
    Question {
        text: "Do you use weight decay (regularisation)?",
        answers: &[
            Answer {
                text: "Yes",
                next: Next::Race {
                    advice: "AdamW: Adam with decoupled decay, the usual default for \
                             large models; warm up, then decay the rate.",
                    query: "scene=adamw-vs-l2",
                },
            },
            Answer {
                text: "No, and memory is tight",
                next: Next::Race {
                    advice: "Lion keeps one buffer instead of Adam's two; use a rate \
                             3 to 10 times smaller than Adam's.",
                    query: "l=rosenbrock&o=adam,lion&focus=lion",
                },
            },
            Answer {
                text: "No, and batches are very large",
                next: Next::Race {
                    advice: "LAMB's trust ratio keeps huge-batch steps in proportion \
                             to the weights.",
                    query: "l=rosenbrock&o=adam,lamb&focus=lamb",
                },
            },
        ],
    },
    // 2
    Question {
        text: "Is the problem badly scaled (some directions far steeper than others)?",
        answers: &[
            Answer {
                text: "Yes, along the coordinate axes",
                next: Next::Scene(Scene::RavineZigzag),
            },
            Answer {
                text: "Yes, along tilted directions",
                next: Next::Race {
                    advice: "A full preconditioner (Shampoo) fits tilted valleys that \
                             per-coordinate methods cannot.",
                    query: "l=rotated_ravine&o=sgd,adam,shampoo&focus=shampoo",
                },
            },
            Answer {
                text: "No, or I don't know",
                next: Next::Question(3),
            },
        ],
    },
    // 3
    Question {
        text: "Do you want the fewest knobs to tune?",
        answers: &[
            Answer {
                text: "Yes",
                next: Next::Race {
                    advice: "Adam with its defaults is a robust first try; only the \
                             rate usually needs tuning.",
                    query: "l=bowl&o=adam&focus=adam",
                },
            },
            Answer {
                text: "No, I will tune the rate and a schedule",
                next: Next::Race {
                    advice: "SGD with Nesterov momentum and a decaying schedule often \
                             generalises best when tuned.",
                    query: "l=ravine&o=momentum,nesterov&sched=cosine_annealing_lr\
                            &sched.T_max=2000",
                },
            },
        ],
    },
];

#[cfg(test)]
mod tests;
