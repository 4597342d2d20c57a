// @ts-check
/**
 * Bench baseline meeting detector (content script on the bench's meet.google.com fixture): the
 * fixture flips `data-call-state` on <html> to "in-call" / "left"; one message per change.
 *
 * To be a fair floor it does the same job as ours (extension/content/meeting.js): a change is
 * reported only once it has held for the same settle time, so a control re-rendered for a frame
 * does not start or end a meeting.
 */
const SETTLE_MS = 200;
let reported = "";
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

/** @param {string} type */
const send = (type) =>
  chrome.runtime.sendMessage({ type }).catch((/** @type {unknown} */ e) => console.warn(`baseline ${type}:`, e));

const check = () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const state = document.documentElement?.dataset.callState ?? "";
    if (state === reported) {
      return;
    }
    reported = state;
    if (state === "in-call") {
      send("meeting/joined");
    } else if (state === "left") {
      send("meeting/left");
    }
  }, SETTLE_MS);
};
new MutationObserver(check).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-call-state"] });
