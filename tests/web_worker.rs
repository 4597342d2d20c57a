//! wasm-bindgen-test inside a real service worker (no `window`), where the extension's
//! background runs. Run with `./build.sh test` (it starts the simulator).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_service_worker);

#[path = "web/common.rs"]
mod common;
