// @ts-check
/**
 * Teams' six preferred states: Graph availability, Teams label key, colour, badge text key (the
 * short toolbar text, localised in _locales). Shared by the popup, the badge and the options page,
 * so a state looks the same everywhere.
 */

/** @type {ReadonlyArray<{ availability: import("./messages.js").Availability, labelKey: string, color: string, badgeKey: string }>} */
export const STATUSES = Object.freeze([
  { availability: "Available", labelKey: "statusAvailable", color: "#6BB700", badgeKey: "badgeAvailable" },
  { availability: "Busy", labelKey: "statusBusy", color: "#C4314B", badgeKey: "badgeBusy" },
  { availability: "DoNotDisturb", labelKey: "statusDoNotDisturb", color: "#C4314B", badgeKey: "badgeDoNotDisturb" },
  { availability: "BeRightBack", labelKey: "statusBeRightBack", color: "#F8D22A", badgeKey: "badgeBeRightBack" },
  { availability: "Away", labelKey: "statusAway", color: "#F8D22A", badgeKey: "badgeAway" },
  { availability: "Offline", labelKey: "statusOffline", color: "#8A8886", badgeKey: "badgeOffline" },
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
