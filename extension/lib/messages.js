// @ts-check
/**
 * Message types exchanged over chrome.runtime messaging, namespaced by receiver.
 *
 * - `auth/*`, `presence/*`, `keepPresent/*`: popup/options → service worker (lib/router.js).
 * - `offscreen/*`: service worker → auth host (offscreen.js). The router ignores them, the
 *   auth host ignores everything else, so exactly one side answers each message.
 * - `meeting/*`: content scripts on meeting sites → service worker (lib/meeting.js, checked by
 *   lib/meeting-guard.js). `meeting/hello` `{type}` answers `{site, meetingId, trigger}` for the
 *   sender's own page, or null; `meeting/joined` / `meeting/left` `{type, site, meetingId}`
 *   answer `{ok: true}`. Extension pages cannot send them, content scripts nothing else.
 *
 * Every answer is an envelope: `{ok: true, value}` or `{ok: false, error: {code, message}}`.
 * No message to the popup or to a content script ever carries a token.
 */

export const Msg = Object.freeze({
  AUTH_STATE: "auth/state",
  AUTH_SIGN_IN: "auth/signIn",
  AUTH_SIGN_OUT: "auth/signOut",
  PRESENCE_GET: "presence/get",
  PRESENCE_SET: "presence/set",
  PRESENCE_RESET: "presence/reset",
  KEEP_PRESENT_SET: "keepPresent/set",

  MEETING_HELLO: "meeting/hello",
  MEETING_JOINED: "meeting/joined",
  MEETING_LEFT: "meeting/left",

  OFFSCREEN_SILENT: "offscreen/silent",
  OFFSCREEN_BEGIN_REDIRECT: "offscreen/beginRedirect",
  OFFSCREEN_COMPLETE_REDIRECT: "offscreen/completeRedirect",
  OFFSCREEN_ACCOUNT: "offscreen/account",
  OFFSCREEN_SIGN_OUT: "offscreen/signOut",
});

/** Prefix of the messages only the auth host answers. */
export const OFFSCREEN_PREFIX = "offscreen/";

/**
 * @typedef {"Available" | "Busy" | "DoNotDisturb" | "BeRightBack" | "Away" | "Offline"} Availability
 *
 * @typedef {{ username: string, name: string }} AccountView  what the UI may see of the account
 *
 * @typedef {{ availability: string, activity: string, sequenceNumber?: string|null }} PresenceView
 *
 * @typedef {{ code: string, message: string, retryAfterSeconds?: number }} ErrorData
 *
 * @typedef {{ ok: true, value: any } | { ok: false, error: ErrorData }} Envelope
 *
 * @typedef {{ type: "auth/state" }
 *   | { type: "auth/signIn" }
 *   | { type: "auth/signOut" }
 *   | { type: "presence/get" }
 *   | { type: "presence/set", availability: Availability, expiration?: string }
 *   | { type: "presence/reset" }
 *   | { type: "keepPresent/set", enabled: boolean }} RouterMessage
 */

/**
 * The identity of an auth host's MSAL instance: everything of its configuration that a token
 * depends on. The auth host names its instance by it, and the service worker checks a token got
 * without naming a configuration (`offscreen/silent` without `config`) against its own.
 * @param {{ clientId: string, authority: string, authorityMetadata?: string, redirectUri: string, scopes: string[] }} config
 */
export function authHostKey(config) {
  return JSON.stringify([config.clientId, config.authority, config.authorityMetadata ?? "", config.redirectUri, config.scopes]);
}
