// @ts-check
/**
 * Outcome reporting without a window: the toolbar badge, and a notification on failure.
 */
import { statusInfo } from "./status.js";
import { errorMessageKey } from "./errors.js";

/**
 * Shows the state this extension just set (or clears the badge after a reset).
 * @param {string | null} availability
 */
export async function showState(availability) {
  const info = availability ? statusInfo(availability) : null;
  await chrome.action.setBadgeText({ text: info ? info.badge : "" });
  if (info) {
    await chrome.action.setBadgeBackgroundColor({ color: info.color });
  }
  await chrome.action.setTitle({
    title: info ? `${chrome.i18n.getMessage("extName")}: ${chrome.i18n.getMessage(info.labelKey)}` : chrome.i18n.getMessage("extName"),
  });
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
