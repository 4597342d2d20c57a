// @ts-check
/**
 * Service worker (Chromium MV3, ES module). Listeners are registered synchronously at the top
 * level, or wake-up events are lost; each handler awaits the wasm core's `ready` promise (module
 * service workers cannot use top-level await). Nothing else runs at start.
 *
 * A Firefox build keeps this file and swaps lib/auth-host.js (MSAL in the event page instead of
 * an offscreen document).
 */
import { ready } from "./lib/presence.js";
import { handleMessage } from "./lib/router.js";
import { handleCommand, handleAlarm } from "./lib/actions.js";
import { onSettingsChanged } from "./lib/auth.js";
import { OFFSCREEN_PREFIX } from "./lib/messages.js";
import { LocalKey } from "./lib/storage.js";
import { toErrorData } from "./lib/errors.js";

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (typeof message?.type === "string" && message.type.startsWith(OFFSCREEN_PREFIX)) {
    return false; // answered by the auth host
  }
  ready
    .then(() => handleMessage(message, sender))
    .then(sendResponse, (e) => sendResponse({ ok: false, error: toErrorData(e) }));
  return true; // keep the channel open for the async answer
});

chrome.commands.onCommand.addListener((command) => {
  ready
    .then(() => handleCommand(command))
    .catch((/** @type {unknown} */ e) => console.warn(`command ${command} failed:`, toErrorData(e).code));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  ready
    .then(() => handleAlarm(alarm))
    .catch((/** @type {unknown} */ e) => console.warn(`alarm ${alarm.name} failed:`, toErrorData(e).code));
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && LocalKey.SETTINGS in changes) {
    onSettingsChanged().catch((/** @type {unknown} */ e) => console.warn("settings change:", toErrorData(e).code));
  }
});

// e2e hook: browser shortcuts cannot be pressed from Playwright (toolchain.md pitfall 9), so the
// tests call the very handler the onCommand listener calls.
/** @type {any} */ (globalThis).__presenceSwitchTest = { handleCommand };
