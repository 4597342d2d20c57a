// @ts-check
/**
 * Options: UI and chrome.storage only (plus the core's cloudConfig to validate). Invalid settings
 * are refused with a message next to the field; nothing invalid is saved.
 */
import { getSettings, setSettings } from "./lib/storage.js";
import { cloudInput, isClientId, originPattern } from "./lib/settings.js";
import { COMMANDS } from "./lib/commands.js";
import { t, localize } from "./lib/i18n.js";
import { ready, cloudConfig } from "./lib/presence.js";

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
    what.textContent = t(meta.descriptionKey);
    row.append(key, what);
    body.append(row);
  }
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
load().catch((e) => console.error("loading settings failed:", e));
renderShortcuts().catch((e) => console.error("listing shortcuts failed:", e));
