// @ts-check
/**
 * The keyboard commands (manifest `commands`), as data: what each does. The service worker
 * executes them (lib/actions.js `handleCommand`); the options page lists them.
 */

/**
 * @typedef {{ kind: "toggle", availability: import("./messages.js").Availability, expiration: string }
 *   | { kind: "set", availability: import("./messages.js").Availability, expiration?: string }
 *   | { kind: "reset" }} CommandAction
 */

/** @type {Readonly<Record<string, { action: CommandAction, descriptionKey: string }>>} */
export const COMMANDS = Object.freeze({
  "toggle-dnd": {
    // Do not disturb for one hour; pressed again while that is ours and not expired: reset.
    action: { kind: "toggle", availability: "DoNotDisturb", expiration: "PT1H" },
    descriptionKey: "cmdToggleDnd",
  },
  "set-busy": { action: { kind: "set", availability: "Busy" }, descriptionKey: "cmdSetBusy" },
  "set-available": { action: { kind: "set", availability: "Available" }, descriptionKey: "cmdSetAvailable" },
  "reset-status": { action: { kind: "reset" }, descriptionKey: "cmdResetStatus" },
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
