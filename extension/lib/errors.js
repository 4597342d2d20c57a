// @ts-check
/**
 * Errors as data. Messages are JSON-serialised, so an Error would arrive as `{}`: everything that
 * crosses runtime messaging is `{code, message}`. User-facing text is chosen from `code` only
 * (never from `message`), see `errorMessageKey`.
 */

/** An Error with a stable camelCase `code` (same shape as the wasm core's refusals). */
export class ShellError extends Error {
  /**
   * @param {string} code
   * @param {string} message developer text; never shown as is, never contains a token
   * @param {{retryAfterSeconds?: number, field?: string}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message);
    this.name = "ShellError";
    this.code = code;
    if (extra.retryAfterSeconds !== undefined) {
      this.retryAfterSeconds = extra.retryAfterSeconds;
    }
    if (extra.field !== undefined) {
      this.field = extra.field;
    }
  }
}

/**
 * Turns anything thrown into `{code, message}` (plus `retryAfterSeconds` when known).
 * @param {unknown} e
 * @returns {import("./messages.js").ErrorData}
 */
export function toErrorData(e) {
  if (e && typeof e === "object") {
    const anyE = /** @type {any} */ (e);
    /** @type {import("./messages.js").ErrorData} */
    const out = {
      code: typeof anyE.code === "string" && anyE.code ? anyE.code : "internal",
      message: typeof anyE.message === "string" ? anyE.message : String(e),
    };
    if (typeof anyE.retryAfterSeconds === "number") {
      out.retryAfterSeconds = anyE.retryAfterSeconds;
    }
    return out;
  }
  return { code: "internal", message: String(e) };
}

/**
 * Which `_locales` message explains an error code to the user. Every key exists in en and de.
 * @param {string} code
 * @returns {string}
 */
export function errorMessageKey(code) {
  switch (code) {
    case "signInNeeded":
    case "unauthenticated":
    case "claimsChallenge":
    case "interactionRequired":
      return "errSignIn";
    case "signInCancelled":
      return "errSignInCancelled";
    case "consentMissing":
      return "errConsent";
    case "throttled":
      return "errThrottledGaveUp";
    case "throttledScheduled":
      return "errThrottledScheduled";
    case "serviceUnavailable":
      return "errService";
    case "networkError":
    case "timeout":
      return "errNetwork";
    case "cloudNotSupported":
      return "errCloud";
    case "notConfigured":
      return "errNotConfigured";
    case "invalidDuration":
    case "durationOutOfRange":
    case "targetInPast":
      return "errDuration";
    case "invalidArgument":
    case "fixRequest":
      return "errInvalidRequest";
    case "notFound":
      return "errNotFound";
    default:
      return "errGeneric";
  }
}
