// @ts-check
/**
 * The keyboard commands (manifest `commands`), as data: what each does by default. The user may
 * change the status and duration of each in the options page (stored under
 * `LocalKey.COMMAND_ACTIONS`, read through `commandActions` below); the key itself is set in the
 * browser's own shortcut page. The service worker executes them (lib/actions.js
 * `handleCommand`); the options page lists and configures them.
 */
import { STATUSES } from "./status.js";

/**
 * `expiration` absent: Graph's default duration.
 * @typedef {{ kind: "toggle", availability: import("./messages.js").Availability, expiration?: string }
 *   | { kind: "set", availability: import("./messages.js").Availability, expiration?: string }
 *   | { kind: "reset" }} CommandAction
 */

/**
 * descriptionKey: the manifest description (the browser's shortcut page shows it; it describes
 * the default action). nameKey: the command's name in the options page, where its action is set.
 * @type {Readonly<Record<string, { action: CommandAction, descriptionKey: string, nameKey: string }>>}
 */
export const COMMANDS = Object.freeze({
  "toggle-dnd": {
    // Do not disturb for one hour; pressed again while that is ours and not expired: reset.
    action: { kind: "toggle", availability: "DoNotDisturb", expiration: "PT1H" },
    descriptionKey: "cmdToggleDnd",
    nameKey: "optCmdNameToggle",
  },
  "set-busy": { action: { kind: "set", availability: "Busy" }, descriptionKey: "cmdSetBusy", nameKey: "optCmdNameSetBusy" },
  "set-available": { action: { kind: "set", availability: "Available" }, descriptionKey: "cmdSetAvailable", nameKey: "optCmdNameSetAvailable" },
  "reset-status": { action: { kind: "reset" }, descriptionKey: "cmdResetStatus", nameKey: "optCmdNameReset" },
});

/**
 * What a toggle does now, given the last preferred presence this extension set.
 * @param {{ availability: string }} command
 * @param {{ availability: string, untilMs: number | null } | null | undefined} lastSet
 * @param {number} nowMs
 * @returns {"set" | "reset"}
 */
export function toggleStep(command, lastSet, nowMs) {
  if (lastSet && lastSet.availability === command.availability && (lastSet.untilMs === null || lastSet.untilMs > nowMs)) {
    return "reset";
  }
  return "set";
}

/**
 * The action of every command: the stored overrides (options page) over the defaults above. The
 * kind of a command is fixed (a toggle stays a toggle, reset stays reset); anything stored that
 * does not fit (unknown status, wrong kind, not a string) falls back to the default. Durations
 * are stored as the core's canonical text; buildRequest validates them again when sending.
 * @param {unknown} stored the value under LocalKey.COMMAND_ACTIONS (undefined if never saved)
 * @returns {Record<string, CommandAction>}
 */
export function commandActions(stored) {
  /** @type {Record<string, CommandAction>} */
  const out = {};
  const overrides = stored && typeof stored === "object" ? /** @type {Record<string, any>} */ (stored) : {};
  for (const [name, { action }] of Object.entries(COMMANDS)) {
    const o = overrides[name];
    if (action.kind === "reset" || !o || typeof o !== "object" || o.kind !== action.kind || !STATUSES.some((s) => s.availability === o.availability)) {
      out[name] = action;
      continue;
    }
    const expiration = typeof o.expiration === "string" && o.expiration !== "" ? o.expiration : undefined;
    out[name] = { kind: action.kind, availability: o.availability, ...(expiration ? { expiration } : {}) };
  }
  return out;
}

/**
 * What the options page stores for the given actions: `{ name: { kind, availability, expiration
 * (null = Graph's default) } }`, reset as `{ kind: "reset" }`.
 * @param {Record<string, CommandAction>} actions
 */
export function storedCommandActions(actions) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [name, a] of Object.entries(actions)) {
    out[name] = a.kind === "reset" ? { kind: "reset" } : { kind: a.kind, availability: a.availability, expiration: a.expiration ?? null };
  }
  return out;
}
