// The shell's one HTTP call (extension/lib/http.js) against the real presence simulator, in
// node's fetch: what interpretResponse gets, and the two ways a request can fail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { send } from "../../extension/lib/http.js";
import { startSim } from "../e2e/harness.mjs";

/** @type {Awaited<ReturnType<typeof startSim>>} */
let sim;
/** @type {string} */
let token;

before(async () => {
  sim = await startSim();
  await sim.post("/_sim/teams-client", { signedIn: true });
  token = (await sim.post("/_sim/token", { scopes: ["Presence.ReadWrite", "User.Read"] })).access_token;
});
after(() => sim?.stop());

/** A request as buildRequest returns it. */
function request(method, path, body = null) {
  return {
    method,
    url: `${sim.baseUrl}${path}`,
    headers: { "client-request-id": "6f1c2b8e-0d4a-4b7e-9c3f-2a1b0c9d8e7f", ...(body ? { "Content-Type": "application/json" } : {}) },
    body,
  };
}

test("sends the request as built, with the token, and returns status, lowercased headers and body", async () => {
  const set = await send(request("POST", "/v1.0/me/presence/setUserPreferredPresence", '{"availability":"Busy","activity":"Busy","expirationDuration":"PT30M"}'), token, 5000);
  assert.ok(set.status === 200 || set.status === 204, `status ${set.status}`);
  const read = await send(request("GET", "/v1.0/me/presence"), token, 5000);
  assert.equal(read.status, 200);
  assert.equal(JSON.parse(read.body).availability, "Busy", "a Teams client session exists, so the preferred state shows");
  assert.ok(read.headers["request-id"], "headers are readable, lowercased");
  assert.ok(Object.keys(read.headers).every((k) => k === k.toLowerCase()));
  const logged = (await sim.get("/_sim/requests")).filter((/** @type {any} */ r) => r.path === "/v1.0/me/presence/setUserPreferredPresence");
  // The simulator's log keeps only the token's last 6 characters.
  assert.equal(logged.at(-1).headers.authorization, `Bearer …${token.slice(-6)}`, "the token went as a bearer header");
  assert.equal(logged.at(-1).headers["client-request-id"], "6f1c2b8e-0d4a-4b7e-9c3f-2a1b0c9d8e7f");
});

test("an unreachable host is a networkError; a slow answer past the timeout is a timeout", async () => {
  await assert.rejects(send({ ...request("GET", "/v1.0/me/presence"), url: "http://127.0.0.1:9/v1.0/me/presence" }, token, 5000), (e) => {
    assert.equal(/** @type {any} */ (e).code, "networkError");
    return true;
  });
  await sim.post("/_sim/faults", { path: "/users/00000000-0000-0000-0000-00000000dead", count: 1, status: 503, delayMs: 2000 });
  const started = Date.now();
  await assert.rejects(send(request("GET", "/v1.0/users/00000000-0000-0000-0000-00000000dead/presence"), token, 200), (e) => {
    assert.equal(/** @type {any} */ (e).code, "timeout");
    assert.match(/** @type {any} */ (e).message, /200 ms/);
    return true;
  });
  assert.ok(Date.now() - started < 1500, "aborted at the timeout, not after the slow answer");
});
