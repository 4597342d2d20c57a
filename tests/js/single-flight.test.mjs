// The token broker's single-flight and one-redirect-at-a-time helpers (extension/lib/single-flight.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { SingleFlight, Exclusive } from "../../extension/lib/single-flight.js";

/** A promise with its resolvers, settled by the test. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test("single flight: concurrent callers with one key share one run and its result", async () => {
  const flights = new SingleFlight();
  const d = deferred();
  let runs = 0;
  const job = () => {
    runs += 1;
    return d.promise;
  };
  const a = flights.run("k", job);
  const b = flights.run("k", job);
  assert.equal(a, b);
  assert.equal(flights.get("k"), a);
  d.resolve("token");
  assert.deepEqual(await Promise.all([a, b]), ["token", "token"]);
  assert.equal(runs, 1);
  // Settled: the entry is gone and the next call runs again.
  assert.equal(flights.get("k"), undefined);
  assert.equal(await flights.run("k", async () => "again"), "again");
});

test("single flight: a failure reaches every joined caller, then the key is free", async () => {
  const flights = new SingleFlight();
  const d = deferred();
  const a = flights.run("k", () => d.promise);
  const b = flights.run("k", () => Promise.resolve("not run"));
  d.reject(Object.assign(new Error("no"), { code: "signInNeeded" }));
  await assert.rejects(a, { code: "signInNeeded" });
  await assert.rejects(b, { code: "signInNeeded" });
  assert.equal(flights.get("k"), undefined);
  assert.equal(await flights.run("k", async () => "retry"), "retry");
});

test("single flight: different keys run independently; a synchronous throw is a rejection", async () => {
  const flights = new SingleFlight();
  const silent = flights.run("silent", async () => "s");
  const interactive = flights.run("interactive", async () => "i");
  assert.notEqual(silent, interactive);
  assert.deepEqual(await Promise.all([silent, interactive]), ["s", "i"]);
  await assert.rejects(
    flights.run("x", () => {
      throw new Error("sync");
    }),
    /sync/,
  );
  assert.equal(flights.get("x"), undefined);
});

test("exclusive: jobs run one at a time, in order, past a failure", async () => {
  const lock = new Exclusive();
  const order = [];
  const first = deferred();
  const a = lock.run(async () => {
    order.push("a start");
    await first.promise;
    order.push("a end");
    throw new Error("a failed");
  });
  const b = lock.run(async () => {
    order.push("b start");
    return "b";
  });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(order, ["a start"], "b waits for a");
  first.resolve();
  await assert.rejects(a, /a failed/);
  assert.equal(await b, "b");
  assert.deepEqual(order, ["a start", "a end", "b start"]);
});
