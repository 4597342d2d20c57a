//! wasm-bindgen-test in a browser page. Run with `./build.sh test` (it starts the simulator).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "web/common.rs"]
mod common;
