// @ts-check
/**
 * Localisation for extension pages: every visible string comes from _locales via
 * chrome.i18n.getMessage. Elements name their message in `data-i18n` (text), `data-i18n-label`
 * (aria-label) or `data-i18n-placeholder`.
 */

/**
 * @param {string} key
 * @param {string[]} [subs]
 */
export function t(key, subs) {
  const text = chrome.i18n.getMessage(key, subs);
  if (!text) {
    console.warn(`missing message ${key}`);
    return key;
  }
  return text;
}

/** @param {ParentNode} root */
export function localize(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(/** @type {string} */ (/** @type {HTMLElement} */ (el).dataset.i18n));
  }
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(/** @type {string} */ (/** @type {HTMLElement} */ (el).dataset.i18nLabel)));
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.setAttribute("placeholder", t(/** @type {string} */ (/** @type {HTMLElement} */ (el).dataset.i18nPlaceholder)));
  }
  document.documentElement.lang = chrome.i18n.getUILanguage();
}

/**
 * "17:30", "Wed 17:30" or "12 Dec 17:30", in the browser's language.
 * @param {number} untilMs
 * @param {number} nowMs
 */
export function formatUntil(untilMs, nowMs) {
  const lang = chrome.i18n.getUILanguage();
  const until = new Date(untilMs);
  const now = new Date(nowMs);
  const sameDay = until.toDateString() === now.toDateString();
  const withinWeek = untilMs - nowMs < 6 * 24 * 3600_000;
  /** @type {Intl.DateTimeFormatOptions} */
  const opts = sameDay
    ? { hour: "2-digit", minute: "2-digit" }
    : withinWeek
      ? { weekday: "short", hour: "2-digit", minute: "2-digit" }
      : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(lang, opts).format(until);
}
