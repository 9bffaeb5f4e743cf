use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The content width of `node`, kept current by a ResizeObserver (which
/// reports after layout, without forcing a synchronous layout from script).
/// Starts at `initial` until the first report.
pub fn observe_width(node: NodeRef<html::Div>, initial: f64) -> RwSignal<f64> {
    let width = RwSignal::new(initial);
    crate::reactive::effect(move || {
        let Some(el) = node.get() else { return };
        let cb = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
                let w = entry.content_rect().width();
                if w > 0.0 && (w - width.get_untracked()).abs() > 0.5 {
                    width.set(w);
                }
            }
        });
        if let Ok(ro) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            ro.observe(&el);
            // Single-threaded wasm: the wrapper only satisfies on_cleanup's bound.
            let held = send_wrapper::SendWrapper::new((ro, cb));
            on_cleanup(move || {
                let (ro, cb) = held.take();
                ro.disconnect();
                drop(cb);
            });
        }
    });
    width
}
