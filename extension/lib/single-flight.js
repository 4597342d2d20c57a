// @ts-check
/**
 * Single-flight: at most one run of an async job per key at a time. Callers that ask while a
 * run for their key is in flight get the same promise (and its outcome, success or failure);
 * the next call after it settles starts a fresh run. Pure (no chrome.*), so node tests import it.
 */

/** @template T */
export class SingleFlight {
  /** @type {Map<string, Promise<T>>} */
  #flights = new Map();

  /**
   * The in-flight run for `key`, or a new one of `job`.
   * @param {string} key
   * @param {() => Promise<T>} job
   * @returns {Promise<T>}
   */
  run(key, job) {
    const existing = this.#flights.get(key);
    if (existing) {
      return existing;
    }
    const flight = Promise.resolve().then(job);
    this.#flights.set(key, flight);
    const clear = () => {
      if (this.#flights.get(key) === flight) {
        this.#flights.delete(key);
      }
    };
    // Both outcomes belong to the callers of `flight`; this only ends the entry.
    flight.then(clear, clear);
    return flight;
  }

  /**
   * The in-flight run for `key`, if any.
   * @param {string} key
   * @returns {Promise<T> | undefined}
   */
  get(key) {
    return this.#flights.get(key);
  }
}

/**
 * Runs jobs one after another (a mutex for async sections): each starts when the previous one
 * has settled, whatever its outcome.
 */
export class Exclusive {
  /** @type {Promise<unknown>} */
  #tail = Promise.resolve();

  /**
   * @template T
   * @param {() => Promise<T>} job
   * @returns {Promise<T>}
   */
  run(job) {
    const next = this.#tail.then(() => job());
    this.#tail = Promise.allSettled([next]);
    return next;
  }
}
