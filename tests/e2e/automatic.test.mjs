// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, requestsFor, assertPresencePost, eventually, SIM } from "./harness.mjs";

const SET = "/v1.0/me/presence/setUserPreferredPresence";

test("automatic action without a usable sign-in never opens a window: badge and 'sign in needed' instead", async () => {
  await withExtension({}, async (ext) => {
    const popup = await ext.signIn();
    await popup.getByRole("button", { name: "Available", exact: true }).click();
    await popup.getByLabel("Keep me present from this browser").check();
    await popup.locator("#message", { hasText: "This browser now keeps you present in Teams." }).waitFor({ timeout: 5000 });
    await popup.close();

    // The access token expires and the identity provider now insists on interaction.
    await ext.sim.post("/_sim/config", { requireInteraction: true });
    await ext.sim.post("/_sim/clock", { advanceSeconds: 3700 });
    await ext.sim.del("/_sim/requests");
    const pagesBefore = ext.context.pages().length;

    const w = await ext.getWorker();
    await w.evaluate(() => chrome.alarms.create("keepPresent", { when: Date.now() + 10, periodInMinutes: 4 }));
    const badge = await eventually(async () => ((await w.evaluate(() => chrome.action.getBadgeText({}))) === "!" ? "!" : null), {
      what: "the failure badge",
      timeoutMs: 10_000,
    });
    assert.equal(badge, "!");
    // Badge text, title and notification are separate calls issued together: each may land a
    // moment after the others.
    await eventually(async () => /Sign in needed/.test(await w.evaluate(() => chrome.action.getTitle({}))), {
      what: "the 'Sign in needed' title",
    });
    await eventually(
      async () => "presence-switch-signInNeeded" in (await w.evaluate(() => chrome.notifications.getAll())),
      { what: "the 'sign in needed' notification" },
    );

    const log = await ext.sim.get("/_sim/requests");
    const authorize = log.filter((/** @type {any} */ r) => r.path === `/${SIM.tenant}/oauth2/v2.0/authorize`);
    assert.ok(authorize.length >= 1, "the invisible web flow was tried");
    for (const a of authorize) {
      assert.match(a.query, /prompt=none/, "only prompt=none, never an interactive authorize");
    }
    assert.equal(ext.context.pages().length, pagesBefore, "no window or tab opened");
  });
});

test("a long Retry-After goes to chrome.alarms; the alarm resends; a newer press cancels it", async () => {
  await withExtension({}, async (ext) => {
    await ext.sim.post("/_sim/teams-client", { signedIn: true });
    const popup = await ext.signIn();
    await ext.sim.del("/_sim/requests");
    await ext.sim.post("/_sim/faults", { path: SET, count: 1, status: 429, retryAfter: 40 });
    await popup.getByRole("button", { name: "Busy", exact: true }).click();
    await popup.locator("#message", { hasText: "Microsoft Graph is throttling requests — retrying in 40 s." }).waitFor({ timeout: 5000 });
    const w = await ext.getWorker();
    const alarm = await w.evaluate(() => chrome.alarms.get("retry"));
    assert.ok(alarm && alarm.scheduledTime - Date.now() > 30_000, "retry scheduled about 40 s ahead");

    // Fire it now (what Chrome does when the time comes): the same request is sent again.
    await w.evaluate(() => chrome.alarms.create("retry", { when: Date.now() + 10 }));
    const posts = await eventually(async () => {
      const p = await requestsFor(ext.sim, "setUserPreferredPresence");
      return p.length === 2 ? p : null;
    }, { what: "the resend" });
    assert.deepEqual(posts.map((r) => r.status), [429, 200]);
    assertPresencePost(posts[1], "setUserPreferredPresence", { availability: "Busy", activity: "Busy" });

    // A scheduled retry is dropped when a newer press comes in.
    await ext.sim.post("/_sim/faults", { path: SET, count: 1, status: 429, retryAfter: 40 });
    await popup.getByRole("button", { name: "Do not disturb", exact: true }).click();
    await popup.locator("#message", { hasText: "retrying in 40 s" }).waitFor({ timeout: 5000 });
    await popup.getByRole("button", { name: "Available", exact: true }).click();
    await popup.locator("#message", { hasText: /^Set to Available/ }).waitFor({ timeout: 5000 });
    assert.equal(await w.evaluate(() => chrome.alarms.get("retry")), undefined);
    assert.equal((await ext.sim.get("/_sim/state")).preferred.availability, "Available");
  });
});
