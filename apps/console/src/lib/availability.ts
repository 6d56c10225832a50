import { MAINTENANCE_TONE, statusStyle, type Tone } from "./status.ts";

/**
 * How the workspace page's availability panel reads: the windows as percentages, one strip cell per day (its colour
 * and the sentence behind it), durations in words. The registry measures; this only presents.
 */

/** Seconds spent under each status on one UTC day; time in maintenance is counted under `maintenance` instead. */
export type SecondsByStatus = Partial<Record<string, number>>;
/** One day as workspace.availability answers it; `available` is the registry's measure, null when nothing counted. */
export type AvailabilityDay = { date: string; seconds_by_status: SecondsByStatus; worst_status: string | null; available: number | null };

export const AVAILABILITY_WINDOWS = [
  { key: "24h", label: "24 hours" },
  { key: "7d", label: "7 days" },
  { key: "30d", label: "30 days" },
  { key: "90d", label: "90 days" },
] as const;

/**
 * An available share (0..1) as a percentage, or "—" when nothing was measurable. Truncated, never rounded up: an
 * operator reading "100%" must be able to trust that not one second was down, and 99.996% is not that. Two decimals
 * from 99% up, where the interesting differences are (99.9% is 43 minutes a month, 99.99% four).
 */
export function formatAvailability(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return "—";
  if (fraction >= 1) return "100%";
  if (fraction <= 0) return "0%";
  const decimals = fraction >= 0.99 ? 2 : 1;
  const scale = 10 ** decimals;
  // The epsilon keeps binary fractions such as 0.992 * 1000 = 991.9999… from losing their last digit; the cap keeps
  // it from lifting 99.9999999999% to 100%.
  const percent = Math.min(Math.floor(fraction * 100 * scale + 1e-6) / scale, 100 - 1 / scale);
  return `${percent}%`;
}

/** Worst first (the registry's order for `worst_status`): the order a day's time is listed in its tooltip. */
const SEVERITY = ["failed", "offline", "unknown", "degraded", "provisioning", "maintenance", "removed"];
const severityOf = (key: string) => (SEVERITY.includes(key) ? SEVERITY.indexOf(key) : SEVERITY.length);

/** A span of seconds in words: "45 s", "11 min", "2 h 5 min", "3 d 4 h". */
export function formatSeconds(seconds: number): string {
  const span = Math.max(0, seconds);
  if (span < 60) return `${Math.floor(span)} s`;
  const minutes = Math.round(span / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** The colour of a day in the strip: its worst status's, maintenance's own, or none for a day with no data. */
export function dayTone(worstStatus: string | null): Tone | null {
  if (worstStatus === null) return null;
  return worstStatus === "maintenance" ? MAINTENANCE_TONE : statusStyle(worstStatus).tone;
}

/**
 * What one strip cell says, as its tooltip and its accessible name: "2026-12-01: 99.2% available — offline 11 min,
 * degraded 3 min". Online time is the rest of the day and goes unsaid; every other status is listed, worst first.
 */
export function dayDescription(day: AvailabilityDay): string {
  const others = Object.entries(day.seconds_by_status)
    .filter((entry): entry is [string, number] => entry[0] !== "online" && entry[1] !== undefined && entry[1] > 0)
    .sort(([a], [b]) => severityOf(a) - severityOf(b))
    .map(([status, seconds]) => `${status} ${formatSeconds(seconds)}`);
  if (day.available === null && others.length === 0) return `${day.date}: no data`;
  const head = day.available === null ? `${day.date}: not measured` : `${day.date}: ${formatAvailability(day.available)} available`;
  return others.length === 0 ? head : `${head} — ${others.join(", ")}`;
}

/** The strip in one sentence, for those who cannot hover 90 cells: "90 days: 85 fully available, 3 with downtime, 2 without data". */
export function describeStrip(days: readonly AvailabilityDay[]): string {
  let full = 0;
  let down = 0;
  let unmeasured = 0;
  for (const day of days) {
    if (day.available === null) unmeasured++;
    else if (day.available >= 1) full++;
    else down++;
  }
  const parts = [`${full} fully available`, `${down} with downtime`];
  if (unmeasured > 0) parts.push(`${unmeasured} without data or not measured`);
  return `${days.length} days: ${parts.join(", ")}`;
}
