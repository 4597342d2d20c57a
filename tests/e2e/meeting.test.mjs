// @ts-check
// Meeting auto-set end to end: fixture meeting pages on the real meeting origins (Playwright
// routing), the real content script, the service worker and the core's machine, the simulator
// recording every Graph request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, requestsFor, assertPresencePost, eventually, stopAndWakeWorker } from "./harness.mjs";
import { ready, log, requestCount, quiet, badge, openMeeting } from "./meeting-helpers.mjs";

const MEET = "https://meet.google.com/abc-defg-hij";
const BUSY_4H = { availability: "Busy", activity: "Busy", expirationDuration: "PT4H" };

/** @param {import("./harness.mjs").Ext} ext @param {string} [url] */
const openMeet = (ext, url = MEET) => openMeeting(ext, url);

test("Meet: the lobby changes nothing; joining sets Busy for PT4H; leaving clears it again", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeet(ext);
    await quiet(ext.sim);

    const t0 = Date.now();
    await page.click("#join");
    const afterJoin = await requestCount(ext.sim, 2, "snapshot read and set");
    const setMs = Date.now() - t0;
    assert.deepEqual(afterJoin, ["GET presence 200", "POST setUserPreferredPresence 200"]);
    assertPresencePost((await requestsFor(ext.sim, "setUserPreferredPresence"))[0], "setUserPreferredPresence", BUSY_4H);
    assert.equal((await ext.sim.get("/_sim/state")).presence.availability, "Busy");
    assert.equal(await eventually(async () => ((await badge(ext)) === "MTG" ? "MTG" : null), { what: "meeting badge" }), "MTG");

    const t1 = Date.now();
    await page.click("#leave");
    const afterLeave = await requestCount(ext.sim, 4, "check read and clear");
    const clearMs = Date.now() - t1;
    assert.deepEqual(afterLeave.slice(2), ["GET presence 200", "POST clearUserPreferredPresence 200"]);
    assertPresencePost((await requestsFor(ext.sim, "clearUserPreferredPresence"))[0], "clearUserPreferredPresence", {});
    const state = await ext.sim.get("/_sim/state");
    assert.equal(state.preferred, null);
    assert.equal(state.presence.availability, "Available");
    await eventually(async () => (await badge(ext)) === "", { what: "badge cleared" });
    await quiet(ext.sim, 450);
    console.log(`meeting latency: join→set ${setMs} ms, leave→clear ${clearMs} ms`);
  });
});

test("two Meet tabs: one set when the first joins, one restore when the last one leaves", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const a = await openMeet(ext);
    const b = await openMeet(ext, "https://meet.google.com/xyz-abcd-efg");
    await a.click("#join");
    await requestCount(ext.sim, 2, "set for the first tab");
    await b.click("#join");
    await quiet(ext.sim, 600);
    await a.click("#leave");
    await quiet(ext.sim, 600);
    assert.equal((await ext.sim.get("/_sim/state")).presence.availability, "Busy", "still in the other meeting");
    await b.click("#leave");
    const all = await requestCount(ext.sim, 4, "restore after the last tab");
    assert.deepEqual(all, ["GET presence 200", "POST setUserPreferredPresence 200", "GET presence 200", "POST clearUserPreferredPresence 200"]);
  });
});

test("closing the meeting tab instead of leaving the call also restores", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeet(ext);
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    await page.close();
    const all = await requestCount(ext.sim, 4, "restore after close");
    assert.deepEqual(all.slice(2), ["GET presence 200", "POST clearUserPreferredPresence 200"]);
  });
});

test("the user picks a status in the popup during the meeting: it is not restored afterwards", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeet(ext);
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    const popup = await ext.openPopup();
    await popup.locator("#meeting", { hasText: "In a meeting: your status is set automatically until you leave." }).waitFor({ timeout: 5000 });
    await popup.getByRole("button", { name: "Be right back", exact: true }).click();
    await popup.locator("#message", { hasText: /^Set to Be right back/ }).waitFor({ timeout: 5000 });
    await popup.locator("#meeting", { hasText: "In a meeting: your own status is kept." }).waitFor({ timeout: 5000 });
    await popup.close();
    const n = (await log(ext.sim)).length;
    await page.click("#leave");
    await quiet(ext.sim, 900);
    assert.equal((await log(ext.sim)).length, n, "no read, no clear after the leave");
    const state = await ext.sim.get("/_sim/state");
    assert.equal(state.preferred?.availability, "BeRightBack");
  });
});

test("the service worker is stopped during the meeting: the leave still restores", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeet(ext);
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    await stopAndWakeWorker(ext);
    await page.click("#leave");
    const all = await requestCount(ext.sim, 4, "restore by the new worker");
    assert.deepEqual(all.slice(2), ["GET presence 200", "POST clearUserPreferredPresence 200"]);
    assert.equal((await ext.sim.get("/_sim/state")).preferred, null);
  });
});

test("Graph unreachable when the meeting ends: the restore is sent once it is back, exactly once", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeet(ext);
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    await ext.sim.post("/_sim/faults", { path: "/me/presence", count: 100, drop: true });
    await page.click("#leave");
    const failed = await eventually(async () => {
      const r = (await ext.sim.graphRequests()).slice(2);
      return r.length >= 1 ? r : null;
    }, { what: "the failed check read" });
    assert.equal(failed[0].dropped, true);
    assert.equal((await ext.sim.get("/_sim/state")).preferred.availability, "Busy", "nothing restored while down");
    const w = await ext.getWorker();
    await eventually(() => w.evaluate(() => chrome.alarms.get("meetingRetry")), { what: "a scheduled retry" });
    await ext.sim.del("/_sim/faults");
    const after = await eventually(async () => {
      const ok = (await ext.sim.graphRequests()).filter((r) => !r.dropped);
      return ok.length >= 4 ? ok : null;
    }, { what: "the restore after the network is back", timeoutMs: 8000 });
    assert.deepEqual(after.slice(2).map((r) => `${r.method} ${r.path}`), ["GET /v1.0/me/presence", "POST /v1.0/me/presence/clearUserPreferredPresence"]);
    await quiet(ext.sim, 450);
    assert.equal((await requestsFor(ext.sim, "clearUserPreferredPresence")).length, 1, "restored once");
    assert.equal((await ext.sim.get("/_sim/state")).preferred, null);
  });
});

test("a look-alike host and a Meet page that is not a meeting send nothing", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    // Same page and in-call control, wrong host: no content script runs there at all.
    const fake = await openMeet(ext, "https://meet.google.com.example.net/abc-defg-hij");
    await fake.click("#join");
    // Right host, but not a meeting URL: the worker says so and the content script stays silent.
    const landing = await openMeet(ext, "https://meet.google.com/landing");
    await landing.click("#join");
    await quiet(ext.sim, 900);
    const w = await ext.getWorker();
    assert.deepEqual(await w.evaluate(() => chrome.storage.local.get("meetingState").then((s) => s.meetingState?.tabs ?? [])), []);
    assert.equal(await w.evaluate(() => chrome.storage.session.get("meetingRejected").then((s) => s.meetingRejected ?? null)), null, "nothing was even refused");
  });
});

test("a throttled set (429, Retry-After 1 s) is not resent blind: read again after the wait, then set once", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    await ext.sim.post("/_sim/faults", { path: "/me/presence/setUserPreferredPresence", count: 1, status: 429, retryAfter: 1 });
    const page = await openMeet(ext);
    await page.click("#join");
    const all = await requestCount(ext.sim, 4, "read, throttled set, read, set");
    assert.deepEqual(all, ["GET presence 200", "POST setUserPreferredPresence 429", "GET presence 200", "POST setUserPreferredPresence 200"]);
    const posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    assert.ok(posts[1].timeMs - posts[0].timeMs >= 1000, "waited for Retry-After");
    assertPresencePost(posts[1], "setUserPreferredPresence", BUSY_4H);
    await quiet(ext.sim, 450);
  });
});

test("sign-in needed during a meeting: badge and one notification, never a window, nothing set", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    await ext.sim.post("/_sim/config", { requireInteraction: true });
    await ext.sim.post("/_sim/clock", { advanceSeconds: 3700 }); // the access token has expired
    const pagesBefore = ext.context.pages().length;
    const page = await openMeet(ext);
    await page.click("#join");
    const w = await ext.getWorker();
    await eventually(async () => (await w.evaluate(() => chrome.action.getBadgeText({}))) === "!", { what: "the failure badge" });
    // The badge and the notification are set by separate calls; the notification may land a
    // moment after the badge.
    await eventually(
      async () => "presence-switch-signInNeeded" in (await w.evaluate(() => chrome.notifications.getAll())),
      { what: "the 'sign in needed' notification" },
    );
    const notes = await w.evaluate(() => chrome.notifications.getAll());
    assert.deepEqual(Object.keys(notes), ["presence-switch-signInNeeded"], "exactly one notification");
    assert.equal(ext.context.pages().length, pagesBefore + 1, "only the meeting tab was opened, no sign-in window");
    assert.deepEqual(await requestsFor(ext.sim, "setUserPreferredPresence"), []);
    await eventually(async () => Boolean(await w.evaluate(() => chrome.alarms.get("meetingRetry"))), {
      what: "the read is retried later (meetingRetry alarm)",
    });
  });
});
