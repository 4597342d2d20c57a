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
import { Msg, OFFSCREEN_PREFIX } from "./lib/messages.js";
import { ShellError, toErrorData } from "./lib/errors.js";

/** @type {PublicClientApplication | null} */
let pca = null;
/** @type {string | null} */
let pcaKey = null;
/** @type {((url: string) => void) | null} */
let onCapture = null;

const SERVICE_WORKER_URL = chrome.runtime.getURL("background.js");

/**
 * @param {import("./lib/auth.js").MsalConfig} config
 */
async function instance(config) {
  const key = JSON.stringify([config.clientId, config.authority, config.authorityMetadata ?? "", config.redirectUri]);
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
        if (onCapture) {
          onCapture(url);
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
  return created;
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
 * @param {any} msg
 * @returns {Promise<any>}
 */
async function handle(msg) {
  const app = await instance(msg.config);
  switch (msg.type) {
    case Msg.OFFSCREEN_SILENT: {
      const account = currentAccount(app);
      if (!account) {
        throw new ShellError("noAccount", "no account in the MSAL cache");
      }
      const r = await app.acquireTokenSilent({
        scopes: msg.config.scopes,
        account,
        forceRefresh: msg.forceRefresh === true,
        ...(typeof msg.claims === "string" ? { claims: msg.claims } : {}),
      });
      return tokenView(r);
    }
    case Msg.OFFSCREEN_BEGIN_REDIRECT: {
      // A previous window may have been closed without an answer; MSAL would then refuse with
      // interaction_in_progress (redirect requests have no override option in 5.29.0).
      sessionStorage.removeItem("msal.interaction.status");
      /** @type {Promise<string>} */
      const captured = new Promise((resolve) => {
        onCapture = resolve;
      });
      const account = currentAccount(app);
      await app.acquireTokenRedirect({
        scopes: msg.config.scopes,
        ...(msg.prompt ? { prompt: msg.prompt } : {}),
        ...(typeof msg.claims === "string" ? { claims: msg.claims } : {}),
        ...(msg.loginHint ? { loginHint: msg.loginHint } : account ? { loginHint: account.username } : {}),
      });
      const url = await captured;
      onCapture = null;
      return { url };
    }
    case Msg.OFFSCREEN_COMPLETE_REDIRECT: {
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
