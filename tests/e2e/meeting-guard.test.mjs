// @ts-check
// What the service worker believes from meeting pages, and the start-up clean-up. Forged
// messages are sent from the content script's own isolated world (CDP), i.e. with exactly the
// powers a compromised meeting page renderer would have.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, eventually, stopAndWakeWorker } from "./harness.mjs";
import { inContentScript } from "./meeting-fixtures.mjs";
import { ready, log, requestCount, quiet, openMeeting, rejected } from "./meeting-helpers.mjs";

/** @param {any} msg */
const sendExpr = (msg) => `chrome.runtime.sendMessage(${JSON.stringify(msg)})`;

test("messages from a non-meeting URL, of a bad shape, for another meeting or of another type are ignored and counted", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const landing = await openMeeting(ext, "https://meet.google.com/landing");
    const meet = await openMeeting(ext, "https://meet.google.com/abc-defg-hij");
    const joined = { type: "meeting/joined", site: "googleMeet", meetingId: "abc-defg-hij" };

    // The content script learns only what its own page is: no presence, no token.
    assert.deepEqual(await inContentScript(meet, sendExpr({ type: "meeting/hello" })), {
      ok: true,
      value: { site: "googleMeet", meetingId: "abc-defg-hij", trigger: "join" },
    });
    assert.deepEqual(await inContentScript(landing, sendExpr({ type: "meeting/hello" })), { ok: true, value: null });
    assert.equal(await rejected(ext), null, "a page that is no meeting is not an offence");

    const ignored = { ok: false, error: { code: "ignored", message: "not accepted" } };
    assert.deepEqual(await inContentScript(landing, sendExpr(joined)), ignored, "non-meeting URL");
    assert.deepEqual(await inContentScript(meet, sendExpr({ ...joined, extra: 1 })), ignored, "bad shape");
    assert.deepEqual(await inContentScript(meet, sendExpr({ ...joined, meetingId: "xyz-abcd-efg" })), ignored, "another meeting");
    assert.deepEqual(await inContentScript(meet, sendExpr({ type: "presence/set", availability: "Offline" })), ignored, "not a meeting message");
    assert.deepEqual(await inContentScript(meet, sendExpr({ type: "auth/state" })), ignored, "no account data for pages");

    const count = await rejected(ext);
    assert.equal(count.count, 5);
    assert.equal(count.lastReason, "type");
    await quiet(ext.sim, 450);
    assert.deepEqual(await log(ext.sim), [], "nothing reached Graph");

    // The options page shows the count.
    const options = await ext.context.newPage();
    await options.goto(ext.url("options.html"));
    await options.locator("#meeting-rejected", { hasText: "Messages from web pages that were ignored: 5" }).waitFor({ timeout: 5000 });

    // The real thing from the same page still works.
    assert.deepEqual(await inContentScript(meet, sendExpr(joined)), { ok: true, value: null });
    await requestCount(ext.sim, 2, "set");
  });
});

test("at worker start, a stale 'in meeting' record whose tab no longer exists is cleaned up: ours is restored", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeeting(ext, "https://meet.google.com/abc-defg-hij");
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    // The record now names a tab that does not exist (as after a crash that lost the close).
    const w = await ext.getWorker();
    await w.evaluate(async () => {
      const { meetingState } = await chrome.storage.local.get("meetingState");
      meetingState.tabs = meetingState.tabs.map((/** @type {any} */ t) => ({ ...t, tabId: 999_999 }));
      await chrome.storage.local.set({ meetingState });
    });
    await page.close();
    await quiet(ext.sim, 450);
    assert.equal((await ext.sim.get("/_sim/state")).preferred.availability, "Busy", "the close of an unknown tab changes nothing");
    await stopAndWakeWorker(ext);
    const all = await requestCount(ext.sim, 4, "restore at worker start");
    assert.deepEqual(all.slice(2), ["GET presence 200", "POST clearUserPreferredPresence 200"]);
    const state = await eventually(async () => {
      const s = await (await ext.getWorker()).evaluate(() => chrome.storage.local.get("meetingState").then((x) => x.meetingState));
      return s?.phase?.type === "idle" ? s : null;
    }, { what: "idle state" });
    assert.deepEqual(state.tabs, []);
  });
});
