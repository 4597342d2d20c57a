// @ts-check
// The request playground: one import of the wasm core, and every keystroke shows the canonical
// duration, the effective expiry and the exact request (or the precise refusal).
import init, { buildRequest, effectiveExpiry, parseExpiry } from "./pkg/presence_switch.js";
import { asCurl, asPowerShell } from "./export.js";

await init();

const form = /** @type {HTMLFormElement} */ (document.getElementById("form"));
const facts = /** @type {HTMLElement} */ (document.getElementById("facts"));
const errorBox = /** @type {HTMLElement} */ (document.getElementById("error"));
const requestBox = /** @type {HTMLElement} */ (document.getElementById("request"));
const copied = /** @type {HTMLElement} */ (document.getElementById("copied"));

/** @type {import("./pkg/presence_switch.js").GraphRequest | null} */
let current = null;

/** @param {string} name */
function field(name) {
  const el = /** @type {HTMLInputElement | HTMLSelectElement} */ (form.elements.namedItem(name));
  return el.value.trim();
}

/** @param {[string, string][]} rows */
function showFacts(rows) {
  facts.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

/** @param {number} ms */
function localTime(ms) {
  return new Date(ms).toLocaleString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

function update() {
  const action = field("action");
  for (const el of form.querySelectorAll("[data-for]")) {
    /** @type {HTMLElement} */ (el).hidden = !(el.getAttribute("data-for") ?? "").split(" ").includes(action);
  }
  const cloud = field("cloud");
  /** @type {HTMLElement} */ (document.getElementById("base-row")).hidden = cloud !== "custom";

  /** @type {Record<string, unknown>} */
  const input = { action, cloud, userId: field("userId") || undefined };
  if (cloud === "custom") input.graphBaseUrl = field("graphBaseUrl");
  /** @type {[string, string][]} */
  const rows = [];
  try {
    if (action === "setUserPreferredPresence" || action === "setPresence") {
      input.availability = field("availability");
      if (field("activity")) input.activity = field("activity");
      const text = field("expiration");
      if (text) {
        // "until 17:30" is resolved here, in local time, into a duration the request can carry.
        const expiry = parseExpiry(text, Date.now(), new Date().getTimezoneOffset());
        input.expiration = expiry.iso;
        rows.push(["Canonical duration", `${expiry.iso} (${expiry.seconds} s)`]);
      }
      if (action === "setUserPreferredPresence") {
        const effective = effectiveExpiry({
          availability: field("availability"),
          expiration: /** @type {string | undefined} */ (input.expiration),
          nowMs: Date.now(),
        });
        rows.push([
          "Lasts until",
          `${localTime(effective.untilMs)}${effective.isDefault ? ` (Graph's default: ${effective.iso})` : ""}`,
        ]);
      }
    }
    if (action === "setPresence" || action === "clearPresence") input.sessionId = field("sessionId");
    if (action === "setStatusMessage") input.message = field("message");
    current = buildRequest(/** @type {any} */ (input));
    errorBox.hidden = true;
    const lines = [`${current.method} ${current.url}`];
    for (const [name, value] of Object.entries(current.headers)) lines.push(`${name}: ${value}`);
    if (current.body !== null) lines.push("", JSON.stringify(JSON.parse(current.body), null, 2));
    requestBox.textContent = lines.join("\n");
  } catch (e) {
    current = null;
    const err = /** @type {{ code?: string, field?: string, message?: string }} */ (e);
    errorBox.hidden = false;
    errorBox.textContent = `${err.code ?? "error"}${err.field ? ` (${err.field})` : ""}: ${err.message}`;
    requestBox.textContent = "";
  }
  showFacts(rows);
}

/** @param {string} text */
async function copy(text) {
  if (!text) return;
  await navigator.clipboard.writeText(text);
  copied.textContent = "Copied";
  setTimeout(() => (copied.textContent = ""), 1500);
}

form.addEventListener("input", update);
/** @type {HTMLElement} */ (document.getElementById("copy-curl")).addEventListener("click", () => current && copy(asCurl(current)));
/** @type {HTMLElement} */ (document.getElementById("copy-ps")).addEventListener("click", () => current && copy(asPowerShell(current)));
update();
