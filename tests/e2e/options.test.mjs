// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { withExtension, SIM } from "./harness.mjs";

test("options: invalid settings are refused next to the field and not saved; valid ones are; commands listed", async () => {
  await withExtension({ configure: false }, async (ext) => {
    const page = await ext.context.newPage();
    await page.goto(ext.url("options.html"));
    await page.locator("body[data-ready=true]").waitFor();
    const stored = () => ext.worker.evaluate(() => chrome.storage.local.get("settings"));

    // China is listed but disabled, with the reason.
    const china = page.locator("#cloud option[value=china]");
    assert.equal(await china.isDisabled(), true);
    assert.match(await china.textContent() ?? "", /not available/);

    // Invalid client id.
    await page.getByLabel("Application (client) ID").fill("not-a-guid");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator("#clientId-error", { hasText: /GUID/ }).waitFor();
    assert.equal(await page.getByLabel("Application (client) ID").getAttribute("aria-invalid"), "true");
    assert.deepEqual(await stored(), {});

    // Invalid tenant (the core validates it).
    await page.getByLabel("Application (client) ID").fill(SIM.clientId);
    await page.getByLabel("Tenant").fill("not a tenant!");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator("#tenant-error", { hasText: /organizations, a tenant ID/ }).waitFor();
    assert.equal(await page.locator("#clientId-error").textContent(), "");
    assert.deepEqual(await stored(), {});

    // Custom endpoints without URLs.
    await page.getByLabel("Tenant").fill(SIM.tenant);
    await page.getByLabel("Cloud").selectOption("custom");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator("#graphBaseUrl-error:not(:empty), #loginBaseUrl-error:not(:empty)").first().waitFor();
    assert.deepEqual(await stored(), {});

    // Valid custom endpoints are saved (the test build holds the 127.0.0.1 host permission).
    await page.getByLabel("Graph base URL").fill(ext.sim.baseUrl);
    await page.getByLabel("Sign-in authority base URL").fill(ext.sim.baseUrl);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator("#save-status", { hasText: "Saved." }).waitFor();
    assert.deepEqual(await stored(), {
      settings: { clientId: SIM.clientId, tenant: SIM.tenant, cloud: "custom", graphBaseUrl: ext.sim.baseUrl, loginBaseUrl: ext.sim.baseUrl },
    });

    // A named cloud drops the custom endpoints.
    await page.getByLabel("Cloud").selectOption("usGovL4");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator("#save-status", { hasText: "Saved." }).waitFor();
    assert.deepEqual(await stored(), { settings: { clientId: SIM.clientId, tenant: SIM.tenant, cloud: "usGovL4" } });

    // Every command with its key and what it does.
    const rows = await page.locator("#shortcuts tbody tr").allTextContents();
    assert.equal(rows.length, 4);
    assert.ok(rows.every((r) => !r.includes("not set")), `every suggested key is assigned: ${rows.join(" | ")}`);
    assert.ok(rows.some((r) => r.includes("Alt+Shift+D") && r.includes("Do not disturb (1 hour")), rows.join(" | "));
    assert.ok(rows.some((r) => r.includes("Alt+Shift+0") && r.includes("Reset status")), rows.join(" | "));
    await page.getByRole("button", { name: "Open the browser's shortcut settings" }).waitFor();
  });
});
