// @ts-check
/**
 * Content script for the meeting sites (manifest `content_scripts`, top frame only, at
 * document_idle). It tells lobby from call and reports the change to the service worker; that
 * is all. It never sees a token or a presence: the worker answers only which meeting this page
 * is (from the core's URL rules) and whether it counts on join or on visit.
 *
 * Signals never depend on the UI language: icon ligatures, data attributes and class names,
 * never labels (see IN_CALL). Changes are observed with a MutationObserver plus a 1 s poll
 * (which also catches single-page navigations), and reported once they have held for
 * SETTLE_MS, so a control re-rendered for a frame does not end a meeting.
 */
import { Msg } from "../lib/messages.js";
import { LocalKey } from "../lib/storage.js";

/** A change must hold this long before it is reported (the latency budget allows ≤ 300 ms). */
const SETTLE_MS = 200;
const POLL_MS = 1000;

/**
 * In a call, per site. Lobbies and "you left" screens have no leave control.
 * @type {Record<string, (doc: Document) => boolean>}
 */
const IN_CALL = {
  // The leave-call button holds the Material icon ligature `call_end` (same text in every UI
  // language); `.google-material-icons` before the 2024 redesign, `.google-symbols` after. The
  // call-ended screen marks itself with data-call-ended.
  googleMeet: (doc) => {
    if (doc.querySelector('[data-call-ended="true"]')) {
      return false;
    }
    for (const icon of doc.querySelectorAll("button .google-material-icons, button .google-symbols")) {
      if (icon.textContent?.trim() === "call_end") {
        return true;
      }
    }
    return false;
  },
  // Zoom web client (/wc/…): the meeting footer's leave button, by class (its label is
  // translated). The join page and the waiting room have no footer.
  zoom: (doc) => doc.querySelector(".footer__leave-btn, .footer__leave-btn-container") !== null,
  // Jitsi Meet: the toolbox hang-up button (class set by the app, not translated); the prejoin
  // screen has no toolbox.
  jitsi: (doc) => doc.querySelector("#new-toolbox .hangup-button, #new-toolbox .hangup-menu-button") !== null,
};

/** @type {{ site: string, meetingId: string, trigger: "join" | "visit" } | null} */
let page = null;
/** What the worker was last told: the meeting we reported as joined, if any. */
/** @type {{ site: string, meetingId: string } | null} */
let reported = null;
let href = location.href;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let settleTimer;
let stopped = false;

/**
 * @param {any} message
 * @returns {Promise<any>}
 */
async function send(message) {
  try {
    return await chrome.runtime.sendMessage(message);
  } catch (e) {
    // The extension was reloaded or removed: this script is orphaned and stops for good.
    console.warn("Presence Switch: the extension is gone, meeting detection stops:", String(e));
    stop();
    return null;
  }
}

function inCall() {
  if (!page) {
    return false;
  }
  if (page.trigger === "visit") {
    return true;
  }
  const detect = IN_CALL[page.site];
  return detect ? detect(document) : false;
}

function reportLeft() {
  if (reported) {
    const r = reported;
    reported = null;
    send({ type: Msg.MEETING_LEFT, site: r.site, meetingId: r.meetingId });
  }
}

/** @param {{ site: string, meetingId: string } | null} m */
const key = (m) => (m ? `${m.site}\n${m.meetingId}` : null);

/** The meeting this page should be reported as in now, or null. */
const wanted = () => (inCall() ? key(page) : null);

/** Compares the page with what was reported, and reports a change that has settled. */
function check() {
  if (stopped) {
    return;
  }
  if (location.href !== href) {
    // A single-page navigation: ask which meeting this is now; an unchanged meeting (a query
    // or fragment change) is no change at all.
    href = location.href;
    hello();
    return;
  }
  if (wanted() === key(reported)) {
    clearTimeout(settleTimer);
    settleTimer = undefined;
    return;
  }
  if (settleTimer !== undefined) {
    return;
  }
  settleTimer = setTimeout(() => {
    settleTimer = undefined;
    if (stopped) {
      return;
    }
    const now = wanted();
    if (reported && key(reported) !== now) {
      reportLeft();
    }
    if (now && !reported && page) {
      reported = { site: page.site, meetingId: page.meetingId };
      send({ type: Msg.MEETING_JOINED, site: page.site, meetingId: page.meetingId });
    }
  }, SETTLE_MS);
}

/** Asks the worker what this page is (the URL rules live in the core, not here). */
async function hello() {
  const asked = location.href;
  const reply = await send({ type: Msg.MEETING_HELLO });
  if (asked !== location.href) {
    return; // navigated meanwhile; the next check asks again
  }
  page = reply?.ok && reply.value ? reply.value : null;
  check();
}

function stop() {
  stopped = true;
  observer.disconnect();
  clearInterval(poll);
  clearTimeout(settleTimer);
}

// One check per batch of mutations (the observer already delivers them together, once per
// microtask checkpoint); check() is a few selector queries, and the settle timer it starts is
// what keeps a re-rendered control from counting as a change.
const observer = new MutationObserver(check);
observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["data-call-ended", "class"] });
const poll = setInterval(check, POLL_MS);

// Leaving the page (close, reload, navigation) ends the call; pagehide is the last reliable
// moment to say so. Back/forward cache: the page may come back, and then it is asked again.
addEventListener("pagehide", () => {
  clearTimeout(settleTimer);
  settleTimer = undefined;
  reportLeft();
});
addEventListener("pageshow", (e) => {
  if (/** @type {PageTransitionEvent} */ (e).persisted) {
    hello();
  }
});
// Options changed (a site switched on or off, on visit ↔ on join): ask again.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && LocalKey.MEETING_SETTINGS in changes) {
    hello();
  }
});

hello();
