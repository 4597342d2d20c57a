// @ts-check
/**
 * Routes meeting URLs to local fixture pages (tests/e2e/fixtures/), so content scripts run on the
 * real meeting origins without any network. Every other https request is answered 404.
 */
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
/** @param {string} name */
const fixture = (name) => readFileSync(join(dir, name), "utf8");

/**
 * @param {import("playwright-core").BrowserContext} context
 * @param {Record<string, string>} [extra] origin glob → fixture file name
 */
export async function routeMeetings(context, extra = {}) {
  const routes = {
    "https://meet.google.com/**": "meet.html",
    "https://*.zoom.us/**": "zoom.html",
    "https://meet.jit.si/**": "jitsi.html",
    "https://whereby.com/**": "plain.html",
    "https://*.webex.com/**": "plain.html",
    "https://meet.google.com.example.net/**": "meet.html",
    ...extra,
  };
  for (const [glob, file] of Object.entries(routes)) {
    await context.route(glob, (route) =>
      route.request().resourceType() === "document"
        ? route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: fixture(file) })
        : route.fulfill({ status: 404, body: "" }),
    );
  }
}

/**
 * Evaluates `expression` in the isolated world of this extension's content script in `page`'s
 * top frame (CDP), i.e. with exactly the powers a compromised content script would have.
 * @param {import("playwright-core").Page} page
 * @param {string} expression
 */
export async function inContentScript(page, expression) {
  const cdp = await page.context().newCDPSession(page);
  try {
    /** @type {any[]} */
    const contexts = [];
    cdp.on("Runtime.executionContextCreated", (e) => contexts.push(e.context));
    await cdp.send("Runtime.enable");
    const deadline = Date.now() + 5000;
    let ctx;
    while (!(ctx = contexts.find((c) => c.auxData?.type === "isolated" && c.auxData?.isDefault === false && c.origin.startsWith("chrome-extension://")))) {
      if (Date.now() > deadline) {
        throw new Error(`no content-script world in ${page.url()}: ${JSON.stringify(contexts.map((c) => [c.name, c.origin, c.auxData]))}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { expression, contextId: ctx.id, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) {
      throw new Error(`content-script evaluation failed: ${exceptionDetails.text} ${exceptionDetails.exception?.description ?? ""}`);
    }
    return result.value;
  } finally {
    await cdp.detach();
  }
}
