// @ts-check
/**
 * End-to-end benchmark: Presence Switch (dist/chrome-test) against the minimal baseline extension
 * (bench/baseline: hand-written fetch, no wasm, no MSAL), both loaded into ONE Debian Chromium,
 * both talking to ONE presence simulator on loopback. Repetitions are interleaved (ours, baseline,
 * then baseline, ours, …) so machine noise hits both alike.
 *
 *   node bench/run.mjs            (./build.sh bench builds everything first)
 *   BENCH_REPS=30 BENCH_WARMUP=3  (defaults; at least 30 for the published table)
 *
 * Prints a table and writes bench/results/latest.json. Needs target/debug/presence-sim and
 * dist/chrome-test (or PRESENCE_SIM_BIN / BENCH_OURS_DIR). Loopback only; everything it starts
 * (simulator, browser, temp dirs) is torn down at the end, also on failure.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { renameSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { chromiumOptions, startSim, SIM } from "../tests/e2e/harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 30));
const WARMUP = Math.max(0, Number(process.env.BENCH_WARMUP ?? 3));
const OURS_SRC = process.env.BENCH_OURS_DIR ?? join(root, "dist", "chrome-test");
const SHIPPED = join(root, "dist", "chrome");
const ZIP = join(root, "dist", "presence-switch-chrome.zip");
const BASELINE_SRC = join(here, "baseline");
const RESULTS = join(here, "results");
const MEET_URL = "https://meet.google.com/abc-defg-hij";

/** Wrapper worker added to both temp copies: the extension's own worker, plus one message that
 * runs the same handleCommand the onCommand listener runs, so a stopped worker can be woken by
 * the event itself (a real shortcut cannot be pressed synthetically). */
const BENCH_SW = `import "./bench-original-background.js";
chrome.runtime.onMessage.addListener((m) => {
  if (m && m.type === "bench/command") {
    const g = /** @type {any} */ (globalThis);
    g.__benchLast = Promise.resolve()
      .then(() => g.__presenceSwitchTest.handleCommand(m.name))
      .then(() => "ok", (e) => "error: " + String((e && (e.code || e.message)) || e));
  }
  return false;
});
`;
const BENCH_HTML = `<!doctype html><meta charset="utf-8"><title>bench</title>\n`;
/**
 * The floor of "popup open → interactive" on this machine: an extension page that is already
 * interactive as parsed (six status buttons and a status line in static HTML, seen by the same
 * detector as the popups). No script, no storage, no worker, no wasm.
 */
const FLOOR_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body><p><span id="current-label">Available</span></p><div id="statuses">${'<button class="status">status</button>'.repeat(6)}</div></body></html>\n`;

// --- small helpers --------------------------------------------------------------------------------

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * When a logged request arrived at the simulator, in ms with its microseconds (`timeUs`); the
 * stamps on the browser side are `performance.timeOrigin + performance.now()`, also sub-ms, so a
 * latency of a few ms is not rounded to whole ms.
 * @param {{ timeMs: number, timeUs?: number }} entry
 */
const simMs = (entry) => (typeof entry.timeUs === "number" ? entry.timeUs / 1000 : entry.timeMs);

/** @param {number[]} xs */
function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) {
    return { n: 0, median: null, p95: null, min: null, max: null };
  }
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const p95 = s[Math.min(n - 1, Math.ceil(0.95 * n) - 1)];
  const r = (/** @type {number} */ x) => Math.round(x * 100) / 100;
  return { n, median: r(median), p95: r(p95), min: r(s[0]), max: r(s[n - 1]) };
}

/** Chromium extension id from the manifest key. @param {string} key */
function idFromKey(key) {
  const digest = createHash("sha256").update(Buffer.from(key, "base64")).digest();
  return [...digest.subarray(0, 16)].map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15))).join("");
}

/** Temp copy of an unpacked extension with the bench wrapper worker and a blank page. */
function benchCopy(src, dest) {
  cpSync(src, dest, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dest, "manifest.json"), "utf8"));
  if (manifest.background?.service_worker !== "background.js" || manifest.background?.type !== "module") {
    throw new Error(`${src}: expected a module service worker background.js`);
  }
  if (!manifest.key) {
    throw new Error(`${src}: manifest has no key (stable id needed)`);
  }
  // The worker keeps its URL (our auth host answers only chrome-extension://<id>/background.js).
  renameSync(join(dest, "background.js"), join(dest, "bench-original-background.js"));
  writeFileSync(join(dest, "background.js"), BENCH_SW);
  writeFileSync(join(dest, "bench.html"), BENCH_HTML);
  writeFileSync(join(dest, "bench-floor.html"), FLOOR_HTML);
  return { id: idFromKey(manifest.key), manifest };
}

/** @param {string} dir */
function dirFiles(dir) {
  /** @type {string[]} */
  const out = [];
  const walk = (/** @type {string} */ d) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        walk(p);
      } else {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

/** @param {string} file */
function sizeOf(file) {
  if (!existsSync(file)) {
    return null;
  }
  const data = readFileSync(file);
  return { raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
}

const kb = (/** @type {number | null | undefined} */ b) => (b == null ? "n/a" : `${(b / 1024).toFixed(1)} KB`);

function sh(/** @type {string} */ cmd, /** @type {string[]} */ args) {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null; // the command is optional machine information (e.g. git outside a checkout)
  }
}

// --- the run ----------------------------------------------------------------------------------------

/** @typedef {{ name: string, id: string, dir: string, url: (p: string) => string, swUrl: string, benchPage: import("playwright-core").Page }} Ext */

async function main() {
  if (!existsSync(join(OURS_SRC, "manifest.json"))) {
    throw new Error(`${OURS_SRC} missing: run ./build.sh (node extension/build.mjs builds dist/chrome-test)`);
  }
  const load0 = loadavg();
  const work = mkdtempSync(join(tmpdir(), "presence-bench-"));
  /** @type {Awaited<ReturnType<typeof startSim>> | null} */
  let sim = null;
  /** @type {import("playwright-core").BrowserContext | null} */
  let context = null;
  try {
    const ours = benchCopy(OURS_SRC, join(work, "ours"));
    const base = benchCopy(BASELINE_SRC, join(work, "baseline"));
    const meetingBuilt = meetingFeature(ours.manifest);

    sim = await startSim();
    const s = sim;
    await s.post("/_sim/teams-client", { signedIn: true });
    const clock = await clockOffset(s);

    context = await chromium.launchPersistentContext(
      join(work, "profile"),
      chromiumOptions({ extensionDirs: [join(work, "ours"), join(work, "baseline")] }),
    );
    const ctx = context;
    const closedWorkers = new WeakSet();
    const track = (/** @type {import("playwright-core").Worker} */ w) => w.on("close", () => closedWorkers.add(w));
    ctx.serviceWorkers().forEach(track);
    ctx.on("serviceworker", track);
    await ctx.addInitScript(interactiveDetector);

    /** @returns {Promise<import("playwright-core").Worker>} */
    const workerOf = async (/** @type {Ext} */ ext) => {
      for (let i = 0; i < 500; i++) {
        const w = ctx.serviceWorkers().filter((x) => x.url() === ext.swUrl && !closedWorkers.has(x)).at(-1);
        if (w) {
          return w;
        }
        await sleep(20);
      }
      throw new Error(`${ext.name}: no service worker`);
    };

    /** @type {Ext[]} */
    const exts = [];
    for (const [name, info, dir] of /** @type {const} */ ([["ours", ours, "ours"], ["baseline", base, "baseline"]])) {
      const page = await ctx.newPage();
      /** @type {Ext} */
      const ext = {
        name,
        id: info.id,
        dir: join(work, dir),
        url: (p) => `chrome-extension://${info.id}/${p}`,
        swUrl: `chrome-extension://${info.id}/background.js`,
        benchPage: page,
      };
      await page.goto(ext.url("bench.html"));
      exts.push(ext);
    }
    const [O, B] = exts;
    const chromiumVersion = sh(process.env.CHROMIUM_BIN ?? "/usr/bin/chromium", ["--version"]) ?? "unknown";

    // Configure: ours through its settings + a real MSAL sign-in; the baseline gets the sim URL.
    await (await workerOf(O)).evaluate(async (st) => {
      await chrome.storage.local.set({ settings: st });
    }, { clientId: SIM.clientId, tenant: SIM.tenant, cloud: "custom", graphBaseUrl: s.baseUrl, loginBaseUrl: s.baseUrl });
    await (await workerOf(B)).evaluate(async (u) => {
      await chrome.storage.local.set({ benchSim: u });
    }, s.baseUrl);
    await signInOurs(ctx, O);

    const log = async () => /** @type {any[]} */ (await s.get("/_sim/requests"));
    const clear = () => s.del("/_sim/requests");
    const isWrite = (/** @type {any} */ r) => r.method === "POST" && /^\/v1\.0\/me\/presence\/(setUserPreferredPresence|clearUserPreferredPresence)$/.test(r.path);
    /** Waits for a request at the simulator (polls its log every 5 ms; the poll is not timed). */
    const waitFor = async (/** @type {(r: any) => boolean} */ pred, timeoutMs = 10_000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = (await log()).find(pred);
        if (hit) {
          return hit;
        }
        if (Date.now() > end) {
          throw new Error("timed out waiting for a request at the simulator");
        }
        await sleep(5);
      }
    };
    /** Waits until the simulator has logged at least n writes; returns them, oldest first. */
    const waitForWrites = async (/** @type {number} */ n, timeoutMs = 10_000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const writes = (await log()).filter(isWrite);
        if (writes.length >= n) {
          return writes;
        }
        if (Date.now() > end) {
          throw new Error(`timed out waiting for write ${n} at the simulator`);
        }
        await sleep(5);
      }
    };
    const counts = (/** @type {any[]} */ entries) => ({
      writes: entries.filter((r) => r.method === "POST" && r.path.startsWith("/v1.0/")).length,
      reads: entries.filter((r) => r.method === "GET" && r.path.startsWith("/v1.0/")).length,
      token: entries.filter((r) => /\/oauth2\/v2\.0\/(token|authorize)$/.test(r.path) || r.path === "/_sim/token").length,
      metadata: entries.filter((r) => r.path.endsWith("/.well-known/openid-configuration")).length,
      preflight: entries.filter((r) => r.method === "OPTIONS").length,
    });

    const names = ["set-busy", "set-available"];
    /** order for repetition i: ours first on even, baseline first on odd */
    const order = (/** @type {number} */ i) => (i % 2 === 0 ? [O, B] : [B, O]);
    /** @type {Record<string, Record<string, number[]>>} */
    const samples = { popup: { ours: [], baseline: [] }, warm: { ours: [], baseline: [] }, cold: { ours: [], baseline: [] }, meetJoin: { ours: [], baseline: [] }, meetLeave: { ours: [], baseline: [] } };
    /** @type {Record<string, Record<string, any[]>>} */
    const reqCounts = { popupOpen: { ours: [], baseline: [] }, popupClick: { ours: [], baseline: [] }, warm: { ours: [], baseline: [] }, cold: { ours: [], baseline: [] }, meeting: { ours: [], baseline: [] } };
    /** @type {any} */
    const extra = { floor: [], fcp: { ours: [], baseline: [] }, mark: { ours: [], baseline: [] }, coldTimeline: { ours: [], baseline: [] }, untilShown: [], warmTotal: { ours: [], baseline: [] } };
    /** @type {any[]} */
    const wasmSamples = [];
    /** @type {string[]} */
    const problems = [];

    // --- shortcut, warm: a stamp in the SW just before handleCommand → the write's arrival ---
    const warmOnce = async (/** @type {Ext} */ ext, /** @type {string} */ name, record = true) => {
      const w = await workerOf(ext);
      await clear();
      const r = await w.evaluate(async (n) => {
        const t0 = performance.timeOrigin + performance.now();
        let error = null;
        try {
          await /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand(n);
        } catch (e) {
          error = String(/** @type {any} */ (e)?.code ?? e);
        }
        return { t0, t1: performance.timeOrigin + performance.now(), error };
      }, name);
      if (r.error) {
        throw new Error(`${ext.name} ${name}: ${r.error}`);
      }
      const entries = await log();
      const post = entries.find(isWrite);
      if (!post) {
        throw new Error(`${ext.name} ${name}: no write reached the simulator`);
      }
      if (record) {
        samples.warm[ext.name].push(simMs(post) - clock - r.t0);
        extra.warmTotal[ext.name].push(r.t1 - r.t0);
        reqCounts.warm[ext.name].push(counts(entries));
      }
    };

    // --- shortcut, cold: worker stopped (CDP Target.closeTarget), woken by the command message ---
    const coldOnce = async (/** @type {Ext} */ ext, /** @type {string} */ name, record = true) => {
      const old = await workerOf(ext);
      await old.evaluate(() => {
        /** @type {any} */ (globalThis).__benchMarker = true;
      });
      await stopWorker(ctx, ext);
      await sleep(100); // the same settle time for both
      await clear();
      const t0 = await ext.benchPage.evaluate((n) => {
        const t = performance.timeOrigin + performance.now();
        chrome.runtime.sendMessage({ type: "bench/command", name: n }).catch((e) => console.warn("bench/command:", e));
        return t;
      }, name);
      const post = await waitFor(isWrite);
      const fresh = await workerOf(ext);
      const state = await fresh.evaluate(async () => {
        const g = /** @type {any} */ (globalThis);
        return { marker: g.__benchMarker === true, result: await g.__benchLast };
      });
      if (state.marker) {
        throw new Error(`${ext.name}: the worker was not restarted`);
      }
      if (state.result !== "ok") {
        throw new Error(`${ext.name} cold ${name}: ${state.result}`);
      }
      if (record) {
        samples.cold[ext.name].push(simMs(post) - clock - t0);
        reqCounts.cold[ext.name].push(counts(await log()));
        // Where the cold start goes, from the fresh worker's own timeline (resource timing,
        // relative to its time origin = worker start): informational, not in the medians.
        const tl = await fresh.evaluate(() => ({
          origin: performance.timeOrigin,
          marks: performance.getEntriesByType("mark").map((m) => [m.name, +m.startTime.toFixed(2)]),
          resources: performance.getEntriesByType("resource").map((e) => {
            const r = /** @type {PerformanceResourceTiming} */ (e);
            return { name: r.name, start: r.startTime, end: r.responseEnd };
          }),
        }));
        const firstWrite = tl.resources.find((r) => /\/me\/presence\/(set|clear)UserPreferredPresence$/.test(r.name));
        const wasm = tl.resources.find((r) => r.name.endsWith(".wasm"));
        extra.coldTimeline[ext.name].push({
          workerStartAfterMessageMs: tl.origin - t0,
          wasmFetchEndMs: wasm ? wasm.end : null,
          writeFetchStartMs: firstWrite ? firstWrite.start : null,
          marks: tl.marks,
        });
        if (ext === O) {
          wasmSamples.push(await fresh.evaluate(measureWasmInWorker));
        }
      }
    };

    // --- popup open → interactive (inside the page: performance.now() when the six buttons are
    // enabled and the cached presence is shown; time origin = navigation start) ---
    const popupOnce = async (/** @type {Ext} */ ext, record = true) => {
      await clear();
      const page = await ctx.newPage();
      try {
        await page.goto(ext.url("popup.html"));
        const h = await page.waitForFunction(() => /** @type {any} */ (window).__bench?.interactive, null, { timeout: 10_000 });
        const r = /** @type {any} */ (await h.jsonValue());
        await page.locator("body[data-ready=loaded]").waitFor({ timeout: 10_000 });
        if (ext === O) {
          // wasm-dependent preview text (informational: buttons do not wait for it)
          await page.waitForFunction(() => /** @type {any} */ (window).__bench?.until, null, { timeout: 10_000 }).catch(() => null);
        }
        const fin = await page.evaluate(() => {
          const b = /** @type {any} */ (window).__bench;
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          const mark = performance.getEntriesByName("interactive", "mark")[0];
          return { until: b.until ?? null, fcp: fcp ? fcp.startTime : null, mark: mark ? mark.startTime : null };
        });
        if (record) {
          samples.popup[ext.name].push(r.t);
          if (fin.fcp !== null) {
            extra.fcp[ext.name].push(fin.fcp);
          }
          if (ext === O && fin.until !== null) {
            extra.untilShown.push(fin.until);
          }
          if (fin.mark !== null) {
            extra.mark[ext.name].push(fin.mark);
          }
          await sleep(20);
          reqCounts.popupOpen[ext.name].push(counts(await log()));
        }
      } finally {
        await page.close();
      }
    };

    // --- the floor for the popup: a do-nothing page of the baseline, opened the same way ---
    const floorOnce = async () => {
      const page = await ctx.newPage();
      try {
        await page.goto(B.url("bench-floor.html"));
        const h = await page.waitForFunction(() => /** @type {any} */ (window).__bench?.interactive, null, { timeout: 10_000 });
        extra.floor.push(/** @type {any} */ (await h.jsonValue()).t);
      } finally {
        await page.close();
      }
    };

    // --- popup click → write + read-back (counts only) ---
    const clickOnce = async (/** @type {Ext} */ ext, /** @type {string} */ availability) => {
      const page = await ctx.newPage();
      try {
        await page.goto(ext.url("popup.html"));
        await page.locator("body[data-ready=loaded]").waitFor({ timeout: 10_000 });
        await clear();
        await page.locator(`#statuses button[data-availability=${availability}]`).click();
        await page.locator("#message", { hasText: /^Set to / }).waitFor({ timeout: 10_000 });
        await sleep(50);
        reqCounts.popupClick[ext.name].push(counts(await log()));
      } finally {
        await page.close();
      }
    };

    // --- meeting in-call → write; leave → restore (baseline always; ours when the feature exists) ---
    // One fixture page at the Meet URL, loaded once; both content scripts run in it, and each
    // flip speaks only to the detector of the extension being measured:
    // - baseline: <html data-call-state="lobby|in-call|left"> (bench/baseline/content.js);
    // - ours: the DOM signals of tests/e2e/fixtures/meet.html that extension/content/meeting.js
    //   reads: in the call a button holding the Material icon ligature "call_end"; after leaving,
    //   the call-ended screen (data-call-ended="true"), no leave control.
    // Neither detector reacts to the other's flip (ours observes only childList/class/
    // data-call-ended; the baseline only data-call-state).
    await ctx.route("https://meet.google.com/**", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html",
        body: `<!doctype html><html data-call-state="lobby"><meta charset="utf-8"><title>Meet</title><body><main id="app"><button id="join">Join now</button></main></body></html>`,
      }),
    );
    const meetingPage = await ctx.newPage();
    await meetingPage.goto(MEET_URL);
    await sleep(1000); // both content scripts attached; ours has its worker's answer to hello
    /** @param {"in-call" | "left"} to @param {"ours" | "baseline"} who */
    const flip = (to, who) =>
      meetingPage.evaluate(
        ([state, w]) => {
          const app = /** @type {HTMLElement} */ (document.getElementById("app"));
          let t;
          if (w === "baseline") {
            t = performance.timeOrigin + performance.now();
            document.documentElement.dataset.callState = state;
            return t;
          }
          // Build the new screen first; the flip itself is one replaceChildren.
          const screen = document.createElement("div");
          if (state === "in-call") {
            screen.setAttribute("role", "toolbar");
            const leave = document.createElement("button");
            leave.setAttribute("aria-label", "Leave call");
            const icon = document.createElement("i");
            icon.className = "google-material-icons";
            icon.textContent = "call_end";
            leave.append(icon);
            screen.append(leave);
          } else {
            screen.dataset.callEnded = "true";
            screen.textContent = "You left the meeting";
          }
          t = performance.timeOrigin + performance.now();
          app.replaceChildren(screen);
          return t;
        },
        /** @type {const} */ ([to, who]),
      );
    const meetingOnce = async (/** @type {Ext} */ ext, record = true) => {
      if (ext === O && !meetingBuilt) {
        return;
      }
      // The same start for both: the user set Available (a shortcut), so the meeting has
      // something to change (ours leaves a presence that is already Busy alone) and to restore.
      await (await workerOf(ext)).evaluate(() => /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand("set-available"));
      await sleep(50);
      await clear();
      const diagnose = async (/** @type {any} */ e) => {
        const w = await workerOf(ext);
        const state = await w.evaluate(async () => JSON.stringify([await chrome.storage.local.get("meetingState"), await chrome.storage.session.get("meetingRejected")]));
        return new Error(`${ext.name} meeting: ${e?.message ?? e}; requests ${JSON.stringify((await log()).map((r) => `${r.method} ${r.path} ${r.status}`))}; state ${state}`);
      };
      let write;
      let tJoin;
      let tLeave;
      let restore;
      try {
        tJoin = await flip("in-call", /** @type {any} */ (ext.name));
        [write] = await waitForWrites(1);
        tLeave = await flip("left", /** @type {any} */ (ext.name));
        // The restore is the next write: ours puts back its own earlier status (a set with the
        // time it has left) or clears; the baseline clears.
        restore = (await waitForWrites(2))[1];
      } catch (e) {
        throw await diagnose(e);
      }
      await sleep(ext === O ? 350 : 20); // nothing more arrives (ours: past its 200 ms settle)
      if (record) {
        samples.meetJoin[ext.name].push(simMs(write) - clock - tJoin);
        samples.meetLeave[ext.name].push(simMs(restore) - clock - tLeave);
        reqCounts.meeting[ext.name].push(counts(await log()));
      }
    };

    // ----- warm-up, then interleaved measurement -----
    process.stdout.write(`bench: ${REPS} repetitions (+${WARMUP} warm-up) per metric and extension; ours ${O.id}, baseline ${B.id}\n`);
    for (let i = 0; i < WARMUP; i++) {
      for (const ext of order(i)) {
        await warmOnce(ext, names[i % 2], false);
        await popupOnce(ext, false);
        await coldOnce(ext, names[i % 2], false);
        await meetingOnce(ext, false);
      }
    }
    const phases = [
      [
        "popup",
        async (/** @type {Ext} */ e, /** @type {number} */ _i) => {
          await popupOnce(e);
          if (e === B) {
            await floorOnce();
          }
        },
      ],
      ["warm", (/** @type {Ext} */ e, /** @type {number} */ i) => warmOnce(e, names[i % 2])],
      ["cold", (/** @type {Ext} */ e, /** @type {number} */ i) => coldOnce(e, names[i % 2])],
      ["meeting", (/** @type {Ext} */ e, /** @type {number} */ _i) => meetingOnce(e)],
    ];
    for (const [label, fn] of /** @type {const} */ (phases)) {
      const t = Date.now();
      for (let i = 0; i < REPS; i++) {
        for (const ext of order(i)) {
          // a warm measurement needs a worker that handled a command moments before
          if (label === "warm") {
            await warmOnce(ext, names[(i + 1) % 2], false);
          }
          await fn(ext, i);
        }
      }
      process.stdout.write(`  ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    }
    for (let i = 0; i < 3; i++) {
      for (const ext of order(i)) {
        await clickOnce(ext, i % 2 ? "Busy" : "Available");
      }
    }

    // ----- diagnostics: where our warm shortcut spends its time (instrumented, not in the medians) -----
    const breakdown = {
      ours: await warmBreakdown(await workerOf(O), clear, log, isWrite, clock),
      baseline: await warmBreakdown(await workerOf(B), clear, log, isWrite, clock),
    };
    const traces = process.env.BENCH_TRACE === "0" ? null : await traceDiagnostics(ctx, exts, coldOnce, popupOnce);

    // ----- sizes -----
    const wasmFile = existsSync(join(SHIPPED, "pkg")) ? readdirSync(join(SHIPPED, "pkg")).find((f) => f.endsWith(".wasm")) : undefined;
    const sizes = {
      wasm: wasmFile ? { file: `dist/chrome/pkg/${wasmFile}`, ...sizeOf(join(SHIPPED, "pkg", wasmFile)) } : null,
      glue: sizeOf(join(SHIPPED, "pkg", "presence_switch.js")),
      zip: existsSync(ZIP) ? statSync(ZIP).size : null,
      backgroundJs: sizeOf(join(SHIPPED, "background.js")),
      popupJs: sizeOf(join(SHIPPED, "popup.js")),
      offscreenJs: sizeOf(join(SHIPPED, "offscreen.js")),
      baselineTotal: dirFiles(BASELINE_SRC).reduce((n, f) => n + statSync(f).size, 0),
    };

    const report = buildReport({ samples, reqCounts, extra, wasmSamples, sizes, breakdown, traces, meetingBuilt, problems, chromiumVersion, load0, clock, ids: { ours: O.id, baseline: B.id } });
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "latest.json"), JSON.stringify(report, null, 2) + "\n");
    printReport(report);
    process.stdout.write(`\nwrote ${relative(root, join(RESULTS, "latest.json"))}\n`);
  } finally {
    if (context) {
      await context.close().catch((e) => console.warn("closing the browser:", e.message));
    }
    if (sim) {
      await sim.stop();
    }
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Whether our meeting auto-set is in the built extension: a content script on Meet (the flip in
 * meetingOnce follows its in-call signal, see tests/e2e/fixtures/meet.html). BENCH_MEETING_OURS=0
 * skips ours.
 * @param {any} manifest
 */
function meetingFeature(manifest) {
  const scripts = manifest.content_scripts ?? [];
  const matchesMeet = scripts.some((/** @type {any} */ c) => (c.matches ?? []).some((/** @type {string} */ m) => m.includes("meet.google.com")));
  return matchesMeet && process.env.BENCH_MEETING_OURS !== "0";
}

/** Clock offset of the simulator (sim time = real time + offset); 0 unless someone advanced it. */
async function clockOffset(/** @type {any} */ sim) {
  const before = Date.now();
  const { nowMs } = await sim.get("/_sim/clock");
  const after = Date.now();
  const off = nowMs - (before + after) / 2;
  return Math.abs(off) < 50 ? 0 : Math.round(off);
}

/** Real MSAL sign-in of our extension through its popup (the simulator's authorize answers at once). */
async function signInOurs(/** @type {import("playwright-core").BrowserContext} */ ctx, /** @type {Ext} */ ext) {
  const page = await ctx.newPage();
  try {
    await page.goto(ext.url("popup.html"));
    await page.locator("body[data-ready=loaded]").waitFor({ timeout: 10_000 });
    const signIn = page.getByRole("button", { name: "Sign in" });
    if (!(await signIn.isVisible())) {
      throw new Error(`our popup shows no Sign in button: ${await page.locator("body").innerText()}`);
    }
    await signIn.click();
    await page.locator("#account", { hasText: SIM.upn }).waitFor({ timeout: 15_000 });
    await page.locator("body[data-ready=loaded]").waitFor({ timeout: 10_000 });
  } finally {
    await page.close();
  }
}

/** Stops the extension's worker as Chrome does when idle (CDP Target.closeTarget) and waits until it is gone. */
async function stopWorker(/** @type {import("playwright-core").BrowserContext} */ ctx, /** @type {Ext} */ ext) {
  const cdp = await ctx.newCDPSession(ext.benchPage);
  try {
    const find = async () => (await cdp.send("Target.getTargets")).targetInfos.find((t) => t.type === "service_worker" && t.url === ext.swUrl);
    const sw = await find();
    if (!sw) {
      throw new Error(`${ext.name}: service worker target not found`);
    }
    await cdp.send("Target.closeTarget", { targetId: sw.targetId });
    for (let i = 0; i < 200 && (await find()); i++) {
      await sleep(10);
    }
  } finally {
    await cdp.detach().catch((e) => console.warn("bench: CDP detach:", e.message));
  }
}

/**
 * Init script (every page): records performance.now() the first time the page shows all six
 * status buttons enabled AND a cached presence, via a MutationObserver (no polling delay).
 * Also records when our wasm-driven "until" preview appears.
 */
function interactiveDetector() {
  if (!location.pathname.endsWith("/popup.html") && !location.pathname.endsWith("/bench-floor.html")) {
    return;
  }
  /** @type {any} */
  const b = ((/** @type {any} */ (window)).__bench = {});
  const check = () => {
    if (b.interactive === undefined) {
      const buttons = document.querySelectorAll("#statuses button.status");
      const label = document.getElementById("current-label");
      if (buttons.length === 6 && [...buttons].every((x) => !(/** @type {HTMLButtonElement} */ (x)).disabled) && label && label.textContent !== "") {
        performance.mark("bench-interactive");
        b.interactive = { t: performance.now() };
      }
    }
    if (b.until === undefined && (document.getElementById("until")?.textContent ?? "") !== "") {
      b.until = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

/**
 * In a freshly started worker of our extension: cost of instantiating the shipped wasm, measured
 * on a copy made unique by an appended custom section (so V8's module cache cannot answer it),
 * with stub imports: fetch → compile → instantiate, and instantiateStreaming as the glue's init()
 * does.
 */
async function measureWasmInWorker() {
  const url = chrome.runtime.getURL("pkg/presence_switch_bg.wasm");
  const t0 = performance.now();
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const t1 = performance.now();
  const tag = new TextEncoder().encode(`bench${Math.random()}`);
  // custom section: id 0, size (LEB128, < 128 here), name length, name
  const section = new Uint8Array([0, tag.length + 1, tag.length, ...tag]);
  const unique = new Uint8Array(bytes.length + section.length);
  unique.set(bytes);
  unique.set(section, bytes.length);
  const t2 = performance.now();
  const mod = await WebAssembly.compile(unique);
  const t3 = performance.now();
  /** @type {Record<string, Record<string, any>>} */
  const imports = {};
  for (const i of WebAssembly.Module.imports(mod)) {
    if (i.kind !== "function") {
      return { error: `non-function import ${i.module}.${i.name}` };
    }
    (imports[i.module] ??= {})[i.name] = () => {
      throw new Error("stub");
    };
  }
  await WebAssembly.instantiate(mod, imports);
  const t4 = performance.now();
  section[section.length - 1] ^= 1;
  unique.set(section, bytes.length);
  const t5 = performance.now();
  await WebAssembly.instantiateStreaming(new Response(unique, { headers: { "content-type": "application/wasm" } }), imports);
  const t6 = performance.now();
  return {
    fetchMs: t1 - t0,
    compileMs: t3 - t2,
    instantiateMs: t4 - t3,
    streamingMs: t6 - t5,
  };
}

/**
 * One extra warm shortcut of ours with chrome.* and fetch wrapped to time each call, relative to
 * the Date.now() before handleCommand. Shows which awaits come before the write.
 */
async function warmBreakdown(/** @type {import("playwright-core").Worker} */ w, /** @type {() => Promise<any>} */ clear, /** @type {() => Promise<any[]>} */ log, /** @type {(r: any) => boolean} */ isWrite, /** @type {number} */ clock) {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    await w.evaluate(() => /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand("set-available"));
    await clear();
    const r = await w.evaluate(async () => {
      /** @type {[string, number, number][]} */
      const calls = [];
      /** @type {(() => void)[]} */
      const undo = [];
      const wrap = (/** @type {any} */ obj, /** @type {string} */ key, /** @type {string} */ label) => {
        if (!obj || typeof obj[key] !== "function") {
          return; // API not granted to this extension
        }
        const orig = obj[key];
        obj[key] = function (/** @type {any[]} */ ...args) {
          const s = performance.now();
          const p = orig.apply(this, args);
          if (p && typeof p.then === "function") {
            return p.finally(() => calls.push([label, s, performance.now()]));
          }
          calls.push([label, s, performance.now()]);
          return p;
        };
        undo.push(() => {
          obj[key] = orig;
        });
      };
      wrap(chrome.storage.local, "get", "storage.local.get");
      wrap(chrome.storage.local, "set", "storage.local.set");
      wrap(chrome.storage.session, "get", "storage.session.get");
      wrap(chrome.storage.session, "set", "storage.session.set");
      wrap(chrome.storage.session, "remove", "storage.session.remove");
      wrap(chrome.alarms, "clear", "alarms.clear");
      wrap(chrome.alarms, "create", "alarms.create");
      wrap(chrome.action, "setBadgeText", "action.setBadgeText");
      wrap(chrome.action, "setBadgeBackgroundColor", "action.setBadgeBackgroundColor");
      wrap(chrome.action, "setTitle", "action.setTitle");
      wrap(chrome.runtime, "sendMessage", "runtime.sendMessage");
      wrap(chrome.offscreen, "hasDocument", "offscreen.hasDocument");
      wrap(globalThis, "fetch", "fetch");
      const t0 = performance.timeOrigin + performance.now();
      const p0 = performance.now();
      try {
        await /** @type {any} */ (globalThis).__presenceSwitchTest.handleCommand("set-busy");
      } finally {
        undo.forEach((u) => u());
      }
      // The worker's own performance marks (ps:*) during this command, as zero-length entries.
      for (const m of performance.getEntriesByType("mark")) {
        if (m.startTime >= p0 && m.name.startsWith("ps:")) {
          calls.push([`mark ${m.name}`, m.startTime, m.startTime]);
        }
      }
      return { t0, total: performance.now() - p0, calls: calls.map(([l, s, e]) => ({ call: l, startMs: +(s - p0).toFixed(2), endMs: +(e - p0).toFixed(2) })).sort((a, b) => a.startMs - b.startMs) };
    });
    const post = (await log()).find(isWrite);
    runs.push({ ...r, writeAtMs: post ? simMs(post) - clock - r.t0 : null });
  }
  // the median run by write time
  runs.sort((a, b) => (a.writeAtMs ?? 0) - (b.writeAtMs ?? 0));
  const mid = runs[Math.floor(runs.length / 2)];
  const firstFetch = mid.calls.find((c) => c.call === "fetch");
  const before = mid.calls.filter((c) => firstFetch && c.startMs < firstFetch.startMs && !c.call.startsWith("mark "));
  // Issued while the write was on its way (after its fetch, before it arrived): work the thread
  // does then delays the request (bench/README.md).
  const during = mid.calls.filter((c) => firstFetch && mid.writeAtMs !== null && c !== firstFetch && c.startMs >= firstFetch.startMs && c.startMs < mid.writeAtMs && !c.call.startsWith("mark "));
  return {
    method: "5 extra warm set-busy runs of ours with chrome.storage/alarms/action/runtime.sendMessage/offscreen.hasDocument and fetch wrapped (performance.now() around each call), plus the worker's own ps:* performance marks; the run with the median write time",
    writeAtMs: mid.writeAtMs,
    totalMs: +mid.total.toFixed(2),
    callsBeforeTheWrite: before.length,
    awaitedBeforeTheWriteMs: +before.reduce((n, c) => n + (c.endMs - c.startMs), 0).toFixed(2),
    firstFetchStartMs: firstFetch ? firstFetch.startMs : null,
    callsWhileTheWriteWasInFlight: during.length,
    calls: mid.calls,
  };
}

// --- report -------------------------------------------------------------------------------------------

const TARGETS = {
  popup: { ratioMax: 1.1, absMax: 50, label: "popup open → interactive" },
  warm: { ratioMax: 1.1, absMax: 30, label: "shortcut → request (warm worker)" },
  cold: { ratioMax: 1.25, absMax: 250, label: "shortcut → request (stopped worker)" },
  meetJoin: { ratioMax: 1.1, absMax: 1000, label: "meeting in-call → write" },
  meetLeave: { ratioMax: 1.1, absMax: 1000, label: "meeting left → restore" },
};

/** @param {any} a */
function buildReport(a) {
  const { samples, reqCounts, extra, wasmSamples, sizes } = a;
  /** @type {Record<string, any>} */
  const latency = {};
  for (const [key, t] of Object.entries(TARGETS)) {
    const ours = summary(samples[key].ours);
    const baseline = summary(samples[key].baseline);
    const na = ours.n === 0;
    const ratio = !na && baseline.median ? Math.round((ours.median / Math.max(baseline.median, 0.5)) * 100) / 100 : null;
    const absPass = na ? null : ours.median <= t.absMax;
    const ratioPass = ratio === null ? null : ratio <= t.ratioMax;
    latency[key] = {
      label: t.label,
      unit: "ms",
      ours: na ? (key.startsWith("meet") && !a.meetingBuilt ? "n/a (feature not built)" : "n/a") : ours,
      baseline,
      ratio,
      target: { ratioMax: t.ratioMax, medianMaxMs: t.absMax },
      pass: na ? null : absPass && ratioPass !== false,
      passMedian: absPass,
      passRatio: ratioPass,
    };
  }
  const modeOf = (/** @type {any[]} */ xs) => {
    if (xs.length === 0) {
      return null;
    }
    const keyed = new Map();
    for (const x of xs) {
      const k = JSON.stringify(x);
      keyed.set(k, (keyed.get(k) ?? 0) + 1);
    }
    const [k, n] = [...keyed.entries()].sort((p, q) => q[1] - p[1])[0];
    return { ...JSON.parse(k), seen: `${n}/${xs.length}`, max: { writes: Math.max(...xs.map((x) => x.writes)), reads: Math.max(...xs.map((x) => x.reads)), token: Math.max(...xs.map((x) => x.token)), metadata: Math.max(...xs.map((x) => x.metadata)), preflight: Math.max(...xs.map((x) => x.preflight)) } };
  };
  /** @type {Record<string, any>} */
  const requests = {};
  for (const [key, v] of Object.entries(reqCounts)) {
    requests[key] = { ours: modeOf(v.ours) ?? (key === "meeting" ? "n/a (feature not built)" : null), baseline: modeOf(v.baseline) };
  }
  const w = wasmSamples.filter((x) => !x.error);
  const wasm = {
    method: a.wasmMethod,
    n: w.length,
    compileMs: summary(w.map((x) => x.compileMs)),
    instantiateMs: summary(w.map((x) => x.instantiateMs)),
    compilePlusInstantiateMs: summary(w.map((x) => x.compileMs + x.instantiateMs)),
    instantiateStreamingMs: summary(w.map((x) => x.streamingMs)),
    fetchMs: summary(w.map((x) => x.fetchMs)),
    errors: wasmSamples.filter((x) => x.error).map((x) => x.error),
  };
  const sim = requests;
  const writesOk = (/** @type {any} */ r, /** @type {number} */ maxReads) => r && typeof r === "object" && r.max.writes === 1 && r.max.reads <= maxReads;
  return {
    date: new Date().toISOString(),
    commit: sh("git", ["rev-parse", "HEAD"]),
    dirty: (sh("git", ["status", "--porcelain", "--untracked-files=no"]) ?? "") !== "",
    machine: {
      nproc: Number(sh("nproc", [])) || cpus().length,
      cpu: cpus()[0]?.model ?? null,
      loadavgStart: a.load0,
      loadavgEnd: loadavg(),
      chromium: a.chromiumVersion,
      node: process.version,
    },
    reps: REPS,
    warmup: WARMUP,
    ids: a.ids,
    simClockOffsetMs: a.clock,
    definitions: DEFINITIONS,
    latency,
    informational: {
      popupFloorMs: summary(extra.floor),
      popupFirstContentfulPaintMs: { ours: summary(extra.fcp.ours), baseline: summary(extra.fcp.baseline) },
      oursPopupUntilPreviewShownMs: summary(extra.untilShown),
      popupInteractiveMarkMs: { ours: summary(extra.mark.ours), baseline: summary(extra.mark.baseline) },
      coldTimeline: Object.fromEntries(
        ["ours", "baseline"].map((who) => {
          const xs = /** @type {any[]} */ (extra.coldTimeline[who]);
          const pick = (/** @type {string} */ k) => summary(xs.map((x) => x[k]).filter((v) => typeof v === "number"));
          /** @type {Record<string, any>} */
          const marks = {};
          for (const name of [...new Set(xs.flatMap((x) => x.marks.map((/** @type {[string, number]} */ m) => m[0])))]) {
            marks[name] = summary(xs.flatMap((x) => x.marks.filter((/** @type {[string, number]} */ m) => m[0] === name).map((/** @type {[string, number]} */ m) => m[1])));
          }
          return [who, { workerStartAfterMessageMs: pick("workerStartAfterMessageMs"), wasmFetchEndMs: pick("wasmFetchEndMs"), writeFetchStartMs: pick("writeFetchStartMs"), marks, samples: xs }];
        }),
      ),
      warmHandleCommandTotalMs: { ours: summary(extra.warmTotal.ours), baseline: summary(extra.warmTotal.baseline) },
    },
    wasmInstantiate: { ...wasm, method: WASM_METHOD },
    requests: {
      ...sim,
      targets: {
        shortcut: "exactly one write; a read-back only when the popup asks for it",
        popupClick: "one write + at most one read-back",
        meeting: "one read, one write, one restore",
      },
      pass: {
        shortcutWarm: writesOk(sim.warm.ours, 0),
        shortcutCold: writesOk(sim.cold.ours, 0),
        popupClick: writesOk(sim.popupClick.ours, 1),
      },
    },
    sizes: { ...sizes, wasmBudgetGzip: 48 * 1024, wasmPass: sizes.wasm ? sizes.wasm.gzip <= 48 * 1024 : null },
    warmBreakdown: a.breakdown,
    traces: a.traces,
    problems: a.problems,
  };
}

const WASM_METHOD =
  "In a freshly started (cold) worker of our extension, after its command: the shipped .wasm bytes plus a random custom section (defeats V8's module cache), WebAssembly.compile + WebAssembly.instantiate with stub imports, and WebAssembly.instantiateStreaming (what init() does).  The real init() in a cold start shows in the CDP trace (wasm.* / v8.wasm.compileConsume events: Chromium serves it from its wasm code cache). V8 compiles wasm functions lazily, so part of the cost lands on the first core call.";

const DEFINITIONS = {
  popup:
    "popup.html opened in a tab (page.goto); inside the page, performance.now() (origin = navigation start, so Playwright overhead is excluded) when a MutationObserver first sees all six status buttons enabled and the cached presence (chrome.storage.session) shown. Both popups also send one presence read to their worker after that paint.",
  floor: "popup floor: bench-floor.html in the baseline's copy (the six status buttons and a status line as static HTML, no script), opened like the popups (new tab, page.goto), once after each baseline popup, seen by the same detector. What any extension page costs to be interactive on this machine.",
  warm: "performance.timeOrigin + performance.now() in the service worker just before handleCommand(set-busy|set-available) → the resulting POST's arrival at the simulator (timeUs). Warm = the worker handled a command moments before (a token in memory for both: ours from real MSAL after a real sign-in, cached in SW memory; the baseline's from /_sim/token at worker start).",
  cold: "Worker stopped with CDP Target.closeTarget (marker checked: a new worker runs), 100 ms settle, then performance.timeOrigin + performance.now() in an extension page just before chrome.runtime.sendMessage({type:'bench/command'}) → the POST's arrival at the simulator (timeUs). The message wakes the worker; a bench-only wrapper module (background.js = import of the original worker, renamed, + one listener) calls the same handleCommand the onCommand listener calls. Ours then needs wasm init + a silent MSAL token through its offscreen document; the baseline fetches /_sim/token (control paths are not in the simulator's log, so its T count stays 0).",
  meeting:
    "Meet fixture (context.route of https://meet.google.com/abc-defg-hij, loaded once; both content scripts run in it): performance.timeOrigin + performance.now() in the page just before the flip to in-call → the first write's arrival (timeUs); the same for left → the next write (restore: ours sets its own earlier status back with its remaining time, or clears; the baseline clears). Flip for the baseline: <html data-call-state>; for ours: the signals of tests/e2e/fixtures/meet.html (a button with the Material icon ligature call_end appears; left = the data-call-ended screen). Ours reports a change once it has held for its 200 ms settle time (content/meeting.js SETTLE_MS, the same as the baseline's), and reads the presence before each write (snapshot, and the check that the user did not change it meanwhile).",
  clock: "The simulator's timeUs is its clock in µs (real time + offset; the bench never advances it and subtracts any offset read from /_sim/clock); the browser-side stamps are performance.timeOrigin + performance.now(). Both are the machine's wall clock, with sub-ms resolution (Chromium coarsens performance.now() to 0.1 ms).",
  ratio: "median ours / median baseline (baseline median floored at 0.5 ms).",
};

/** @param {any} r */
function printReport(r) {
  const fmt = (/** @type {any} */ s) => (typeof s === "string" ? s : s && s.median !== null ? `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}` : "n/a");
  const rows = [["metric (ms, median / p95)", "ours", "baseline", "ratio", "target", "result"]];
  for (const m of Object.values(r.latency)) {
    const result = m.pass === null ? "n/a" : m.pass ? "pass" : `FAIL${m.passMedian === false ? " (median)" : ""}${m.passRatio === false ? " (ratio)" : ""}`;
    rows.push([m.label, fmt(m.ours), fmt(m.baseline), m.ratio === null ? "n/a" : m.ratio.toFixed(2), `≤${m.target.ratioMax.toFixed(2)}×, ≤${m.target.medianMaxMs} ms`, result]);
    if (m === r.latency.popup) {
      const floor = r.informational.popupFloorMs;
      rows.push(["  floor: do-nothing extension page", "", fmt(floor), "", "", "not a target"]);
    }
  }
  const cnt = (/** @type {any} */ c) => (c && typeof c === "object" ? `${c.writes}W ${c.reads}R ${c.token}T${c.metadata ? ` ${c.metadata}M` : ""}${c.preflight ? ` ${c.preflight}P` : ""}` : c ?? "n/a");
  const q = r.requests;
  rows.push(["requests: popup open", cnt(q.popupOpen.ours), cnt(q.popupOpen.baseline), "", "≤1 read", ""]);
  rows.push(["requests: popup click", cnt(q.popupClick.ours), cnt(q.popupClick.baseline), "", "1W ≤1R", q.pass.popupClick ? "pass" : "FAIL"]);
  rows.push(["requests: shortcut (warm)", cnt(q.warm.ours), cnt(q.warm.baseline), "", "1W 0R", q.pass.shortcutWarm ? "pass" : "FAIL"]);
  rows.push(["requests: shortcut (cold)", cnt(q.cold.ours), cnt(q.cold.baseline), "", "1W 0R", q.pass.shortcutCold ? "pass" : "FAIL"]);
  rows.push(["requests: meeting join+leave", cnt(q.meeting.ours), cnt(q.meeting.baseline), "", "1R 1W 1 restore", ""]);
  const z = r.sizes;
  rows.push(["shipped wasm (raw / gzip)", z.wasm ? `${kb(z.wasm.raw)} / ${kb(z.wasm.gzip)}` : "n/a", "0 (no wasm)", "", "≤48 KB gzip", z.wasmPass === null ? "n/a" : z.wasmPass ? "pass" : "FAIL"]);
  rows.push(["JS glue (raw / gzip)", z.glue ? `${kb(z.glue.raw)} / ${kb(z.glue.gzip)}` : "n/a", "", "", "", ""]);
  rows.push(["dist/presence-switch-chrome.zip", kb(z.zip), `${kb(z.baselineTotal)} (files)`, "", "", ""]);
  const wi = r.wasmInstantiate;
  rows.push(["wasm compile+instantiate in SW", fmt(wi.compilePlusInstantiateMs), "", "", "", ""]);
  rows.push(["wasm instantiateStreaming in SW", fmt(wi.instantiateStreamingMs), "", "", "", ""]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const line = (/** @type {string[]} */ row) => row.map((c, i) => String(c).padEnd(widths[i])).join(" | ");
  process.stdout.write("\n" + line(rows[0]) + "\n" + widths.map((w) => "-".repeat(w)).join("-|-") + "\n");
  for (const row of rows.slice(1)) {
    process.stdout.write(line(row) + "\n");
  }
  for (const [who, b] of Object.entries(r.warmBreakdown)) {
    process.stdout.write(
      `\n${who}, warm shortcut, instrumented (not in the medians): write at ${b.writeAtMs} ms; ${b.callsBeforeTheWrite} chrome.* calls before the first fetch (${b.awaitedBeforeTheWriteMs} ms inside them), first fetch at ${b.firstFetchStartMs} ms; ${b.callsWhileTheWriteWasInFlight} while it was in flight:\n` +
        b.calls.map((/** @type {any} */ c) => `    ${c.startMs.toFixed(2).padStart(7)} → ${c.endMs.toFixed(2).padStart(7)}  ${c.call}`).join("\n") +
        "\n",
    );
  }
  const ct = r.informational.coldTimeline;
  if (ct) {
    const f = (/** @type {any} */ x) => (x && x.median !== null ? x.median.toFixed(1) : "n/a");
    process.stdout.write(
      `\ncold start timeline (medians, ms; worker clock from its start): ` +
        Object.entries(ct)
          .map(
            ([who, c]) =>
              `\n  ${who}: worker starts ${f(c.workerStartAfterMessageMs)} after the message; ` +
              Object.entries(c.marks)
                .sort((p, q) => (p[1].median ?? 0) - (q[1].median ?? 0))
                .map(([name, v]) => `${name} ${f(v)}`)
                .join(", ") +
              `${Object.keys(c.marks).length ? ", " : ""}write fetch starts ${f(c.writeFetchStartMs)}`,
          )
          .join("") +
        "\n",
    );
  }
  if (r.traces) {
    printTraces(r.traces);
  }
  const m = r.machine;
  process.stdout.write(
    `\nnotes: n=${r.reps} per cell after ${r.warmup} warm-ups, interleaved; W/R/T/M/P = Graph writes / Graph reads / token-endpoint requests / openid-configuration reads / CORS preflights per action (most frequent; see JSON for max).\n` +
      `  popup: ${r.definitions.popup}\n  floor: ${r.definitions.floor}\n  warm: ${r.definitions.warm}\n  cold: ${r.definitions.cold}\n  meeting: ${r.definitions.meeting}\n  wasm: ${WASM_METHOD}\n` +
      `  machine: ${m.nproc} cores (${m.cpu}), load ${m.loadavgStart.map((x) => x.toFixed(2)).join(" ")} → ${m.loadavgEnd.map((x) => x.toFixed(2)).join(" ")}, ${m.chromium}, node ${m.node}; commit ${r.commit?.slice(0, 10)}${r.dirty ? " (dirty)" : ""}\n`,
  );
}


// --- profile: Chromium tracing through CDP (one extra cold start and popup open per extension) ---

const TRACE_CATEGORIES = [
  "toplevel",
  "v8",
  "v8.execute",
  "v8.wasm",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "blink.user_timing",
  "loading",
  "ServiceWorker",
  "extensions",
];

/**
 * One traced cold start and one traced popup open per extension (not in the medians). Raw traces
 * go to bench/results/trace-<ext>-<kind>.json (open in chrome://tracing or Perfetto); the summary
 * lists, per thread, the trace events with the most inclusive time in the measured window.
 * @param {import("playwright-core").BrowserContext} ctx
 * @param {Ext[]} exts
 * @param {(e: Ext, n: string, record?: boolean) => Promise<void>} coldOnce
 * @param {(e: Ext, record?: boolean) => Promise<void>} popupOnce
 */
async function traceDiagnostics(ctx, exts, coldOnce, popupOnce) {
  /** @type {Record<string, any>} */
  const out = {};
  mkdirSync(RESULTS, { recursive: true });
  for (const ext of exts) {
    for (const [kind, fn] of /** @type {const} */ ([
      ["cold", () => coldOnce(ext, "set-busy", false)],
      ["popup", () => popupOnce(ext, false)],
    ])) {
      const cdp = await ctx.newCDPSession(ext.benchPage);
      /** @type {any[]} */
      const events = [];
      cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
      const complete = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
      await cdp.send("Tracing.start", { traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: "recordAsMuchAsPossible" }, transferMode: "ReportEvents" });
      await sleep(50);
      const mark = await ext.benchPage.evaluate(() => performance.timeOrigin + performance.now());
      try {
        await fn();
      } finally {
        await cdp.send("Tracing.end");
        await complete;
        await cdp.detach().catch((e) => console.warn("bench: CDP detach:", e.message));
      }
      const file = join(RESULTS, `trace-${ext.name}-${kind}.json`);
      writeFileSync(file, JSON.stringify({ traceEvents: events }));
      out[`${ext.name} ${kind}`] = { file: relative(root, file), ...summarizeTrace(events, mark) };
    }
  }
  return out;
}

/**
 * Per thread of the extension's renderer and the browser: inclusive ms per event name (nested
 * events of the same name counted once), top entries.
 * @param {any[]} events
 * @param {number} _markMs
 */
function summarizeTrace(events, _markMs) {
  /** @type {Map<string, string>} */
  const threadNames = new Map();
  for (const e of events) {
    if (e.ph === "M" && e.name === "thread_name") {
      threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? "?");
    }
  }
  /** @type {Map<string, any[]>} */
  const perThread = new Map();
  const open = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    let ev = null;
    if (e.ph === "X" && typeof e.dur === "number") {
      ev = { name: e.name, ts: e.ts, end: e.ts + e.dur };
    } else if (e.ph === "B") {
      open.set(`${key}:${e.name}`, e.ts);
    } else if (e.ph === "E" && open.has(`${key}:${e.name}`)) {
      ev = { name: e.name, ts: open.get(`${key}:${e.name}`), end: e.ts };
      open.delete(`${key}:${e.name}`);
    }
    if (ev) {
      if (!perThread.has(key)) {
        perThread.set(key, []);
      }
      /** @type {any[]} */ (perThread.get(key)).push(ev);
    }
  }
  /** @type {any[]} */
  const threads = [];
  for (const [key, evs] of perThread) {
    const name = threadNames.get(key) ?? key;
    if (!/ServiceWorker|CrRendererMain|CrBrowserMain|DedicatedWorker/i.test(name)) {
      continue;
    }
    /** @type {Map<string, number>} */
    const total = new Map();
    /** @type {Map<string, number>} */
    const until = new Map();
    evs.sort((a, b) => a.ts - b.ts);
    for (const ev of evs) {
      const covered = until.get(ev.name) ?? -Infinity;
      if (ev.ts >= covered) {
        total.set(ev.name, (total.get(ev.name) ?? 0) + (ev.end - ev.ts));
        until.set(ev.name, ev.end);
      } else if (ev.end > covered) {
        total.set(ev.name, (total.get(ev.name) ?? 0) + (ev.end - covered));
        until.set(ev.name, ev.end);
      }
    }
    const top = [...total.entries()]
      .filter(([n]) => !GENERIC_EVENTS.has(n))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([n, us]) => ({ event: n, ms: Math.round(us / 10) / 100 }));
    if (top.length && top[0].ms >= 0.5) {
      threads.push({ thread: name, pid: Number(key.split(":")[0]), top });
    }
  }
  return { threads };
}

/** Scheduler wrappers that say nothing about the cause. */
const GENERIC_EVENTS = new Set(["RunTask", "ThreadControllerImpl::RunTask", "RunMicrotasks", "Receive mojo message", "Receive mojo reply", "SimpleWatcher::OnHandleReady", "BlinkScheduler_PerformMicrotaskCheckpoint", "Closed mojo endpoint", "ThreadPool_RunTask"]);

/** @param {Record<string, any>} traces */
function printTraces(traces) {
  for (const [what, t] of Object.entries(traces)) {
    process.stdout.write(`\ntrace ${what} (${t.file}):\n`);
    for (const th of t.threads) {
      process.stdout.write(`  [${th.thread} pid ${th.pid}] ` + th.top.slice(0, 8).map((/** @type {any} */ x) => `${x.event} ${x.ms}`).join(", ") + "\n");
    }
  }
}

main().catch((e) => {
  console.error("bench failed:", e?.stack ?? e);
  process.exitCode = 1;
});
