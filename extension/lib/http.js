// @ts-check
/**
 * The one HTTP call to Graph: sends a request exactly as the wasm core built it (`buildRequest`),
 * with the access token added as its Authorization header, and returns the raw response for the
 * core to interpret (`interpretResponse`). Only lib/auth.js calls it: the one module that holds
 * tokens, and the one place that checks where a token may go before it goes.
 *
 * The call is here and not in the core: the core's `sendRequest` (its fetch bindings and
 * promise callbacks) was 3.9 KB of the 48 KB the shipped wasm may have, gzipped, and 0.2 ms per
 * key press before the request left (bench/README.md). What is sent stays the core's work.
 */
import { ShellError } from "./errors.js";

/**
 * What `interpretResponse` reads: `{status, headers (names lowercased), body}`.
 * @typedef {{ status: number, headers: Record<string, string>, body: string }} RawResponse
 */

/**
 * @param {import("./presence.js").GraphRequest} request from `buildRequest`
 * @param {string} accessToken
 * @param {number} timeoutMs the request is aborted after this long
 * @returns {Promise<RawResponse>} rejects with a ShellError `timeout` or `networkError`
 */
export async function send(request, accessToken, timeoutMs) {
  let res;
  try {
    res = await fetch(request.url, {
      method: request.method,
      headers: { ...request.headers, Authorization: `Bearer ${accessToken}` },
      ...(request.body !== null ? { body: request.body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw failure(e, timeoutMs);
  }
  /** @type {Record<string, string>} */
  const headers = {};
  res.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  let body;
  try {
    body = await res.text();
  } catch (e) {
    throw failure(e, timeoutMs);
  }
  return { status: res.status, headers, body };
}

/**
 * @param {unknown} e what fetch or reading the body rejected with
 * @param {number} timeoutMs
 */
function failure(e, timeoutMs) {
  const name = /** @type {any} */ (e)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new ShellError("timeout", `no answer within ${timeoutMs} ms`);
  }
  return new ShellError("networkError", `the request did not reach the server: ${String(/** @type {any} */ (e)?.message ?? e)}`);
}
