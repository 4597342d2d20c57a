// @ts-check
/**
 * Outcome reporting without a window: the toolbar badge, and a notification on failure.
 */
import { statusInfo } from "./status.js";
import { errorMessageKey } from "./errors.js";
import { t } from "./i18n.js";

/**
 * Shows the state this extension just set (or clears the badge after a reset).
 * @param {string | null} availability
 */
export async function showState(availability) {
  const info = availability ? statusInfo(availability) : null;
  // Independent calls: issued together rather than one round trip after another.
  await Promise.all([
    chrome.action.setBadgeText({ text: info ? t(info.badgeKey) : "" }),
    info ? chrome.action.setBadgeBackgroundColor({ color: info.color }) : undefined,
    chrome.action.setTitle({
      title: info ? `${chrome.i18n.getMessage("extName")}: ${chrome.i18n.getMessage(info.labelKey)}` : chrome.i18n.getMessage("extName"),
    }),
  ]);
}

/**
 * A failed background action: "!" on the badge plus a notification with the actionable text.
 * @param {import("./messages.js").ErrorData} error
 */
export async function showFailure(error) {
  await chrome.action.setBadgeText({ text: "!" });
  await chrome.action.setBadgeBackgroundColor({ color: "#C4314B" });
  const key = error.code === "signInNeeded" ? "notifySignInNeeded" : errorMessageKey(error.code);
  const message = chrome.i18n.getMessage(key, [String(error.retryAfterSeconds ?? "")]);
  await chrome.action.setTitle({ title: `${chrome.i18n.getMessage("extName")}: ${message}` });
  await chrome.notifications.create(`presence-switch-${error.code}`, {
    type: "basic",
    iconUrl: chrome.runtime.getURL("icons/128.png"),
    title: chrome.i18n.getMessage("extName"),
    message,
    priority: 1,
  });
}

/**
 * Meeting auto-set on the badge: while meeting tabs are open, "MTG" (localised) in the meeting
 * colour; afterwards, back to what the popup's own last status shows (or nothing). A failure
 * badge ("!") is left alone when the meeting ends, so an unread problem is not hidden.
 * @param {boolean} active
 * @param {string | null} ownAvailability the popup's unexpired last status, if any
 */
export async function showMeeting(active, ownAvailability) {
  if (active) {
    await chrome.action.setBadgeText({ text: chrome.i18n.getMessage("badgeMeeting") });
    await chrome.action.setBadgeBackgroundColor({ color: "#5B5FC7" });
    await chrome.action.setTitle({ title: `${chrome.i18n.getMessage("extName")}: ${chrome.i18n.getMessage("titleMeetingActive")}` });
    return;
  }
  if ((await chrome.action.getBadgeText({})) === "!") {
    return;
  }
  await showState(ownAvailability);
}
