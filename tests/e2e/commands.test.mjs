// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, requestsFor, assertPresencePost, stopAndWakeWorker, SIM } from "./harness.mjs";

/** @param {import("./harness.mjs").Ext} ext */
async function signedInWithoutPopup(ext) {
  await ext.sim.post("/_sim/teams-client", { signedIn: true });
  const popup = await ext.signIn();
  await popup.close(); // every command below runs with no popup open
  await ext.sim.del("/_sim/requests");
}

/** @param {import("./harness.mjs").Ext} ext */
async function badge(ext) {
  const w = await ext.getWorker();
  return await w.evaluate(() => chrome.action.getBadgeText({}));
}

test("each keyboard command through the onCommand handler, no popup open; outcome on the badge", async () => {
  await withExtension({}, async (ext) => {
    await signedInWithoutPopup(ext);

    await ext.command("set-busy");
    assertPresencePost((await requestsFor(ext.sim, "setUserPreferredPresence"))[0], "setUserPreferredPresence", { availability: "Busy", activity: "Busy" });
    assert.equal(await badge(ext), "BSY");

    await ext.sim.del("/_sim/requests");
    await ext.command("set-available");
    assertPresencePost((await requestsFor(ext.sim, "setUserPreferredPresence"))[0], "setUserPreferredPresence", { availability: "Available", activity: "Available" });
    assert.equal(await badge(ext), "ON");

    await ext.sim.del("/_sim/requests");
    await ext.command("toggle-dnd");
    assertPresencePost((await requestsFor(ext.sim, "setUserPreferredPresence"))[0], "setUserPreferredPresence", {
      availability: "DoNotDisturb",
      activity: "DoNotDisturb",
      expirationDuration: "PT1H",
    });
    assert.equal(await badge(ext), "DND");

    // The toggle, pressed again while its DND is in force, resets.
    await ext.sim.del("/_sim/requests");
    await ext.command("toggle-dnd");
    assertPresencePost((await requestsFor(ext.sim, "clearUserPreferredPresence"))[0], "clearUserPreferredPresence", {});
    assert.equal((await requestsFor(ext.sim, "setUserPreferredPresence")).length, 0);
    assert.equal(await badge(ext), "");

    await ext.command("set-busy");
    await ext.sim.del("/_sim/requests");
    await ext.command("reset-status");
    assertPresencePost((await requestsFor(ext.sim, "clearUserPreferredPresence"))[0], "clearUserPreferredPresence", {});
    assert.equal((await ext.sim.get("/_sim/state")).preferred, null);
  });
});

test("rapid repeated presses are serialised and end in the state of the last press", async () => {
  await withExtension({}, async (ext) => {
    await signedInWithoutPopup(ext);
    const presses = ["set-busy", "set-available", "toggle-dnd", "set-busy", "toggle-dnd", "set-available"];
    const w = await ext.getWorker();
    // All presses fired in the same tick, as a key held down would.
    await w.evaluate((names) => Promise.all(names.map((n) => /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand(n))), presses);
    const writes = (await ext.sim.graphRequests())
      .filter((r) => r.method === "POST")
      .map((r) => JSON.parse(r.body).availability ?? "clear");
    // toggle-dnd after set-busy sets DND; each write arrives in press order.
    assert.deepEqual(writes, ["Busy", "Available", "DoNotDisturb", "Busy", "DoNotDisturb", "Available"]);
    assert.equal((await ext.sim.get("/_sim/state")).preferred.availability, "Available");
  });
});

test("a command works from a stopped service worker (cold start): silent token from the auth host", async () => {
  await withExtension({}, async (ext) => {
    await signedInWithoutPopup(ext);
    const fresh = await stopAndWakeWorker(ext);
    await ext.sim.del("/_sim/requests");
    await fresh.evaluate(() => /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand("set-busy"));
    const posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.equal(posts.length, 1);
    assertPresencePost(posts[0], "setUserPreferredPresence", { availability: "Busy", activity: "Busy" });
    assert.equal((await ext.sim.get("/_sim/state")).preferred.availability, "Busy");
    // No sign-in window was needed: no authorize request, the MSAL cache served the token.
    const log = await ext.sim.get("/_sim/requests");
    assert.equal(log.filter((/** @type {any} */ r) => r.path === `/${SIM.tenant}/oauth2/v2.0/authorize`).length, 0);
  });
});
