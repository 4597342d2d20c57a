//! Presence Switch core: everything about Microsoft Graph presence that can be decided without a
//! browser.
//!
//! - [`availability`]: the availability/activity pairs each endpoint accepts.
//! - [`duration`]: `Edm.Duration` parsing, friendly input and canonical encoding.
//! - [`cloud`]: national clouds, their Graph and login hosts, and scopes.
//! - [`request`]: validated Graph requests as plain data.
//! - [`response`]: Graph responses and errors interpreted into a next step.
//! - [`value`]: the JSON-like tree the bindings read inputs into and write results from.
//! - [`meeting`]: which pages are meetings, and the meeting auto-set state machine.
//! - `bindings` (wasm32 only): the one module that talks to JavaScript.
//!
//! Everything outside `bindings` is pure and tested natively with `cargo test`.

pub mod availability;
pub mod cloud;
pub mod duration;
pub mod error;
pub mod meeting;
pub mod request;
pub mod response;
pub mod value;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use error::PresenceError;

/// A free-list allocator: ~1 KB of wasm where Rust's default dlmalloc is ~8 KB. The core makes
/// a few small, short-lived allocations per call, which is what it is good at.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
