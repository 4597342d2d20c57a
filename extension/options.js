// @ts-check
/**
 * Options: UI and chrome.storage only (plus the core's cloudConfig to validate). Invalid settings
 * are refused with a message next to the field; nothing invalid is saved.
 */
import { getSettings, setSettings, getLocal, setLocal, LocalKey, SessionKey } from "./lib/storage.js";
import { cloudInput, isClientId, originPattern, meetingSettings, MEETING_SITES } from "./lib/settings.js";
import { COMMANDS, commandActions, storedCommandActions } from "./lib/commands.js";
import { STATUSES, statusInfo } from "./lib/status.js";
import { t, localize } from "./lib/i18n.js";
import { ready, startCore, cloudConfig, validateMeetingPattern, parseDuration } from "./lib/presence.js";

startCore(); // the options validate with the core from the start

const FIELDS = /** @type {const} */ (["clientId", "tenant", "cloud", "graphBaseUrl", "loginBaseUrl"]);
const form = /** @type {HTMLFormElement} */ (document.getElementById("settings"));

/** @param {string} id */
function input(id) {
  return /** @type {HTMLInputElement | HTMLSelectElement} */ (document.getElementById(id));
}

function clearErrors() {
  for (const f of FIELDS) {
    input(f).removeAttribute("aria-invalid");
    /** @type {HTMLElement} */ (document.getElementById(`${f}-error`)).textContent = "";
  }
}

/**
 * @param {string} field
 * @param {string} text
 */
function fieldError(field, text) {
  const target = FIELDS.includes(/** @type {any} */ (field)) ? field : "cloud";
  input(target).setAttribute("aria-invalid", "true");
  /** @type {HTMLElement} */ (document.getElementById(`${target}-error`)).textContent = text;
  if (target === "graphBaseUrl" || target === "loginBaseUrl") {
    /** @type {HTMLDetailsElement} */ (document.getElementById("advanced")).open = true;
  }
  input(target).focus();
}

/** @param {string} code */
function coreErrorText(code) {
  switch (code) {
    case "invalidUrl":
      return t("optErrUrl");
    case "missingField":
      return t("optErrMissing");
    case "cloudNotSupported":
      return t("errCloud");
    default:
      return t("optErrInvalid");
  }
}

/** @param {SubmitEvent} event */
async function onSubmit(event) {
  event.preventDefault();
  clearErrors();
  const status = /** @type {HTMLElement} */ (document.getElementById("save-status"));
  status.textContent = "";
  const settings = {
    clientId: input("clientId").value.trim(),
    tenant: input("tenant").value.trim() || "organizations",
    cloud: input("cloud").value,
    graphBaseUrl: input("graphBaseUrl").value.trim().replace(/\/$/, ""),
    loginBaseUrl: input("loginBaseUrl").value.trim().replace(/\/$/, ""),
  };
  if (!isClientId(settings.clientId)) {
    fieldError("clientId", t("optErrClientId"));
    return;
  }
  await ready;
  let cloud;
  try {
    cloud = cloudConfig(cloudInput(settings));
  } catch (e) {
    const err = /** @type {any} */ (e);
    const field = err.field === "tenant" ? "tenant" : err.field ?? "cloud";
    fieldError(field, field === "tenant" ? t("optErrTenant") : coreErrorText(err.code));
    return;
  }
  if (!cloud.presenceSupported) {
    fieldError("cloud", t("errCloud"));
    return;
  }
  if (settings.cloud === "custom") {
    // Custom endpoints are optional host permissions: asked for here, on the user's click.
    const origins = [...new Set([originPattern(settings.graphBaseUrl), originPattern(settings.loginBaseUrl)])];
    const granted = (await chrome.permissions.contains({ origins })) || (await chrome.permissions.request({ origins }));
    if (!granted) {
      fieldError("graphBaseUrl", t("optErrPermission"));
      return;
    }
  }
  /** @type {import("./lib/storage.js").Settings} */
  const toSave = { clientId: settings.clientId, tenant: settings.tenant, cloud: settings.cloud };
  if (settings.cloud === "custom") {
    toSave.graphBaseUrl = settings.graphBaseUrl;
    toSave.loginBaseUrl = settings.loginBaseUrl;
  }
  await setSettings(toSave);
  status.textContent = t("optSaved");
}

async function renderShortcuts() {
  const body = /** @type {HTMLElement} */ (document.querySelector("#shortcuts tbody"));
  body.replaceChildren();
  for (const c of await chrome.commands.getAll()) {
    const meta = c.name ? COMMANDS[c.name] : undefined;
    if (!meta) {
      continue;
    }
    const row = document.createElement("tr");
    const key = document.createElement("td");
    const kbd = document.createElement("kbd");
    kbd.textContent = c.shortcut || t("optShortcutNone");
    key.append(kbd);
    const what = document.createElement("td");
    what.textContent = describeAction(c.name ?? "", savedActions[c.name ?? ""] ?? meta.action);
    row.append(key, what);
    body.append(row);
  }
}

// --- what each keyboard command does (the key is set in the browser's shortcut page) ---------

/** The actions as last saved (or the defaults): the shortcut table describes these. */
let savedActions = commandActions(undefined);

/**
 * What a command does, for the shortcut table: the manifest description while it does its
 * default, otherwise the configured status and duration.
 * @param {string} name
 * @param {import("./lib/commands.js").CommandAction} action
 */
function describeAction(name, action) {
  const meta = COMMANDS[name];
  const d = meta.action;
  if (action.kind === "reset" || (d.kind !== "reset" && action.availability === d.availability && action.expiration === d.expiration)) {
    return t(meta.descriptionKey);
  }
  const status = t(statusInfo(action.availability)?.labelKey ?? "statusAvailable");
  const duration = action.expiration ?? t("optCmdDurationDefault");
  return t(action.kind === "toggle" ? "optCmdDoesToggle" : "optCmdDoesSet", [status, duration]);
}

/** @param {string} name  @param {"status" | "duration" | "error"} part */
function cmdEl(name, part) {
  return /** @type {HTMLInputElement & HTMLSelectElement} */ (document.getElementById(`cmd-${name}-${part}`));
}

/**
 * The duration typed for a command, checked by the core: its canonical text, null for Graph's
 * default (empty field), or an error shown next to the field.
 * @param {string} name
 * @returns {{ ok: true, expiration: string | null } | { ok: false }}
 */
function checkDuration(name) {
  const field = cmdEl(name, "duration");
  const error = cmdEl(name, "error");
  field.removeAttribute("aria-invalid");
  error.textContent = "";
  const text = field.value.trim();
  if (text === "") {
    return { ok: true, expiration: null };
  }
  try {
    return { ok: true, expiration: parseDuration(text).iso };
  } catch (e) {
    const code = /** @type {any} */ (e)?.code;
    console.warn(`duration of ${name} refused:`, /** @type {any} */ (e)?.message ?? String(e));
    field.setAttribute("aria-invalid", "true");
    error.textContent = t(code === "durationOutOfRange" ? "errDurationRange" : "optCmdErrDuration");
    return { ok: false };
  }
}

/** @param {Record<string, import("./lib/commands.js").CommandAction>} actions */
function renderCommandActions(actions) {
  const rows = /** @type {HTMLElement} */ (document.getElementById("command-action-rows"));
  rows.replaceChildren();
  for (const [name, meta] of Object.entries(COMMANDS)) {
    const action = actions[name];
    const set = document.createElement("fieldset");
    set.id = `cmd-${name}`;
    const legend = document.createElement("legend");
    legend.textContent = t(meta.nameKey);
    set.append(legend);
    if (action.kind === "reset") {
      const help = document.createElement("p");
      help.className = "help";
      help.textContent = t("optCmdResetHelp");
      set.append(help);
      rows.append(set);
      continue;
    }
    const line = document.createElement("div");
    line.className = "inline";
    const statusLabel = document.createElement("label");
    statusLabel.htmlFor = `cmd-${name}-status`;
    statusLabel.textContent = t("optCmdStatus");
    const select = document.createElement("select");
    select.id = `cmd-${name}-status`;
    for (const s of STATUSES) {
      const option = document.createElement("option");
      option.value = s.availability;
      option.textContent = t(s.labelKey);
      select.append(option);
    }
    select.value = action.availability;
    const durationLabel = document.createElement("label");
    durationLabel.htmlFor = `cmd-${name}-duration`;
    durationLabel.textContent = t("optCmdDuration");
    const duration = document.createElement("input");
    duration.id = `cmd-${name}-duration`;
    duration.type = "text";
    duration.autocomplete = "off";
    duration.spellcheck = false;
    duration.placeholder = t("optCmdDurationDefault");
    duration.value = action.expiration ?? "";
    duration.setAttribute("aria-describedby", `cmd-${name}-help cmd-${name}-error`);
    duration.addEventListener("input", () => {
      ready.then(() => checkDuration(name)).catch((e) => console.error("checking a duration failed:", e));
    });
    const error = document.createElement("p");
    error.id = `cmd-${name}-error`;
    error.className = "field-error";
    error.setAttribute("role", "alert");
    line.append(statusLabel, select, durationLabel, duration, error);
    const help = document.createElement("p");
    help.id = `cmd-${name}-help`;
    help.className = "help";
    help.textContent = t(action.kind === "toggle" ? "optCmdToggleHelp" : "optCmdDurationHelp");
    set.append(line, help);
    rows.append(set);
  }
}

/**
 * Saves every command's action at once; one invalid duration and nothing is saved.
 * @param {SubmitEvent} event
 */
async function onSaveCommands(event) {
  event.preventDefault();
  const saved = /** @type {HTMLElement} */ (document.getElementById("commands-saved"));
  saved.textContent = "";
  await ready;
  /** @type {Record<string, import("./lib/commands.js").CommandAction>} */
  const actions = {};
  /** @type {HTMLElement | null} */
  let firstInvalid = null;
  for (const [name, meta] of Object.entries(COMMANDS)) {
    const d = meta.action;
    if (d.kind === "reset") {
      actions[name] = d;
      continue;
    }
    const checked = checkDuration(name);
    if (!checked.ok) {
      firstInvalid ??= cmdEl(name, "duration");
      continue;
    }
    const availability = /** @type {import("./lib/messages.js").Availability} */ (cmdEl(name, "status").value);
    actions[name] = { kind: d.kind, availability, ...(checked.expiration ? { expiration: checked.expiration } : {}) };
  }
  if (firstInvalid) {
    firstInvalid.focus();
    return;
  }
  await setLocal(LocalKey.COMMAND_ACTIONS, storedCommandActions(actions));
  savedActions = commandActions(await getLocal(LocalKey.COMMAND_ACTIONS));
  renderCommandActions(savedActions);
  saved.textContent = t("optSaved");
  await renderShortcuts();
}

async function loadCommandActions() {
  savedActions = commandActions(await getLocal(LocalKey.COMMAND_ACTIONS));
  renderCommandActions(savedActions);
}

async function load() {
  const s = await getSettings();
  input("clientId").value = s.clientId;
  input("tenant").value = s.tenant;
  input("cloud").value = s.cloud;
  input("graphBaseUrl").value = s.graphBaseUrl ?? "";
  input("loginBaseUrl").value = s.loginBaseUrl ?? "";
  /** @type {HTMLDetailsElement} */ (document.getElementById("advanced")).open = s.cloud === "custom";
  document.body.dataset.ready = "true";
}

// --- meeting auto-set: every change is saved at once -------------------------------------------

const meetingEnabled = /** @type {HTMLInputElement} */ (document.getElementById("meeting-enabled"));
const meetingStatus = /** @type {HTMLSelectElement} */ (document.getElementById("meeting-status"));
const meetingExpiry = /** @type {HTMLSelectElement} */ (document.getElementById("meeting-expiry"));
const patternInput = /** @type {HTMLInputElement} */ (document.getElementById("meeting-pattern"));
const patternError = /** @type {HTMLElement} */ (document.getElementById("meeting-pattern-error"));

/**
 * The meeting settings' read-modify-write cycles, one after another: two quick changes (status,
 * then safety limit) must not both read the old value, or the first is lost.
 * @type {Promise<unknown>}
 */
let meetingUpdates = Promise.resolve();

/** @param {(m: import("./lib/settings.js").MeetingSettings) => void} change */
function updateMeeting(change) {
  const run = meetingUpdates.then(() => applyMeetingChange(change));
  // The caller reports a failure; the chain only has to go on after it.
  meetingUpdates = run.catch((/** @type {unknown} */ e) => console.debug("meeting settings update failed:", String(e)));
  return run;
}

/** @param {(m: import("./lib/settings.js").MeetingSettings) => void} change */
async function applyMeetingChange(change) {
  const m = meetingSettings(await getLocal(LocalKey.MEETING_SETTINGS));
  change(m);
  await setLocal(LocalKey.MEETING_SETTINGS, m);
  /** @type {HTMLElement} */ (document.getElementById("meeting-saved")).textContent = t("optSaved");
  renderMeeting(m);
}

/** @param {import("./lib/settings.js").MeetingSettings} m */
function renderMeeting(m) {
  meetingEnabled.checked = m.enabled;
  meetingStatus.value = m.status;
  meetingExpiry.value = m.safetyExpiry;
  for (const el of [meetingStatus, meetingExpiry]) {
    el.disabled = !m.enabled;
  }
  const body = /** @type {HTMLElement} */ (document.querySelector("#meeting-sites tbody"));
  body.replaceChildren();
  for (const { site, labelKey, detects } of MEETING_SITES) {
    const row = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = t(labelKey);
    const use = document.createElement("td");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `meeting-site-${site}`;
    box.checked = m.sites[site].enabled;
    box.disabled = !m.enabled;
    box.setAttribute("aria-label", `${t("optMeetingUse")}: ${t(labelKey)}`);
    box.addEventListener("change", () => saveMeeting((x) => (x.sites[site].enabled = box.checked)));
    use.append(box);
    const when = document.createElement("td");
    const select = document.createElement("select");
    select.id = `meeting-trigger-${site}`;
    select.setAttribute("aria-label", `${t("optMeetingWhen")}: ${t(labelKey)}`);
    for (const trigger of /** @type {const} */ (["join", "visit"])) {
      const option = document.createElement("option");
      option.value = trigger;
      option.textContent = t(trigger === "join" ? "triggerJoin" : "triggerVisit");
      // Without an in-call signal for the site, "on join" would never fire.
      option.disabled = trigger === "join" && !detects;
      select.append(option);
    }
    select.value = m.sites[site].trigger;
    select.disabled = !m.enabled || !m.sites[site].enabled;
    select.addEventListener("change", () => saveMeeting((x) => (x.sites[site].trigger = /** @type {"join" | "visit"} */ (select.value))));
    when.append(select);
    row.append(name, use, when);
    body.append(row);
  }
  const list = /** @type {HTMLElement} */ (document.getElementById("meeting-patterns"));
  list.replaceChildren();
  for (const pattern of m.customPatterns) {
    const item = document.createElement("li");
    const code = document.createElement("code");
    code.textContent = pattern;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.textContent = t("optMeetingRemove");
    remove.setAttribute("aria-label", `${t("optMeetingRemove")}: ${pattern}`);
    remove.addEventListener("click", () => {
      removePattern(pattern).catch((e) => console.error("removing a meeting pattern failed:", e));
    });
    item.append(code, remove);
    list.append(item);
  }
}

/** @param {(m: import("./lib/settings.js").MeetingSettings) => void} change */
function saveMeeting(change) {
  updateMeeting(change).catch((e) => console.error("saving meeting settings failed:", e));
}

/**
 * Adds a custom pattern: the core checks it and names the host permission it needs, which is
 * asked for now, on the user's click (nothing is granted up front).
 * @param {SubmitEvent} event
 */
async function onAddPattern(event) {
  event.preventDefault();
  patternError.textContent = "";
  patternInput.removeAttribute("aria-invalid");
  await ready;
  /** @type {import("./lib/presence.js").CustomPattern} */
  let checked;
  try {
    checked = validateMeetingPattern(patternInput.value.trim());
  } catch (e) {
    console.warn("meeting pattern refused:", /** @type {any} */ (e)?.message ?? String(e));
    patternInput.setAttribute("aria-invalid", "true");
    patternError.textContent = t("optMeetingErrPattern");
    return;
  }
  const origins = [checked.permission];
  const granted = (await chrome.permissions.contains({ origins })) || (await chrome.permissions.request({ origins }));
  if (!granted) {
    patternInput.setAttribute("aria-invalid", "true");
    patternError.textContent = t("optMeetingErrPermission");
    return;
  }
  await updateMeeting((m) => {
    if (!m.customPatterns.includes(checked.pattern)) {
      m.customPatterns.push(checked.pattern);
    }
  });
  patternInput.value = "";
}

/**
 * Removes a custom pattern, and its host permission unless another pattern or the custom Graph
 * or sign-in endpoints still need it.
 * @param {string} pattern
 */
async function removePattern(pattern) {
  await ready;
  /** @type {string[]} */
  let remaining = [];
  await updateMeeting((m) => {
    m.customPatterns = m.customPatterns.filter((p) => p !== pattern);
    remaining = m.customPatterns;
  });
  const permission = validateMeetingPattern(pattern).permission;
  const s = await getSettings();
  const endpoints = s.cloud === "custom" ? [s.graphBaseUrl, s.loginBaseUrl].filter(Boolean).map((u) => originPattern(/** @type {string} */ (u))) : [];
  const stillNeeded = remaining.some((p) => validateMeetingPattern(p).permission === permission) || endpoints.includes(permission);
  if (!stillNeeded) {
    await chrome.permissions.remove({ origins: [permission] });
  }
}

/** @param {any} rejected */
function renderRejected(rejected) {
  /** @type {HTMLElement} */ (document.getElementById("meeting-rejected")).textContent = t("optMeetingRejected", [String(Number(rejected?.count) || 0)]);
}

async function loadMeeting() {
  renderMeeting(meetingSettings(await getLocal(LocalKey.MEETING_SETTINGS)));
  const got = await chrome.storage.session.get(SessionKey.MEETING_REJECTED);
  renderRejected(got[SessionKey.MEETING_REJECTED]);
}

meetingEnabled.addEventListener("change", () => saveMeeting((m) => (m.enabled = meetingEnabled.checked)));
meetingStatus.addEventListener("change", () => saveMeeting((m) => (m.status = meetingStatus.value === "DoNotDisturb" ? "DoNotDisturb" : "Busy")));
meetingExpiry.addEventListener("change", () => saveMeeting((m) => (m.safetyExpiry = meetingExpiry.value)));
/** @type {HTMLFormElement} */ (document.getElementById("meeting-pattern-form")).addEventListener("submit", (e) => {
  onAddPattern(/** @type {SubmitEvent} */ (e)).catch((err) => {
    console.error("adding a meeting pattern failed:", err);
    patternError.textContent = t("errGeneric");
  });
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "session" && SessionKey.MEETING_REJECTED in changes) {
    renderRejected(changes[SessionKey.MEETING_REJECTED].newValue);
  }
});

localize(document);
/** @type {HTMLElement} */ (document.getElementById("redirect-uri")).textContent = chrome.identity.getRedirectURL();
form.addEventListener("submit", (e) => {
  onSubmit(/** @type {SubmitEvent} */ (e)).catch((err) => {
    console.error("saving settings failed:", err);
    /** @type {HTMLElement} */ (document.getElementById("save-status")).textContent = t("errGeneric");
  });
});
/** @type {HTMLElement} */ (document.getElementById("open-shortcuts")).addEventListener("click", () => {
  const url = navigator.userAgent.includes("Edg/") ? "edge://extensions/shortcuts" : "chrome://extensions/shortcuts";
  chrome.tabs.create({ url });
});
/** @type {HTMLFormElement} */ (document.getElementById("command-actions")).addEventListener("submit", (e) => {
  onSaveCommands(/** @type {SubmitEvent} */ (e)).catch((err) => {
    console.error("saving the shortcut actions failed:", err);
    /** @type {HTMLElement} */ (document.getElementById("commands-saved")).textContent = t("errGeneric");
  });
});
const actionsLoaded = loadCommandActions();
actionsLoaded
  .then(load)
  .then(loadMeeting)
  .catch((e) => console.error("loading settings failed:", e));
actionsLoaded
  .then(renderShortcuts)
  .catch((e) => console.error("listing shortcuts failed:", e));
