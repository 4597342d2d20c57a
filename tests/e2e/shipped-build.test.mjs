// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { withExtension } from "./harness.mjs";

const shipped = join(resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."), "dist", "chrome");

test("the shipped build (dist/chrome) loads with exactly its least-privilege grants", async () => {
  await withExtension({ extensionDir: shipped, configure: false }, async (ext) => {
    const granted = await ext.worker.evaluate(() => chrome.permissions.getAll());
    assert.deepEqual([...(granted.permissions ?? [])].sort(), ["alarms", "identity", "notifications", "offscreen", "storage"]);
    // Graph and sign-in hosts, plus the meeting hosts of the content script (Chrome lists
    // content-script matches as granted origins); nothing of optional_host_permissions.
    assert.deepEqual([...(granted.origins ?? [])].sort(), [
      "https://*.webex.com/*",
      "https://*.whereby.com/*",
      "https://*.zoom.us/*",
      "https://*.zoomgov.com/*",
      "https://dod-graph.microsoft.us/*",
      "https://graph.microsoft.com/*",
      "https://graph.microsoft.us/*",
      "https://login.microsoftonline.com/*",
      "https://login.microsoftonline.us/*",
      "https://meet.google.com/*",
      "https://meet.jit.si/*",
    ]);
    // Unconfigured: the popup works and says what to do (no client id yet).
    const popup = await ext.openPopup();
    assert.equal(await popup.locator("#statuses button").count(), 6);
    assert.equal(await popup.locator("#message").textContent(), "Enter your app's client ID in the options first.");
  });
});
