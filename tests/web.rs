//! Browser tests: `cargo xtask test` runs them in headless Chromium through
//! wasm-bindgen-test-runner and chromedriver (see webdriver.json).

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn runs_in_a_browser_with_every_landscape() {
    assert!(web_sys::window().is_some(), "no window: not in a browser");
    assert_eq!(downhill_core::Landscape::ALL.len(), 6);
}
