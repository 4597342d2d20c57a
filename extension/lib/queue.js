// @ts-check
/**
 * A strictly ordered task queue (a promise chain). Presence writes go through one queue so that
 * rapid presses end in the state of the last press: every task starts after the previous one
 * settled, whatever its outcome.
 */

export function createQueue() {
  /** @type {Promise<unknown>} */
  let tail = Promise.resolve();
  let pending = 0;
  return {
    /**
     * @template T
     * @param {() => Promise<T>} task
     * @returns {Promise<T>}
     */
    run(task) {
      pending += 1;
      const result = tail.then(task);
      // The chain continues after a failure; the caller still sees the rejection.
      tail = result.then(
        () => {
          pending -= 1;
        },
        () => {
          pending -= 1;
        },
      );
      return result;
    },
    /** Number of tasks queued or running. */
    get size() {
      return pending;
    },
  };
}
