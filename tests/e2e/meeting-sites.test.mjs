// @ts-check
// Meeting auto-set per site and per setting: detection that does not read labels, the other
// built-in sites, "on visit", the status option and switching a site off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, requestsFor, assertPresencePost } from "./harness.mjs";
import { ready, log, requestCount, quiet, openMeeting } from "./meeting-helpers.mjs";

const SET_RESTORE = ["GET presence 200", "POST setUserPreferredPresence 200", "GET presence 200", "POST clearUserPreferredPresence 200"];

test("German UI (--lang=de), 2024 Meet icons: detected by the call_end ligature, not the labels", async () => {
  await withExtension({ locale: "de-DE" }, async (ext) => {
    await ext.sim.post("/_sim/teams-client", { signedIn: true });
    const popup = await ext.context.newPage();
    await popup.goto(ext.url("popup.html"));
    await popup.locator("body[data-ready=loaded]").waitFor({ timeout: 10_000 });
    await popup.getByRole("button", { name: "Anmelden" }).click();
    await popup.locator("body[data-ready=loaded]").waitFor({ timeout: 10_000 });
    await popup.close();
    await ready(ext, { signedIn: true });
    const page = await openMeeting(ext, "https://meet.google.com/abc-defg-hij?ui=2024");
    assert.equal(await page.locator("#join").textContent(), "Jetzt teilnehmen", "the fixture speaks German");
    await quiet(ext.sim, 600);
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    assert.equal(await page.locator("#leave").getAttribute("aria-label"), "Anruf verlassen");
    await page.click("#leave");
    assert.deepEqual(await requestCount(ext.sim, 4, "restore"), SET_RESTORE);
  });
});

test("Zoom web client: join page and waiting room change nothing; the meeting footer sets; leaving restores", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeeting(ext, "https://app.zoom.us/wc/123456789/join");
    await page.click("#join");
    await quiet(ext.sim, 600);
    await page.click("#admit");
    await requestCount(ext.sim, 2, "set");
    await page.click("#leave");
    assert.deepEqual(await requestCount(ext.sim, 4, "restore"), SET_RESTORE);
  });
});

test("Jitsi Meet: the prejoin screen changes nothing; the toolbox hang-up button sets; hanging up restores", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeeting(ext, "https://meet.jit.si/WeeklyStandup");
    await quiet(ext.sim, 600);
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    await page.click("#leave");
    assert.deepEqual(await requestCount(ext.sim, 4, "restore"), SET_RESTORE);
  });
});

test("Whereby counts on visit by default: opening the room sets, closing the tab restores", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeeting(ext, "https://whereby.com/team-room");
    await requestCount(ext.sim, 2, "set on visit");
    await page.close();
    assert.deepEqual(await requestCount(ext.sim, 4, "restore"), SET_RESTORE);
  });
});

test("options choose Do not disturb for PT2H: the meeting sets exactly that", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const options = await ext.context.newPage();
    await options.goto(ext.url("options.html"));
    await options.locator("#meeting-site-googleMeet").waitFor({ timeout: 5000 });
    await options.getByLabel("Status during a meeting").selectOption("DoNotDisturb");
    await options.getByLabel("Safety limit: the meeting status ends by itself after").selectOption("PT2H");
    await options.locator("#meeting-saved", { hasText: "Saved." }).waitFor({ timeout: 5000 });
    const page = await openMeeting(ext, "https://meet.google.com/abc-defg-hij");
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    assertPresencePost((await requestsFor(ext.sim, "setUserPreferredPresence"))[0], "setUserPreferredPresence", {
      availability: "DoNotDisturb",
      activity: "DoNotDisturb",
      expirationDuration: "PT2H",
    });
  });
});

test("switching Google Meet off in the options during a call restores at once; later calls change nothing", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    const page = await openMeeting(ext, "https://meet.google.com/abc-defg-hij");
    await page.click("#join");
    await requestCount(ext.sim, 2, "set");
    const options = await ext.context.newPage();
    await options.goto(ext.url("options.html"));
    await options.getByLabel("Use: Google Meet").uncheck();
    assert.deepEqual(await requestCount(ext.sim, 4, "restore"), SET_RESTORE);
    await page.click("#leave");
    await page.click("#rejoin");
    await quiet(ext.sim, 900);
    assert.equal((await log(ext.sim)).length, 4);
  });
});

test("a user's own Do not disturb before the meeting is left alone, during and after", async () => {
  await withExtension({}, async (ext) => {
    await ready(ext);
    await ext.sim.post("/_sim/teams-client", { signedIn: true, availability: "DoNotDisturb" });
    const page = await openMeeting(ext, "https://meet.google.com/abc-defg-hij");
    await page.click("#join");
    await requestCount(ext.sim, 1, "snapshot read");
    await page.click("#leave");
    await quiet(ext.sim, 900);
    assert.deepEqual(await log(ext.sim), ["GET presence 200"], "read once, nothing written");
  });
});

test("options: an invalid custom pattern is refused before any permission prompt; Webex offers only 'on visit'", async () => {
  await withExtension({}, async (ext) => {
    const options = await ext.context.newPage();
    await options.goto(ext.url("options.html"));
    await options.locator("#meeting-site-googleMeet").waitFor({ timeout: 5000 });
    await options.getByLabel("Page address pattern").fill("http://*.com/*");
    await options.getByRole("button", { name: "Add", exact: true }).click();
    await options.locator("#meeting-pattern-error", { hasText: "This pattern is not valid." }).waitFor({ timeout: 5000 });
    assert.equal(await options.getByLabel("Page address pattern").getAttribute("aria-invalid"), "true");
    const stored = await (await ext.getWorker()).evaluate(() => chrome.storage.local.get("meetingSettings").then((s) => s.meetingSettings ?? null));
    assert.equal(stored, null, "nothing saved");
    assert.equal(await options.locator("#meeting-trigger-webex").inputValue(), "visit");
    assert.equal(await options.locator('#meeting-trigger-webex option[value="join"]').isDisabled(), true);
    assert.equal(await options.locator("#meeting-trigger-googleMeet").inputValue(), "join");
  });
});
