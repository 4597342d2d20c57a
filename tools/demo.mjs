// @ts-check
// The no-tenant demo (`./build.sh demo` runs `node tools/demo.mjs` after building dist/pkg):
// builds the test variant of the extension, starts the presence simulator (a Teams client
// signed in, so a status change shows at once), and launches Chromium with the extension loaded
// and pointed at the simulator (custom endpoints, the simulator's client id).
//
// With a display: the popup and the simulator's status page open in two tabs; click a status and
// watch the simulated Teams presence change. Close the browser (or Ctrl+C) to stop.
// Without a display (or with --headless): signs in, sets "Do not disturb" for 1 hour, prints what
// the simulator saw and saves screenshots to test-output/demo/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startSim, launchExtension, SIM } from "../tests/e2e/harness.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
for (const a of args) {
  if (a !== "--headless") {
    console.error(`demo.mjs: unknown argument '${a}' (expected --headless)`);
    process.exit(2);
  }
}
const headless = args.includes("--headless") || !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

console.log("==> building dist/chrome-test (the release build plus the 127.0.0.1 host permission and a fixed id)");
execFileSync(process.execPath, [join(root, "extension", "build.mjs"), "--variant", "test"], { stdio: "inherit" });

const simBin = process.env.PRESENCE_SIM_BIN ?? join(root, "target", "debug", "presence-sim");
if (!existsSync(simBin)) {
  console.log("==> building the presence simulator");
  execFileSync("cargo", ["build", "-p", "presence-sim"], { cwd: root, stdio: "inherit" });
}

console.log("==> starting the presence simulator");
const sim = await startSim(headless ? ["--teams-client"] : ["--teams-client", "--consent-page"]);
console.log(`    simulator: ${sim.baseUrl} (status page at ${sim.baseUrl}/)`);

/** @type {Awaited<ReturnType<typeof launchExtension>> | null} */
let ext = null;
let stopping = false;
async function stop(code = 0) {
  if (stopping) {
    return;
  }
  stopping = true;
  if (ext) {
    await ext.close();
  }
  await sim.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  console.log(`==> launching Chromium (${headless ? "headless" : "with a window"})`);
  ext = await launchExtension(sim, { headed: !headless });
  console.log(`    extension id ${ext.extensionId}, client id ${SIM.clientId}, Graph + sign-in at ${sim.baseUrl}`);

  if (!headless) {
    const status = await ext.context.newPage();
    await status.goto(`${sim.baseUrl}/`);
    const popup = await ext.context.newPage();
    await popup.goto(ext.url("popup.html"));
    console.log("==> ready: in the Presence Switch tab, click 'Sign in' (Accept on the simulator's page), then a status;");
    console.log("    the simulator tab shows the Teams presence change. Close the browser or press Ctrl+C to stop.");
    await new Promise((r) => ext?.context.once("close", r));
    ext = null;
    await stop(0);
  } else {
    const out = join(root, "test-output", "demo");
    mkdirSync(out, { recursive: true });
    const before = await sim.get("/_sim/state");
    const popup = await ext.openPopup();
    await popup.locator("#sign-in").click();
    await popup.locator("#account", { hasText: SIM.upn }).waitFor({ timeout: 10_000 });
    console.log(`==> signed in: ${await popup.locator("#account").textContent()}`);
    await popup.locator("#duration").selectOption("1h");
    await sim.del("/_sim/requests");
    await popup.getByRole("button", { name: "Do not disturb", exact: true }).click();
    await popup.locator("#message", { hasText: /^Set to / }).waitFor({ timeout: 10_000 });
    const after = await sim.get("/_sim/state");
    const writes = (await sim.graphRequests()).filter((r) => r.method === "POST");
    console.log(`==> clicked "Do not disturb" with duration 1 hour`);
    for (const w of writes) {
      console.log(`    simulator received: POST ${w.path} ${w.body} → ${w.status}`);
    }
    console.log(`    popup says: ${await popup.locator("#message").textContent()}`);
    console.log(`    Teams presence: ${before.presence.availability} → ${after.presence.availability}/${after.presence.activity}`);
    await popup.locator("body").screenshot({ path: join(out, "popup.png") });
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(`${sim.baseUrl}/`);
    await page.screenshot({ path: join(out, "simulator.png") });
    console.log(`==> screenshots: ${join("test-output", "demo", "popup.png")}, ${join("test-output", "demo", "simulator.png")}`);
    await stop(after.presence.availability === "DoNotDisturb" ? 0 : 1);
  }
} catch (e) {
  console.error("demo failed:", e);
  await stop(1);
}
