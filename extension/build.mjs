// @ts-check
// Assembles the Chromium extension from extension/ and the wasm core in dist/pkg/.
//
//   node extension/build.mjs                    → both variants below
//   node extension/build.mjs --variant release  → dist/chrome/ + dist/presence-switch-chrome.zip
//   node extension/build.mjs --variant test     → dist/chrome-test/ (e2e tests and the demo only)
//
// Building both by default means `./build.sh` leaves the test build ready for `./build.sh test`.
//
// The test variant differs from the shipped build ONLY by (a) `http://127.0.0.1/*` added to
// host_permissions, so the extension can talk to the local presence simulator without a runtime
// permission prompt, and (b) a fixed public "key", so the extension id — and with it the redirect
// URI https://<id>.chromiumapp.org/ — is stable (id: TEST_EXTENSION_ID). Never upload it.
//
// JS is bundled with esbuild (msal-browser pinned in package.json); no remote code, no eval.
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync, crc32 } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const pkgDir = join(root, "dist", "pkg");

/** Public half of a throwaway RSA key; gives the test build a stable id. */
const TEST_KEY =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw0b/BPEm5Ax7s5kRrOlU0FCvKu0EDjsb1yM9sBAp2CzHZwSIFPyhQW01WotE9wsYveeRNye2i0GEvHM5Ux2jHsUqRLvzyOZv/DcJLqKe29PEhOrwqpQkxjZ2lEPUEysL0YEcHd76BjbK5UUK0W/mHD/uIsQ10m0v69UnhUFFgBD/nPg1m3EhodHcZkJ/rH1R608ScCCd59FvLRdtlfNe+cML3TCjKHenKwT5Pw9hiD8DNSqETi4kXMfZXzOxIu5SWTHYZpJ/xXZdFNg/LWQIEZXupk1T73yTOMoHztG3uDlREUzOZZTWIUmQGUKPWfoJPRQbXuv/G4oHU1QzJZO9qwIDAQAB";
export const TEST_EXTENSION_ID = "jgcpnkpliaadplhebfcopflfakbhficg";

const ENTRIES = ["background.js", "popup.js", "options.js", "offscreen.js"];
/** Content scripts cannot be ES modules: each is bundled into one classic script (IIFE). */
const CONTENT_ENTRIES = ["content/meeting.js"];
const STATIC = ["popup.html", "popup.css", "options.html", "options.css", "offscreen.html", "_locales", "icons"];

function parseArgs(argv) {
  let variant = "both";
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--variant" && (argv[i + 1] === "test" || argv[i + 1] === "release")) {
      variant = argv[++i];
    } else {
      console.error(`build.mjs: unknown argument '${argv[i]}' (expected --variant test|release)`);
      process.exit(2);
    }
  }
  return variant;
}

const step = (s) => console.log(`==> ${s}`);

/**
 * esbuild: resolve the core's glue (imported as ../pkg/presence_switch.js) to dist/pkg, and the
 * glue's copy of src/send.js (wasm-bindgen's snippets/) to src/send.js itself, which the worker
 * also imports: one module in the bundle, not two.
 */
const pkgPlugin = {
  name: "dist-pkg",
  setup(b) {
    b.onResolve({ filter: /(^|\/)pkg\/presence_switch\.js$/ }, () => ({ path: join(pkgDir, "presence_switch.js") }));
    b.onResolve({ filter: /^\.\/snippets\/[^/]+\/src\/send\.js$/ }, () => ({ path: join(root, "src", "send.js") }));
  },
};

function manifestFor(variant) {
  const manifest = JSON.parse(readFileSync(join(here, "manifest.json"), "utf8"));
  if (variant === "test") {
    manifest.host_permissions = [...manifest.host_permissions, "http://127.0.0.1/*"];
    manifest.key = TEST_KEY;
  }
  return manifest;
}

/** Minimal store-compatible zip (deflate), so no `zip` binary is needed. */
function writeZip(srcDir, zipPath) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        walk(p);
      } else {
        files.push(p);
      }
    }
  };
  walk(srcDir);
  const locals = [];
  const centrals = [];
  let offset = 0;
  // Fixed timestamp (1980-01-01) keeps the archive reproducible.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const file of files) {
    const name = Buffer.from(relative(srcDir, file).split("\\").join("/"));
    const data = readFileSync(file);
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralBuf = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(zipPath, Buffer.concat([...locals, centralBuf, end]));
  return files.length;
}

async function main() {
  const variant = parseArgs(process.argv.slice(2));
  for (const v of variant === "both" ? ["release", "test"] : [variant]) {
    await assemble(v);
  }
}

/** @param {string} variant */
async function assemble(variant) {
  const out = join(root, "dist", variant === "test" ? "chrome-test" : "chrome");
  step(`assembling ${relative(root, out)} (variant ${variant})`);
  for (const f of ["presence_switch.js", "presence_switch_bg.wasm"]) {
    if (!existsSync(join(pkgDir, f))) {
      console.error(`build.mjs: dist/pkg/${f} is missing; build the wasm core first (./build.sh)`);
      process.exit(1);
    }
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  step("bundling JS with esbuild");
  await build({
    entryPoints: ENTRIES.map((e) => join(here, e)),
    outdir: out,
    bundle: true,
    format: "esm",
    target: "chrome116",
    platform: "browser",
    splitting: false,
    minify: true,
    legalComments: "inline",
    logLevel: "warning",
    plugins: [pkgPlugin],
  });

  await build({
    entryPoints: CONTENT_ENTRIES.map((e) => join(here, e)),
    outdir: join(out, "content"),
    bundle: true,
    format: "iife",
    target: "chrome116",
    platform: "browser",
    minify: true,
    legalComments: "inline",
    logLevel: "warning",
  });

  step("copying pages, locales, icons and the wasm core");
  for (const s of STATIC) {
    cpSync(join(here, s), join(out, s), { recursive: true });
  }
  cpSync(pkgDir, join(out, "pkg"), { recursive: true });
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifestFor(variant), null, 2) + "\n");

  step("checking bundles: no eval, no remote scripts");
  for (const e of [...ENTRIES, ...CONTENT_ENTRIES]) {
    const code = readFileSync(join(out, e), "utf8");
    if (/\beval\s*\(|new Function\s*\(/.test(code)) {
      console.error(`build.mjs: ${e} contains eval or new Function`);
      process.exit(1);
    }
  }
  for (const page of ["popup.html", "options.html", "offscreen.html"]) {
    if (/<script[^>]+src=["']https?:/i.test(readFileSync(join(out, page), "utf8"))) {
      console.error(`build.mjs: ${page} loads a remote script`);
      process.exit(1);
    }
  }

  if (variant === "release") {
    const zip = join(root, "dist", "presence-switch-chrome.zip");
    const n = writeZip(out, zip);
    step(`wrote ${relative(root, zip)} (${n} files)`);
  } else {
    step(`test build id: ${TEST_EXTENSION_ID}`);
  }
}

await main();
