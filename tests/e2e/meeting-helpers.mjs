// @ts-check
/** Shared steps of the meeting e2e tests. */
import assert from "node:assert/strict";
import { eventually } from "./harness.mjs";
import { routeMeetings } from "./meeting-fixtures.mjs";

/**
 * Signed in, Teams client at Available, request log empty, meeting origins routed to fixtures.
 * @param {import("./harness.mjs").Ext} ext
 * @param {{ meetingSettings?: any, signedIn?: boolean }} [opts] meetingSettings: stored before
 *   anything runs; signedIn: the test has signed in already
 */
export async function ready(ext, { meetingSettings, signedIn = false } = {}) {
  if (!signedIn) {
    await ext.sim.post("/_sim/teams-client", { signedIn: true });
    const popup = await ext.signIn();
    await popup.close();
  }
  await routeMeetings(ext.context);
  if (meetingSettings) {
    await (await ext.getWorker()).evaluate((m) => chrome.storage.local.set({ meetingSettings: m }), meetingSettings);
  }
  await ext.sim.del("/_sim/requests");
}

/** Graph requests as "METHOD action status", oldest first. @param {import("./harness.mjs").Sim} sim */
export async function log(sim) {
  return (await sim.graphRequests()).map((r) => `${r.method} ${r.path.replace("/v1.0/me/presence", "presence").replace("presence/", "")} ${r.status}`);
}

/**
 * Waits until the simulator has logged at least `n` Graph requests.
 * @param {import("./harness.mjs").Sim} sim @param {number} n @param {string} what
 */
export async function requestCount(sim, n, what) {
  return await eventually(async () => {
    const l = await log(sim);
    return l.length >= n ? l : null;
  }, { what: `${what} (${n} Graph requests)` });
}

/**
 * Asserts that no Graph request arrives for a while (an absence can only be shown by waiting:
 * short polls, each under 300 ms).
 * @param {import("./harness.mjs").Sim} sim @param {number} [ms]
 */
export async function quiet(sim, ms = 900) {
  const before = (await log(sim)).length;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await log(sim)).length, before, "no Graph request expected");
  }
}

/** @param {import("./harness.mjs").Ext} ext */
export async function badge(ext) {
  return await (await ext.getWorker()).evaluate(() => chrome.action.getBadgeText({}));
}

/** @param {import("./harness.mjs").Ext} ext @param {string} url */
export async function openMeeting(ext, url) {
  const page = await ext.context.newPage();
  await page.goto(url);
  return page;
}

/** @param {import("./harness.mjs").Ext} ext */
export async function rejected(ext) {
  return await (await ext.getWorker()).evaluate(() => chrome.storage.session.get("meetingRejected").then((s) => s.meetingRejected ?? null));
}
