// @ts-check
/**
 * The only place that names chrome.storage keys. Nothing stored here is a token: tokens live in
 * the auth host's MSAL cache and in service-worker memory only.
 *
 * - `local`: settings, the last preferred presence this extension set, keep-present switch,
 *   signed-out marker, the keyboard commands' actions, meeting auto-set settings and the meeting machine's state (local, not
 *   session: a browser restart must still find what we set, to put it back).
 * - `session`: cache for the popup (account view, last known presence), the UI status line, the
 *   count of content-script messages the service worker refused, the worker's derived auth
 *   configuration and custom-cloud openid metadata (public data, so a restarted worker skips them),
 *   and the keyboard commands' next requests built ahead (lib/prepared.js; no token in them).
 */

export const LocalKey = Object.freeze({
  /** @type {"settings"} {clientId, tenant, cloud, graphBaseUrl?, loginBaseUrl?} */
  SETTINGS: "settings",
  /** @type {"lastSet"} {availability, activity, untilMs|null, setAtMs} or null after reset */
  LAST_SET: "lastSet",
  /** @type {"keepPresent"} boolean */
  KEEP_PRESENT: "keepPresent",
  /** @type {"signedOut"} true after an explicit sign-out: no silent web sign-in until signIn() */
  SIGNED_OUT: "signedOut",
  /** @type {"commandActions"} {[command]: {kind, availability?, expiration?: string|null}}: overrides of lib/commands.js */
  COMMAND_ACTIONS: "commandActions",
  /** @type {"meetingSettings"} {enabled, status, safetyExpiry, sites: {site: {enabled, trigger}}, customPatterns} */
  MEETING_SETTINGS: "meetingSettings",
  /** @type {"meetingState"} the core's MeetingState, stored as meetingStep returned it */
  MEETING_STATE: "meetingState",
});

export const SessionKey = Object.freeze({
  /** @type {"account"} {username, name} or null */
  ACCOUNT: "account",
  /** @type {"presence"} {availability, activity, readAtMs} */
  PRESENCE: "presence",
  /** @type {"status"} {phase: "idle"|"busy"|"retrying", retryAtMs?, error?: {code, message}} */
  STATUS: "status",
  /** @type {"pendingRetry"} a throttled action waiting for a chrome.alarms wake-up */
  PENDING_RETRY: "pendingRetry",
  /** @type {"meetingRejected"} {count, lastReason, lastAtMs}: content-script messages refused */
  MEETING_REJECTED: "meetingRejected",
  /** @type {"authConfig"} {settingsKey, config: {msal, cloud, key}}: derived from the settings (no secret) */
  AUTH_CONFIG: "authConfig",
  /** @type {"openidMetadata"} {[url]: openid-configuration JSON} of custom clouds (public metadata) */
  OPENID_METADATA: "openidMetadata",
  /** @type {"prepared"} {[fields JSON]: {cfgKey, request}}: the keyboard commands' next requests, built ahead (no token) */
  PREPARED: "prepared",
});

/**
 * @typedef {{ clientId: string, tenant: string, cloud: string, graphBaseUrl?: string, loginBaseUrl?: string }} Settings
 */

/** @type {Settings} */
export const DEFAULT_SETTINGS = Object.freeze({ clientId: "", tenant: "organizations", cloud: "global" });

/** @returns {Promise<Settings>} */
export async function getSettings() {
  return settingsIn(await chrome.storage.local.get(LocalKey.SETTINGS));
}

/**
 * The settings in the result of a chrome.storage.local read that asked for them (defaults for
 * what was never saved).
 * @param {Record<string, any>} got
 * @returns {Settings}
 */
export function settingsIn(got) {
  return { ...DEFAULT_SETTINGS, ...(got[LocalKey.SETTINGS] ?? {}) };
}

/** @param {Settings} settings */
export async function setSettings(settings) {
  await chrome.storage.local.set({ [LocalKey.SETTINGS]: settings });
}

/**
 * @param {string} key one of LocalKey
 * @returns {Promise<any>}
 */
export async function getLocal(key) {
  const got = await chrome.storage.local.get(key);
  return got[key];
}

/** @param {string} key one of LocalKey  @param {any} value */
export async function setLocal(key, value) {
  await chrome.storage.local.set({ [key]: value });
}

/**
 * @param {string} key one of SessionKey
 * @returns {Promise<any>}
 */
export async function getSession(key) {
  const got = await chrome.storage.session.get(key);
  return got[key];
}

/** @param {string} key one of SessionKey  @param {any} value */
export async function setSession(key, value) {
  await chrome.storage.session.set({ [key]: value });
}

/** @param {string} key one of SessionKey */
export async function removeSession(key) {
  await chrome.storage.session.remove(key);
}
