// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, requestsFor, assertPresencePost, SIM } from "./harness.mjs";

const SET = "/v1.0/me/presence/setUserPreferredPresence";

/** @param {import("./harness.mjs").Ext} ext */
async function ready(ext) {
  await ext.sim.post("/_sim/teams-client", { signedIn: true });
  const popup = await ext.signIn();
  await ext.sim.del("/_sim/requests");
  return popup;
}

test("token expiry: 401 → one silent refresh (refresh_token grant) → one resend → success", async () => {
  await withExtension({}, async (ext) => {
    const popup = await ready(ext);
    await ext.sim.post("/_sim/clock", { advanceSeconds: 3700 }); // past the 3600 s token lifetime
    await popup.getByRole("button", { name: "Busy", exact: true }).click();
    await popup.locator("#message", { hasText: /^Set to Busy/ }).waitFor({ timeout: 5000 });
    const log = await ext.sim.get("/_sim/requests");
    const relevant = log.filter((/** @type {any} */ r) => r.path === SET || r.path === `/${SIM.tenant}/oauth2/v2.0/token`);
    assert.deepEqual(
      relevant.map((/** @type {any} */ r) => `${r.path === SET ? "set" : "token"} ${r.status}`),
      ["set 401", "token 200", "set 200"],
    );
    assert.match(relevant[1].body, /grant_type=refresh_token/);
    assertPresencePost(relevant[2], "setUserPreferredPresence", { availability: "Busy", activity: "Busy" });
    assert.notEqual(relevant[0].headers.authorization, relevant[2].headers.authorization, "the resend uses the new token");
  });
});

test("429 with Retry-After: the popup says it is retrying, waits, and succeeds", async () => {
  await withExtension({}, async (ext) => {
    const popup = await ready(ext);
    await ext.sim.post("/_sim/faults", { path: SET, count: 1, status: 429, retryAfter: 1 });
    await popup.getByRole("button", { name: "Busy", exact: true }).click();
    await popup.locator("#message", { hasText: /Microsoft Graph is throttling requests — retrying in \d+ s\./ }).waitFor({ timeout: 3000 });
    await popup.locator("#message", { hasText: /^Set to Busy/ }).waitFor({ timeout: 5000 });
    const posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.deepEqual(posts.map((r) => r.status), [429, 200]);
    assert.ok(posts[1].timeMs - posts[0].timeMs >= 1000, `waited ${posts[1].timeMs - posts[0].timeMs} ms`);
    assertPresencePost(posts[1], "setUserPreferredPresence", { availability: "Busy", activity: "Busy" });
    assert.equal(posts[0].headers["client-request-id"], posts[1].headers["client-request-id"], "one logical request, one id");
  });
});

test("403 without Presence.ReadWrite: the consent message, no retry", async () => {
  await withExtension({}, async (ext) => {
    await ext.sim.post("/_sim/config", { grantedScopes: ["User.Read"] });
    const popup = await ready(ext);
    await popup.getByRole("button", { name: "Busy", exact: true }).click();
    await popup.locator("#message.error").waitFor({ timeout: 5000 });
    assert.equal(
      await popup.locator("#message").textContent(),
      "This app is not allowed to change your presence. Ask your admin to grant consent for Presence.ReadWrite.",
    );
    const posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.deepEqual(posts.map((r) => r.status), [403]);
  });
});

test("simulator down: the network message, quickly, and nothing retried or scheduled", async () => {
  await withExtension({}, async (ext) => {
    const popup = await ready(ext);
    await ext.sim.stop();
    const t0 = Date.now();
    await popup.getByRole("button", { name: "Busy", exact: true }).click();
    await popup.locator("#message.error").waitFor({ timeout: 5000 });
    assert.equal(await popup.locator("#message").textContent(), "Cannot reach Microsoft Graph. Check your network connection and try again.");
    // connection refused, well before the 10 s request timeout and with no retry loop
    assert.ok(Date.now() - t0 < 8000, "fails fast");
    assert.equal(await popup.getByRole("button", { name: "Busy", exact: true }).isDisabled(), false, "buttons usable again");
    const alarms = await (await ext.getWorker()).evaluate(() => chrome.alarms.getAll());
    assert.deepEqual(alarms, [], "no retry scheduled");
  });
});
