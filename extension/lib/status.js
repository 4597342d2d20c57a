// @ts-check
/**
 * Teams' six preferred states: Graph availability, Teams label key, colour, badge text. Shared by
 * the popup, the badge and the options page, so a state looks the same everywhere.
 */

/** @type {ReadonlyArray<{ availability: import("./messages.js").Availability, labelKey: string, color: string, badge: string }>} */
export const STATUSES = Object.freeze([
  { availability: "Available", labelKey: "statusAvailable", color: "#6BB700", badge: "ON" },
  { availability: "Busy", labelKey: "statusBusy", color: "#C4314B", badge: "BSY" },
  { availability: "DoNotDisturb", labelKey: "statusDoNotDisturb", color: "#C4314B", badge: "DND" },
  { availability: "BeRightBack", labelKey: "statusBeRightBack", color: "#F8D22A", badge: "BRB" },
  { availability: "Away", labelKey: "statusAway", color: "#F8D22A", badge: "AWY" },
  { availability: "Offline", labelKey: "statusOffline", color: "#8A8886", badge: "OFF" },
]);

/** @param {string} availability */
export function statusInfo(availability) {
  return STATUSES.find((s) => s.availability === availability) ?? null;
}

const READ_STATES = new Set(["Available", "AvailableIdle", "Away", "BeRightBack", "Busy", "BusyIdle", "DoNotDisturb", "Offline"]);

/**
 * Label key for an availability read from Graph (which has more values than the six settable;
 * "Offline" reads as "Offline", not "Appear offline").
 * @param {string} availability
 */
export function availabilityLabelKey(availability) {
  return READ_STATES.has(availability) ? `pres${availability}` : "presPresenceUnknown";
}
