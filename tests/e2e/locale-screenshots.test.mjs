// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { withExtension, outputDir } from "./harness.mjs";

/**
 * Signs in, sets Busy for 1 hour, and screenshots the popup.
 * @param {import("./harness.mjs").Ext} ext
 * @param {{ busy: string, file: string }} o
 */
async function screenshot(ext, { busy, file }) {
  await ext.sim.post("/_sim/teams-client", { signedIn: true });
  const popup = await ext.openPopup();
  await popup.locator("#sign-in").click();
  await popup.locator("#account", { hasText: "adele.vance@contoso.example" }).waitFor({ timeout: 10_000 });
  await popup.locator("#duration").selectOption("1h");
  await popup.getByRole("button", { name: busy, exact: true }).click();
  await popup.locator("#current-dot[style*='rgb(196, 49, 75)']").waitFor({ timeout: 5000 });
  await popup.locator("body").screenshot({ path: join(outputDir(), file) });
  return popup;
}

// Chromium takes chrome.i18n's language from its own UI locale, which needs the locale pack
// (Debian: chromium-l10n). Without it every extension page falls back to English.
const GERMAN_PACK = "/usr/lib/chromium/locales/de.pak";
const noGerman = !process.env.CHROMIUM_BIN && !existsSync(GERMAN_PACK) ? `needs ${GERMAN_PACK} (apt-get install chromium-l10n)` : false;

test("German locale: every popup string is German; screenshots light/dark (de)", { skip: noGerman }, async () => {
  await withExtension({ locale: "de-DE" }, async (ext) => {
    const popup = await ext.openPopup();
    assert.match(await popup.locator("html").getAttribute("lang") ?? "", /^de\b/);
    await popup.getByRole("button", { name: "Anmelden" }).waitFor();
    const names = await popup.locator("#statuses button").allTextContents();
    assert.deepEqual(names, ["Verfügbar", "Beschäftigt", "Nicht stören", "Bin gleich zurück", "Als abwesend anzeigen", "Als offline anzeigen"]);
    assert.equal(await popup.getByRole("button", { name: "Status zurücksetzen" }).count(), 1);
    assert.deepEqual(await popup.locator("#duration option").allTextContents(), [
      "30 Minuten", "1 Stunde", "2 Stunden", "4 Stunden", "Heute", "Diese Woche", "Eigene…", "Standard (Teams entscheidet)",
    ]);
    await popup.close();
    const signedIn = await screenshot(ext, { busy: "Beschäftigt", file: "popup-de-light.png" });
    assert.match(await signedIn.locator("#message").textContent() ?? "", /^Bis .+ auf „Beschäftigt“ gesetzt\.$/);
    assert.match(await signedIn.locator("#current").textContent() ?? "", /^Teams zeigt: Beschäftigt$/);
    await signedIn.emulateMedia({ colorScheme: "dark" });
    await signedIn.locator("body").screenshot({ path: join(outputDir(), "popup-de-dark.png") });
  });
});

test("English popup screenshots, light and dark theme follow the system", async () => {
  await withExtension({ colorScheme: "light" }, async (ext) => {
    const popup = await screenshot(ext, { busy: "Busy", file: "popup-en-light.png" });
    const light = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await popup.emulateMedia({ colorScheme: "dark" });
    const dark = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(light, "rgb(255, 255, 255)");
    assert.equal(dark, "rgb(31, 31, 31)");
    await popup.locator("body").screenshot({ path: join(outputDir(), "popup-en-dark.png") });
  });
});
