// Unit tests of the meeting auto-set's pure JS helpers: which content-script messages the
// worker believes, and the meeting settings with their defaults (no browser, no wasm).
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkContentMessage, MeetingMsg } from "../../extension/lib/meeting-guard.js";
import { meetingSettings, meetingTrigger, ownPreferred, MEETING_SITES } from "../../extension/lib/settings.js";

const ID = "abcdefghijklmnopabcdefghijklmnop";
const MEET = "https://meet.google.com/abc-defg-hij";
/** A stand-in for the core's matchMeeting: only MEET is a meeting. */
const ctx = (tracked = null) => ({
  runtimeId: ID,
  extensionOrigin: `chrome-extension://${ID}/`,
  match: (url) => (url.startsWith(MEET) ? { site: "googleMeet", meetingId: "abc-defg-hij" } : null),
  trackedMeeting: () => tracked,
});
const sender = (over = {}) => ({ id: ID, tab: { id: 7 }, frameId: 0, url: MEET, ...over });
const joined = { type: MeetingMsg.JOINED, site: "googleMeet", meetingId: "abc-defg-hij" };

test("a joined from our content script, top frame, on the meeting it names, is believed", () => {
  assert.deepEqual(checkContentMessage(joined, sender(), ctx()), {
    ok: true,
    type: "meeting/joined",
    tabId: 7,
    url: MEET,
    meeting: { site: "googleMeet", meetingId: "abc-defg-hij" },
  });
  assert.equal(checkContentMessage({ type: MeetingMsg.HELLO }, sender(), ctx()).ok, true);
});

test("senders that are not our top-frame content script on a meeting page are refused, with a reason", () => {
  const reason = (msg, s, c = ctx()) => {
    const r = checkContentMessage(msg, s, c);
    return r.ok ? "accepted" : r.reason;
  };
  assert.equal(reason(joined, sender({ id: "other" })), "sender");
  assert.equal(reason(joined, sender({ tab: undefined })), "noTab");
  assert.equal(reason(joined, sender({ tab: { id: -1 } })), "noTab");
  assert.equal(reason(joined, sender({ frameId: 3 })), "frame");
  assert.equal(reason(joined, sender({ url: undefined })), "url");
  assert.equal(reason(joined, sender({ url: `chrome-extension://${ID}/popup.html` })), "url");
  assert.equal(reason(joined, sender({ url: "https://meet.google.com/landing" })), "notMeeting");
  assert.equal(reason(joined, sender({ url: "https://meet.google.com.example.net/abc-defg-hij" })), "notMeeting");
  assert.equal(reason({ type: MeetingMsg.HELLO }, sender({ url: "https://meet.google.com/" })), "notMeeting");
});

test("messages of the wrong shape are refused: extra keys, wrong types, other types, other meetings", () => {
  const reason = (msg) => {
    const r = checkContentMessage(msg, sender(), ctx());
    return r.ok ? "accepted" : r.reason;
  };
  assert.equal(reason(null), "shape");
  assert.equal(reason([joined]), "shape");
  assert.equal(reason("meeting/joined"), "shape");
  assert.equal(reason({ ...joined, token: "x" }), "shape");
  assert.equal(reason({ type: MeetingMsg.HELLO, site: "googleMeet" }), "shape");
  assert.equal(reason({ ...joined, meetingId: 42 }), "shape");
  assert.equal(reason({ ...joined, meetingId: "" }), "shape");
  assert.equal(reason({ ...joined, meetingId: "x".repeat(513) }), "shape");
  assert.equal(reason({ ...joined, site: "teams" }), "shape");
  assert.equal(reason({ type: "presence/set", availability: "Busy" }), "type");
  assert.equal(reason({ type: "auth/state" }), "type");
  assert.equal(reason({ ...joined, meetingId: "xyz-abcd-efg" }), "mismatch");
  assert.equal(reason({ ...joined, site: "zoom" }), "mismatch");
});

test("a left from a page that navigated away is believed only for the meeting that tab joined", () => {
  const left = { type: MeetingMsg.LEFT, site: "googleMeet", meetingId: "abc-defg-hij" };
  const away = sender({ url: "https://meet.google.com/" });
  assert.equal(checkContentMessage(left, away, ctx()).ok, false, "not tracked: refused");
  assert.equal(checkContentMessage(left, away, ctx({ site: "googleMeet", meetingId: "abc-defg-hij" })).ok, true);
  assert.equal(checkContentMessage(left, away, ctx({ site: "googleMeet", meetingId: "other-meet-ing" })).ok, false);
  assert.equal(checkContentMessage({ ...left, type: MeetingMsg.JOINED }, away, ctx({ site: "googleMeet", meetingId: "abc-defg-hij" })).ok, false, "a join needs the URL");
});

test("a matcher that throws (invalid stored custom pattern) makes nothing a meeting", () => {
  const c = { ...ctx(), match: () => { throw Object.assign(new Error("bad"), { code: "invalidMeeting" }); } };
  const r = checkContentMessage(joined, sender(), c);
  assert.deepEqual(r, { ok: false, reason: "notMeeting" });
});

test("meeting settings: defaults for everything missing or ill-typed", () => {
  const d = meetingSettings(undefined);
  assert.equal(d.enabled, true);
  assert.equal(d.status, "Busy");
  assert.equal(d.safetyExpiry, "PT4H");
  assert.deepEqual(d.customPatterns, []);
  assert.deepEqual(Object.keys(d.sites), MEETING_SITES.map((s) => s.site));
  assert.deepEqual(d.sites.googleMeet, { enabled: true, trigger: "join" });
  assert.deepEqual(d.sites.webex, { enabled: true, trigger: "visit" });
  assert.deepEqual(d.sites.whereby, { enabled: true, trigger: "visit" });
  const odd = meetingSettings({ enabled: "yes", status: "Away", safetyExpiry: "P9D", sites: { zoom: { enabled: 1, trigger: "always" } }, customPatterns: ["https://a.example/*", 3] });
  assert.equal(odd.enabled, true);
  assert.equal(odd.status, "Busy");
  assert.equal(odd.safetyExpiry, "PT4H");
  assert.deepEqual(odd.sites.zoom, { enabled: true, trigger: "join" });
  assert.deepEqual(odd.customPatterns, ["https://a.example/*"]);
  const mine = meetingSettings({ enabled: true, status: "DoNotDisturb", safetyExpiry: "PT2H", sites: { googleMeet: { enabled: false, trigger: "visit" } } });
  assert.equal(mine.status, "DoNotDisturb");
  assert.equal(mine.safetyExpiry, "PT2H");
  assert.deepEqual(mine.sites.googleMeet, { enabled: false, trigger: "visit" });
});

test("meetingTrigger: off globally or per site gives null; custom pages count on visit", () => {
  const s = meetingSettings({ sites: { zoom: { enabled: false, trigger: "join" }, jitsi: { enabled: true, trigger: "visit" } } });
  assert.equal(meetingTrigger(s, "googleMeet"), "join");
  assert.equal(meetingTrigger(s, "zoom"), null);
  assert.equal(meetingTrigger(s, "jitsi"), "visit");
  assert.equal(meetingTrigger(s, "custom"), "visit");
  assert.equal(meetingTrigger(s, "unknown"), null);
  assert.equal(meetingTrigger({ ...s, enabled: false }, "googleMeet"), null);
  assert.equal(meetingTrigger({ ...s, enabled: false }, "custom"), null);
});

test("ownPreferred: the popup's last status, only with a known expiry still ahead", () => {
  assert.equal(ownPreferred(null, 1000), null);
  assert.equal(ownPreferred({ availability: "Away", untilMs: null }, 1000), null);
  assert.equal(ownPreferred({ availability: "Away", untilMs: 1000 }, 1000), null);
  assert.deepEqual(ownPreferred({ availability: "Away", untilMs: 5000 }, 1000), { availability: "Away", activity: "Away", expiresAtMs: 5000 });
  assert.deepEqual(ownPreferred({ availability: "Offline", untilMs: 5000 }, 1000), { availability: "Offline", activity: "OffWork", expiresAtMs: 5000 });
});
