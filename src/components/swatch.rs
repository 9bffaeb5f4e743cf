use crate::render::style::{marker_is_open, marker_svg_path, style};
use crate::state::app_state;
use downhill_core::OptimizerKind;
use leptos::prelude::*;

/// A racer's legend mark: its marker shape in its colour, over its dash.
#[component]
pub fn Swatch(kind: OptimizerKind) -> impl IntoView {
    let state = app_state();
    let st = style(kind);
    let color = move || st.color(state.dark.get());
    let open = marker_is_open(st.marker);
    let dash = st
        .dash
        .iter()
        .map(|&d| crate::format::plain(d))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="swatch" viewBox="0 0 30 12" width="30" height="12" aria-hidden="true">
            <line x1="0" y1="6" x2="30" y2="6" stroke=color stroke-width="2" stroke-dasharray=dash />
            <path
                transform="translate(9,0)"
                d=marker_svg_path(st.marker)
                fill=move || if open { "none".to_string() } else if st.filled { color().to_string() } else { "var(--bg)".to_string() }
                stroke=color
                stroke-width=if open { "2.2" } else { "1.6" }
            />
        </svg>
    }
}
