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

test("a key pressed again sends the request built ahead after its last press: same shape, a new client-request-id, never a stale action", async () => {
  await withExtension({}, async (ext) => {
    await signedInWithoutPopup(ext);
    const press = async (/** @type {string} */ name) =>
      (await ext.getWorker()).evaluate((n) => /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand(n), name);
    const pause = () => new Promise((r) => setTimeout(r, 100)); // the next request is built in idle time
    await press("set-busy");
    await pause();
    await press("set-busy");
    await pause();
    await press("set-busy");
    let posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.equal(posts.length, 3);
    for (const p of posts) {
      assertPresencePost(p, "setUserPreferredPresence", { availability: "Busy", activity: "Busy" });
    }
    // A worker started later sends the one built ahead (kept in session storage), never a used one.
    const stored = await (await ext.getWorker()).evaluate(() => chrome.storage.session.get("prepared").then((g) => g.prepared));
    const ahead = Object.values(stored ?? {}).map((p) => /** @type {any} */ (p).request.headers["client-request-id"]);
    assert.equal(ahead.length, 1, "one request built ahead, for set-busy");
    const fresh = await stopAndWakeWorker(ext);
    await fresh.evaluate(() => /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand("set-busy"));
    await pause();
    posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.equal(posts.length, 4);
    assertPresencePost(posts[3], "setUserPreferredPresence", { availability: "Busy", activity: "Busy" });
    assert.equal(posts[3].headers["client-request-id"], ahead[0], "the restarted worker sent the request built ahead");
    assert.equal(new Set(posts.map((p) => p.headers["client-request-id"])).size, 4, "each request has its own client-request-id");
    // The action changes (options page): the next press sends the new one, not the one built ahead.
    const w = await ext.getWorker();
    await w.evaluate(() => chrome.storage.local.set({ commandActions: { "set-busy": { kind: "set", availability: "BeRightBack", expiration: "PT30M" } } }));
    await w.evaluate(async () => {
      for (let i = 0; i < 100; i++) {
        const actions = await /** @type {any} */ (globalThis).__presenceSwitchTest.currentCommandActions();
        if (actions["set-busy"].availability === "BeRightBack") {
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("the worker did not see the new command action");
    });
    await ext.sim.del("/_sim/requests");
    await press("set-busy");
    posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.equal(posts.length, 1);
    assertPresencePost(posts[0], "setUserPreferredPresence", { availability: "BeRightBack", activity: "BeRightBack", expirationDuration: "PT30M" });
    // A stored request for another host is never sent (the token would go with it): a new one is built.
    await (await ext.getWorker()).evaluate(async () => {
      const { prepared } = await chrome.storage.session.get("prepared");
      for (const entry of Object.values(prepared)) {
        entry.request.url = entry.request.url.replace(/^http:\/\/[^/]+/, "https://elsewhere.invalid");
        entry.request.headers["client-request-id"] = "00000000-0000-4000-8000-000000000000";
      }
      await chrome.storage.session.set({ prepared });
    });
    await stopAndWakeWorker(ext);
    await ext.sim.del("/_sim/requests");
    await press("set-busy");
    posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.equal(posts.length, 1);
    assertPresencePost(posts[0], "setUserPreferredPresence", { availability: "BeRightBack", activity: "BeRightBack", expirationDuration: "PT30M" });
    assert.notEqual(posts[0].headers["client-request-id"], "00000000-0000-4000-8000-000000000000");
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

test("options page: a command's status and duration are configurable; the shortcut sends exactly that; invalid durations refused", async () => {
  await withExtension({}, async (ext) => {
    await signedInWithoutPopup(ext);
    const page = await ext.context.newPage();
    await page.goto(ext.url("options.html"));
    await page.locator("body[data-ready=true]").waitFor();
    const stored = () => ext.worker.evaluate(() => chrome.storage.local.get("commandActions"));
    const status = page.locator("#cmd-set-busy-status");
    const duration = page.locator("#cmd-set-busy-duration");
    const save = page.getByRole("button", { name: "Save shortcut actions" });

    // Defaults shown; reset has nothing to choose.
    assert.equal(await status.inputValue(), "Busy");
    assert.equal(await duration.inputValue(), "");
    assert.equal(await page.locator("#cmd-toggle-dnd-status").inputValue(), "DoNotDisturb");
    assert.equal(await page.locator("#cmd-toggle-dnd-duration").inputValue(), "PT1H");
    assert.equal(await page.locator("#cmd-reset-status select, #cmd-reset-status input").count(), 0);
    assert.equal((await page.locator("#cmd-set-busy-status option").allTextContents()).length, 6);

    // An invalid duration: refused live next to the field, and not saved.
    await status.selectOption("DoNotDisturb");
    await duration.fill("half an hour");
    await page.locator("#cmd-set-busy-error", { hasText: "Not a duration" }).waitFor();
    assert.equal(await duration.getAttribute("aria-invalid"), "true");
    await save.click();
    await page.locator("#cmd-set-busy-error", { hasText: "Not a duration" }).waitFor();
    assert.equal(await page.locator("#commands-saved").textContent(), "");
    assert.deepEqual(await stored(), {});

    // Do not disturb for 30 minutes.
    await duration.fill("30m");
    await page.locator("#cmd-set-busy-error:empty").waitFor({ state: "attached" });
    assert.equal(await duration.getAttribute("aria-invalid"), null);
    await save.click();
    await page.locator("#commands-saved", { hasText: "Saved." }).waitFor();
    assert.deepEqual((await stored()).commandActions, {
      "toggle-dnd": { kind: "toggle", availability: "DoNotDisturb", expiration: "PT1H" },
      "set-busy": { kind: "set", availability: "DoNotDisturb", expiration: "PT30M" },
      "set-available": { kind: "set", availability: "Available", expiration: null },
      "reset-status": { kind: "reset" },
    });
    assert.equal(await duration.inputValue(), "PT30M", "shown as the core's canonical text");
    const rows = await page.locator("#shortcuts tbody tr").allTextContents();
    assert.ok(rows.some((r) => r.includes("Alt+Shift+U") && r.includes("Set Do not disturb (PT30M)")), rows.join(" | "));

    // The worker took the change from chrome.storage.onChanged (no read per press).
    const w = await ext.getWorker();
    const seen = () => w.evaluate(async () => (await /** @type {any} */ (globalThis).__presenceSwitchTest.currentCommandActions())["set-busy"].availability);
    for (let i = 0; i < 50 && (await seen()) !== "DoNotDisturb"; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await ext.sim.del("/_sim/requests");
    await ext.command("set-busy");
    const posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.equal(posts.length, 1);
    assert.equal(posts[0].body, JSON.stringify({ availability: "DoNotDisturb", activity: "DoNotDisturb", expirationDuration: "PT30M" }));
    assertPresencePost(posts[0], "setUserPreferredPresence", { availability: "DoNotDisturb", activity: "DoNotDisturb", expirationDuration: "PT30M" });
    assert.equal(await badge(ext), "DND");

    // A fresh worker reads the configuration once, at start.
    const fresh = await stopAndWakeWorker(ext);
    await ext.sim.del("/_sim/requests");
    await fresh.evaluate(() => /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand("set-busy"));
    assertPresencePost((await requestsFor(ext.sim, "setUserPreferredPresence"))[0], "setUserPreferredPresence", {
      availability: "DoNotDisturb",
      activity: "DoNotDisturb",
      expirationDuration: "PT30M",
    });
  });
});
