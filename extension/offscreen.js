// @ts-check
/**
 * The auth host on Chromium: the ONE msal-browser PublicClientApplication of the extension.
 * It answers only `offscreen/*` messages, and only from the service worker. Tokens leave this
 * document only in replies to the service worker (lib/auth.js), never to a page.
 *
 * Why here: msal-browser refuses to run in a service worker (`non_browser_environment`,
 * https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/3923), and a second
 * instance on the extension origin would wipe this one's cache (mv3-auth-and-wasm.md §1.4).
 */
import { PublicClientApplication, InteractionRequiredAuthError } from "@azure/msal-browser";
import { Msg, OFFSCREEN_PREFIX, authHostKey } from "./lib/messages.js";
import { ShellError, toErrorData } from "./lib/errors.js";

/** @type {PublicClientApplication | null} */
let pca = null;
/** authHostKey() of the configuration `pca` was created with. @type {string | null} */
let pcaKey = null;
/** The scopes of that configuration. @type {string[]} */
let pcaScopes = [];
/**
 * The one pending capture of an authorize URL (`onRedirectNavigate`): MSAL has one interaction
 * at a time, so a new begin ends an earlier one with `authSuperseded`.
 * @type {{ resolve: (url: string) => void, reject: (e: Error) => void, timer: ReturnType<typeof setTimeout> } | null}
 */
let pendingCapture = null;
/** MSAL calls onRedirectNavigate right after building the URL; no wait is longer than this. */
const CAPTURE_TIMEOUT_MS = 30_000;

const SERVICE_WORKER_URL = chrome.runtime.getURL("background.js");

/**
 * @param {import("./lib/auth.js").MsalConfig} config
 */
async function instance(config) {
  const key = authHostKey(config);
  if (pca && pcaKey === key) {
    return pca;
  }
  if (pca) {
    // One instance per document: the service worker closes this document when settings change.
    throw new ShellError("configChanged", "auth host was created for other settings");
  }
  const created = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: config.knownAuthorities,
      ...(config.authorityMetadata ? { authorityMetadata: config.authorityMetadata } : {}),
      redirectUri: config.redirectUri,
      // Capture the authorize URL instead of navigating: the service worker opens it with
      // chrome.identity.launchWebAuthFlow (MSAL's ChromiumExtensionSample pattern; v5 only has
      // this hook in the auth config).
      onRedirectNavigate: (url) => {
        const pending = pendingCapture;
        if (pending) {
          pendingCapture = null;
          clearTimeout(pending.timer);
          pending.resolve(url);
        }
        return false;
      },
    },
    // localStorage survives document reloads when the id_token carries signin_state kmsi.
    cache: { cacheLocation: "localStorage" },
  });
  await created.initialize();
  pca = created;
  pcaKey = key;
  pcaScopes = config.scopes;
  return created;
}

/**
 * Starts waiting for the next authorize URL. An earlier wait still pending is rejected with
 * `authSuperseded` (its caller would otherwise never get an answer); the new one is rejected with
 * `authTimeout` if no URL comes within CAPTURE_TIMEOUT_MS.
 * @returns {{ captured: Promise<string>, cancel: () => void }} `cancel` stops waiting (without
 *   settling `captured`) when acquireTokenRedirect has failed and its error is the answer
 */
function beginCapture() {
  const earlier = pendingCapture;
  if (earlier) {
    pendingCapture = null;
    clearTimeout(earlier.timer);
    earlier.reject(new ShellError("authSuperseded", "a newer sign-in flow replaced this one"));
  }
  /** @type {(url: string) => void} */
  let resolve = () => {};
  /** @type {(e: Error) => void} */
  let reject = () => {};
  /** @type {Promise<string>} */
  const captured = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const mine = {
    resolve,
    reject,
    timer: setTimeout(() => {
      if (pendingCapture === mine) {
        pendingCapture = null;
      }
      reject(new ShellError("authTimeout", `no sign-in URL within ${CAPTURE_TIMEOUT_MS} ms`));
    }, CAPTURE_TIMEOUT_MS),
  };
  pendingCapture = mine;
  return {
    captured,
    cancel() {
      clearTimeout(mine.timer);
      if (pendingCapture === mine) {
        pendingCapture = null;
      }
    },
  };
}

/** @param {import("@azure/msal-browser").AccountInfo} a */
function accountView(a) {
  return { username: a.username, name: a.name ?? a.username };
}

/** @param {import("@azure/msal-browser").AuthenticationResult} r */
function tokenView(r) {
  if (!r.account || !r.accessToken) {
    throw new ShellError("authFailed", "token response without account or access token");
  }
  return {
    accessToken: r.accessToken,
    expiresOnMs: r.expiresOn ? r.expiresOn.getTime() : Date.now() + 5 * 60_000,
    account: accountView(r.account),
  };
}

/** @param {unknown} e */
function mapMsalError(e) {
  if (e instanceof ShellError) {
    return e;
  }
  const anyE = /** @type {any} */ (e);
  const msalCode = typeof anyE?.errorCode === "string" ? anyE.errorCode : "";
  if (e instanceof InteractionRequiredAuthError || ["interaction_required", "login_required", "consent_required", "no_tokens_found"].includes(msalCode)) {
    return new ShellError("interactionRequired", `msal: ${msalCode}`);
  }
  if (msalCode === "access_denied" || msalCode === "user_cancelled") {
    return new ShellError("signInCancelled", `msal: ${msalCode}`);
  }
  // MSAL error messages describe the failure, never a token value.
  return new ShellError("authFailed", `msal: ${msalCode || "error"}: ${anyE?.message ?? String(e)}`);
}

/** @param {PublicClientApplication} app */
function currentAccount(app) {
  return app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null;
}

/**
 * The last answer of a plain silent request (no forced refresh, no claims), in this document's
 * memory next to MSAL's own cache, so that a restarted service worker's first request is
 * answered without running MSAL's lookup again (1-6 ms on a loaded machine). Dropped on sign-out
 * and by every interactive flow; used only while far from expiry.
 * @type {{ scopesKey: string, view: ReturnType<typeof tokenView> } | null}
 */
let lastSilent = null;
/** A remembered token is reused only while it has this much time left. */
const REUSE_MARGIN_MS = 5 * 60_000;

/**
 * A token from MSAL's cache (or its refresh token), for the cached account.
 * @param {PublicClientApplication} app
 * @param {string[]} scopes
 * @param {boolean} forceRefresh
 * @param {string | undefined} claims
 */
async function silentToken(app, scopes, forceRefresh, claims) {
  const account = currentAccount(app);
  if (!account) {
    throw new ShellError("noAccount", "no account in the MSAL cache");
  }
  const scopesKey = JSON.stringify(scopes);
  const plain = !forceRefresh && !claims;
  if (plain && lastSilent && lastSilent.scopesKey === scopesKey && lastSilent.view.expiresOnMs - REUSE_MARGIN_MS > Date.now()) {
    return lastSilent.view;
  }
  const r = await app.acquireTokenSilent({ scopes, account, forceRefresh, ...(claims ? { claims } : {}) });
  const view = tokenView(r);
  lastSilent = plain ? { scopesKey, view } : null;
  return view;
}

/**
 * @param {any} msg
 * @returns {Promise<any>}
 */
async function handle(msg) {
  if (msg.type === Msg.OFFSCREEN_SILENT && msg.config === undefined) {
    // The service worker's first request at its start, sent before it has read its settings:
    // a token from the instance this document already has, named by its configuration's key so
    // the worker can check it against its own before using it. No instance: nothing to ask.
    if (!pca || !pcaKey) {
      throw new ShellError("noInstance", "the auth host has no MSAL instance yet");
    }
    return { ...(await silentToken(pca, pcaScopes, false, undefined)), configKey: pcaKey };
  }
  const app = await instance(msg.config);
  switch (msg.type) {
    case Msg.OFFSCREEN_SILENT:
      return silentToken(app, msg.config.scopes, msg.forceRefresh === true, typeof msg.claims === "string" ? msg.claims : undefined);
    case Msg.OFFSCREEN_BEGIN_REDIRECT: {
      lastSilent = null;
      // A previous window may have been closed without an answer; MSAL would then refuse with
      // interaction_in_progress (redirect requests have no override option in 5.29.0).
      sessionStorage.removeItem("msal.interaction.status");
      const { captured, cancel } = beginCapture();
      const account = currentAccount(app);
      // Together: a capture that ends first (superseded, timed out) ends the wait, and a failed
      // acquireTokenRedirect is answered at once, not after the capture's timeout.
      const [, url] = await Promise.all([
        app
          .acquireTokenRedirect({
            scopes: msg.config.scopes,
            ...(msg.prompt ? { prompt: msg.prompt } : {}),
            ...(typeof msg.claims === "string" ? { claims: msg.claims } : {}),
            ...(msg.loginHint ? { loginHint: msg.loginHint } : account ? { loginHint: account.username } : {}),
          })
          .then(undefined, (/** @type {unknown} */ e) => {
            cancel();
            throw e;
          }),
        captured,
      ]);
      return { url };
    }
    case Msg.OFFSCREEN_COMPLETE_REDIRECT: {
      lastSilent = null;
      const r = await app.handleRedirectPromise({ hash: msg.hash, navigateToLoginRequestUrl: false });
      if (!r) {
        throw new ShellError("authFailed", "the sign-in answer did not match a pending request");
      }
      if (r.account) {
        app.setActiveAccount(r.account);
      }
      return tokenView(r);
    }
    case Msg.OFFSCREEN_ACCOUNT: {
      const account = currentAccount(app);
      return account ? accountView(account) : null;
    }
    case Msg.OFFSCREEN_SIGN_OUT: {
      lastSilent = null;
      const account = currentAccount(app);
      await app.clearCache(account ? { account } : undefined);
      app.setActiveAccount(null);
      return null;
    }
    default:
      throw new ShellError("unknownMessage", `auth host does not handle ${String(msg.type)}`);
  }
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (typeof msg?.type !== "string" || !msg.type.startsWith(OFFSCREEN_PREFIX)) {
    return false; // the service worker's router answers everything else
  }
  if (sender.id !== chrome.runtime.id || sender.url !== SERVICE_WORKER_URL) {
    sendResponse({ ok: false, error: { code: "forbidden", message: "the auth host serves only the service worker" } });
    return false;
  }
  handle(msg).then(
    (value) => sendResponse({ ok: true, value }),
    (e) => sendResponse({ ok: false, error: toErrorData(mapMsalError(e)) }),
  );
  return true;
});
