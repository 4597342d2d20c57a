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
