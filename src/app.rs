use crate::components::controls::{LandscapePicker, TrainingControls};
use crate::components::export::Export;
use crate::components::formulas::Formulas;
use crate::components::inspector::Inspector;
use crate::components::instruments::{EffectiveLr, LossChart, ScheduleChart, Timeline};
use crate::components::landscape::LandscapeCanvas;
use crate::components::leaderboard::Leaderboard;
use crate::components::mini::{MiniCanvas, Source};
use crate::components::notice::UrlNotice;
use crate::components::racer_panel::RacerPanels;
use crate::components::scene::{DecisionTreeView, FamilyTreeView, Gallery, SceneHeader};
use crate::components::share::Share;
use crate::components::transport::Transport;
use crate::reactive::show;
use crate::state::AppState;
use crate::{raf, url};
use downhill_core::scenario::{Panel, Scenario};
use downhill_core::scene::Widget;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Follows the system's dark-mode preference, live.
fn follow_color_scheme(state: AppState) {
    follow_media("(prefers-color-scheme: dark)", move |on| state.dark.set(on));
}

/// Calls `set` with whether the media query matches, now and at each change.
fn follow_media(query: &str, set: impl Fn(bool) + 'static) {
    let Some(mql) = web_sys::window().and_then(|w| w.match_media(query).ok().flatten()) else {
        return;
    };
    set(mql.matches());
    let cb = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
        move |e: web_sys::MediaQueryListEvent| set(e.matches()),
    );
    let _ = mql.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
    // The page lives as long as the listener: leak it deliberately, once.
    cb.forget();
}

/// The width under which the page is one column (as `@media (max-width:
/// 860px)` in main.css).
const ONE_COLUMN: &str = "(max-width: 860px)";

/// The leaderboard's focusable controls (sort, each racer's switch, the
/// chips of the racers switched off), in the page's order.
fn board_controls() -> Option<web_sys::NodeList> {
    web_sys::window()?
        .document()?
        .query_selector_all(".leaderboard input, .leaderboard button")
        .ok()
}

/// Which of the board's controls has the keyboard focus, if one does.
fn board_focus() -> Option<u32> {
    let active = web_sys::window()?.document()?.active_element()?;
    let controls = board_controls()?;
    (0..controls.length()).find(|&i| {
        controls
            .get(i)
            .is_some_and(|n| n.is_same_node(Some(active.unchecked_ref())))
    })
}

/// Gives the keyboard focus to the board's `i`-th control.
fn focus_board_control(i: u32) {
    if let Some(el) = board_controls()
        .and_then(|c| c.get(i))
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Space play/pause, → one step, R reset — unless typing in a field.
fn keyboard(state: AppState) {
    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.tag_name().to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(tag.as_str(), "input" | "select" | "textarea") {
            return;
        }
        match e.key().as_str() {
            " " if tag != "button" && tag != "summary" && tag != "a" => {
                e.prevent_default();
                state.toggle_play();
            }
            "ArrowRight" => {
                e.prevent_default();
                state.step_once();
            }
            "r" | "R" => state.reset(),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}

/// Sets `state.shown` once the page's first frame is painted: a timeout
/// posted from that frame's animation callback runs after the paint.
fn mark_shown(state: AppState) {
    request_animation_frame(move || {
        set_timeout(move || state.shown.set(true), std::time::Duration::ZERO);
    });
}

#[component]
pub fn App() -> impl IntoView {
    let (scenario, notes) = Scenario::from_query(&url::read_query());
    let state = AppState::new(scenario, notes);
    provide_context(state);
    follow_color_scheme(state);
    keyboard(state);
    url::sync_address_bar(state);
    raf::drive(state);
    mark_shown(state);

    // One column (phones): the leaderboard comes right under the race and
    // its controls, in the page's order as on screen, so that keyboards and
    // screen readers meet it there too; in two columns it heads the side.
    // A keyboard user inside the board keeps their place when it moves (a
    // phone turned sideways): both placements render the same controls in
    // the same order, so the n-th control of the new board gets the focus.
    let one_column = RwSignal::new(false);
    follow_media(ONE_COLUMN, move |on| {
        let focused = board_focus();
        one_column.set(on);
        if let Some(i) = focused {
            request_animation_frame(move || focus_board_control(i));
        }
    });
    let by_loss = RwSignal::new(true);
    let embed = move || state.settings.with(|s| s.embed);
    let shown = move |p: Panel| move || !state.settings.with(|s| s.is_hidden(p));
    let board_in =
        move |stage: bool| move || one_column.get() == stage && shown(Panel::Leaderboard)();
    let open_link = move || {
        state.scenario.track();
        let q = state.query();
        let q: String = q
            .split('&')
            .filter(|kv| !kv.starts_with("embed=") && !kv.starts_with("hide="))
            .collect::<Vec<_>>()
            .join("&");
        url::link(&q)
    };
    // Memos, so that the views below are rebuilt only when the scene's widget
    // (or the racers it splits) changes, not on every settings change.
    let widget =
        crate::reactive::memo(move || state.scenario.with(|s| s.scene.and_then(|sc| sc.widget())));
    let widget = move || widget.get();
    let split = crate::reactive::memo(move || match widget() {
        Some(Widget::SplitRacers { .. }) => state.enabled.get(),
        _ => Vec::new(),
    });
    let gallery = crate::reactive::memo(move || state.scenario.with(|s| s.gallery));
    let gallery = move || gallery.get();
    // Scenes that compare draw small landscapes under the main one.
    let compare = move || match widget() {
        Some(Widget::SplitRacers { .. }) => Some(
            split
                .get()
                .into_iter()
                .map(|k| view! { <MiniCanvas source=Source::Main(k) /> })
                .collect_view()
                .into_any(),
        ),
        Some(Widget::Beside(l)) => {
            Some(view! { <MiniCanvas source=Source::Elsewhere(l) /> }.into_any())
        }
        _ => None,
    };
    view! {
        <div class="app" class:embed=embed class:dark=move || state.dark.get()
            data-scene=move || state.settings.with(|s| s.scene.map(|sc| sc.slug()))>
            {show(move || !embed(), move || view! {
                <header class="top">
                    <div class="brand">
                        <h1>"Downhill"</h1>
                        <p class="tagline">"Every gradient-descent optimizer, racing down the same landscape, each with its exact update rule."</p>
                    </div>
                    <nav class="scenes-nav"><a href=url::link("gallery=1") data-testid="scenes-menu">"Scenes"</a></nav>
                    <LandscapePicker />
                    {show(shown(Panel::Share), move || view! { <Share /> }.into_any())}
                </header>
            }.into_any())}
            <UrlNotice />
            {show(gallery, move || view! { <Gallery /> }.into_any())}
            <SceneHeader />
            {move || match widget() {
                Some(Widget::FamilyTree) => Some(view! { <FamilyTreeView /> }.into_any()),
                Some(Widget::DecisionTree) => Some(view! { <DecisionTreeView /> }.into_any()),
                _ => None,
            }}
            <main class="layout" class:hidden=gallery>
                <section class="stage" aria-label="The race">
                    {show(embed, move || view! {
                        <div class="embed-bar">
                            <LandscapePicker />
                            <a class="open-in" href=open_link target="_blank" rel="noopener">"Open in Downhill ↗"</a>
                        </div>
                    }.into_any())}
                    <LandscapeCanvas />
                    <div class="minis">{compare}</div>
                    {show(shown(Panel::Transport), move || view! { <Transport /><Timeline /> }.into_any())}
                    {show(board_in(true), move || view! { <Leaderboard by_loss /> }.into_any())}
                    <div class="instruments">
                        {show(shown(Panel::Loss), move || view! { <LossChart /> }.into_any())}
                        {show(shown(Panel::EffectiveLr), move || view! { <EffectiveLr /> }.into_any())}
                        {show(shown(Panel::Inspector), move || view! { <Inspector /> }.into_any())}
                        {show(shown(Panel::Formulas), move || view! { <Formulas /> }.into_any())}
                        {show(move || shown(Panel::Schedule)() && !embed(), move || view! { <ScheduleChart /> }.into_any())}
                    </div>
                </section>
                <aside class="side">
                    {show(board_in(false), move || view! { <Leaderboard by_loss /> }.into_any())}
                    {show(move || shown(Panel::Controls)() && !embed(), move || view! { <TrainingControls /> }.into_any())}
                    {show(move || shown(Panel::Racers)() && !embed(), move || view! { <RacerPanels /> }.into_any())}
                    {show(move || shown(Panel::Share)() && !embed(), move || view! { <Export /> }.into_any())}
                </aside>
            </main>
            {show(move || !embed(), move || view! {
                <footer class="foot">
                    <p>"Keys: Space play/pause · → one step · R reset. Every number is computed in your browser with PyTorch's update rules in f64; nothing is sent anywhere."</p>
                </footer>
            }.into_any())}
        </div>
    }
}
