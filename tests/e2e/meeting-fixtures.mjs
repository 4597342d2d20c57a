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
