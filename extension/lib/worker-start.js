// @ts-check
/**
 * The service worker's first module: background.js imports it before any other, so what the
 * event that woke the worker will need is asked for while the rest of the bundle is still being
 * evaluated (several milliseconds on a slow machine), not after:
 *
 * - one chrome.storage.local and one chrome.storage.session read of what the first request
 *   needs (settings, sign-out marker, cached auth configuration, account view; the keyboard
 *   commands' actions, their requests built ahead, and whether a throttled write waits for its
 *   retry);
 * - a silent token from the auth host's MSAL instance, if the auth host is open (it usually
 *   outlives the worker). The request names no configuration, since none is read yet; the
 *   answer carries the key of the one it used, and lib/auth.js uses the token only if that key
 *   is its own and someone signed in this browser session and did not sign out. Never opens
 *   the auth host, never a window; a token it does not use is dropped.
 *
 * lib/auth.js `warmUp`, lib/prepared.js and lib/actions.js (`currentCommandActions`, `cancelPendingRetry`) take
 * these once, from the worker's top level or its first handler; later reads go to storage.
 */
import { callIfOpen } from "./auth-host.js";
import { Msg } from "./messages.js";
import { LocalKey, SessionKey } from "./storage.js";

/** @type {Promise<Record<string, any>>} */
export const localAtStart = chrome.storage.local.get([LocalKey.SETTINGS, LocalKey.SIGNED_OUT, LocalKey.COMMAND_ACTIONS]);
/** @type {Promise<Record<string, any>>} */
export const sessionAtStart = chrome.storage.session.get([SessionKey.AUTH_CONFIG, SessionKey.ACCOUNT, SessionKey.PENDING_RETRY, SessionKey.PREPARED]);
/**
 * The auth host's answer (`{accessToken, expiresOnMs, account, configKey}`), or null when it is
 * not open or could not answer silently. Never rejects.
 * @type {Promise<any>}
 */
export const tokenAtStart = callIfOpen(Msg.OFFSCREEN_SILENT, {}).catch(() => null);
// Unhandled-rejection guards: a failed read is seen (and reported) by whoever takes it.
localAtStart.catch(() => {});
sessionAtStart.catch(() => {});
