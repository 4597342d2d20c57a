// @ts-check
/**
 * Presence actions run by the service worker: set/reset the preferred presence, read it, keep an
 * app presence session alive, and the keyboard commands. Every write goes through one strictly
 * ordered queue. Retries follow the core's `interpretResponse().error.next`; nothing retries
 * forever (the core caps attempts and total wait and answers `giveUp`).
 */
import { interpretResponse, effectiveExpiry, ready } from "./presence.js";
import { buildFor, takePrepared, prepareNext } from "./prepared.js";
import { sendAuthorized, currentConfig, signOut as authSignOut } from "./auth.js";
import { createQueue } from "./queue.js";
import { COMMANDS, toggleStep, commandActions } from "./commands.js";
import { ShellError, toErrorData } from "./errors.js";
import { showState, showFailure } from "./badge.js";
import { getLocal, setLocal, setSession, getSession, removeSession, LocalKey, SessionKey } from "./storage.js";
import { localAtStart, sessionAtStart } from "./worker-start.js";

/** Graph calls give up after this; well under the 30 s a worker fetch may take. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Longer throttling waits go through chrome.alarms (a worker should not sleep that long). */
const MAX_INLINE_WAIT_SECONDS = 25;
export const ALARM_KEEP_PRESENT = "keepPresent";
export const ALARM_RETRY = "retry";
/** Available app sessions fade to AvailableInactive after 5 minutes: refresh every 4. */
const KEEP_PRESENT_PERIOD_MINUTES = 4;
const KEEP_PRESENT_EXPIRATION = "PT10M";

const queue = createQueue();

/**
 * Whether a throttled write waits for its chrome.alarms wake-up: remembered in memory, so a
 * write cancels one only when it exists. null = not known yet in this worker (read once).
 * @type {boolean | null}
 */
let retryPending = null;
/** The latest cancellation of a pending retry; scheduling a new one waits for it. */
let cancelling = Promise.resolve();

/**
 * The popup's status line (session storage), written in order but never awaited before a
 * request is sent. A failed write is logged: the line is a display, not state.
 * @type {Promise<void>}
 */
let statusLine = Promise.resolve();

/** Status-line writes so far: a deferred "busy" is dropped when another write came first. */
let statusWrites = 0;

/**
 * A write still running after this long shows "busy"; a quicker one, nearly every one, never
 * does (no flicker), and while its request is in flight nothing else leaves the worker: a
 * storage write issued beside the request delayed its arrival at the server (bench/README.md).
 */
const BUSY_AFTER_MS = 150;

/** @param {any} status {phase, ...} */
function writeStatus(status) {
  statusWrites += 1;
  statusLine = statusLine
    .then(() => setSession(SessionKey.STATUS, status))
    .catch((/** @type {unknown} */ e) => console.warn("status line not written:", String(e)));
  return statusLine;
}

/**
 * Completed user writes of a preferred presence (popup, shortcut, their throttled resends). The
 * meeting auto-set compares it around its own requests (lib/meeting.js), and is told after each.
 */
let userWrites = 0;
/** @type {Array<() => void>} */
const userWriteListeners = [];

/** @param {() => void} listener called after each successful user write of a preferred presence */
export function onUserWrite(listener) {
  userWriteListeners.push(listener);
}

/** How many user writes have completed in this worker's life. */
export function userWriteCount() {
  return userWrites;
}

function userWrote() {
  userWrites += 1;
  for (const listener of userWriteListeners) {
    listener();
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {{ interactive: boolean }} Origin  interactive: a user action (popup click, shortcut)
 */

/**
 * Builds, sends and interprets one Graph call, following the core's next step.
 * With `retry: false` (meeting auto-set, whose state machine owns retries) a throttled answer is
 * not waited for: it throws at once with `retryAfterSeconds`. Every failure after a response
 * carries its HTTP `status`.
 * With `prepare` (keyboard commands), the request is the one built ahead for these fields, if
 * any, and the next one is built after the answer (lib/prepared.js).
 * @param {import("./presence.js").RequestInput} fields buildRequest input without endpoint and ids
 * @param {Origin} origin
 * @param {{ retry?: boolean, prepare?: boolean }} [opts]
 * @returns {Promise<{ ok: true, presence?: any }>}
 */
async function graph(fields, origin, { retry = true, prepare = false } = {}) {
  const fieldsKey = prepare ? JSON.stringify(fields) : "";
  // The request needs the wasm core; the token (in sendAuthorized) does not wait for it.
  /** @type {import("./presence.js").GraphRequest | Promise<import("./presence.js").GraphRequest>} */
  let request = (async () => {
    const cfg = await currentConfig();
    const ahead = prepare ? await takePrepared(fieldsKey, cfg) : null;
    if (ahead) {
      return ahead; // sent without waiting for the core (a restarted worker may still load it)
    }
    await ready;
    return buildFor(cfg, fields);
  })();
  let attempt = 0;
  let waitedSeconds = 0;
  let refreshed = false;
  let forceRefresh = false;
  /** @type {string | undefined} */
  let claims;
  let succeeded = false;
  try {
    for (;;) {
      let response;
      try {
        response = await sendAuthorized(request, { interactive: origin.interactive, forceRefresh, claims, timeoutMs: REQUEST_TIMEOUT_MS });
      } catch (e) {
        const code = /** @type {any} */ (e).code;
        if (code === "timeout" || code === "networkError") {
          throw new ShellError(code, `${String(fields.action)} did not reach Graph: ${/** @type {any} */ (e).message ?? String(e)}`);
        }
        throw e; // sign-in and configuration errors keep their own code
      }
      request = await request; // built by now; resends reuse it
      forceRefresh = false;
      claims = undefined;
      await ready;
      const r = interpretResponse({ ...response, attempt, waitedSeconds, nowMs: Date.now() });
      if (r.ok) {
        succeeded = true;
        return r;
      }
      const err = r.error;
      if (err.next === "retry" && !retry) {
        const extra = err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {};
        throw Object.assign(new ShellError(err.code, err.message, extra), { status: response.status });
      }
      if (err.next === "retry") {
        const seconds = Math.max(0, Number(err.retryAfterSeconds ?? 1));
        if (seconds > MAX_INLINE_WAIT_SECONDS) {
          await Promise.allSettled([cancelling]); // an older retry's cancellation must not remove this one
          retryPending = true;
          await setSession(SessionKey.PENDING_RETRY, { fields, dueMs: Date.now() + seconds * 1000 });
          await chrome.alarms.create(ALARM_RETRY, { when: Date.now() + seconds * 1000 });
          throw new ShellError("throttledScheduled", `${String(fields.action)} throttled; retry scheduled`, { retryAfterSeconds: seconds });
        }
        await writeStatus({ phase: "retrying", code: err.code, retryAtMs: Date.now() + seconds * 1000 });
        await sleep(seconds * 1000);
        attempt += 1;
        waitedSeconds += seconds;
        continue;
      }
      if (err.next === "signIn" && !refreshed) {
        // One fresh token, one resend (401 after expiry or revocation; 403 claims challenge, whose
        // claims go into the token request).
        refreshed = true;
        forceRefresh = true;
        claims = err.claims ?? undefined;
        continue;
      }
      if (err.next === "signIn") {
        throw Object.assign(new ShellError("signInNeeded", `${String(fields.action)}: still ${err.code} after a fresh token`), { status: response.status });
      }
      const extra = err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {};
      throw Object.assign(new ShellError(err.code, err.message, extra), { status: response.status });
    }
  } finally {
    if (prepare) {
      // After the last attempt, whatever its outcome: the stored table never keeps a used request.
      prepareNext(fieldsKey, fields, succeeded);
    }
  }
}

/**
 * Meeting auto-set: one Graph call in the write queue, never a window, no retry of its own (the
 * meeting machine schedules them). `task` gets the call to make, so it can decide at its turn in
 * the queue whether to send at all.
 * @template T
 * @param {(call: (fields: import("./presence.js").RequestInput) => Promise<{ ok: true, presence?: any }>) => Promise<T>} task
 * @returns {Promise<T>}
 */
export function automaticRequest(task) {
  return queue.run(() => task((fields) => graph(fields, { interactive: false }, { retry: false })));
}

/**
 * The one read after a popup write, or when the popup opens. Cached for the popup.
 * @param {Origin} origin
 */
async function readPresence(origin) {
  const r = await graph({ action: "getPresence" }, origin);
  const presence = r.presence ? { availability: r.presence.availability, activity: r.presence.activity, readAtMs: Date.now() } : null;
  await setSession(SessionKey.PRESENCE, presence);
  return presence;
}

/**
 * @param {string} availability what was set
 * @param {{availability: string} | null} presence what Graph shows afterwards
 */
function looksSessionless(availability, presence) {
  // Preferred presence shows only while a presence session exists; otherwise Graph reports
  // Offline (graph-presence.md §2, §12.1).
  return availability !== "Offline" && presence !== null && presence.availability === "Offline";
}

/**
 * @typedef {{ readBack: boolean, prepare?: boolean }} SetOptions  readBack: read the presence
 *   afterwards (the popup shows it and explains an Offline read-back); a shortcut sends exactly
 *   one write, with `prepare` (its next request is built ahead, lib/prepared.js).
 */

/**
 * @param {string} availability
 * @param {string | undefined} expiration
 * @param {Origin} origin
 * @param {SetOptions} opts
 * @returns {Promise<{ presence: any, untilMs: number | null, noSession: boolean }>} presence:
 *   what Graph shows afterwards, or null without a read-back
 */
async function doSet(availability, expiration, origin, { readBack, prepare = false }) {
  /** @type {import("./presence.js").RequestInput} */
  const fields = { action: "setUserPreferredPresence", availability, ...(expiration ? { expiration } : {}) };
  await Promise.all([cancelPendingRetry(), graph(fields, origin, { prepare })]);
  const nowMs = Date.now();
  const eff = effectiveExpiry({ availability, ...(expiration ? { expiration } : {}), nowMs });
  const shown = showState(availability);
  // The meeting auto-set reads lastSet when told about the write: store it first.
  await setLocal(LocalKey.LAST_SET, { availability, untilMs: eff.untilMs ?? null, isDefault: eff.isDefault === true, setAtMs: nowMs });
  userWrote();
  await shown;
  if (!readBack) {
    return { presence: null, untilMs: eff.untilMs ?? null, noSession: false };
  }
  const presence = await readPresence(origin);
  return { presence, untilMs: eff.untilMs ?? null, noSession: looksSessionless(availability, presence) };
}

/**
 * @param {Origin} origin
 * @param {SetOptions} opts
 */
async function doReset(origin, { readBack, prepare = false }) {
  await Promise.all([cancelPendingRetry(), graph({ action: "clearUserPreferredPresence" }, origin, { prepare })]);
  const shown = showState(null);
  await setLocal(LocalKey.LAST_SET, null);
  userWrote();
  await shown;
  const presence = readBack ? await readPresence(origin) : null;
  return { presence, untilMs: null, noSession: false };
}

/**
 * A newer preferred-presence write supersedes a throttled one waiting for its alarm, so the
 * state ends as the last press asked. Runs alongside that write (both in the same queue turn);
 * costs nothing when no retry is pending, and one storage read per worker start to find out.
 */
function cancelPendingRetry() {
  cancelling = (async () => {
    if (retryPending === null) {
      // Known from the worker-start read (no storage call beside the first request).
      retryPending = (await sessionAtStart)[SessionKey.PENDING_RETRY] != null;
    }
    if (!retryPending) {
      return;
    }
    retryPending = false;
    await chrome.alarms.clear(ALARM_RETRY);
    await removeSession(SessionKey.PENDING_RETRY);
  })();
  return cancelling;
}

/**
 * Runs a write in the queue and keeps the popup's status line in step.
 * @template T
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
function enqueue(task) {
  return queue.run(async () => {
    const writesBefore = statusWrites;
    const busy = setTimeout(() => {
      if (statusWrites === writesBefore) {
        writeStatus({ phase: "busy" }); // not when the task already wrote one (e.g. "retrying")
      }
    }, BUSY_AFTER_MS);
    try {
      const value = await task();
      clearTimeout(busy);
      await writeStatus({ phase: "idle" });
      return value;
    } catch (e) {
      clearTimeout(busy);
      await writeStatus({ phase: "error", error: toErrorData(e) });
      throw e;
    }
  });
}

/**
 * Popup: set a preferred presence.
 * @param {string} availability
 * @param {string | undefined} expiration any text the core's parseDuration accepts; absent = default
 */
export function setStatus(availability, expiration) {
  return enqueue(() => doSet(availability, expiration, { interactive: true }, { readBack: true }));
}

/** Popup: "Reset status" (clearUserPreferredPresence). */
export function resetStatus() {
  return enqueue(() => doReset({ interactive: true }, { readBack: true }));
}

/** Popup opened: one read (no window: a signed-out user gets the sign-in button instead). */
export async function readForPopup() {
  const keepPresentRead = getLocal(LocalKey.KEEP_PRESENT);
  try {
    const presence = await readPresence({ interactive: false });
    const [keepPresent, account] = await Promise.all([keepPresentRead, getSession(SessionKey.ACCOUNT)]);
    return { account: account ?? null, presence, keepPresent: keepPresent === true };
  } catch (e) {
    if (/** @type {any} */ (e).code === "signInNeeded") {
      return { account: null, presence: null, keepPresent: (await keepPresentRead) === true };
    }
    throw e;
  }
}

/**
 * @param {boolean} enabled
 * @param {Origin} origin
 */
async function doKeepPresent(enabled, origin) {
  const cfg = await currentConfig();
  if (enabled) {
    await graph(
      { action: "setPresence", sessionId: cfg.settings.clientId, availability: "Available", activity: "Available", expiration: KEEP_PRESENT_EXPIRATION },
      origin,
    );
    await setLocal(LocalKey.KEEP_PRESENT, true);
    await chrome.alarms.create(ALARM_KEEP_PRESENT, { periodInMinutes: KEEP_PRESENT_PERIOD_MINUTES });
  } else {
    await chrome.alarms.clear(ALARM_KEEP_PRESENT);
    await setLocal(LocalKey.KEEP_PRESENT, false);
    try {
      await graph({ action: "clearPresence", sessionId: cfg.settings.clientId }, origin);
    } catch (e) {
      // 404: the session already expired, which is what switching off wants.
      if (/** @type {any} */ (e).code !== "notFound") {
        throw e;
      }
    }
  }
  const presence = await readPresence(origin);
  return { keepPresent: enabled, presence };
}

/**
 * Popup: "Keep me present from this browser" on/off.
 * @param {boolean} enabled
 */
export function setKeepPresent(enabled) {
  return enqueue(() => doKeepPresent(enabled, { interactive: true }));
}

/** Sign-out stops the app presence session first (it needs the token), then forgets the account. */
export function signOut() {
  return enqueue(async () => {
    if ((await getLocal(LocalKey.KEEP_PRESENT)) === true) {
      try {
        await doKeepPresent(false, { interactive: false });
      } catch (e) {
        console.warn("sign-out: could not end the app presence session:", toErrorData(e).code);
      }
    }
    await chrome.alarms.clear(ALARM_KEEP_PRESENT);
    await setLocal(LocalKey.KEEP_PRESENT, false);
    await authSignOut();
    await showState(null);
  });
}

/**
 * The commands' configured actions (options page), read once per worker and kept in memory like
 * the auth settings: a warm key press awaits no chrome.* call before its request. A failed read
 * is not remembered (the next press reads again).
 * @type {Promise<Record<string, import("./commands.js").CommandAction>> | null}
 */
let actionsMemo = null;
/** Whether the next load of the command actions is this worker's first (see worker-start.js). */
let firstActionsRead = true;

/** The configured command actions (lib/commands.js `commandActions`), from memory after the first read. */
export function currentCommandActions() {
  if (!actionsMemo) {
    // The first load (worker start) takes the worker-start read.
    const stored = firstActionsRead ? localAtStart.then((got) => got[LocalKey.COMMAND_ACTIONS]) : getLocal(LocalKey.COMMAND_ACTIONS);
    firstActionsRead = false;
    const loading = stored.then(commandActions);
    actionsMemo = loading;
    loading.catch((/** @type {unknown} */ e) => {
      console.warn("command actions not read:", String(e));
      if (actionsMemo === loading) {
        actionsMemo = null;
      }
    });
  }
  return actionsMemo;
}

/**
 * chrome.storage.onChanged for LocalKey.COMMAND_ACTIONS: the new value is the configuration, so
 * the next press needs no storage read. Synchronous, so no press after the change sees the old one.
 * @param {unknown} stored the new stored value
 */
export function onCommandActionsChanged(stored) {
  actionsMemo = Promise.resolve(commandActions(stored));
}

/**
 * chrome.commands.onCommand: the ONE handler, called by the listener and by the e2e tests.
 * Works with no popup open; reports on the badge (and a notification on failure). Exactly one
 * write per press, no read-back (nobody is looking; the popup reads when it opens).
 * @param {string} name
 */
export async function handleCommand(name) {
  performance.mark("ps:command");
  const command = COMMANDS[name];
  if (!command) {
    throw new ShellError("unknownCommand", `no command ${name}`);
  }
  const origin = { interactive: true }; // a key press is a user action: it may open sign-in
  try {
    return await enqueue(async () => {
      const action = (await currentCommandActions())[name] ?? command.action;
      const opts = { readBack: false, prepare: true };
      if (action.kind === "reset") {
        return await doReset(origin, opts);
      }
      if (action.kind === "toggle" && toggleStep(action, await getLocal(LocalKey.LAST_SET), Date.now()) === "reset") {
        return await doReset(origin, opts);
      }
      return await doSet(action.availability, action.expiration, origin, opts);
    });
  } catch (e) {
    await showFailure(toErrorData(e));
    throw e;
  }
}

/**
 * chrome.alarms.onAlarm: automatic work. Never opens a window: a missing sign-in becomes a badge
 * and a notification.
 * @param {chrome.alarms.Alarm} alarm
 */
export async function handleAlarm(alarm) {
  const origin = { interactive: false };
  try {
    if (alarm.name === ALARM_KEEP_PRESENT) {
      if ((await getLocal(LocalKey.KEEP_PRESENT)) !== true) {
        await chrome.alarms.clear(ALARM_KEEP_PRESENT);
        return;
      }
      await enqueue(() => doKeepPresent(true, origin));
    } else if (alarm.name === ALARM_RETRY) {
      const pending = await getSession(SessionKey.PENDING_RETRY);
      await removeSession(SessionKey.PENDING_RETRY);
      retryPending = false;
      if (pending) {
        await enqueue(() => graph(pending.fields, origin));
        if (/PreferredPresence$/.test(String(pending.fields?.action))) {
          userWrote();
        }
      }
    }
  } catch (e) {
    await showFailure(toErrorData(e));
  }
}
