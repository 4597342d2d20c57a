// @ts-check
/**
 * Where the single MSAL PublicClientApplication lives, behind a three-function interface:
 * `call(type, payload)`, `callIfOpen(type, payload)` (never opens the host) and `reset()`.
 *
 * Chromium: an offscreen document (msal-browser refuses to run in a service worker,
 * https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/3923), reached by
 * runtime messages. A Firefox build (event page with a DOM, no offscreen API) swaps this module
 * for one that calls offscreen.js's handler in-process; nothing else changes.
 */
import { OFFSCREEN_PREFIX } from "./messages.js";
import { ShellError } from "./errors.js";

const OFFSCREEN_URL = "offscreen.html";

/** @type {Promise<void> | null} */
let creating = null;
/**
 * Send without asking `hasDocument` first (one round trip less on every worker start): true
 * until the document is known to be closed. A message that finds no receiver checks, creates
 * the document and is sent again, so nothing is handled twice.
 */
let assumeDocument = true;

async function ensureDocument() {
  if (await chrome.offscreen.hasDocument()) {
    return;
  }
  if (!creating) {
    creating = chrome.offscreen
      .createDocument({
        url: OFFSCREEN_URL,
        // MSAL keeps its token cache in the document's localStorage (KMSI keeps it across reloads).
        reasons: [chrome.offscreen.Reason.LOCAL_STORAGE],
        justification: "Hosts the Microsoft sign-in library (MSAL), which needs a DOM and localStorage.",
      })
      .finally(() => {
        creating = null;
      });
  }
  await creating;
}

/**
 * Sends one request to the auth host and unwraps its envelope.
 * @param {string} type one of Msg.OFFSCREEN_*
 * @param {object} payload
 * @returns {Promise<any>}
 */
export async function call(type, payload) {
  if (!type.startsWith(OFFSCREEN_PREFIX)) {
    throw new ShellError("internal", `not an auth-host message: ${type}`);
  }
  const checked = !assumeDocument;
  if (checked) {
    await ensureDocument();
    assumeDocument = true;
  }
  const message = { type, ...payload };
  /** @type {import("./messages.js").Envelope | undefined} */
  let reply;
  /** @type {unknown} */
  let failure = null;
  try {
    reply = await chrome.runtime.sendMessage(message);
  } catch (e) {
    failure = e;
  }
  if ((failure !== null || !reply) && !checked && !(await chrome.offscreen.hasDocument())) {
    await ensureDocument();
    failure = null;
    reply = await chrome.runtime.sendMessage(message);
  }
  if (failure !== null) {
    throw failure;
  }
  if (!reply) {
    throw new ShellError("authHostUnavailable", `auth host gave no answer to ${type}`);
  }
  if (!reply.ok) {
    throw new ShellError(reply.error.code, reply.error.message);
  }
  return reply.value;
}

/**
 * Like `call`, but only if the auth host is open: never creates the document, and answers null
 * when no document received the message (the worker-start token, lib/worker-start.js).
 * @param {string} type one of Msg.OFFSCREEN_*
 * @param {object} payload
 * @returns {Promise<any>} the value, or null when no auth host answered
 */
export async function callIfOpen(type, payload) {
  if (!type.startsWith(OFFSCREEN_PREFIX)) {
    throw new ShellError("internal", `not an auth-host message: ${type}`);
  }
  /** @type {import("./messages.js").Envelope | undefined} */
  let reply;
  try {
    reply = await chrome.runtime.sendMessage({ type, ...payload });
  } catch {
    return null; // no receiver: the document is not open
  }
  if (!reply) {
    return null;
  }
  if (!reply.ok) {
    throw new ShellError(reply.error.code, reply.error.message);
  }
  return reply.value;
}

/** Drops the auth host (settings changed: a new client id or authority needs a new MSAL instance). */
export async function reset() {
  assumeDocument = false;
  if (await chrome.offscreen.hasDocument()) {
    await chrome.offscreen.closeDocument();
  }
}
