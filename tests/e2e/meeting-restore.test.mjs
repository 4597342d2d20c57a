// @ts-check
// Meeting auto-set puts back the popup's own earlier status, with the time it has left.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, requestsFor, assertPresencePost } from "./harness.mjs";
import { ready, requestCount, openMeeting } from "./meeting-helpers.mjs";

test("a status set in our popup before the meeting (Be right back, 1 h) is restored with its remaining time", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const popup = await ext.openPopup();
    await popup.locator("#duration").selectOption("1h");
    await popup.getByRole("button", { name: "Be right back", exact: true }).click();
    await popup.locator("#message", { hasText: /^Set to Be right back/ }).waitFor({ timeout: 5000 });
    await popup.close();
    await ext.sim.del("/_sim/requests");

    const page = await openMeeting(ext, "https://meet.google.com/abc-defg-hij");
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    await page.click("#leave");
    const all = await requestCount(ext.sim, 4, "restore");
    assert.deepEqual(all, ["GET presence 200", "POST setUserPreferredPresence 200", "GET presence 200", "POST setUserPreferredPresence 200"]);
    const posts = await requestsFor(ext.sim, "setUserPreferredPresence");
    // Less than an hour is left, rounded up to the minute.
    assertPresencePost(posts[1], "setUserPreferredPresence", { availability: "BeRightBack", activity: "BeRightBack", expirationDuration: "PT1H" });
    assert.equal((await ext.sim.get("/_sim/state")).preferred.availability, "BeRightBack");
  });
});
