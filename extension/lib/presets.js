// @ts-check
/**
 * The popup's duration choices, as in the Teams picker. Pure calendar arithmetic only; the
 * duration text itself always comes from the core (formatDuration / durationUntil / parseExpiry).
 */

/** @typedef {"30m" | "1h" | "2h" | "4h" | "today" | "week" | "custom" | "default"} PresetId */

/** @type {ReadonlyArray<{ id: PresetId, labelKey: string, seconds?: number }>} */
export const PRESETS = Object.freeze([
  { id: "30m", labelKey: "dur30m", seconds: 30 * 60 },
  { id: "1h", labelKey: "dur1h", seconds: 3600 },
  { id: "2h", labelKey: "dur2h", seconds: 2 * 3600 },
  { id: "4h", labelKey: "dur4h", seconds: 4 * 3600 },
  { id: "today", labelKey: "durToday" },
  { id: "week", labelKey: "durWeek" },
  { id: "custom", labelKey: "durCustom" },
  { id: "default", labelKey: "durDefault" },
]);

/**
 * Local midnight at the end of the day containing nowMs ("Today").
 * @param {number} nowMs
 */
export function endOfToday(nowMs) {
  const d = new Date(nowMs);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

/**
 * Local midnight at the end of the ISO week (Monday–Sunday) containing nowMs ("This week").
 * @param {number} nowMs
 */
export function endOfWeek(nowMs) {
  const d = new Date(nowMs);
  const daysToMonday = (8 - d.getDay()) % 7 || 7; // Sunday → 1, Monday → 7
  d.setDate(d.getDate() + daysToMonday);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
