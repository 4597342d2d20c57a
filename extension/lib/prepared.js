// @ts-check
/**
 * Requests of the keyboard commands built ahead. After a command's write was answered, the same
 * request (with a new client-request-id) is built by the core in idle time and kept, by its
 * fields, in memory and in chrome.storage.session (a request carries no token; lib/auth.js adds
 * it when sending). The next press of that key, also in a worker started later, sends it
 * without calling the core first. Each request is used once, and only with the configuration it
 * was built for and to its Graph host; session storage is cleared with the browser session and
 * when the extension is updated.
 */
import { buildRequest, ready } from "./presence.js";
import { currentConfig, isGraphUrl } from "./auth.js";
import { toErrorData } from "./errors.js";
import { setSession, SessionKey } from "./storage.js";
import { sessionAtStart } from "./worker-start.js";

/**
 * @typedef {{ cfgKey: string, request: import("./presence.js").GraphRequest }} Prepared
 */

/** Loaded once per worker from the worker-start read. @type {Promise<Map<string, Prepared>> | null} */
let table = null;

function loaded() {
  table ??= sessionAtStart.then(
    (got) => new Map(Object.entries(got[SessionKey.PREPARED] ?? {})),
    () => new Map(),
  );
  return table;
}

/**
 * The core's request for `fields` with this configuration's cloud and a new client-request-id.
 * @param {import("./auth.js").Config} cfg
 * @param {import("./presence.js").RequestInput} fields
 */
export function buildFor(cfg, fields) {
  return buildRequest({
    ...fields,
    cloud: cfg.cloud.cloud,
    ...(cfg.cloud.cloud === "custom" ? { graphBaseUrl: cfg.cloud.graphBaseUrl } : {}),
    clientRequestId: crypto.randomUUID(),
  });
}

/**
 * Takes (removes) the request built ahead for these fields; null if there is none for this
 * configuration. What came from storage is used only if it goes to this configuration's Graph
 * host (the token is sent to it).
 * @param {string} fieldsKey JSON of the fields
 * @param {import("./auth.js").Config} cfg
 * @returns {Promise<import("./presence.js").GraphRequest | null>}
 */
export async function takePrepared(fieldsKey, cfg) {
  const map = await loaded();
  const entry = map.get(fieldsKey);
  map.delete(fieldsKey);
  return entry && entry.cfgKey === cfg.key && typeof entry.request?.url === "string" && isGraphUrl(cfg, entry.request.url) ? entry.request : null;
}

/**
 * After the request for these fields was answered: builds the next one (after a success) and
 * stores the table, in a later task, so nothing of it runs while a request is on its way out.
 * @param {string} fieldsKey
 * @param {import("./presence.js").RequestInput} fields
 * @param {boolean} succeeded
 */
export function prepareNext(fieldsKey, fields, succeeded) {
  setTimeout(() => {
    (async () => {
      const map = await loaded();
      if (succeeded) {
        const cfg = await currentConfig();
        await ready;
        map.set(fieldsKey, { cfgKey: cfg.key, request: buildFor(cfg, fields) });
      }
      await setSession(SessionKey.PREPARED, Object.fromEntries(map));
    })().catch((/** @type {unknown} */ e) => {
      // Nothing lost: the next press builds its own request and reports what fails.
      console.debug(`no request built ahead (code ${toErrorData(e).code})`);
    });
  }, 0);
}
