//! Scenes: a lesson of the course above the race (title, lesson, the scene's
//! own controls), the gallery of every scene, and the two scenes that are not
//! races: the optimizer family tree and "which optimizer should I use?".
//! A scene is nothing but a URL; everything here reads `scenario.scene`.

use super::handler;
use super::racer_panel::HyperControl;
use crate::state::{app_state, AppState};
use crate::url::link;
use downhill_core::decimal::parse_f64;
use downhill_core::scene::{
    family_children, family_node, race_query, Next, Scene, Widget, DECISION_TREE, FAMILY_TREE,
};
use downhill_core::schedule::ScheduleKind;
use downhill_core::{Landscape, OptimizerKind};
use leptos::prelude::*;

/// The scene shown, if any.
fn scene(state: AppState) -> Option<Scene> {
    state.settings.with(|s| s.scene)
}

/// The lesson above the race: title, the lesson itself, and the scene's
/// quick controls (`data-testid="scene-lesson"`).
#[component]
pub fn SceneHeader() -> impl IntoView {
    let state = app_state();
    // Rebuilt only when the scene itself changes: a slider inside it must
    // survive the settings changes it makes.
    let current = crate::reactive::memo(move || scene(state));
    move || {
        let sc = current.get()?;
        Some(view! {
            <section class="panel scene-head" data-testid="scene-lesson">
                <p class="kicker small">"Scene · "<a href=link("gallery=1") data-testid="gallery-link">"all scenes"</a></p>
                <h2 data-testid="scene-title">{sc.title()}</h2>
                <p class="lesson">{sc.lesson()}</p>
                <SceneControls scene=sc />
            </section>
        })
    }
}

/// Quick landscape switches and the scene's widget controls.
#[component]
fn SceneControls(scene: Scene) -> impl IntoView {
    let state = app_state();
    let switches = (!scene.landscapes().is_empty()).then(|| {
        let buttons = scene
            .landscapes()
            .iter()
            .map(|&l| {
                view! {
                    <button type="button" class="chip"
                        class:active=move || state.settings.with(|s| s.landscape == l)
                        aria-pressed=move || state.settings.with(|s| s.landscape == l).to_string()
                        on:click=handler(move |_| {
                            state.update(|s| *s = s.with_landscape(l));
                            state.set_step(0);
                        })>{l.title()}</button>
                }
            })
            .collect_view();
        view! { <div class="scene-switches" role="group" aria-label="Landscape">{buttons}</div> }
    });
    let widget = match scene.widget() {
        Some(Widget::LandscapeExplorer) => Some(focus_slider("lr").into_any()),
        Some(Widget::SplitRacers { slider }) => Some(focus_slider(slider).into_any()),
        Some(Widget::WeightDecaySlider) => Some(view! { <WeightDecay /> }.into_any()),
        Some(Widget::MinibatchArrows) => Some(view! { <MinibatchControls /> }.into_any()),
        Some(Widget::ScheduleExplorer) => Some(view! { <ScheduleExplorer /> }.into_any()),
        _ => None,
    };
    view! { <div class="scene-controls">{switches}{widget}</div> }
}

/// A slider for one hyperparameter of the focused racer.
fn focus_slider(name: &'static str) -> impl IntoView {
    let state = app_state();
    // Rebuilt only when the focused racer changes, so a drag survives the
    // changes it makes.
    let focus = crate::reactive::memo(move || state.focus());
    move || {
        let kind = focus.get();
        let param = kind.params().iter().find(|p| p.name == name).copied()?;
        Some(view! {
            <div class="scene-slider">
                <span class="small">{kind.title()}</span>
                <HyperControl kind=kind param=param id=format!("scene-{name}") />
            </div>
        })
    }
}

/// λ for every enabled racer that has a weight decay: the same value on
/// Adam's coupled L2 and AdamW's decoupled decay.
#[component]
fn WeightDecay() -> impl IntoView {
    let state = app_state();
    let value = move || {
        state.scenario.with(|s| {
            s.enabled
                .iter()
                .find_map(|&k| {
                    s.hyper(k)
                        .param("weight_decay")
                        .ok()
                        .map(|_| s.hyper(k).get("weight_decay"))
                })
                .unwrap_or(0.0)
        })
    };
    view! {
        <label class="scene-slider">
            <span class="small">"λ (weight decay, every racer)"</span>
            <input type="range" min="0" max="1" step="0.01" data-testid="scene-weight-decay"
                prop:value=move || crate::format::plain(value())
                on:input=handler(move |ev| {
                    if let Some(v) = parse_f64(&event_target_value(&ev)) {
                        state.update(|s| {
                            for k in s.enabled.clone() {
                                let h = s.hyper_mut(k);
                                if h.param("weight_decay").is_ok() {
                                    let _ = h.set("weight_decay", v);
                                }
                            }
                        });
                    }
                }) />
            <span class="num">{move || crate::format::short(value())}</span>
        </label>
    }
}

/// Batch size and "resample" for the mini-batch arrows.
#[component]
fn MinibatchControls() -> impl IntoView {
    let state = app_state();
    view! {
        <label class="scene-slider">
            <span class="small">"batch size"</span>
            <input type="range" min="1" max=downhill_core::landscape::regression::N.to_string() step="1"
                data-testid="scene-batch"
                prop:value=move || state.settings.with(|s| s.batch.max(1)).to_string()
                on:input=handler(move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                        state.update(|s| s.batch = n);
                    }
                }) />
            <span class="num">{move || state.settings.with(|s| s.batch)}</span>
        </label>
        <button type="button" data-testid="scene-resample"
            on:click=handler(move |_| state.update(|s| s.seed = s.seed.wrapping_add(1)))>"Resample"</button>
        <label class="small lens-toggle">
            <input type="checkbox"
                prop:checked=move || state.settings.with(|s| s.batch == 0)
                on:change=handler(move |ev| {
                    let full = event_target_checked(&ev);
                    state.update(|s| s.batch = if full { 0 } else { 16 });
                }) />
            " race on the full batch"
        </label>
        <p class="small legend-line">
            "At the racer's point: "
            <span class="key" style:color=crate::render::lens::GRAD_INK>"━ the full-batch −∇f"</span>
            " and 40 mini-batch −∇f's "
            <span class="key" style:color=crate::render::lens::BATCH_INK>"━"</span>
            " of this batch size, all at one scale."
        </p>
    }
}

/// Sets a schedule parameter to the nearest valid value (a no-op for a name
/// the schedule does not have).
fn set_sched(s: &mut downhill_core::Schedule, name: &str, v: f64) {
    if let Ok(p) = s.param(name) {
        let _ = s.set(name, p.nearest_valid(v));
    }
}

/// The warm-up's share of the race for the schedules that have one.
fn warmup_share(s: &downhill_core::Schedule, total: u64) -> Option<f64> {
    let t = total.max(1) as f64;
    match s.kind() {
        ScheduleKind::WarmupCosine => Some(s.get("warmup_iters") / t),
        ScheduleKind::OneCycleLr => Some(s.get("pct_start")),
        ScheduleKind::LinearLr => Some(s.get("total_iters") / t),
        _ => None,
    }
}

/// Fits the schedule to a race of `total` steps with a warm-up of `share`:
/// the cosine ends at the race's end, one-cycle spans the race, and the
/// warm-up (or LinearLR's ramp) takes that share of it.
fn fit_schedule(s: &mut downhill_core::Schedule, total: u64, share: f64) {
    let t = total as f64;
    let warm = (share * t).round().max(1.0);
    match s.kind() {
        ScheduleKind::WarmupCosine => {
            set_sched(s, "warmup_iters", warm);
            set_sched(s, "T_max", (t - warm).max(1.0));
        }
        ScheduleKind::OneCycleLr => {
            set_sched(s, "total_steps", t);
            set_sched(s, "pct_start", share);
        }
        ScheduleKind::LinearLr => set_sched(s, "total_iters", warm),
        ScheduleKind::CosineAnnealingLr => set_sched(s, "T_max", t),
        ScheduleKind::StepLr => set_sched(s, "step_size", (t / 4.0).round().max(1.0)),
        ScheduleKind::ExponentialLr => {
            // 1 % of the rate left at the end of the race.
            set_sched(s, "gamma", 0.01f64.powf(1.0 / t.max(1.0)));
        }
        ScheduleKind::Constant => {}
    }
}

/// The schedule explorer: the kind, the race's length and the warm-up's
/// share, fitted to each other; the chart below shows the curve against its
/// peak and the race shows what it does.
#[component]
fn ScheduleExplorer() -> impl IntoView {
    let state = app_state();
    let total = move || state.settings.with(|s| s.max_steps);
    let share = move || {
        state
            .settings
            .with(|s| warmup_share(&s.schedule, s.max_steps))
    };
    let refit = move |s: &mut downhill_core::scenario::Scenario, share: f64| {
        let total = s.max_steps;
        fit_schedule(&mut s.schedule, total, share);
    };
    view! {
        <div class="schedule-explorer" data-testid="schedule-explorer">
            <label class="scene-slider">
                <span class="small">"schedule"</span>
                <select data-testid="explorer-kind"
                    prop:value=move || state.settings.with(|s| s.schedule.kind().slug())
                    on:change=handler(move |ev| {
                        if let Some(k) = ScheduleKind::from_slug(&event_target_value(&ev)) {
                            state.update(|s| {
                                let share = warmup_share(&s.schedule, s.max_steps).unwrap_or(0.05);
                                s.schedule = downhill_core::Schedule::new(k);
                                refit(s, share);
                            });
                        }
                    })>
                    {ScheduleKind::ALL.into_iter().map(|k| view! { <option value=k.slug()>{k.title()}</option> }).collect_view()}
                </select>
            </label>
            <label class="scene-slider">
                <span class="small">"total steps"</span>
                <input type="range" min="100" max="5000" step="100" data-testid="explorer-total"
                    prop:value=move || total().to_string()
                    on:input=handler(move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u64>() {
                            state.update(|s| {
                                let share = warmup_share(&s.schedule, s.max_steps).unwrap_or(0.05);
                                s.max_steps = n;
                                refit(s, share);
                            });
                        }
                    }) />
                <span class="num">{total}</span>
            </label>
            <label class="scene-slider">
                <span class="small">"warm-up"</span>
                <input type="range" min="0" max="0.5" step="0.01" data-testid="explorer-warmup"
                    disabled=move || share().is_none()
                    prop:value=move || crate::format::plain(share().unwrap_or(0.0))
                    on:input=handler(move |ev| {
                        if let Some(v) = parse_f64(&event_target_value(&ev)) {
                            state.update(|s| refit(s, v));
                        }
                    }) />
                <span class="num">{move || share().map(|v| format!("{} %", crate::format::fixed(v * 100.0, 0))).unwrap_or_else(|| "none".into())}</span>
            </label>
        </div>
    }
}

/// Every scene, with a thumbnail of its landscape and its lesson's first sentence.
#[component]
pub fn Gallery() -> impl IntoView {
    let cards = Scene::ALL
        .into_iter()
        .map(|sc| {
            let first = sc
                .lesson()
                .split_inclusive(". ")
                .next()
                .unwrap_or("")
                .trim();
            view! {
                <li class="card" data-testid=format!("gallery-{}", sc.slug())>
                    <a href=link(&format!("scene={}", sc.slug()))>
                        <super::thumbnail::Thumbnail scene=sc />
                        <strong>{sc.title()}</strong>
                    </a>
                    <p class="small">{first.to_string()}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="gallery" data-testid="gallery" aria-labelledby="gallery-title">
            <h2 id="gallery-title">"Scenes: the lessons, one link each"</h2>
            <p class="small">"Each scene is a configured race with a short lesson. Every scene is a link: copy it into your notes, or embed it with “Copy embed code”."</p>
            <ul class="cards">{cards}</ul>
        </section>
    }
}

/// The optimizer family tree: click a node for its key idea and a race.
#[component]
pub fn FamilyTreeView() -> impl IntoView {
    let chosen = RwSignal::new(OptimizerKind::Adam);
    fn branch(kind: OptimizerKind, chosen: RwSignal<OptimizerKind>) -> AnyView {
        let children: Vec<OptimizerKind> = family_children(kind).map(|n| n.kind).collect();
        let sub = (!children.is_empty()).then(|| {
            view! { <ul>{children.into_iter().map(|k| branch(k, chosen)).collect_view()}</ul> }
        });
        view! {
            <li>
                <button type="button" class="node" data-testid=format!("family-{}", kind.slug())
                    class:active=move || chosen.get() == kind
                    aria-pressed=move || (chosen.get() == kind).to_string()
                    on:click=handler(move |_| chosen.set(kind))>{kind.title()}</button>
                {sub}
            </li>
        }
        .into_any()
    }
    let roots: Vec<OptimizerKind> = FAMILY_TREE
        .iter()
        .filter(|n| n.parent.is_none())
        .map(|n| n.kind)
        .collect();
    view! {
        <section class="panel family" data-testid="family-tree" aria-label="The optimizer family tree">
            <ul class="tree">{roots.into_iter().map(|k| branch(k, chosen)).collect_view()}</ul>
            <div class="node-detail" data-testid="family-detail" data-racer=move || chosen.get().slug()>
                <h3>{move || chosen.get().title()}</h3>
                <p>{move || family_node(chosen.get()).idea}</p>
                <p class="small">{move || family_node(chosen.get()).parent.map(|p| format!("Builds on {}.", p.title()))}</p>
                <a class="button" data-testid="family-race"
                    href=move || link(&race_query(chosen.get(), Landscape::Rosenbrock))>
                    {move || format!("Race {} on Rosenbrock →", chosen.get().title())}</a>
                <super::formulas::RuleOf kind=Signal::derive(move || chosen.get()) />
            </div>
        </section>
    }
}

/// "Which optimizer should I use?": one question at a time; the last answer
/// opens a scene or a configured race.
#[component]
pub fn DecisionTreeView() -> impl IntoView {
    let path = RwSignal::new(vec![0usize]);
    let outcome = RwSignal::new(None::<Next>);
    let question = move || DECISION_TREE.get(*path.get().last().unwrap_or(&0));
    view! {
        <section class="panel decision" data-testid="decision-tree" aria-live="polite">
            {move || match outcome.get() {
                None => question().map(|q| view! {
                    <h3 data-testid="decision-question">{q.text}</h3>
                    <div class="answers">
                        {q.answers.iter().enumerate().map(|(i, a)| {
                            let next = a.next;
                            view! {
                                <button type="button" data-testid=format!("decision-answer-{i}")
                                    on:click=handler(move |_| match next {
                                        Next::Question(n) => path.update(|p| p.push(n)),
                                        other => outcome.set(Some(other)),
                                    })>{a.text}</button>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()),
                Some(Next::Scene(sc)) => Some(view! {
                    <h3>{sc.title()}</h3>
                    <p>{sc.lesson()}</p>
                    <a class="button" data-testid="decision-leaf" href=link(&format!("scene={}", sc.slug()))>"Open this scene →"</a>
                }.into_any()),
                Some(Next::Race { advice, query }) => Some(view! {
                    <h3>"Try this"</h3>
                    <p>{advice}</p>
                    <a class="button" data-testid="decision-leaf" href=link(query)>"Open the race →"</a>
                }.into_any()),
                Some(Next::Question(_)) => None,
            }}
            <button type="button" class="small-button" data-testid="decision-restart"
                on:click=handler(move |_| { path.set(vec![0]); outcome.set(None); })>"Start over"</button>
        </section>
    }
}
