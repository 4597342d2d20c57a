// Unit tests of the extension's pure JS helpers (no browser, no wasm).
import { test } from "node:test";
import assert from "node:assert/strict";
import { toErrorData, errorMessageKey, ShellError } from "../../extension/lib/errors.js";
import { createQueue } from "../../extension/lib/queue.js";
import { toggleStep, COMMANDS, commandActions, storedCommandActions } from "../../extension/lib/commands.js";
import { endOfToday, endOfWeek, PRESETS } from "../../extension/lib/presets.js";
import { cloudInput, isClientId, originPattern } from "../../extension/lib/settings.js";
import { STATUSES, availabilityLabelKey } from "../../extension/lib/status.js";

test("toErrorData keeps code, message and retryAfterSeconds; anything else becomes internal", () => {
  assert.deepEqual(toErrorData(new ShellError("throttledScheduled", "m", { retryAfterSeconds: 40 })), {
    code: "throttledScheduled",
    message: "m",
    retryAfterSeconds: 40,
  });
  const core = Object.assign(new Error("expirationDuration …"), { code: "invalidDuration", field: "expiration" });
  assert.deepEqual(toErrorData(core), { code: "invalidDuration", message: "expirationDuration …" });
  assert.deepEqual(toErrorData(new Error("plain")), { code: "internal", message: "plain" });
  assert.deepEqual(toErrorData("text"), { code: "internal", message: "text" });
  // JSON round trip (what runtime messaging does) keeps everything.
  assert.deepEqual(JSON.parse(JSON.stringify(toErrorData(core))), toErrorData(core));
});

test("errorMessageKey maps the core's and the shell's codes to actionable messages", () => {
  assert.equal(errorMessageKey("unauthenticated"), "errSignIn");
  assert.equal(errorMessageKey("signInNeeded"), "errSignIn");
  assert.equal(errorMessageKey("consentMissing"), "errConsent");
  assert.equal(errorMessageKey("networkError"), "errNetwork");
  assert.equal(errorMessageKey("timeout"), "errNetwork");
  assert.equal(errorMessageKey("throttledScheduled"), "errThrottledScheduled");
  assert.equal(errorMessageKey("throttled"), "errThrottledGaveUp");
  assert.equal(errorMessageKey("cloudNotSupported"), "errCloud");
  assert.equal(errorMessageKey("somethingNew"), "errGeneric");
});

test("the queue runs tasks strictly in order and continues after a failure", async () => {
  const q = createQueue();
  const seen = [];
  const slow = (name, ms, fail = false) => () =>
    new Promise((resolve, reject) => setTimeout(() => (seen.push(name), fail ? reject(new Error(name)) : resolve(name)), ms));
  const results = await Promise.allSettled([q.run(slow("a", 30)), q.run(slow("b", 1, true)), q.run(slow("c", 10))]);
  assert.deepEqual(seen, ["a", "b", "c"]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.equal(q.size, 0);
});

test("toggle resets only while the same state set by us is in force", () => {
  const dnd = COMMANDS["toggle-dnd"].action;
  assert.equal(toggleStep(dnd, null, 1000), "set");
  assert.equal(toggleStep(dnd, { availability: "Busy", untilMs: 5000 }, 1000), "set");
  assert.equal(toggleStep(dnd, { availability: "DoNotDisturb", untilMs: 5000 }, 1000), "reset");
  assert.equal(toggleStep(dnd, { availability: "DoNotDisturb", untilMs: 500 }, 1000), "set", "expired: set again");
  assert.equal(toggleStep(dnd, { availability: "DoNotDisturb", untilMs: null }, 1000), "reset");
});

test("command actions: stored overrides over the defaults; kinds fixed; anything unfit falls back", () => {
  const defaults = commandActions(undefined);
  assert.deepEqual(defaults, Object.fromEntries(Object.entries(COMMANDS).map(([n, c]) => [n, c.action])));
  const got = commandActions({
    "set-busy": { kind: "set", availability: "DoNotDisturb", expiration: "PT30M" },
    "set-available": { kind: "set", availability: "Away", expiration: null },
    "toggle-dnd": { kind: "set", availability: "Busy", expiration: "PT2H" }, // wrong kind
    "reset-status": { kind: "set", availability: "Busy" }, // reset stays reset
  });
  assert.deepEqual(got["set-busy"], { kind: "set", availability: "DoNotDisturb", expiration: "PT30M" });
  assert.deepEqual(got["set-available"], { kind: "set", availability: "Away" });
  assert.deepEqual(got["toggle-dnd"], COMMANDS["toggle-dnd"].action);
  assert.deepEqual(got["reset-status"], { kind: "reset" });
  assert.deepEqual(commandActions({ "set-busy": { kind: "set", availability: "Nope" } })["set-busy"], COMMANDS["set-busy"].action);
  assert.deepEqual(commandActions("garbage"), defaults);
  // Round trip through what the options page stores.
  assert.deepEqual(commandActions(storedCommandActions(got)), got);
  assert.deepEqual(storedCommandActions(defaults)["set-busy"], { kind: "set", availability: "Busy", expiration: null });
  assert.deepEqual(storedCommandActions(defaults)["reset-status"], { kind: "reset" });
});

test("Today ends at local midnight; This week at the next local Monday 00:00", () => {
  const wed = new Date(2026, 11, 2, 15, 30).getTime(); // Wednesday
  assert.equal(endOfToday(wed), new Date(2026, 11, 3, 0, 0).getTime());
  assert.equal(endOfWeek(wed), new Date(2026, 11, 7, 0, 0).getTime());
  const sun = new Date(2026, 11, 6, 23, 0).getTime();
  assert.equal(endOfWeek(sun), new Date(2026, 11, 7, 0, 0).getTime());
  const mon = new Date(2026, 11, 7, 0, 1).getTime();
  assert.equal(endOfWeek(mon), new Date(2026, 11, 14, 0, 0).getTime());
  assert.deepEqual(PRESETS.map((p) => p.id), ["30m", "1h", "2h", "4h", "today", "week", "custom", "default"]);
});

test("settings helpers: custom endpoints only for the custom cloud; client id is a GUID; origin patterns", () => {
  assert.deepEqual(cloudInput({ clientId: "x", tenant: "", cloud: "global", graphBaseUrl: "http://a" }), { cloud: "global", tenant: "organizations" });
  assert.deepEqual(cloudInput({ clientId: "x", tenant: "t", cloud: "custom", graphBaseUrl: "http://a", loginBaseUrl: "http://b" }), {
    cloud: "custom",
    tenant: "t",
    graphBaseUrl: "http://a",
    loginBaseUrl: "http://b",
  });
  assert.equal(isClientId("5e1f9c2a-8b3d-4f60-a7e4-1d2c3b4a5f60"), true);
  assert.equal(isClientId("5e1f9c2a8b3d4f60a7e41d2c3b4a5f60"), false);
  assert.equal(originPattern("http://127.0.0.1:43117"), "http://127.0.0.1/*");
});

test("six settable states with Teams' names; read states have their own labels", () => {
  assert.deepEqual(STATUSES.map((s) => s.availability), ["Available", "Busy", "DoNotDisturb", "BeRightBack", "Away", "Offline"]);
  assert.equal(availabilityLabelKey("Offline"), "presOffline");
  assert.equal(availabilityLabelKey("AvailableIdle"), "presAvailableIdle");
  assert.equal(availabilityLabelKey("Focusing"), "presPresenceUnknown");
});

test("storage keys are distinct constants, and none is meant for a token", async () => {
  const { LocalKey, SessionKey, DEFAULT_SETTINGS } = await import("../../extension/lib/storage.js");
  const keys = [...Object.values(LocalKey), ...Object.values(SessionKey)];
  assert.equal(new Set(keys).size, keys.length);
  for (const k of keys) {
    assert.doesNotMatch(k, /token|secret|bearer|credential/i);
  }
  assert.deepEqual(DEFAULT_SETTINGS, { clientId: "", tenant: "organizations", cloud: "global" });
  assert.ok(Object.isFrozen(LocalKey) && Object.isFrozen(SessionKey));
});
