// @ts-check
/**
 * Pure helpers around the settings object (no chrome.*, no wasm): what the core's `cloudConfig`
 * gets for a given settings object, and the redirect-free part of validation the core cannot do.
 */

export const CLOUDS = Object.freeze(["global", "usGovL4", "usGovL5", "china", "custom"]);

/**
 * The input for the core's `cloudConfig`: custom endpoints are passed only for the custom cloud,
 * because the core refuses fields that do not apply.
 * @param {import("./storage.js").Settings} s
 * @returns {import("./presence.js").CloudConfigInput}
 */
export function cloudInput(s) {
  /** @type {import("./presence.js").CloudConfigInput} */
  const input = { cloud: /** @type {import("./presence.js").Cloud} */ (s.cloud), tenant: s.tenant || "organizations" };
  if (s.cloud === "custom") {
    input.graphBaseUrl = s.graphBaseUrl ?? "";
    input.loginBaseUrl = s.loginBaseUrl ?? "";
  }
  return input;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The client id is an Entra application (client) id: a GUID. The core does not see it (it is an
 * MSAL setting), so the shell checks it.
 * @param {string} clientId
 */
export function isClientId(clientId) {
  return GUID.test(clientId.trim());
}

/**
 * Host-permission origin pattern for a custom endpoint (e.g. `http://127.0.0.1:8080` →
 * `http://127.0.0.1/*`; ports are not part of match patterns).
 * @param {string} baseUrl
 */
export function originPattern(baseUrl) {
  const u = new URL(baseUrl);
  return `${u.protocol}//${u.hostname}/*`;
}

/**
 * Meeting auto-set: the sites the core's matchMeeting knows (custom patterns aside), in the order
 * the options page lists them, with the trigger each uses unless the user picks another.
 *
 * - "join": the content script reports `joined` when the page shows its in-call control (a
 *   language-independent DOM signal, see content/meeting.js), `left` when it goes away.
 * - "visit": the URL rule alone counts; opening the meeting page is joining. For sites whose DOM
 *   gives no signal we trust (Webex, Whereby).
 * @type {ReadonlyArray<{ site: MeetingSite, labelKey: string, defaultTrigger: MeetingTrigger, detects: boolean }>}
 */
export const MEETING_SITES = Object.freeze([
  { site: "googleMeet", labelKey: "siteGoogleMeet", defaultTrigger: "join", detects: true },
  { site: "zoom", labelKey: "siteZoom", defaultTrigger: "join", detects: true },
  { site: "jitsi", labelKey: "siteJitsi", defaultTrigger: "join", detects: true },
  { site: "webex", labelKey: "siteWebex", defaultTrigger: "visit", detects: false },
  { site: "whereby", labelKey: "siteWhereby", defaultTrigger: "visit", detects: false },
]);

/** Safety expiries offered in the options (the core accepts PT5M..P1D). */
export const MEETING_SAFETY_EXPIRIES = Object.freeze(["PT1H", "PT2H", "PT4H", "PT8H"]);

/**
 * @typedef {"googleMeet" | "zoom" | "webex" | "jitsi" | "whereby"} MeetingSite
 * @typedef {"join" | "visit"} MeetingTrigger
 * @typedef {{ enabled: boolean, trigger: MeetingTrigger }} MeetingSiteSettings
 * @typedef {{ enabled: boolean, status: "Busy" | "DoNotDisturb", safetyExpiry: string,
 *   sites: Record<MeetingSite, MeetingSiteSettings>, customPatterns: string[] }} MeetingSettings
 */

/**
 * The stored meeting settings with every gap filled by its default (auto-set on, Busy, PT4H,
 * every site on with its default trigger, no custom patterns). Unknown or ill-typed values fall
 * back to the default, so an old or hand-edited record can never switch on something odd.
 * @param {any} stored
 * @returns {MeetingSettings}
 */
export function meetingSettings(stored) {
  const s = stored && typeof stored === "object" ? stored : {};
  /** @type {Record<string, MeetingSiteSettings>} */
  const sites = {};
  for (const { site, defaultTrigger } of MEETING_SITES) {
    const got = s.sites && typeof s.sites === "object" ? s.sites[site] : undefined;
    sites[site] = {
      enabled: typeof got?.enabled === "boolean" ? got.enabled : true,
      trigger: got?.trigger === "join" || got?.trigger === "visit" ? got.trigger : defaultTrigger,
    };
  }
  return {
    enabled: typeof s.enabled === "boolean" ? s.enabled : true,
    status: s.status === "DoNotDisturb" ? "DoNotDisturb" : "Busy",
    safetyExpiry: MEETING_SAFETY_EXPIRIES.includes(s.safetyExpiry) ? s.safetyExpiry : "PT4H",
    sites: /** @type {Record<MeetingSite, MeetingSiteSettings>} */ (sites),
    customPatterns: Array.isArray(s.customPatterns) ? s.customPatterns.filter((/** @type {unknown} */ p) => typeof p === "string") : [],
  };
}

/**
 * What a meeting page of `site` does under these settings: its trigger, or null when auto-set is
 * off for it. Custom patterns are "visit" (no content script runs there).
 * @param {MeetingSettings} settings
 * @param {string} site
 * @returns {MeetingTrigger | null}
 */
export function meetingTrigger(settings, site) {
  if (!settings.enabled) {
    return null;
  }
  if (site === "custom") {
    return "visit";
  }
  const s = settings.sites[/** @type {MeetingSite} */ (site)];
  return s?.enabled ? s.trigger : null;
}

/**
 * The preferred presence this extension itself last set (lib/actions.js `lastSet`), as the
 * meeting machine's `ownPreferred`: only while it has a known expiry that is still ahead. A
 * status with no known end cannot be "restored with its remaining time".
 * @param {{ availability?: string, untilMs?: number | null } | null | undefined} lastSet
 * @param {number} nowMs
 * @returns {{ availability: string, activity: string, expiresAtMs: number } | null}
 */
export function ownPreferred(lastSet, nowMs) {
  if (!lastSet || typeof lastSet.availability !== "string" || typeof lastSet.untilMs !== "number" || lastSet.untilMs <= nowMs) {
    return null;
  }
  const activity = lastSet.availability === "Offline" ? "OffWork" : lastSet.availability;
  return { availability: lastSet.availability, activity, expiresAtMs: lastSet.untilMs };
}
