// @ts-check
// The one HTTP call to Graph, shipped with the core (wasm-bindgen copies this module next to the
// glue) and bundled into the extension's worker, which calls it directly.
// - `sendRequest` (src/bindings.rs) checks the request, token and timeout in Rust, then calls
//   this with the Authorization header added.
// - The extension's worker (extension/lib/auth.js) sends the requests `buildRequest` made
//   (checked when they were built, and for the Graph origin before the token is added) without
//   a second pass through the core.
// It settles as `sendRequest` documents: a RawResponse `{status, headers (names lowercased),
// body}`, or a rejection with an Error named PresenceError whose `code` is `timeout` or
// `networkError`, as the core's own errors are. In JavaScript, not Rust: the fetch bindings and
// promise callbacks cost 3.9 KB of the shipped wasm's gzipped budget, and the pass through the
// core 0.2 ms per key press (bench/README.md).

/**
 * @param {string} code
 * @param {string} message
 */
function failure(code, message) {
  const error = /** @type {Error & { code: string }} */ (new Error(message));
  error.name = "PresenceError";
  error.code = code;
  return error;
}

/**
 * @param {unknown} e what fetch or reading the body rejected with
 * @param {number} timeoutMs
 */
function failed(e, timeoutMs) {
  const any = /** @type {any} */ (e);
  if (any?.name === "TimeoutError" || any?.name === "AbortError") {
    return failure("timeout", `no answer within ${timeoutMs} ms`);
  }
  return failure("networkError", `the request did not reach the server: ${String(any?.message ?? e)}`);
}

/**
 * @param {string} method
 * @param {string} url
 * @param {Record<string, string>} headers everything to send, the Authorization header included
 * @param {string | undefined} body
 * @param {number} timeoutMs the request is aborted after this long
 * @returns {Promise<{ status: number, headers: Record<string, string>, body: string }>}
 */
export async function send(method, url, headers, body, timeoutMs) {
  let res;
  try {
    res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw failed(e, timeoutMs);
  }
  /** @type {Record<string, string>} */
  const out = {};
  res.headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  let text;
  try {
    text = await res.text();
  } catch (e) {
    throw failed(e, timeoutMs);
  }
  return { status: res.status, headers: out, body: text };
}
