import { formatTimestamp } from "./time.ts";

/**
 * The maintenance form and badge: the quick choices for how long, the "until" field (in UTC, like every time the
 * console shows), and the sentence that says a workspace is in maintenance. The registry decides what it accepts.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const MAINTENANCE_PRESETS = [
  { label: "1 h", ms: HOUR },
  { label: "4 h", ms: 4 * HOUR },
  { label: "24 h", ms: 24 * HOUR },
] as const;

/** A time as a datetime-local input's value, read in UTC: "2026-12-01T14:05". */
export function toUtcInputValue(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

const INPUT_VALUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** A datetime-local input's value as a time, read in UTC; null when it holds no time. */
export function fromUtcInputValue(value: string): number | null {
  if (!INPUT_VALUE.test(value)) return null;
  const at = Date.parse(`${value}Z`);
  return Number.isNaN(at) ? null : at;
}

/**
 * The "until" a preset fills in: `now` plus its length, rounded up to the next whole minute (the input has no
 * seconds), so "1 h" never sets a little under an hour.
 */
export function presetUntil(lengthMs: number, now: number): string {
  return toUtcInputValue(Math.ceil((now + lengthMs) / MINUTE) * MINUTE);
}

/** Who set it, by name: the registry records operators as `operator:<name>`. */
export function actorName(actor: string): string {
  return actor.startsWith("operator:") ? actor.slice("operator:".length) : actor;
}

export type MaintenanceWindow = { reason: string; until: string; by: string; since: string };

/** The badge: "In maintenance until 2026-12-01 14:00:00 UTC — kernel upgrade (by alice)". */
export function maintenanceSummary(maintenance: Pick<MaintenanceWindow, "reason" | "until" | "by">): string {
  return `In maintenance until ${formatTimestamp(maintenance.until)} — ${maintenance.reason} (by ${actorName(maintenance.by)})`;
}
