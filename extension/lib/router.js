// @ts-check
/**
 * The one message dispatcher of the service worker: a switch on the namespaced types of
 * lib/messages.js, answering `{ok: true, value}` or `{ok: false, error: {code, message}}`.
 * Nothing it returns contains a token.
 */
import { Msg } from "./messages.js";
import { ShellError, toErrorData } from "./errors.js";
import { STATUSES } from "./status.js";
import * as auth from "./auth.js";
import * as actions from "./actions.js";
import * as meeting from "./meeting.js";

const SETTABLE = new Set(STATUSES.map((s) => s.availability));

/**
 * @param {any} msg
 * @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<import("./messages.js").Envelope>}
 */
export async function handleMessage(msg, sender) {
  try {
    if (sender.id !== chrome.runtime.id) {
      throw new ShellError("forbidden", "messages are accepted from this extension only");
    }
    if (!sender.url?.startsWith(chrome.runtime.getURL(""))) {
      // Not an extension page, so one of our content scripts (meeting sites): it may only use
      // the token-free meeting/* messages, which lib/meeting.js checks and counts.
      return await meeting.handleContentMessage(msg, sender);
    }
    // Extension pages (popup, options; also when opened in a tab).
    return { ok: true, value: await dispatch(msg) };
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  }
}

/** @param {any} msg */
async function dispatch(msg) {
  switch (msg?.type) {
    case Msg.AUTH_STATE:
      return await auth.account();
    case Msg.AUTH_SIGN_IN:
      return await auth.signIn();
    case Msg.AUTH_SIGN_OUT:
      return await actions.signOut();
    case Msg.PRESENCE_GET:
      return await actions.readForPopup();
    case Msg.PRESENCE_SET:
      if (!SETTABLE.has(msg.availability)) {
        throw new ShellError("invalidValue", "availability is not one of the six preferred states", { field: "availability" });
      }
      if (msg.expiration !== undefined && typeof msg.expiration !== "string") {
        throw new ShellError("invalidDuration", "expiration must be text", { field: "expiration" });
      }
      return await actions.setStatus(msg.availability, msg.expiration);
    case Msg.PRESENCE_RESET:
      return await actions.resetStatus();
    case Msg.KEEP_PRESENT_SET:
      return await actions.setKeepPresent(msg.enabled === true);
    default:
      throw new ShellError("unknownMessage", `unknown message type ${String(msg?.type)}`);
  }
}
