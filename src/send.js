// The core's one I/O step, as JavaScript that ships with it (wasm-bindgen copies this module
// next to the glue). `sendRequest` (src/bindings.rs) has validated the request, the token and
// the timeout; this sends exactly that and settles as `sendRequest` documents: a RawResponse
// `{status, headers (names lowercased), body}`, or a rejection with an Error named
// PresenceError whose `code` is `timeout` or `networkError`, as the core's own errors are.
// In JavaScript, not Rust: the fetch bindings and promise callbacks cost 3.9 KB of the shipped
// wasm's gzipped budget and 0.2 ms per request (bench/README.md).

function failure(code, message) {
  const error = new Error(message);
  error.name = "PresenceError";
  error.code = code;
  return error;
}

export async function send(method, url, headers, body, timeoutMs) {
  let res;
  try {
    res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw failed(e, timeoutMs);
  }
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

function failed(e, timeoutMs) {
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    return failure("timeout", `no answer within ${timeoutMs} ms`);
  }
  return failure("networkError", `the request did not reach the server: ${String(e?.message ?? e)}`);
}
