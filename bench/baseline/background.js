// @ts-check
/**
 * Bench baseline service worker: the floor for an extension doing Presence Switch's job.
 * A hand-written fetch, no wasm, no MSAL: the access token comes from the presence simulator's
 * `/_sim/token` control endpoint once per worker start and stays in this module's memory (never
 * logged, never stored). The simulator URL is `benchSim` in chrome.storage.local (set by
 * bench/run.mjs). Listeners are registered synchronously at top level, like the real extension.
 */

const SCOPES = ["Presence.ReadWrite", "User.Read"];

/** @type {Record<string, { availability?: string, expiration?: string, reset?: boolean }>} */
const COMMANDS = {
  "set-busy": { availability: "Busy" },
  "set-available": { availability: "Available" },
  "toggle-dnd": { availability: "DoNotDisturb", expiration: "PT1H" },
  "reset-status": { reset: true },
};

/** @typedef {{ base: string, token: string }} Conn */

/** @type {Promise<Conn> | null} */
let conn = null;

/** Token at worker start (work the command needs anyway); retried on the next use after a failure. */
function connection() {
  if (!conn) {
    conn = (async () => {
      const { benchSim } = await chrome.storage.local.get("benchSim");
      if (typeof benchSim !== "string") {
        throw new Error("benchSim not configured");
      }
      const res = await fetch(`${benchSim}/_sim/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scopes: SCOPES }),
      });
      if (!res.ok) {
        throw new Error(`token endpoint answered ${res.status}`);
      }
      const body = await res.json();
      return { base: benchSim, token: String(body.access_token) };
    })();
    conn.catch(() => {
      conn = null;
    });
  }
  return conn;
}
// Fetch the token at worker start, as ours warms up; a failure shows on the first command.
connection().catch((/** @type {unknown} */ e) => console.warn("baseline: no token at start:", e));

/**
 * @param {string} method
 * @param {string} path under /v1.0/me/presence
 * @param {object} [body]
 */
async function graph(method, path, body) {
  const { base, token } = await connection();
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${token}`, "client-request-id": crypto.randomUUID() };
  if (body) {
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(`${base}/v1.0/me/presence${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) {
    throw new Error(`${method} ${path} answered ${res.status}`);
  }
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** @param {string} availability @param {string} [expiration] */
function setPreferred(availability, expiration) {
  const activity = availability === "Offline" ? "OffWork" : availability;
  return graph("POST", "/setUserPreferredPresence", { availability, activity, ...(expiration ? { expirationDuration: expiration } : {}) });
}

async function readBack() {
  const p = await graph("GET", "");
  const presence = { availability: p.availability, activity: p.activity, readAtMs: Date.now() };
  await chrome.storage.session.set({ presence });
  return presence;
}

/** @param {string | null} availability */
async function badge(availability) {
  await chrome.action.setBadgeText({ text: availability ? availability.slice(0, 3).toUpperCase() : "" });
}

/**
 * The keyboard command: exactly one write; the cache gets what was written (no read-back).
 * @param {string} name
 */
async function handleCommand(name) {
  const c = COMMANDS[name];
  if (!c) {
    throw new Error(`no command ${name}`);
  }
  if (c.reset) {
    await graph("POST", "/clearUserPreferredPresence", {});
    await badge(null);
    return;
  }
  const availability = /** @type {string} */ (c.availability);
  await setPreferred(availability, c.expiration);
  await badge(availability);
  await chrome.storage.session.set({ presence: { availability, activity: availability, readAtMs: Date.now() } });
}

/**
 * Meeting auto-set, the same job as ours: read before the join write (what to restore), and read
 * again before the restore (leave a status the user changed meanwhile alone).
 */
let beforeMeeting = /** @type {string | null} */ (null);
async function meetingJoined() {
  const p = await graph("GET", "");
  beforeMeeting = p.availability;
  await setPreferred("Busy");
}
async function meetingLeft() {
  const p = await graph("GET", "");
  if (p.availability === "Busy") {
    await graph("POST", "/clearUserPreferredPresence", {});
  }
  beforeMeeting = null;
}

/** @param {any} msg */
async function dispatch(msg) {
  switch (msg?.type) {
    case "presence/get":
      return await readBack();
    case "presence/set":
      await setPreferred(String(msg.availability));
      return await readBack();
    case "meeting/joined":
      return await meetingJoined();
    case "meeting/left":
      return await meetingLeft();
    default:
      throw new Error(`unknown message ${String(msg?.type)}`);
  }
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || typeof msg?.type !== "string" || msg.type.startsWith("bench/")) {
    return false;
  }
  dispatch(msg).then(
    (value) => sendResponse({ ok: true, value }),
    (e) => sendResponse({ ok: false, error: { code: "failed", message: String(e?.message ?? e) } }),
  );
  return true;
});

chrome.commands.onCommand.addListener((name) => {
  handleCommand(name).catch((e) => console.warn(`command ${name} failed:`, String(e?.message ?? e)));
});

/** Same test hook as the real extension: the bench calls the handler the listener calls. */
/** @type {any} */ (globalThis).__presenceSwitchTest = { handleCommand };

// The same mark as ours at the end of its worker's evaluation (the bench's cold timeline).
performance.mark("ps:evaluated");
