// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, requestsFor, assertPresencePost, SIM, eventually } from "./harness.mjs";

test("no presence session: the explanation, and keep-present runs an app session the simulator sees", async () => {
  await withExtension({}, async (ext) => {
    // No Teams client signed in anywhere: preferred presence reads back as Offline.
    const popup = await ext.signIn();
    await popup.getByRole("button", { name: "Available", exact: true }).click();
    await popup.locator("#no-session").waitFor({ state: "visible", timeout: 5000 });
    assert.match(await popup.locator("#no-session").textContent() ?? "", /Teams is not running anywhere/);
    const keep = popup.getByLabel("Keep me present from this browser");
    assert.equal(await keep.isChecked(), false);

    await ext.sim.del("/_sim/requests");
    await keep.check();
    await popup.locator("#message", { hasText: "This browser now keeps you present in Teams." }).waitFor({ timeout: 5000 });
    const posts = await requestsFor(ext.sim, "setPresence");
    assert.equal(posts.length, 1);
    assertPresencePost(posts[0], "setPresence", { sessionId: SIM.clientId, availability: "Available", activity: "Available", expirationDuration: "PT10M" });
    const state = await ext.sim.get("/_sim/state");
    const app = state.sessions.find((/** @type {any} */ s) => s.sessionId === SIM.clientId);
    assert.ok(app, "the simulator sees the app session");
    assert.equal(state.presence.availability, "Available", "preferred Available now shows");
    const alarm = await (await ext.getWorker()).evaluate(() => chrome.alarms.get("keepPresent"));
    assert.equal(alarm?.periodInMinutes, 4, "refreshed every 4 minutes");

    // The alarm handler refreshes the session (what chrome.alarms runs every 4 minutes).
    await ext.sim.del("/_sim/requests");
    await (await ext.getWorker()).evaluate(() => chrome.alarms.get("keepPresent").then((a) => a && chrome.alarms.create("keepPresent", { when: Date.now() + 10, periodInMinutes: 4 })));
    await eventually(async () => (await requestsFor(ext.sim, "setPresence")).length === 1, { what: "keep-alive refresh" });

    // Switching it off ends the session.
    await ext.sim.del("/_sim/requests");
    await keep.uncheck();
    await popup.locator("#message", { hasText: "This browser no longer keeps you present." }).waitFor({ timeout: 5000 });
    assertPresencePost((await requestsFor(ext.sim, "clearPresence"))[0], "clearPresence", { sessionId: SIM.clientId });
    const after = await ext.sim.get("/_sim/state");
    assert.equal(after.sessions.find((/** @type {any} */ s) => s.sessionId === SIM.clientId), undefined);
    assert.equal(await (await ext.getWorker()).evaluate(() => chrome.alarms.get("keepPresent")), undefined);
  });
});

test("sign-out stops keep-present (clearPresence) and clears the account", async () => {
  await withExtension({}, async (ext) => {
    const popup = await ext.signIn();
    await popup.getByRole("button", { name: "Available", exact: true }).click();
    await popup.getByLabel("Keep me present from this browser").check();
    await popup.locator("#message", { hasText: "This browser now keeps you present in Teams." }).waitFor({ timeout: 5000 });
    await ext.sim.del("/_sim/requests");
    await popup.getByRole("button", { name: "Sign out" }).click();
    await popup.getByRole("button", { name: "Sign in" }).waitFor();
    assertPresencePost((await requestsFor(ext.sim, "clearPresence"))[0], "clearPresence", { sessionId: SIM.clientId });
    assert.equal(await (await ext.getWorker()).evaluate(() => chrome.alarms.get("keepPresent")), undefined);
  });
});
