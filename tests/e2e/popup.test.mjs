// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, requestsFor, assertPresencePost, eventually } from "./harness.mjs";

const SIX = [
  ["Available", "Available", "Available"],
  ["Busy", "Busy", "Busy"],
  ["Do not disturb", "DoNotDisturb", "DoNotDisturb"],
  ["Be right back", "BeRightBack", "BeRightBack"],
  ["Appear away", "Away", "Away"],
  ["Appear offline", "Offline", "OffWork"],
];

/**
 * Clicks a status button and waits until the popup reports the outcome.
 * @param {import("playwright-core").Page} popup
 * @param {string} name
 */
async function clickStatus(popup, name) {
  await popup.getByRole("button", { name, exact: true }).click();
  await popup.locator("#message", { hasText: /^Set to / }).waitFor({ timeout: 5000 });
}

test("each of the six statuses sends exactly the documented request (Default: no expirationDuration)", async () => {
  await withExtension({}, async (ext) => {
    await ext.sim.post("/_sim/teams-client", { signedIn: true });
    const popup = await ext.signIn();
    for (const [label, availability, activity] of SIX) {
      await ext.sim.del("/_sim/requests");
      await clickStatus(popup, label);
      const posts = await requestsFor(ext.sim, "setUserPreferredPresence");
      assert.equal(posts.length, 1, `${label}: one request`);
      assertPresencePost(posts[0], "setUserPreferredPresence", { availability, activity });
      const state = await ext.sim.get("/_sim/state");
      assert.equal(state.preferred.availability, availability, `${label}: simulator state`);
      // One read-back after the change, no polling.
      const reads = (await ext.sim.graphRequests()).filter((r) => r.method === "GET" && r.path === "/v1.0/me/presence");
      assert.equal(reads.length, 1, `${label}: one read-back`);
      assert.match(await popup.locator("#current").textContent() ?? "", /^Teams shows: /);
    }
  });
});

test("durations from presets and custom text; preview shows the until time; invalid text is refused", async () => {
  await withExtension({}, async (ext) => {
    await ext.sim.post("/_sim/teams-client", { signedIn: true });
    const popup = await ext.signIn();
    const duration = popup.getByLabel("Duration");

    // Default shows the 1 day / 7 days defaults before any click.
    assert.match(await popup.locator("#until").textContent() ?? "", /^Busy and Do not disturb until .+ \(1 day\), others until .+ \(7 days\)$/);

    for (const [preset, iso] of [["30m", "PT30M"], ["1h", "PT1H"], ["2h", "PT2H"], ["4h", "PT4H"]]) {
      await duration.selectOption(preset);
      assert.match(await popup.locator("#until").textContent() ?? "", /^Until \S/);
      await ext.sim.del("/_sim/requests");
      await clickStatus(popup, "Busy");
      const [post] = await requestsFor(ext.sim, "setUserPreferredPresence");
      assertPresencePost(post, "setUserPreferredPresence", { availability: "Busy", activity: "Busy", expirationDuration: iso });
    }

    // Today: until local midnight (seconds computed by the core's durationUntil).
    await duration.selectOption("today");
    await ext.sim.del("/_sim/requests");
    const before = Date.now();
    await clickStatus(popup, "Available");
    const [todayPost] = await requestsFor(ext.sim, "setUserPreferredPresence");
    const midnight = new Date(before);
    midnight.setHours(24, 0, 0, 0);
    const todayIso = JSON.parse(todayPost.body).expirationDuration;
    assert.match(todayIso, /^PT(\d+H)?(\d+M)?(\d+S)?$/);
    const secs = isoSeconds(todayIso);
    // the core rounds "until" durations to whole minutes
    assert.ok(Math.abs(secs - (midnight.getTime() - before) / 1000) <= 60, `Today: ${todayIso}`);

    // This week: until the next local Monday 00:00.
    await duration.selectOption("week");
    await ext.sim.del("/_sim/requests");
    const weekStart = Date.now();
    await clickStatus(popup, "Available");
    const [weekPost] = await requestsFor(ext.sim, "setUserPreferredPresence");
    const monday = new Date(weekStart);
    monday.setDate(monday.getDate() + ((8 - monday.getDay()) % 7 || 7));
    monday.setHours(0, 0, 0, 0);
    const weekSecs = isoSeconds(JSON.parse(weekPost.body).expirationDuration);
    assert.ok(Math.abs(weekSecs - (monday.getTime() - weekStart) / 1000) <= 60, `This week: ${weekPost.body}`);

    // Custom text, validated live by the core.
    await duration.selectOption("custom");
    const custom = popup.getByLabel("Custom", { exact: true });
    for (const [text, iso] of [["90m", "PT1H30M"], ["PT1H30M", "PT1H30M"], ["1h 30m", "PT1H30M"]]) {
      await custom.fill(text);
      assert.match(await popup.locator("#until").textContent() ?? "", /^Until /);
      await ext.sim.del("/_sim/requests");
      await clickStatus(popup, "Do not disturb");
      const [post] = await requestsFor(ext.sim, "setUserPreferredPresence");
      assertPresencePost(post, "setUserPreferredPresence", { availability: "DoNotDisturb", activity: "DoNotDisturb", expirationDuration: iso });
    }

    // "until HH:MM": two hours from now (local), next occurrence.
    const target = new Date(Date.now() + 2 * 3600_000 + 60_000);
    const hhmm = `${String(target.getHours()).padStart(2, "0")}:${String(target.getMinutes()).padStart(2, "0")}`;
    await custom.fill(`until ${hhmm}`);
    await ext.sim.del("/_sim/requests");
    const t0 = Date.now();
    await clickStatus(popup, "Be right back");
    const [untilPost] = await requestsFor(ext.sim, "setUserPreferredPresence");
    const untilSecs = isoSeconds(JSON.parse(untilPost.body).expirationDuration);
    const want = (new Date(target).setSeconds(0, 0) - t0) / 1000;
    assert.ok(Math.abs(untilSecs - want) <= 61, `until ${hhmm}: got ${untilSecs}s, want ≈${want}s`);

    // Refused text: message next to the field, status buttons disabled, nothing sent.
    await custom.fill("soon-ish");
    await popup.locator("#custom-error").filter({ hasText: /Not a duration or time/ }).waitFor();
    assert.equal(await custom.getAttribute("aria-invalid"), "true");
    assert.equal(await popup.getByRole("button", { name: "Busy", exact: true }).isDisabled(), true);
  });
});

test("Reset status sends clearUserPreferredPresence with an empty body; 204 counts as success", async () => {
  await withExtension({}, async (ext) => {
    await ext.sim.post("/_sim/teams-client", { signedIn: true });
    const popup = await ext.signIn();
    await clickStatus(popup, "Busy");
    // Learn documents 200, peers report 204 for the preferred-presence actions (graph-presence.md §2).
    await ext.sim.post("/_sim/config", { writeStatus: 204 });
    await ext.sim.del("/_sim/requests");
    await popup.getByRole("button", { name: "Reset status" }).click();
    await popup.locator("#message", { hasText: "Status reset" }).waitFor();
    const posts = await requestsFor(ext.sim, "clearUserPreferredPresence");
    assert.equal(posts.length, 1);
    assertPresencePost(posts[0], "clearUserPreferredPresence", {});
    assert.equal(posts[0].status, 204);
    const state = await eventually(async () => {
      const s = await ext.sim.get("/_sim/state");
      return s.preferred === null ? s : null;
    }, { what: "preferred presence cleared" });
    assert.equal(state.preferred, null);
  });
});

/** @param {string} iso a PT…H…M…S duration */
function isoSeconds(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  assert.ok(m, `ISO duration ${iso}`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}
