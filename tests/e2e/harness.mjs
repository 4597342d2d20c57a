// @ts-check
/**
 * E2E harness: one presence simulator per test (port 0) and one Chromium persistent context with
 * the unpacked test build (dist/chrome-test, built by `node extension/build.mjs --variant test`;
 * this harness builds nothing). Everything is torn down even when the test fails.
 *
 * Uses playwright-core with Debian's /usr/bin/chromium; never a downloaded browser.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const EXTENSION_DIR = join(root, "dist", "chrome-test");
export const OUTPUT_DIR = join(root, "test-output");
export const SIM = Object.freeze({
  clientId: "5e1f9c2a-8b3d-4f60-a7e4-1d2c3b4a5f60",
  tenant: "7b0e1a8c-3f52-4d6e-9a41-2c5d8e9f0b13",
  oid: "a1b2c3d4-0000-4000-8000-000000000001",
  upn: "adele.vance@contoso.example",
  name: "Adele Vance",
});
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * @typedef {{ baseUrl: string, get: (p: string) => Promise<any>, post: (p: string, body?: any) => Promise<any>,
 *   del: (p: string) => Promise<any>, graphRequests: () => Promise<any[]>, stop: () => Promise<void> }} Sim
 */

/**
 * Starts `presence-sim --port 0` and waits for `listening on http://127.0.0.1:PORT`.
 * @param {string[]} [args]
 * @returns {Promise<Sim>}
 */
export async function startSim(args = []) {
  const bin = process.env.PRESENCE_SIM_BIN ?? join(root, "target", "debug", "presence-sim");
  if (!existsSync(bin)) {
    throw new Error(`presence simulator not found at ${bin} (cargo build -p presence-sim, or set PRESENCE_SIM_BIN)`);
  }
  const proc = spawn(bin, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: /** @type {any} */ (proc.stdout) });
  const baseUrl = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error("simulator did not start within 10 s")), 10_000);
    proc.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
    lines.once("line", (line) => {
      clearTimeout(timer);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        resolveUrl(m[1]);
      } else {
        reject(new Error(`unexpected first simulator line: ${line}`));
      }
    });
  });
  // keep draining stdout so the simulator never blocks on a full pipe
  lines.on("line", () => {});
  /** @param {string} method @param {string} path @param {any} [body] */
  const call = async (method, path, body) => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    }
    return text ? JSON.parse(text) : null;
  };
  let stopped = false;
  return {
    baseUrl,
    get: (p) => call("GET", p),
    post: (p, b) => call("POST", p, b ?? {}),
    del: (p) => call("DELETE", p),
    async graphRequests() {
      const all = await call("GET", "/_sim/requests");
      const list = Array.isArray(all) ? all : all.requests;
      return list.filter((/** @type {any} */ r) => r.path.startsWith("/v1.0/"));
    },
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/**
 * @typedef {{ context: import("playwright-core").BrowserContext, worker: import("playwright-core").Worker,
 *   extensionId: string, sim: Sim, url: (page: string) => string,
 *   openPopup: () => Promise<import("playwright-core").Page>, signIn: (page?: import("playwright-core").Page) => Promise<import("playwright-core").Page>,
 *   command: (name: string) => Promise<any>, getWorker: () => Promise<import("playwright-core").Worker> }} Ext
 */

/**
 * Launch options for Debian's Chromium with unpacked extensions (shared/docs/toolchain.md
 * pitfall 8), for the tests, the demo and the benchmarks.
 * @param {{ extensionDirs: string[], locale?: string, colorScheme?: "light" | "dark", headed?: boolean }} opts
 */
export function chromiumOptions({ extensionDirs, locale = "en-US", colorScheme = "light", headed = false }) {
  const lang = locale.split("-")[0];
  const dirs = extensionDirs.join(",");
  return {
    executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium",
    headless: false,
    ignoreDefaultArgs: ["--disable-extensions"],
    locale,
    colorScheme,
    viewport: headed ? null : { width: 360, height: 600 },
    // Chromium on Linux takes its UI language (chrome.i18n) from the environment.
    env: { ...process.env, LANGUAGE: lang, LANG: `${locale.replace("-", "_")}.UTF-8` },
    args: [
      ...(headed ? [] : ["--headless=new"]),
      `--disable-extensions-except=${dirs}`,
      `--load-extension=${dirs}`,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--lang=${locale}`,
    ],
  };
}

/**
 * Launches Chromium with the test build, pointed at `sim` through the custom-endpoint settings.
 * @param {Sim} sim
 * `headed` (the demo with a display) shows the browser window; tests always run headless.
 * `extensionDir` defaults to the test build.
 * @param {{ locale?: string, colorScheme?: "light" | "dark", configure?: boolean, headed?: boolean, extensionDir?: string }} [opts]
 * @returns {Promise<Ext & { close: () => Promise<void> }>}
 */
export async function launchExtension(sim, { locale = "en-US", colorScheme = "light", configure = true, headed = false, extensionDir = EXTENSION_DIR } = {}) {
  if (!existsSync(join(extensionDir, "manifest.json"))) {
    throw new Error(`${extensionDir} missing: run node extension/build.mjs --variant test`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), "presence-e2e-"));
  const context = await chromium.launchPersistentContext(userDataDir, chromiumOptions({ extensionDirs: [extensionDir], locale, colorScheme, headed }));
  let closed = false;
  const close = async () => {
    if (closed) {
      return;
    }
    closed = true;
    await context.close().catch((e) => console.warn("closing the browser:", e.message));
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    const getWorker = async () => {
      const existing = context.serviceWorkers().find((w) => w.url().endsWith("/background.js"));
      return existing ?? (await context.waitForEvent("serviceworker", { timeout: 10_000 }));
    };
    const worker = await getWorker();
    const extensionId = worker.url().split("/")[2];
    /** @type {Ext} */
    const ext = {
      context,
      worker,
      extensionId,
      sim,
      getWorker,
      url: (page) => `chrome-extension://${extensionId}/${page}`,
      async openPopup() {
        const page = await context.newPage();
        await page.goto(ext.url("popup.html"));
        await page.locator("body[data-ready=loaded]").waitFor({ timeout: 10_000 });
        return page;
      },
      async signIn(page) {
        const p = page ?? (await ext.openPopup());
        await p.getByRole("button", { name: "Sign in" }).click();
        await p.locator("#account", { hasText: SIM.upn }).waitFor({ timeout: 10_000 });
        // The popup reads presence once after signing in; let that finish before the test acts.
        await p.locator("body[data-ready=loaded]").waitFor({ timeout: 10_000 });
        return p;
      },
      async command(name) {
        const w = await getWorker();
        return await w.evaluate((n) => /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand(n), name);
      },
    };
    if (configure) {
      await worker.evaluate(async (s) => {
        await chrome.storage.local.set({ settings: s });
      }, { clientId: SIM.clientId, tenant: SIM.tenant, cloud: "custom", graphBaseUrl: sim.baseUrl, loginBaseUrl: sim.baseUrl });
    }
    return { ...ext, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Runs `fn` with a fresh simulator and browser; tears both down whatever happens.
 * @param {{ simArgs?: string[], locale?: string, colorScheme?: "light" | "dark", configure?: boolean, extensionDir?: string }} opts
 * @param {(ext: Ext) => Promise<void>} fn
 */
export async function withExtension(opts, fn) {
  const sim = await startSim(opts.simArgs ?? []);
  try {
    const ext = await launchExtension(sim, opts);
    try {
      await fn(ext);
    } finally {
      await ext.close();
    }
  } finally {
    await sim.stop();
  }
}

/** test-output/ (gitignored) for screenshots. */
export function outputDir() {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return OUTPUT_DIR;
}

/**
 * Polls until `fn` returns a truthy value (for state that arrives asynchronously).
 * @template T
 * @param {() => Promise<T>} fn
 * @param {{ timeoutMs?: number, what?: string }} [opts]
 * @returns {Promise<T>}
 */
export async function eventually(fn, { timeoutMs = 5000, what = "condition" } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) {
      return last;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Graph requests the simulator logged for one action path (e.g. "setUserPreferredPresence").
 * @param {Sim} sim
 * @param {string} action last path segment
 */
export async function requestsFor(sim, action) {
  return (await sim.graphRequests()).filter((r) => r.path === `/v1.0/me/presence/${action}`);
}

/**
 * Asserts the documented shape of one Graph POST: exact path, JSON content type, a UUID
 * client-request-id, a bearer token, and exactly this body.
 * @param {any} entry a /_sim/requests entry
 * @param {string} action
 * @param {object} body
 */
export function assertPresencePost(entry, action, body) {
  const where = `${entry?.method} ${entry?.path}`;
  if (!entry) {
    throw new Error(`no ${action} request reached the simulator`);
  }
  const checks = [
    [entry.method === "POST", `method POST, got ${where}`],
    [entry.path === `/v1.0/me/presence/${action}`, `path /v1.0/me/presence/${action}, got ${entry.path}`],
    [/^application\/json\b/.test(entry.headers["content-type"] ?? ""), `content-type application/json, got ${entry.headers["content-type"]}`],
    [UUID.test(entry.headers["client-request-id"] ?? ""), `UUID client-request-id, got ${entry.headers["client-request-id"]}`],
    [/^Bearer \S+/.test(entry.headers.authorization ?? ""), `bearer authorization, got ${entry.headers.authorization}`],
  ];
  for (const [ok, text] of checks) {
    if (!ok) {
      throw new Error(`${action}: expected ${text}`);
    }
  }
  const got = JSON.parse(entry.body);
  const want = JSON.stringify(body);
  if (JSON.stringify(got) !== want && JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(body))) {
    throw new Error(`${action}: body ${entry.body} !== ${want}`);
  }
}

/** @param {any} o */
function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Stops the extension's service worker the way Chrome does when it goes idle (CDP
 * Target.closeTarget), and proves it: a marker set in the old worker is gone in the new one.
 * The worker is then woken by an extension-page message that needs no token (auth/state), so the
 * next handler call runs in a fresh worker with an empty token memory.
 * @param {Ext} ext
 */
export async function stopAndWakeWorker(ext) {
  const w = await ext.getWorker();
  await w.evaluate(() => {
    /** @type {any} */ (globalThis).__beforeStop = true;
  });
  const page = await ext.context.newPage();
  try {
    await page.goto(ext.url("options.html"));
    const cdp = await ext.context.newCDPSession(page);
    const { targetInfos } = await cdp.send("Target.getTargets");
    const sw = targetInfos.find((t) => t.type === "service_worker" && t.url === ext.url("background.js"));
    if (!sw) {
      throw new Error("service worker target not found");
    }
    await cdp.send("Target.closeTarget", { targetId: sw.targetId });
    await cdp.detach();
    const reply = await eventually(
      () => page.evaluate(() => chrome.runtime.sendMessage({ type: "auth/state" })).catch(() => null),
      { what: "worker to wake" },
    );
    if (!reply?.ok) {
      throw new Error(`woken worker answered ${JSON.stringify(reply)}`);
    }
    const fresh = await eventually(async () => {
      const worker = await ext.getWorker();
      const marker = await worker.evaluate(() => /** @type {any} */ (globalThis).__beforeStop === true).catch(() => null);
      return marker === false ? worker : null;
    }, { what: "a fresh worker" });
    return fresh;
  } finally {
    await page.close();
  }
}
