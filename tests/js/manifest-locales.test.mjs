// The manifest stays least-privilege, and every message key exists in English and German.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { STATUSES, availabilityLabelKey } from "../../extension/lib/status.js";
import { PRESETS } from "../../extension/lib/presets.js";
import { COMMANDS } from "../../extension/lib/commands.js";
import { errorMessageKey } from "../../extension/lib/errors.js";

const ext = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "extension");
const manifest = JSON.parse(readFileSync(join(ext, "manifest.json"), "utf8"));
const en = JSON.parse(readFileSync(join(ext, "_locales", "en", "messages.json"), "utf8"));
const de = JSON.parse(readFileSync(join(ext, "_locales", "de", "messages.json"), "utf8"));

test("manifest: exactly the permissions the code uses, Graph/login hosts only, strict CSP", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.minimum_chrome_version, "116");
  assert.deepEqual(manifest.background, { service_worker: "background.js", type: "module" });
  assert.deepEqual(manifest.permissions, ["alarms", "identity", "notifications", "offscreen", "storage"]);
  assert.deepEqual(manifest.host_permissions, [
    "https://dod-graph.microsoft.us/*",
    "https://graph.microsoft.com/*",
    "https://graph.microsoft.us/*",
    "https://login.microsoftonline.com/*",
    "https://login.microsoftonline.us/*",
  ]);
  // https://*/* is requested host by host, for the user's own meeting patterns (options page).
  assert.deepEqual(manifest.optional_host_permissions, ["http://127.0.0.1/*", "http://localhost/*", "https://*/*"]);
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  assert.equal(manifest.key, undefined, "the shipped manifest has no fixed key");
  assert.equal(manifest.web_accessible_resources, undefined);
  // One content script, top frame only, for exactly the built-in meeting hosts.
  assert.deepEqual(manifest.content_scripts, [
    {
      matches: ["https://meet.google.com/*", "https://*.zoom.us/*", "https://*.zoomgov.com/*", "https://*.webex.com/*", "https://meet.jit.si/*", "https://*.whereby.com/*"],
      js: ["content/meeting.js"],
      run_at: "document_idle",
      all_frames: false,
    },
  ]);
  assert.equal(manifest.default_locale, "en");
});

test("manifest: at least four commands with suggested keys, all known to the handler", () => {
  const names = Object.keys(manifest.commands);
  assert.ok(names.length >= 4);
  for (const name of names) {
    assert.ok(COMMANDS[name], `${name} has a handler`);
    assert.match(manifest.commands[name].suggested_key.default, /^(Alt|Ctrl)\+Shift\+\w$/);
    assert.equal(manifest.commands[name].description, `__MSG_${COMMANDS[name].descriptionKey}__`);
  }
});

test("en and de have the same keys, none empty", () => {
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
  for (const [k, v] of Object.entries({ ...en, ...de })) {
    assert.ok(v.message.trim(), `${k} is not empty`);
  }
  for (const k of Object.keys(en)) {
    const placeholders = (s) => (s.match(/\$\d/g) ?? []).sort().join();
    assert.equal(placeholders(de[k].message), placeholders(en[k].message), `${k}: same $n placeholders`);
  }
});

test("status badges are localised and fit the toolbar badge (at most 4 characters)", () => {
  for (const s of STATUSES) {
    for (const [lang, messages] of [["en", en], ["de", de]]) {
      const text = messages[s.badgeKey]?.message ?? "";
      assert.ok(text.length >= 1 && text.length <= 4, `${lang} ${s.badgeKey}: ${JSON.stringify(text)}`);
    }
  }
});

test("every message key the code names exists", () => {
  const used = new Set();
  for (const s of STATUSES) {
    used.add(s.labelKey);
    used.add(s.badgeKey);
  }
  for (const p of PRESETS) used.add(p.labelKey);
  for (const c of Object.values(COMMANDS)) {
    used.add(c.descriptionKey);
    used.add(c.nameKey);
  }
  for (const a of ["Available", "AvailableIdle", "Away", "BeRightBack", "Busy", "BusyIdle", "DoNotDisturb", "Offline", "X"]) used.add(availabilityLabelKey(a));
  for (const code of ["unauthenticated", "consentMissing", "throttled", "throttledScheduled", "serviceUnavailable", "networkError", "cloudNotSupported", "notConfigured", "invalidDuration", "invalidArgument", "notFound", "signInCancelled", "x"]) {
    used.add(errorMessageKey(code));
  }
  const sources = readdirSync(ext, { recursive: true })
    .filter((f) => /\.(js|html|json)$/.test(f) && !f.startsWith("_locales") && f !== "build.mjs")
    .map((f) => readFileSync(join(ext, f), "utf8"))
    .join("\n");
  for (const m of sources.matchAll(/(?:\bt\(|getMessage\()\s*"([A-Za-z0-9]+)"|data-i18n(?:-label|-placeholder)?="([A-Za-z0-9]+)"|__MSG_([A-Za-z0-9]+)__/g)) {
    used.add(m[1] ?? m[2] ?? m[3]);
  }
  for (const k of used) {
    assert.ok(en[k], `en has ${k}`);
  }
});
