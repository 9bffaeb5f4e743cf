use super::handler;
use crate::state::app_state;
use leptos::prelude::*;

/// What the URL asked for that was ignored or changed. Text only: nothing from
/// the URL is ever inserted as HTML.
#[component]
pub fn UrlNotice() -> impl IntoView {
    let state = app_state();
    view! {
        {crate::reactive::show(move || state.notes.with(|n| !n.is_empty()), move || view! {
            <div class="notice" role="status" data-testid="url-notice">
                <strong>"Part of this link could not be used; the page shows the nearest valid setup."</strong>
                <ul>
                    {move || state.notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
                <button type="button" on:click=handler(move |_| state.notes.set(Vec::new()))>"Dismiss"</button>
            </div>
        }.into_any())}
    }
}
