// @ts-check
/**
 * Service-worker side of the token broker: the ONLY service-worker module that sees tokens.
 * Tokens stay in this module's memory (and in MSAL's cache inside the auth host); this module
 * sends the core's requests with them itself (`sendAuthorized`, through the core's src/send.js), so no other module ever holds
 * one, and they are never stored, logged or sent to a page.
 *
 * Interactive sign-in: the auth host builds the authorize URL (MSAL `acquireTokenRedirect` with
 * `onRedirectNavigate` returning false), this module runs `chrome.identity.launchWebAuthFlow`
 * (the popup would die when the window takes focus), and the auth host redeems the fragment
 * (`handleRedirectPromise({hash})`).
 */
import * as host from "./auth-host.js";
import { Msg, authHostKey } from "./messages.js";
import { ShellError } from "./errors.js";
import { ready, cloudConfig } from "./presence.js";
// The core's own fetch (src/send.js, behind its sendRequest), called directly: the requests sent
// here were built and checked by the core already.
import { send } from "../../src/send.js";
import { cloudInput } from "./settings.js";
import { getSettings, settingsIn, getLocal, setLocal, getSession, setSession, removeSession, LocalKey, SessionKey } from "./storage.js";
import { localAtStart, sessionAtStart, tokenAtStart } from "./worker-start.js";
import { SingleFlight, Exclusive } from "./single-flight.js";

/** @type {{ key: string, accessToken: string, expiresOnMs: number } | null} */
let memo = null;
/** Bumped whenever `memo` is dropped on purpose (sign-out, settings change): a token acquisition
 * that started before must not put its token back. */
let memoGeneration = 0;
/**
 * The silent token acquisition started at worker start (`warmUp`), settled or not; it never
 * rejects. The first `getToken` waits for it instead of starting a second one.
 * @type {Promise<void> | null}
 */
let early = null;
/**
 * The derived configuration, loaded once per worker (settings read once) and dropped by
 * `onSettingsChanged` (the worker's chrome.storage.onChanged listener).
 * @type {Promise<Config> | null}
 */
let configMemo = null;
/** The SIGNED_OUT marker, read once per worker; this module is its only writer. @type {Promise<boolean> | null} */
let signedOutRead = null;
/**
 * The stored settings and cached derived configuration, read at worker start (`warmUp`) so the
 * first handler finds them on the way. Taken (once) by the next config load.
 * @type {Promise<[import("./storage.js").Settings, any]> | null}
 */
let storedRead = null;
/** The latest write of the account view to the session cache (not awaited before a request). */
let accountWrite = Promise.resolve();
/**
 * Token acquisitions in flight, one per (config, interactive, forceRefresh, claims): the popup's
 * read (outside the write queue) and a shortcut or alarm share one acquisition instead of
 * starting two. @type {SingleFlight<string>}
 */
const tokenFlights = new SingleFlight();
/**
 * One redirect flow (begin → web auth flow → complete) at a time: the auth host has one MSAL
 * interaction state and one captured URL, and a second begin would replace the first's.
 */
const redirectFlows = new Exclusive();

/** Tokens closer than this to expiry are refreshed before use. */
const EXPIRY_MARGIN_MS = 60_000;
/** launchWebAuthFlow without UI: Microsoft's login pages redirect by script, give them time. */
const SILENT_FLOW_TIMEOUT_MS = 10_000;

/**
 * @typedef {{ clientId: string, authority: string, knownAuthorities: string[], authorityMetadata?: string,
 *   redirectUri: string, scopes: string[] }} MsalConfig
 */

/**
 * @typedef {{ msal: MsalConfig, cloud: any, settings: import("./storage.js").Settings, key: string }} Config
 */

/**
 * What the auth host needs, derived from the settings through the core's `cloudConfig`. Kept in
 * memory for the worker's life (until the settings change); also cached in chrome.storage.session
 * keyed by the settings (nothing in it is a secret), so a restarted worker can start the token
 * acquisition from storage alone, in parallel with the wasm core's instantiation.
 * @returns {Promise<Config>}
 */
export function currentConfig() {
  if (!configMemo) {
    const loading = loadConfig();
    configMemo = loading;
    loading.catch(() => {
      // A failure (not configured, metadata unreachable) is not remembered: the next call retries.
      if (configMemo === loading) {
        configMemo = null;
      }
    });
  }
  return configMemo;
}

/** @returns {Promise<[import("./storage.js").Settings, any]>} the settings and the cached derived config */
function readStored() {
  return Promise.all([getSettings(), getSession(SessionKey.AUTH_CONFIG)]);
}

/**
 * Worker start (called once, at the end of the worker's top level): takes what
 * lib/worker-start.js asked for at the very start (settings, cached derived configuration,
 * signed-out marker, account view, a token from the open auth host), so the first handler finds
 * it on the way. Nothing derived here when the cache is cold.
 */
export function warmUp() {
  if (!configMemo && !storedRead) {
    /** @type {Promise<[import("./storage.js").Settings, any]>} */
    const reading = Promise.all([localAtStart.then(settingsIn), sessionAtStart.then((got) => got[SessionKey.AUTH_CONFIG])]);
    storedRead = reading;
    reading.catch((/** @type {unknown} */ e) => {
      console.warn("reading the settings at start failed:", String(e));
      if (storedRead === reading) {
        storedRead = null;
      }
    });
  }
  isSignedOut(localAtStart.then((got) => got[LocalKey.SIGNED_OUT])).catch((/** @type {unknown} */ e) =>
    console.warn("reading the sign-out marker at start failed:", String(e)),
  );
  early ??= earlyToken().catch((/** @type {unknown} */ e) => {
    console.debug(`no token at worker start (code ${/** @type {any} */ (e)?.code ?? "error"}); the first request asks again`);
  });
}

/**
 * Worker start, when someone signed in during this browser session (the popup's account cache
 * says so) and did not sign out: a silent token from MSAL's cache in the auth host, so that the
 * event that woke the worker, nearly always one that ends in a Graph request, finds it in
 * memory. The one lib/worker-start.js asked the open auth host for is used when it was got with
 * this worker's configuration; otherwise the auth host is asked (and opened) now. Silent only:
 * never a web flow, never a window; MSAL makes a network request only when the cached access
 * token has expired (a refresh the next request would need anyway).
 */
async function earlyToken() {
  const generation = memoGeneration;
  const [signedOut, session, cfg, atStart] = await Promise.all([isSignedOut(), sessionAtStart, currentConfig(), tokenAtStart]);
  if (signedOut || !session[SessionKey.ACCOUNT] || memo) {
    return;
  }
  const result =
    atStart && atStart.configKey === authHostKey(cfg.msal) ? atStart : await host.call(Msg.OFFSCREEN_SILENT, { config: cfg.msal, forceRefresh: false });
  if (generation === memoGeneration && !memo) {
    memo = { key: cfg.key, accessToken: result.accessToken, expiresOnMs: result.expiresOnMs };
  }
}

/** @returns {Promise<Config>} */
async function loadConfig() {
  const early = storedRead;
  storedRead = null;
  const [settings, cached] = await (early ?? readStored());
  const settingsKey = JSON.stringify(settings);
  if (cached && cached.settingsKey === settingsKey && cached.config) {
    return { ...cached.config, settings };
  }
  if (!settings.clientId) {
    throw new ShellError("notConfigured", "no client id configured");
  }
  await ready;
  const cloud = cloudConfig(cloudInput(settings));
  if (!cloud.presenceSupported) {
    throw new ShellError("cloudNotSupported", `presence is not available in cloud ${cloud.cloud}`);
  }
  if (!cloud.authority || !cloud.loginBaseUrl) {
    throw new ShellError("notConfigured", `cloud ${cloud.cloud} has no sign-in authority`);
  }
  const loginBaseUrl = cloud.loginBaseUrl;
  /** @type {MsalConfig} */
  const msal = {
    clientId: settings.clientId,
    authority: cloud.authority,
    knownAuthorities: [],
    redirectUri: chrome.identity.getRedirectURL(),
    scopes: cloud.scopes,
  };
  if (settings.cloud === "custom") {
    // MSAL insists on an https authority. Keep the global one (hard-coded in MSAL, so no
    // discovery request) and point its endpoints at the custom login host through
    // authorityMetadata (mv3-auth-and-wasm.md §2, "Offline recipe").
    const tenant = settings.tenant || "organizations";
    msal.authority = `https://login.microsoftonline.com/${tenant}`;
    msal.knownAuthorities = ["login.microsoftonline.com"];
    msal.authorityMetadata = await customMetadata(loginBaseUrl, tenant);
  }
  const key = JSON.stringify([msal.clientId, cloud.authority, cloud.graphBaseUrl]);
  const config = { msal, cloud: { cloud: cloud.cloud, graphBaseUrl: cloud.graphBaseUrl }, key };
  // Not awaited: the cache only speeds up the next worker start.
  setSession(SessionKey.AUTH_CONFIG, { settingsKey, config }).catch((/** @type {unknown} */ e) => console.warn("caching the auth configuration failed:", String(e)));
  return { ...config, settings };
}

/**
 * The custom cloud's openid-configuration, fetched once per login base + tenant and kept in
 * chrome.storage.session (public metadata, not a secret), so a restarted worker does not fetch it.
 * @param {string} loginBaseUrl
 * @param {string} tenant
 */
async function customMetadata(loginBaseUrl, tenant) {
  const url = `${loginBaseUrl.replace(/\/$/, "")}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
  /** @type {Record<string, string>} */
  const cache = (await getSession(SessionKey.OPENID_METADATA)) ?? {};
  const cached = cache[url];
  if (typeof cached === "string") {
    return cached;
  }
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ShellError("networkError", `cannot fetch ${url}: ${String(e)}`);
  }
  if (!res.ok) {
    throw new ShellError("networkError", `${url} answered ${res.status}`);
  }
  const text = metadataForMsal(await res.text(), url);
  await setSession(SessionKey.OPENID_METADATA, { ...cache, [url]: text });
  return text;
}

/** The openid-configuration fields MSAL reads from `authorityMetadata` (msal-common Authority). */
const MSAL_METADATA_FIELDS = ["authorization_endpoint", "token_endpoint", "end_session_endpoint", "issuer", "jwks_uri"];

/**
 * Only the endpoints MSAL uses are kept (and cached): the rest of the document is not needed.
 * @param {string} text the openid-configuration JSON
 * @param {string} url where it came from (for the error)
 */
function metadataForMsal(text, url) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ShellError("networkError", `${url} is not JSON: ${String(e)}`);
  }
  /** @type {Record<string, unknown>} */
  const kept = {};
  for (const field of MSAL_METADATA_FIELDS) {
    if (doc && typeof doc === "object" && field in doc) {
      kept[field] = doc[field];
    }
  }
  return JSON.stringify(kept);
}

/**
 * @param {Promise<unknown>} [stored] the marker's stored value, if already being read (worker start)
 * @returns {Promise<boolean>} whether the user signed out explicitly (no silent web sign-in)
 */
function isSignedOut(stored) {
  if (!signedOutRead) {
    const reading = (stored ?? getLocal(LocalKey.SIGNED_OUT)).then((v) => v === true);
    signedOutRead = reading;
    reading.catch(() => {
      // Not remembered: the next call reads again (the caller sees the failure).
      if (signedOutRead === reading) {
        signedOutRead = null;
      }
    });
  }
  return signedOutRead;
}

/** @param {boolean} value */
async function setSignedOut(value) {
  signedOutRead = Promise.resolve(value);
  await setLocal(LocalKey.SIGNED_OUT, value);
}

/**
 * @param {{ key: string }} cfg
 * @param {{ accessToken: string, expiresOnMs: number, account: import("./messages.js").AccountView }} result
 */
function remember(cfg, result) {
  memo = { key: cfg.key, accessToken: result.accessToken, expiresOnMs: result.expiresOnMs };
  // The popup's account cache; awaited after the request that needed the token (sendAuthorized)
  // or before the account is read back (signIn), not before the request is sent.
  accountWrite = setSession(SessionKey.ACCOUNT, result.account);
  return result.accessToken;
}

/**
 * Runs the authorize step in a browser window (interactive) or invisibly (prompt=none).
 * @param {Config} cfg
 * @param {boolean} interactive
 * @param {string | undefined} claims a Conditional Access claims challenge to satisfy
 */
function webFlow(cfg, interactive, claims) {
  return redirectFlows.run(() => redirectFlow(cfg, interactive, claims));
}

/**
 * One redirect flow; only through `webFlow`, which runs one at a time.
 * @param {Config} cfg
 * @param {boolean} interactive
 * @param {string | undefined} claims
 */
async function redirectFlow(cfg, interactive, claims) {
  const account = await getSessionAccount();
  const { url } = await host.call(Msg.OFFSCREEN_BEGIN_REDIRECT, {
    config: cfg.msal,
    prompt: interactive ? undefined : "none",
    loginHint: account?.username,
    claims,
  });
  let responseUrl;
  try {
    responseUrl = await chrome.identity.launchWebAuthFlow(
      interactive
        ? { url, interactive: true }
        : { url, interactive: false, abortOnLoadForNonInteractive: false, timeoutMsForNonInteractive: SILENT_FLOW_TIMEOUT_MS },
    );
  } catch (e) {
    throw new ShellError(interactive ? "signInCancelled" : "interactionRequired", `web auth flow ended: ${String(e)}`);
  }
  if (!responseUrl) {
    throw new ShellError(interactive ? "signInCancelled" : "interactionRequired", "web auth flow returned no URL");
  }
  const hash = new URL(responseUrl).hash;
  const result = await host.call(Msg.OFFSCREEN_COMPLETE_REDIRECT, { config: cfg.msal, hash });
  return result;
}

/** @returns {Promise<import("./messages.js").AccountView | null>} */
async function getSessionAccount() {
  const got = await chrome.storage.session.get(SessionKey.ACCOUNT);
  return /** @type {import("./messages.js").AccountView | undefined} */ (got[SessionKey.ACCOUNT]) ?? null;
}

/**
 * An access token for Graph presence calls.
 *
 * Order: memory → MSAL silent (cache / refresh token) → invisible web flow (prompt=none) →
 * interactive window, the last only when `interactive` (a user action). Automatic callers pass
 * `interactive: false` and get `signInNeeded` instead of a window. `claims` (from a Graph claims
 * challenge, already decoded by the core) always bypasses the cached token.
 * @param {{ interactive?: boolean, forceRefresh?: boolean, claims?: string }} [opts]
 * @returns {Promise<string>}
 */
async function getToken({ interactive = false, forceRefresh = false, claims } = {}) {
  if (claims) {
    forceRefresh = true;
  }
  // A token will be needed from the auth host: read the marker in parallel with the config.
  const signedOutRead = memo === null || forceRefresh ? isSignedOut() : null;
  const cfg = await currentConfig();
  if (!forceRefresh && !memo && early) {
    await early; // the worker-start acquisition, if it is still under way
  }
  if (!forceRefresh && memo && memo.key === cfg.key && memo.expiresOnMs - EXPIRY_MARGIN_MS > Date.now()) {
    return memo.accessToken;
  }
  if (interactive) {
    // A silent acquisition for the same need already running: wait for it. Its token serves this
    // caller too; if it fails (typically signInNeeded), this caller still makes its own attempt,
    // which may open the window.
    const silent = tokenFlights.get(flightKey(cfg, false, forceRefresh, claims));
    const token = silent
      ? await silent.then(
          (t) => t,
          (e) => {
            // Not this caller's outcome: its own interactive attempt below decides.
            console.debug(`silent sign-in joined by an interactive one ended with code ${/** @type {any} */ (e)?.code ?? "error"}`);
            return null;
          },
        )
      : null;
    if (token) {
      return token;
    }
  }
  return tokenFlights.run(flightKey(cfg, interactive, forceRefresh, claims), () =>
    acquireToken(cfg, { interactive, forceRefresh, claims, signedOutRead }),
  );
}

/**
 * The single-flight key of one token need.
 * @param {Config} cfg
 * @param {boolean} interactive
 * @param {boolean} forceRefresh
 * @param {string | undefined} claims
 */
function flightKey(cfg, interactive, forceRefresh, claims) {
  return JSON.stringify([cfg.key, interactive, forceRefresh, claims ?? null]);
}

/**
 * One token acquisition past the memory cache; only through `getToken`'s single flight.
 * @param {Config} cfg
 * @param {{ interactive: boolean, forceRefresh: boolean, claims: string | undefined, signedOutRead: Promise<boolean> | null }} opts
 * @returns {Promise<string>}
 */
async function acquireToken(cfg, { interactive, forceRefresh, claims, signedOutRead }) {
  memo = null;
  const signedOut = await (signedOutRead ?? isSignedOut());
  if (!signedOut) {
    try {
      return remember(cfg, await host.call(Msg.OFFSCREEN_SILENT, { config: cfg.msal, forceRefresh, claims }));
    } catch (e) {
      const code = /** @type {any} */ (e).code;
      if (code !== "interactionRequired" && code !== "noAccount") {
        throw e;
      }
    }
    try {
      return remember(cfg, await webFlow(cfg, false, claims));
    } catch (e) {
      const code = /** @type {any} */ (e).code;
      if (code !== "interactionRequired" && code !== "signInCancelled") {
        throw e;
      }
    }
  }
  if (!interactive) {
    throw new ShellError("signInNeeded", "no token without user interaction");
  }
  const token = remember(cfg, await webFlow(cfg, true, claims));
  await setSignedOut(false);
  return token;
}

/**
 * Sends a request built by the core with a token for it. A user action (`interactive`) may open
 * the sign-in window when silent acquisition fails; an automatic one gets `signInNeeded`.
 * `forceRefresh` asks the auth host for a fresh token (after a 401); `claims` carries a claims
 * challenge (403 insufficient_claims) into the token request.
 *
 * `request` may still be in the making (a promise: the core builds it once instantiated): the
 * token is acquired meanwhile, since its path needs no wasm when the configuration is cached.
 * @param {import("./presence.js").GraphRequest | Promise<import("./presence.js").GraphRequest>} request
 * @param {{ interactive: boolean, forceRefresh: boolean, timeoutMs: number, claims?: string }} opts
 */
export async function sendAuthorized(request, { interactive, forceRefresh, timeoutMs, claims }) {
  let token;
  let built;
  try {
    [token, built] = await Promise.all([
      getToken({ interactive: false, forceRefresh, claims }).then((t) => (performance.mark("ps:token"), t)),
      Promise.resolve(request).then((r) => (performance.mark("ps:built"), r)),
    ]);
  } catch (e) {
    if (/** @type {any} */ (e).code !== "signInNeeded" || !interactive) {
      throw e;
    }
    token = await getToken({ interactive: true, claims });
    built = await request;
  }
  const cfg = await currentConfig();
  if (!isGraphUrl(cfg, built.url)) {
    // Never the token to another host, whatever the request says (lib/prepared.js keeps some).
    throw new ShellError("invalidUrl", `refusing to send the token to ${built.url}: not ${cfg.cloud.graphBaseUrl}`);
  }
  try {
    return await send(built.method, built.url, { ...built.headers, Authorization: `Bearer ${token}` }, built.body ?? undefined, timeoutMs);
  } finally {
    await accountWrite;
  }
}

/**
 * Whether `url` goes to the configured Graph host (same origin as its base URL).
 * @param {Config} cfg
 * @param {string} url
 */
export function isGraphUrl(cfg, url) {
  try {
    return new URL(url).origin === new URL(cfg.cloud.graphBaseUrl).origin;
  } catch {
    return false; // not a URL
  }
}

/**
 * Explicit sign-in from the popup: may open the sign-in window.
 * @returns {Promise<import("./messages.js").AccountView>}
 */
export async function signIn() {
  await setSignedOut(false);
  await getToken({ interactive: true });
  await accountWrite;
  const account = await getSessionAccount();
  if (!account) {
    throw new ShellError("internal", "signed in but no account recorded");
  }
  return account;
}

/** Forgets the account: MSAL cache in the auth host, the token in memory, the popup cache. */
export async function signOut() {
  memo = null;
  memoGeneration++;
  await setSignedOut(true);
  try {
    const cfg = await currentConfig();
    await host.call(Msg.OFFSCREEN_SIGN_OUT, { config: cfg.msal });
  } finally {
    await removeSession(SessionKey.ACCOUNT);
    await removeSession(SessionKey.PRESENCE);
  }
}

/**
 * Who is signed in, without any token and without a window.
 * @returns {Promise<import("./messages.js").AccountView | null>}
 */
export async function account() {
  if (await isSignedOut()) {
    return null;
  }
  const cached = await getSessionAccount();
  if (cached) {
    return cached;
  }
  const cfg = await currentConfig();
  const found = await host.call(Msg.OFFSCREEN_ACCOUNT, { config: cfg.msal });
  if (found) {
    await setSession(SessionKey.ACCOUNT, found);
  }
  return found;
}

/** Settings changed: the next call needs a fresh MSAL instance and fresh tokens. */
export async function onSettingsChanged() {
  // Synchronously, before any await: the listener calls this, and the next handler must not see
  // the old configuration.
  memo = null;
  memoGeneration++;
  configMemo = null;
  storedRead = null;
  await removeSession(SessionKey.ACCOUNT);
  await host.reset();
}
