// @ts-check
/**
 * The ONLY module that imports the wasm core (`pkg/presence_switch.js`, wasm-bindgen --target web).
 * Validation, request building, duration encoding and response interpretation all live in Rust;
 * this module only instantiates the core once per context and re-exports its functions.
 *
 * Module service workers cannot use top-level await (the worker would never register), so the
 * instantiation promise is exported and every caller awaits `ready` inside its handler. Pages
 * call `startCore()` first (the options page at once, the popup after its first paint).
 */
import init, * as core from "../pkg/presence_switch.js";

// The bundle lives at the extension root while the glue expects the .wasm next to itself, so the
// path is given explicitly (chrome.runtime.getURL works in the worker and in pages alike).
/**
 * Types of the core's API, re-exported so other modules never name ./pkg themselves.
 * @typedef {import("../pkg/presence_switch.js").RequestInput} RequestInput
 * @typedef {import("../pkg/presence_switch.js").CloudConfigInput} CloudConfigInput
 * @typedef {import("../pkg/presence_switch.js").CloudConfig} CloudConfig
 * @typedef {import("../pkg/presence_switch.js").Cloud} Cloud
 * @typedef {import("../pkg/presence_switch.js").GraphRequest} GraphRequest
 * @typedef {import("../pkg/presence_switch.js").MeetingMatch} MeetingMatch
 * @typedef {import("../pkg/presence_switch.js").MeetingState} MeetingState
 * @typedef {import("../pkg/presence_switch.js").MeetingEvent} MeetingEvent
 * @typedef {import("../pkg/presence_switch.js").MeetingEffect} MeetingEffect
 * @typedef {import("../pkg/presence_switch.js").CustomPattern} CustomPattern
 */

/** @type {(value?: undefined) => void} */
let begin = () => {};
const requested = new Promise((resolve) => {
  begin = resolve;
});

/**
 * Resolves once the core is instantiated. A worker starts that at import (every event needs the
 * core); a page starts it with `startCore()` when it chooses (the popup: after its first paint).
 */
export const ready = requested.then(() => init({ module_or_path: fetchWasm() }));

/** @type {Promise<Response> | null} */
let wasmResponse = null;

/** The .wasm request, started once; marked on arrival (ps:wasm-fetched, the bench's cold timeline). */
function fetchWasm() {
  if (!wasmResponse) {
    wasmResponse = fetch(chrome.runtime.getURL("pkg/presence_switch_bg.wasm"));
    wasmResponse.then(
      () => performance.mark("ps:wasm-fetched"),
      () => {}, // init() reports the failure
    );
  }
  return wasmResponse;
}

/** Starts instantiating the core (idempotent) and returns `ready`. */
export function startCore() {
  // The request goes out now, synchronously: in a worker this runs while the bundle is still
  // being evaluated, before any microtask (and so before `ready`'s callback) could start it.
  fetchWasm();
  begin();
  return ready;
}

if (typeof document === "undefined") {
  startCore();
}

export const {
  parseDuration,
  formatDuration,
  durationUntil,
  parseExpiry,
  effectiveExpiry,
  cloudConfig,
  buildRequest,
  interpretResponse,
  matchMeeting,
  validateMeetingPattern,
  meetingStep,
} = core;
