// @ts-check
/**
 * Which content-script messages the service worker believes (pure: no chrome.*, no wasm; the
 * URL rule comes in as `match`, which is the core's matchMeeting in the worker).
 *
 * A content script runs in a page's renderer, so its messages are only claims. One is accepted
 * only when all of these hold:
 * - it comes from this extension (`sender.id`), from a tab's top frame (`sender.tab.id`,
 *   `sender.frameId === 0`), from a page (not an extension page);
 * - it has exactly the expected shape (no extra keys, strings where strings belong);
 * - the tab's URL, as the browser reports it (`sender.url`), is a meeting by the core's rules,
 *   and `joined` names that very site and meeting id.
 * `left` is also accepted when it names exactly the meeting the same tab joined, although the URL
 * may have moved on (a single-page app that navigated away from the call): it can only end what
 * a believed `joined` started in that tab.
 */

import { Msg } from "./messages.js";

/** Content script → service worker message types. */
export const MeetingMsg = Object.freeze({
  HELLO: Msg.MEETING_HELLO,
  JOINED: Msg.MEETING_JOINED,
  LEFT: Msg.MEETING_LEFT,
});

const SITES = new Set(["googleMeet", "zoom", "webex", "jitsi", "whereby", "custom"]);
const MAX_ID = 512;

/**
 * @typedef {{ site: string, meetingId: string }} MeetingRef
 * @typedef {{ ok: true, type: string, tabId: number, url: string, meeting: MeetingRef }
 *   | { ok: false, reason: string }} GuardResult
 */

/**
 * @param {any} msg
 * @param {{ id?: string, tab?: { id?: number }, frameId?: number, url?: string }} sender
 * @param {{ runtimeId: string, extensionOrigin: string, match: (url: string) => MeetingRef | null,
 *   trackedMeeting: (tabId: number) => MeetingRef | null }} ctx
 * @returns {GuardResult}
 */
export function checkContentMessage(msg, sender, ctx) {
  if (sender.id !== ctx.runtimeId) {
    return { ok: false, reason: "sender" };
  }
  const tabId = sender.tab?.id;
  if (typeof tabId !== "number" || !Number.isSafeInteger(tabId) || tabId < 0) {
    return { ok: false, reason: "noTab" };
  }
  if (sender.frameId !== 0) {
    return { ok: false, reason: "frame" };
  }
  const url = sender.url;
  if (typeof url !== "string" || url.startsWith(ctx.extensionOrigin)) {
    return { ok: false, reason: "url" };
  }
  if (!msg || typeof msg !== "object" || Array.isArray(msg)) {
    return { ok: false, reason: "shape" };
  }
  const keys = Object.keys(msg).sort().join();
  if (msg.type === MeetingMsg.HELLO) {
    if (keys !== "type") {
      return { ok: false, reason: "shape" };
    }
  } else if (msg.type === MeetingMsg.JOINED || msg.type === MeetingMsg.LEFT) {
    const idOk = typeof msg.meetingId === "string" && msg.meetingId.length > 0 && msg.meetingId.length <= MAX_ID;
    if (keys !== "meetingId,site,type" || !SITES.has(msg.site) || !idOk) {
      return { ok: false, reason: "shape" };
    }
  } else {
    return { ok: false, reason: "type" };
  }
  let found;
  try {
    found = ctx.match(url);
  } catch (e) {
    // An invalid custom pattern in storage: nothing matches until the options fix it.
    console.warn("meeting: matching the sender URL failed:", /** @type {any} */ (e)?.code ?? String(e));
    found = null;
  }
  if (msg.type === MeetingMsg.HELLO) {
    return found ? { ok: true, type: msg.type, tabId, url, meeting: found } : { ok: false, reason: "notMeeting" };
  }
  const claimed = { site: msg.site, meetingId: msg.meetingId };
  if (found && same(found, claimed)) {
    return { ok: true, type: msg.type, tabId, url, meeting: found };
  }
  if (msg.type === MeetingMsg.LEFT) {
    const tracked = ctx.trackedMeeting(tabId);
    if (tracked && same(tracked, claimed)) {
      return { ok: true, type: msg.type, tabId, url, meeting: tracked };
    }
  }
  return { ok: false, reason: found ? "mismatch" : "notMeeting" };
}

/** @param {MeetingRef} a @param {MeetingRef} b */
function same(a, b) {
  return a.site === b.site && a.meetingId === b.meetingId;
}
