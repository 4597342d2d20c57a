// @ts-check
/**
 * Toolbar popup: UI and runtime messaging only. It never creates MSAL and never calls
 * launchWebAuthFlow (it would die when the sign-in window takes focus): the service worker does.
 * First paint comes from the session cache (read first thing, lib/popup-cache.js); the one Graph
 * read happens in the background. The wasm core is used here only to validate and preview
 * durations: it is instantiated after the cached state is shown, and the buttons never wait for
 * it (a click before it is ready waits in its handler).
 */
// First import: issues the session-cache read before the other modules evaluate.
import { cachedState } from "./lib/popup-cache.js";
import { Msg } from "./lib/messages.js";
import { SessionKey, LocalKey } from "./lib/storage.js";
import { STATUSES, statusInfo, availabilityLabelKey } from "./lib/status.js";
import { PRESETS, endOfToday, endOfWeek } from "./lib/presets.js";
import { errorMessageKey } from "./lib/errors.js";
import { t, localize, formatUntil } from "./lib/i18n.js";
import { ready, startCore, parseExpiry, effectiveExpiry, formatDuration, durationUntil } from "./lib/presence.js";

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const durationSelect = /** @type {HTMLSelectElement} */ ($("duration"));
const customInput = /** @type {HTMLInputElement} */ ($("custom"));
const keepPresentBox = /** @type {HTMLInputElement} */ ($("keep-present"));
/** @type {HTMLButtonElement[]} */
const statusButtons = [];
let wasmReady = false;
let busy = false;
/** @type {ReturnType<typeof setInterval> | undefined} */
let countdown;

/**
 * @param {any} message
 * @returns {Promise<any>} the value; throws the error data on failure
 */
async function send(message) {
  const reply = await chrome.runtime.sendMessage(message);
  if (!reply) {
    throw { code: "internal", message: "no answer from the service worker" };
  }
  if (!reply.ok) {
    throw reply.error;
  }
  return reply.value;
}

function buildStatusButtons() {
  const group = $("statuses");
  for (const s of STATUSES) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "status";
    button.dataset.availability = s.availability;
    const dot = document.createElement("span");
    dot.className = s.availability === "Offline" ? "dot offline" : s.availability === "DoNotDisturb" ? "dot dnd" : "dot";
    if (s.availability !== "Offline") {
      dot.style.background = s.color;
    }
    dot.setAttribute("aria-hidden", "true");
    const label = document.createElement("span");
    label.textContent = t(s.labelKey);
    button.append(dot, label);
    button.addEventListener("click", () => onStatus(s.availability));
    group.append(button);
    statusButtons.push(button);
  }
  for (const p of PRESETS) {
    const option = document.createElement("option");
    option.value = p.id;
    option.textContent = t(p.labelKey);
    durationSelect.append(option);
  }
  durationSelect.value = "default";
}

/** @param {{username: string, name: string} | null} account */
function renderAccount(account) {
  $("account").textContent = account ? t("signedInAs", [account.name, account.username]) : "";
  $("signed-out").hidden = account !== null;
  $("sign-out").hidden = account === null;
}

/** @param {{availability: string, activity?: string} | null | undefined} presence */
function renderPresence(presence) {
  const dot = $("current-dot");
  if (!presence) {
    $("current-label").textContent = "";
    dot.className = "dot";
    dot.style.background = "transparent";
    return;
  }
  $("current-label").textContent = t("currentPresence", [t(availabilityLabelKey(presence.availability))]);
  const info = statusInfo(presence.availability.replace(/Idle$/, ""));
  dot.className = presence.availability === "Offline" ? "dot offline" : presence.availability === "DoNotDisturb" ? "dot dnd" : "dot";
  dot.style.background = info && presence.availability !== "Offline" ? info.color : "transparent";
  for (const b of statusButtons) {
    b.setAttribute("aria-pressed", String(b.dataset.availability === presence.availability));
  }
}

/**
 * @param {string} text
 * @param {boolean} [isError]
 */
function showMessage(text, isError = false) {
  const el = $("message");
  el.textContent = text;
  el.classList.toggle("error", isError);
}

/** @param {{code: string, message?: string, retryAfterSeconds?: number}} error */
function showError(error) {
  showMessage(t(errorMessageKey(error.code), [String(error.retryAfterSeconds ?? "")]), true);
}

/**
 * The expiration to send for the current choice, computed now; `undefined` = Default (none sent).
 * Throws the core's refusal for an invalid custom text.
 * @returns {{ expiration: string | undefined, untilMs: number | null }}
 */
function chosenExpiration() {
  const nowMs = Date.now();
  const preset = PRESETS.find((p) => p.id === durationSelect.value);
  switch (preset?.id) {
    case "today": {
      const r = durationUntil(nowMs, endOfToday(nowMs));
      return { expiration: r.iso, untilMs: nowMs + r.seconds * 1000 };
    }
    case "week": {
      const r = durationUntil(nowMs, endOfWeek(nowMs));
      return { expiration: r.iso, untilMs: nowMs + r.seconds * 1000 };
    }
    case "custom": {
      const r = parseExpiry(customInput.value.trim(), nowMs, new Date().getTimezoneOffset());
      return { expiration: r.iso, untilMs: r.untilMs };
    }
    case "default":
    case undefined:
      return { expiration: undefined, untilMs: null };
    default: {
      const seconds = preset?.seconds ?? 0;
      return { expiration: formatDuration(seconds), untilMs: nowMs + seconds * 1000 };
    }
  }
}

/** Live preview of "until …", and validation of the custom text by the core. */
function updatePreview() {
  const custom = durationSelect.value === "custom";
  $("custom-row").hidden = !custom;
  const errorEl = $("custom-error");
  errorEl.textContent = "";
  customInput.removeAttribute("aria-invalid");
  if (!wasmReady) {
    $("until").textContent = "";
    return;
  }
  if (custom && customInput.value.trim() === "") {
    $("until").textContent = "";
    setButtonsEnabled(false);
    return;
  }
  try {
    const nowMs = Date.now();
    const { untilMs } = chosenExpiration();
    if (untilMs === null) {
      const busyDefault = effectiveExpiry({ availability: "Busy", nowMs });
      const otherDefault = effectiveExpiry({ availability: "Available", nowMs });
      $("until").textContent = t("untilDefault", [formatUntil(busyDefault.untilMs, nowMs), formatUntil(otherDefault.untilMs, nowMs)]);
    } else {
      $("until").textContent = t("untilTime", [formatUntil(untilMs, nowMs)]);
    }
    setButtonsEnabled(true);
  } catch (e) {
    const code = /** @type {any} */ (e)?.code ?? "invalidDuration";
    errorEl.textContent = t(code === "targetInPast" ? "errTargetInPast" : code === "durationOutOfRange" ? "errDurationRange" : "errDurationText");
    customInput.setAttribute("aria-invalid", "true");
    $("until").textContent = "";
    setButtonsEnabled(false);
  }
}

/** @param {boolean} enabled */
function setButtonsEnabled(enabled) {
  for (const b of statusButtons) {
    b.disabled = !enabled || busy;
  }
}

/** @param {boolean} value */
function setBusy(value) {
  busy = value;
  for (const b of statusButtons) {
    b.disabled = value;
  }
  /** @type {HTMLButtonElement} */ ($("reset")).disabled = value;
  if (!value) {
    updatePreview();
  }
}

/**
 * @param {{presence: any, untilMs: number | null, noSession: boolean}} result
 * @param {string} doneText
 */
function renderResult(result, doneText) {
  renderPresence(result.presence);
  $("no-session").hidden = !result.noSession;
  $("keep-present-row").hidden = !(result.noSession || keepPresentBox.checked);
  showMessage(doneText);
}

/** @param {string} availability */
async function onStatus(availability) {
  await startCore();
  let choice;
  try {
    choice = chosenExpiration();
  } catch (e) {
    updatePreview();
    return;
  }
  setBusy(true);
  showMessage(t("working"));
  try {
    const result = await send({ type: Msg.PRESENCE_SET, availability, ...(choice.expiration ? { expiration: choice.expiration } : {}) });
    const label = t(/** @type {any} */ (statusInfo(availability)).labelKey);
    const done = result.untilMs ? t("doneSetUntil", [label, formatUntil(result.untilMs, Date.now())]) : t("doneSet", [label]);
    renderResult(result, done);
    await refreshAccount();
  } catch (e) {
    showError(/** @type {any} */ (e));
  } finally {
    stopCountdown();
    setBusy(false);
  }
}

async function onReset() {
  setBusy(true);
  showMessage(t("working"));
  try {
    const result = await send({ type: Msg.PRESENCE_RESET });
    renderResult(result, t("doneReset"));
  } catch (e) {
    showError(/** @type {any} */ (e));
  } finally {
    stopCountdown();
    setBusy(false);
  }
}

async function onKeepPresent() {
  const enabled = keepPresentBox.checked;
  keepPresentBox.disabled = true;
  showMessage(t("working"));
  try {
    const result = await send({ type: Msg.KEEP_PRESENT_SET, enabled });
    renderPresence(result.presence);
    $("no-session").hidden = true;
    showMessage(t(enabled ? "keepPresentOn" : "keepPresentOff"));
  } catch (e) {
    keepPresentBox.checked = !enabled;
    showError(/** @type {any} */ (e));
  } finally {
    keepPresentBox.disabled = false;
  }
}

async function refreshAccount() {
  const got = await chrome.storage.session.get(SessionKey.ACCOUNT);
  renderAccount(/** @type {any} */ (got[SessionKey.ACCOUNT]) ?? null);
}

async function onSignIn() {
  showMessage(t("signingIn"));
  try {
    const account = await send({ type: Msg.AUTH_SIGN_IN });
    renderAccount(account);
    showMessage("");
    await load();
  } catch (e) {
    showError(/** @type {any} */ (e));
  }
}

async function onSignOut() {
  try {
    await send({ type: Msg.AUTH_SIGN_OUT });
    renderAccount(null);
    renderPresence(null);
    keepPresentBox.checked = false;
    $("keep-present-row").hidden = true;
    showMessage(t("signedOut"));
  } catch (e) {
    showError(/** @type {any} */ (e));
  }
}

function stopCountdown() {
  if (countdown !== undefined) {
    clearInterval(countdown);
    countdown = undefined;
  }
}

/** @param {{phase: string, retryAtMs?: number} | undefined} status */
function renderStatus(status) {
  if (status?.phase !== "retrying" || status.retryAtMs === undefined) {
    return;
  }
  const retryAtMs = status.retryAtMs;
  const tick = () => {
    const seconds = Math.max(0, Math.ceil((retryAtMs - Date.now()) / 1000));
    showMessage(t("throttledRetrying", [String(seconds)]));
  };
  stopCountdown();
  tick();
  countdown = setInterval(tick, 1000);
}

/** The one read when the popup opens (after the cached first paint). */
async function load() {
  document.body.dataset.ready = "loading"; // tests wait for "loaded"; nothing else reads it
  try {
    const value = await send({ type: Msg.PRESENCE_GET });
    renderAccount(value.account);
    renderPresence(value.presence);
    keepPresentBox.checked = value.keepPresent;
    $("keep-present-row").hidden = !value.keepPresent;
  } catch (e) {
    showError(/** @type {any} */ (e));
  } finally {
    document.body.dataset.ready = "loaded";
  }
}

/**
 * "In a meeting" while meeting auto-set counts open meeting tabs (lib/meeting.js keeps the
 * core's state in storage.local); says so too when the user's own status is kept.
 * @param {any} state the core's MeetingState
 */
function renderMeeting(state) {
  const inMeeting = Array.isArray(state?.tabs) && state.tabs.length > 0;
  const handsOff = state?.phase?.type === "holding" && !state.phase.ours;
  $("meeting").hidden = !inMeeting;
  $("meeting").textContent = inMeeting ? t(handsOff ? "popupMeetingHandsOff" : "popupMeetingActive") : "";
}

// --- start: static DOM first, cache second, network last ---
localize(document);
buildStatusButtons();
updatePreview();
durationSelect.addEventListener("change", updatePreview);
customInput.addEventListener("input", updatePreview);
$("reset").addEventListener("click", onReset);
$("sign-in").addEventListener("click", onSignIn);
$("sign-out").addEventListener("click", onSignOut);
$("open-options").addEventListener("click", () => chrome.runtime.openOptionsPage());
keepPresentBox.addEventListener("change", onKeepPresent);
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "session" && SessionKey.STATUS in changes) {
    renderStatus(/** @type {any} */ (changes[SessionKey.STATUS].newValue));
  }
  if (area === "local" && LocalKey.MEETING_STATE in changes) {
    renderMeeting(changes[LocalKey.MEETING_STATE].newValue);
  }
});
chrome.storage.local.get(LocalKey.MEETING_STATE).then((/** @type {any} */ got) => renderMeeting(got[LocalKey.MEETING_STATE]));

/** The wasm core, once the cached state is on screen: after the next frame (or 50 ms at most). */
function startCoreAfterPaint() {
  const start = () => {
    startCore().catch((/** @type {unknown} */ e) => console.error("wasm core failed to load:", e));
  };
  requestAnimationFrame(() => setTimeout(start, 0));
  setTimeout(start, 50); // hidden pages get no animation frames
}

cachedState
  .then((/** @type {any} */ cached) => {
    if (cached[SessionKey.ACCOUNT]) {
      renderAccount(cached[SessionKey.ACCOUNT]);
    }
    renderPresence(cached[SessionKey.PRESENCE]);
  })
  .catch((/** @type {unknown} */ e) => console.warn("no cached presence:", String(e)))
  .then(() => {
    // The six buttons are enabled from the start; now the cached presence shows too.
    performance.mark("interactive");
    startCoreAfterPaint();
    return load();
  });

ready.then(
  () => {
    wasmReady = true;
    updatePreview();
  },
  (/** @type {unknown} */ e) => console.error("wasm core failed to load:", e),
);
