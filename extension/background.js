// @ts-check
/**
 * Service worker (Chromium MV3, ES module). Listeners are registered synchronously at the top
 * level, or wake-up events are lost; each handler awaits the wasm core's `ready` promise (module
 * service workers cannot use top-level await) where it needs the core (a shortcut starts its
 * token acquisition before). At start, besides the listeners: storage reads for the auth
 * settings (`warmUp`) and the keyboard commands' configured actions (`currentCommandActions`) for
 * the event that woke us (issued by lib/worker-start.js before anything else evaluates, with a
 * silent token from the auth host when it is open), and, 500 ms later (or before the first meeting event, if that comes
 * sooner), the meeting machine's worker-start step (`meeting.workerStart`), which reads its
 * stored state and the open tabs and, if a Graph request was in flight when the
 * previous worker died (its answer lost), re-issues it through the write queue — a read as is, a
 * write only after a fresh read still calls for it (src/meeting/machine.rs). So a worker start
 * can send a Graph request, with a silent token acquisition, but never opens a window.
 *
 * A Firefox build keeps this file and swaps lib/auth-host.js (MSAL in the event page instead of
 * an offscreen document).
 */
// First: the requests the event that woke the worker will need go out before the rest evaluates.
import "./lib/worker-start.js";
import { ready } from "./lib/presence.js";
import { handleMessage } from "./lib/router.js";
import { handleCommand, handleAlarm, onUserWrite, onCommandActionsChanged, currentCommandActions } from "./lib/actions.js";
import * as meeting from "./lib/meeting.js";
import { onSettingsChanged, warmUp } from "./lib/auth.js";
import { OFFSCREEN_PREFIX } from "./lib/messages.js";
import { LocalKey } from "./lib/storage.js";
import { toErrorData } from "./lib/errors.js";

/** How long after worker start the meeting machine's worker-start step runs at the latest. */
const MEETING_START_DELAY_MS = 500;

performance.mark("ps:evaluated");
ready.then(
  () => performance.mark("ps:core"),
  () => {}, // a failed init is reported by every handler that awaits ready
);

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
  // Not gated on `ready`: the token acquisition starts at once, the core is awaited where needed.
  handleCommand(command).catch((/** @type {unknown} */ e) => console.warn(`command ${command} failed:`, toErrorData(e).code));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === meeting.ALARM_MEETING_RETRY) {
    meeting.retryDue().catch((/** @type {unknown} */ e) => console.warn("meeting retry failed:", toErrorData(e).code));
    return;
  }
  ready
    .then(() => handleAlarm(alarm))
    .catch((/** @type {unknown} */ e) => console.warn(`alarm ${alarm.name} failed:`, toErrorData(e).code));
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && LocalKey.SETTINGS in changes) {
    onSettingsChanged().catch((/** @type {unknown} */ e) => console.warn("settings change:", toErrorData(e).code));
  }
  if (area === "local" && LocalKey.COMMAND_ACTIONS in changes) {
    onCommandActionsChanged(changes[LocalKey.COMMAND_ACTIONS].newValue);
  }
  if (area === "local" && LocalKey.MEETING_STATE in changes) {
    meeting.storedStateChanged(changes[LocalKey.MEETING_STATE].newValue);
  }
  if (area === "local" && LocalKey.MEETING_SETTINGS in changes) {
    meeting.settingsChanged().catch((/** @type {unknown} */ e) => console.warn("meeting settings change:", toErrorData(e).code));
  }
});

// Meeting auto-set (lib/meeting.js). Each call queues one step of the core's meeting machine;
// the steps run strictly in order, and the worker-start step below is always the first.
/** @param {string} what */
const meetingFailed = (what) => (/** @type {unknown} */ e) => console.warn(`meeting ${what} failed:`, toErrorData(e).code);
chrome.tabs.onRemoved.addListener((tabId) => {
  meeting.tabRemoved(tabId).catch(meetingFailed("tab close"));
});
chrome.tabs.onUpdated.addListener((tabId, changeInfo, tab) => {
  meeting.tabUpdated(tabId, changeInfo, tab).catch(meetingFailed("tab update"));
});
chrome.runtime.onStartup.addListener(() => {
  meeting.browserStart().catch(meetingFailed("browser start"));
});
onUserWrite(() => {
  meeting.userChanged().catch(meetingFailed("user change"));
});
// The meeting machine's worker-start step, once the event that woke the worker is under way (a
// meeting event that comes first runs it before itself; see meeting.workerStart).
setTimeout(() => {
  meeting.workerStart().catch(meetingFailed("worker start"));
}, MEETING_START_DELAY_MS);
warmUp();
currentCommandActions().catch((/** @type {unknown} */ e) => console.warn("command actions:", toErrorData(e).code));

// e2e hook: browser shortcuts cannot be pressed from Playwright (toolchain.md pitfall 9), so the
// tests call the very handler the onCommand listener calls.
// currentCommandActions lets a test wait until the worker has seen a change from the options page.
/** @type {any} */ (globalThis).__presenceSwitchTest = { handleCommand, currentCommandActions };
