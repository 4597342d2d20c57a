// @ts-check
/**
 * The popup's first request: the cached account and presence from chrome.storage.session.
 * popup.js imports this module before any other, so the read is on its way before the rest of
 * the popup (and long before the wasm core) is evaluated.
 */
import { SessionKey } from "./storage.js";

/** @type {Promise<Record<string, any>>} */
export const cachedState = chrome.storage.session.get([SessionKey.ACCOUNT, SessionKey.PRESENCE]);
