// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, SIM } from "./harness.mjs";

test("real MSAL sign-in through the simulator shows the account; no token leaves the auth host", async () => {
  await withExtension({}, async (ext) => {
    const popup = await ext.openPopup();
    // Signed out at first: the popup offers sign-in and shows no account.
    await popup.getByRole("button", { name: "Sign in" }).waitFor();
    assert.equal(await popup.locator("#account").textContent(), "");

    await ext.signIn(popup);
    assert.equal(await popup.locator("#account").textContent(), `Signed in as ${SIM.name} (${SIM.upn})`);
    assert.equal(await popup.getByRole("button", { name: "Sign in" }).isVisible(), false);

    // The sign-in went through the simulator's authorize + token endpoints with PKCE S256.
    const log = await ext.sim.get("/_sim/requests");
    const authorize = log.find((/** @type {any} */ r) => r.path === `/${SIM.tenant}/oauth2/v2.0/authorize`);
    const token = log.find((/** @type {any} */ r) => r.path === `/${SIM.tenant}/oauth2/v2.0/token` && r.method === "POST");
    assert.ok(authorize, "authorize request");
    assert.match(authorize.query, /code_challenge_method=S256/);
    assert.match(authorize.query, new RegExp(`redirect_uri=${encodeURIComponent(`https://${ext.extensionId}.chromiumapp.org/`)}`));
    assert.match(authorize.query, /Presence\.ReadWrite/);
    assert.ok(token, "token request");
    assert.match(token.body, /grant_type=authorization_code/);
    assert.match(token.body, /code_verifier=/);
    assert.equal(token.headers.origin, `chrome-extension://${ext.extensionId}`);

    // No token in chrome.storage (tokens live in the offscreen MSAL cache and SW memory only).
    const stored = await ext.worker.evaluate(async () =>
      JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.session.get(null)]),
    );
    assert.doesNotMatch(stored, /eyJ|access_?token|refresh_?token|id_?token|Bearer/i);

    // Sign-out clears the account.
    await popup.getByRole("button", { name: "Sign out" }).click();
    await popup.getByRole("button", { name: "Sign in" }).waitFor();
    assert.equal(await popup.locator("#account").textContent(), "");
    const account = await popup.evaluate(() => chrome.runtime.sendMessage({ type: "auth/state" }));
    assert.deepEqual(account, { ok: true, value: null });
  });
});
