// @ts-check
/**
 * Bench baseline meeting detector (content script on the bench's meet.google.com fixture): the
 * fixture flips `data-call-state` on <html> to "in-call" / "left"; one message per change.
 */
let last = "";
const check = () => {
  const state = document.documentElement?.dataset.callState ?? "";
  if (state === last) {
    return;
  }
  last = state;
  if (state === "in-call") {
    chrome.runtime.sendMessage({ type: "meeting/joined" }).catch(() => {});
  } else if (state === "left") {
    chrome.runtime.sendMessage({ type: "meeting/left" }).catch(() => {});
  }
};
new MutationObserver(check).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-call-state"] });
