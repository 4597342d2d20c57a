// @ts-check
/**
 * Meeting auto-set, the service-worker side: turns browser events into the core's meeting events,
 * stores the state the core returns, and performs its effects. All decisions are the core's
 * (`meetingStep`, rules in src/meeting/machine.rs); this module only does I/O.
 *
 * - Steps run one at a time (one promise chain), each persisting its state in
 *   `chrome.storage.local` BEFORE its effects run, so a worker stopped at any point resumes from
 *   the stored state (`workerStart`), and a browser restart cleans up (`browserStart`).
 * - Graph requests go through the same write queue as the popup's own writes
 *   (lib/actions.js `automaticRequest`), never open a window, and report back as
 *   `presenceRead` / `requestResult`. A set or restore whose justifying read was overtaken by a
 *   user write in the queue is not sent (reported as refused, 409): the user's choice wins.
 * - Content scripts only say hello/joined/left (lib/meeting-guard.js decides what to believe);
 *   they never get tokens or presence, only the site, meeting id and trigger of their own page.
 */
import { ready, meetingStep, matchMeeting } from "./presence.js";
import { automaticRequest, userWriteCount } from "./actions.js";
import { showFailure, showMeeting } from "./badge.js";
import { toErrorData } from "./errors.js";
import { getLocal, setLocal, getSession, setSession, getSettings, LocalKey, SessionKey } from "./storage.js";
import { meetingSettings, meetingTrigger, ownPreferred } from "./settings.js";
import { checkContentMessage, MeetingMsg } from "./meeting-guard.js";

/** The one alarm of the meeting machine's `scheduleRetry`. */
export const ALARM_MEETING_RETRY = "meetingRetry";

/** Failures the user has to act on: shown on the badge and as a notification. */
const NEEDS_USER = new Set(["signInNeeded", "interactionRequired", "consentMissing", "notConfigured", "cloudNotSupported"]);

/** @type {Promise<unknown>} */
let chain = Promise.resolve();

/**
 * Runs `task` after every earlier one, so no two steps interleave.
 * @template T
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
function serial(task) {
  workerStart(); // first of all steps, once per worker
  return queued(task);
}

/**
 * @template T
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
function queued(task) {
  const result = chain.then(task);
  chain = result.then(
    () => undefined,
    (/** @type {unknown} */ e) => console.warn("meeting step failed:", toErrorData(e).code, toErrorData(e).message),
  );
  return result;
}

/** User-write count when the last read was sent (see `request`). */
let userWritesAtRead = -1;

/**
 * The stored state as this worker last read or wrote it, so storage is read once per worker
 * start. This module is its only writer; a change from elsewhere (`storedStateChanged`, from
 * the worker's chrome.storage.onChanged listener) and a failed read or write drop it.
 * @type {Promise<import("./presence.js").MeetingState | null> | null}
 */
let stateMemo = null;
/** JSON of the state `stateMemo` holds, once known. @type {string | null} */
let stateJson = null;

/** @returns {Promise<import("./presence.js").MeetingState | null>} */
async function loadState() {
  if (!stateMemo) {
    const loading = getLocal(LocalKey.MEETING_STATE).then((v) => v ?? null);
    stateMemo = loading;
    loading.then(
      (v) => {
        if (stateMemo === loading) {
          stateJson = JSON.stringify(v);
        }
      },
      () => {
        if (stateMemo === loading) {
          stateMemo = null;
        }
      },
    );
  }
  return stateMemo;
}

/**
 * Stores the state the machine returned, unless it is the one stored already (a user write
 * outside a meeting changes nothing: no storage write beside the user's request).
 * @param {import("./presence.js").MeetingState} state
 */
async function saveState(state) {
  const json = JSON.stringify(state);
  if (stateMemo && json === stateJson) {
    return;
  }
  stateMemo = Promise.resolve(state);
  stateJson = json;
  try {
    await setLocal(LocalKey.MEETING_STATE, state);
  } catch (e) {
    stateMemo = null; // read again next time: storage has whichever state it has
    stateJson = null;
    throw e;
  }
}

/**
 * chrome.storage.onChanged for LocalKey.MEETING_STATE. Our own writes come back here too (one
 * that is no longer the latest drops the memo as well, which only costs a read).
 * @param {unknown} stored the new stored value
 */
export function storedStateChanged(stored) {
  if (JSON.stringify(stored ?? null) !== stateJson) {
    stateMemo = null;
    stateJson = null;
  }
}

async function loadSettings() {
  return meetingSettings(await getLocal(LocalKey.MEETING_SETTINGS));
}

/**
 * One machine step; call only inside `serial`.
 * @param {import("./presence.js").MeetingEvent} event
 */
async function step(event) {
  await ready;
  const out = meetingStep(await loadState(), event, Date.now());
  await saveState(out.state);
  for (const effect of out.effects) {
    await perform(effect);
  }
  return out.state;
}

/** @param {import("./presence.js").MeetingEvent} event */
function dispatch(event) {
  return serial(() => step(event));
}

/** @param {import("./presence.js").MeetingEffect} effect */
async function perform(effect) {
  switch (effect.type) {
    case "readPresence":
      request("read", { action: "getPresence" });
      return;
    case "setPreferredPresence":
      request("set", { action: "setUserPreferredPresence", availability: effect.availability, activity: effect.activity, expiration: effect.expiration });
      return;
    case "clearPreferredPresence":
      request("restore", { action: "clearUserPreferredPresence" });
      return;
    case "restorePreferredPresence":
      request("restore", { action: "setUserPreferredPresence", availability: effect.availability, activity: effect.activity, expiration: effect.expiration });
      return;
    case "scheduleRetry":
      await chrome.alarms.create(ALARM_MEETING_RETRY, { when: effect.atMs });
      return;
    case "badge": {
      const own = ownPreferred(await getLocal(LocalKey.LAST_SET), Date.now());
      await showMeeting(effect.active, own ? own.availability : null);
      return;
    }
    default:
      console.warn("meeting: unknown effect", /** @type {any} */ (effect).type);
  }
}

/**
 * Sends one request of the machine in the write queue, without waiting for it in the step chain
 * (the machine keeps one in flight and ignores events' requests meanwhile), and feeds the
 * answer back as an event.
 * @param {"read" | "set" | "restore"} kind
 * @param {import("./presence.js").RequestInput} fields
 */
function request(kind, fields) {
  automaticRequest(async (call) => {
    if (kind === "read") {
      userWritesAtRead = userWriteCount();
    } else if (userWriteCount() !== userWritesAtRead) {
      return { skipped: true, value: undefined };
    }
    return { skipped: false, value: await call(fields) };
  }).then(
    (r) => {
      if (r.skipped) {
        return dispatch({ type: "requestResult", request: kind, ok: false, status: 409 });
      }
      if (kind === "read") {
        const p = r.value?.presence;
        return typeof p?.availability === "string" && typeof p?.activity === "string"
          ? dispatch({ type: "presenceRead", availability: p.availability, activity: p.activity })
          : dispatch({ type: "requestResult", request: "read", ok: false });
      }
      return dispatch({ type: "requestResult", request: kind, ok: true });
    },
    async (/** @type {any} */ e) => {
      const err = toErrorData(e);
      /** @type {import("./presence.js").MeetingEvent} */
      const event = { type: "requestResult", request: kind, ok: false };
      if (typeof e?.status === "number" && e.status >= 100 && e.status <= 599) {
        event.status = e.status;
      }
      if (typeof err.retryAfterSeconds === "number" && err.retryAfterSeconds >= 0) {
        event.retryAfterMs = err.retryAfterSeconds * 1000;
      }
      console.warn(`meeting: ${kind} failed:`, err.code);
      const state = /** @type {any} */ (await dispatch(event));
      // Once per run of failures, not at every retry: a meeting is no time for repeated pop-ups.
      if (NEEDS_USER.has(err.code) && Number(state?.failures) <= 1) {
        await showFailure(err);
      }
      return state;
    },
  );
}

// --- browser events → machine events --------------------------------------------------------

/**
 * The worker-start step, queued once per worker before any other step (see `serial`).
 * @type {Promise<unknown> | null}
 */
let started = null;

function startStep() {
  return queued(async () => {
    const tabs = await chrome.tabs.query({});
    const liveTabIds = tabs.map((t) => t.id).filter((id) => typeof id === "number");
    return await step({ type: "workerStart", liveTabIds });
  });
}

/**
 * Worker (re)start: forget tabs that are gone, re-issue a request whose answer was lost. Runs
 * once per worker, first of all steps: either when the worker calls it (shortly after start, off
 * the path of the event that woke it: its tab query, storage and badge calls would queue in the
 * browser ahead of that event's own calls) or when a meeting event comes first, whichever is
 * earlier. Idempotent.
 */
export function workerStart() {
  if (!started) {
    started = startStep();
  }
  return started;
}

/** chrome.runtime.onStartup: no tab of the last session exists any more. */
export function browserStart() {
  return dispatch({ type: "browserStart" });
}

/** The retry alarm fired. */
export function retryDue() {
  return dispatch({ type: "retryDue" });
}

/** The user set or reset a status in the popup or with a shortcut (after it succeeded). */
export function userChanged() {
  return dispatch({ type: "userChanged" });
}

/**
 * @param {import("./presence.js").MeetingState | null} state
 * @param {number} tabId
 * @returns {{ site: string, meetingId: string } | null}
 */
function trackedIn(state, tabId) {
  const tabs = /** @type {any[]} */ (Array.isArray(state?.tabs) ? state.tabs : []);
  const t = tabs.find((x) => x.tabId === tabId);
  return t ? { site: t.site, meetingId: t.meetingId } : null;
}

/** @param {number} tabId */
export function tabRemoved(tabId) {
  return serial(async () => {
    if (trackedIn(await loadState(), tabId)) {
      await step({ type: "tabClosed", tabId });
    }
  });
}

/**
 * chrome.tabs.onUpdated. Without the `tabs` permission the URL is only visible on hosts this
 * extension has host access to: custom patterns (granted) always; built-in hosts as far as the
 * browser lets content-script hosts see it. Where it is not visible, the content script's `left`
 * (pagehide) and tabs.onRemoved cover the tab.
 * @param {number} tabId
 * @param {{ url?: string, status?: string }} changeInfo
 * @param {{ url?: string }} tab
 */
export function tabUpdated(tabId, changeInfo, tab) {
  if (changeInfo.url === undefined && changeInfo.status !== "loading") {
    return Promise.resolve();
  }
  return serial(async () => {
    await ready;
    const state = await loadState();
    const tracked = trackedIn(state, tabId);
    const settings = await loadSettings();
    const url = changeInfo.url ?? tab.url;
    if (tracked) {
      if (url === undefined) {
        // A new document on a host we cannot see: it is not a meeting we know.
        if (tracked.site === "custom" && changeInfo.status === "loading") {
          await step({ type: "tabNavigated", tabId, meeting: null });
        }
        return;
      }
      const m = match(url, settings.customPatterns);
      if (!m || meetingTrigger(settings, m.site) === null) {
        await step({ type: "tabNavigated", tabId, meeting: null });
      } else if (m.site !== tracked.site || m.meetingId !== tracked.meetingId) {
        await step({ type: "tabNavigated", tabId, meeting: { site: m.site, meetingId: m.meetingId } });
      }
      return;
    }
    if (url !== undefined) {
      // Custom patterns have no content script: the URL rule alone counts ("on visit").
      const m = match(url, settings.customPatterns);
      if (m?.site === "custom" && meetingTrigger(settings, "custom") !== null) {
        await join(tabId, m, settings);
      }
    }
  });
}

/**
 * @param {string} url
 * @param {string[]} customPatterns
 * @returns {import("./presence.js").MeetingMatch | null}
 */
function match(url, customPatterns) {
  try {
    return matchMeeting(url, customPatterns);
  } catch (e) {
    // Only an invalid stored custom pattern throws; the built-in rules still apply without them.
    console.warn("meeting: a custom pattern is invalid:", toErrorData(e).code);
    return matchMeeting(url, []);
  }
}

/**
 * A join, preceded by the current settings (the machine applies them to its next request).
 * Call only inside `serial`.
 * @param {number} tabId
 * @param {{ site: string, meetingId: string }} m
 * @param {import("./settings.js").MeetingSettings} settings
 */
async function join(tabId, m, settings) {
  if (!(await getSettings()).clientId) {
    // Not set up yet: no request could succeed, so there is nothing to start (and nothing to nag about).
    return;
  }
  await step({ type: "configure", status: settings.status, safetyExpiry: settings.safetyExpiry });
  const own = ownPreferred(await getLocal(LocalKey.LAST_SET), Date.now());
  await step({ type: "join", tabId, site: m.site, meetingId: m.meetingId, ownPreferred: own });
}

/**
 * Settings changed in the options: apply the status and expiry, and end the meeting for tabs
 * whose site was switched off (their status is put back now, not at some later leave).
 */
export function settingsChanged() {
  return serial(async () => {
    await ready;
    const settings = await loadSettings();
    const state = await step({ type: "configure", status: settings.status, safetyExpiry: settings.safetyExpiry });
    const tabs = /** @type {any[]} */ (Array.isArray(state?.tabs) ? state.tabs : []);
    for (const t of tabs) {
      if (meetingTrigger(settings, t.site) === null) {
        await step({ type: "leave", tabId: t.tabId });
      }
    }
  });
}

/** @param {string} reason */
async function countRejected(reason) {
  const prev = (await getSession(SessionKey.MEETING_REJECTED)) ?? { count: 0 };
  await setSession(SessionKey.MEETING_REJECTED, { count: (Number(prev.count) || 0) + 1, lastReason: reason, lastAtMs: Date.now() });
}

/**
 * A message from one of our content scripts (router: any sender that is not an extension page).
 * Answers `{ok: true, value}`; a message it does not believe is counted and answered
 * `{ok: false, error: {code: "ignored"}}` without any detail.
 * @param {any} msg
 * @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<import("./messages.js").Envelope>}
 */
export function handleContentMessage(msg, sender) {
  return serial(async () => {
    await ready;
    const settings = await loadSettings();
    const state = await loadState();
    const verdict = checkContentMessage(msg, sender, {
      runtimeId: chrome.runtime.id,
      extensionOrigin: chrome.runtime.getURL(""),
      match: (url) => match(url, settings.customPatterns),
      trackedMeeting: (tabId) => trackedIn(state, tabId),
    });
    if (!verdict.ok) {
      if (verdict.reason === "notMeeting" && msg?.type === MeetingMsg.HELLO) {
        return { ok: true, value: null }; // e.g. the Meet start page: not a meeting, nothing to do
      }
      await countRejected(verdict.reason);
      return { ok: false, error: { code: "ignored", message: "not accepted" } };
    }
    const { tabId, meeting } = verdict;
    const trigger = meetingTrigger(settings, meeting.site);
    switch (verdict.type) {
      case MeetingMsg.HELLO:
        return { ok: true, value: trigger ? { site: meeting.site, meetingId: meeting.meetingId, trigger } : null };
      case MeetingMsg.JOINED:
        if (trigger !== null) {
          await join(tabId, meeting, settings);
        }
        return { ok: true, value: null };
      default: // MeetingMsg.LEFT
        if (trackedIn(state, tabId)) {
          await step({ type: "leave", tabId });
        }
        return { ok: true, value: null };
    }
  });
}
