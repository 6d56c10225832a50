import type { MarkerView } from "@rollcall/registry-core";
import { ClearMarkerInput, isMarkerActive } from "@rollcall/registry-core/vocabulary";

/**
 * How the workspace page presents failure markers: which still count on this page's clock, in what order, how long
 * an active one has left, and what a clear did to the status.
 */

export type MarkerTimes = Pick<MarkerView, "active" | "set_at" | "expires_at" | "cleared_at">;

const at = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));

/**
 * Whether a marker still counts at `now`, by the registry's own rule. The server's `active` was decided when the
 * page last loaded; a marker whose window runs out before the next refresh stops counting here at once.
 */
export function isMarkerActiveAt(marker: MarkerTimes, now: number): boolean {
  const clearedAt = marker.cleared_at === null ? null : at(marker.cleared_at);
  return marker.active && isMarkerActive({ clearedAt, expiresAt: at(marker.expires_at) }, now);
}

/** When a past marker stopped counting: its clear, or else the end of its window. */
export function markerEndedAt(marker: MarkerTimes): string | null {
  return marker.cleared_at ?? marker.expires_at;
}

/**
 * Active markers (newest first: the latest failure is the one to read) and past ones (the most recently ended
 * first: what just happened comes before old history).
 */
export function splitMarkers<T extends MarkerTimes>(markers: readonly T[], now: number): { active: T[]; past: T[] } {
  const newestFirst = (a: number, b: number) => (Number.isNaN(b) ? -1 : Number.isNaN(a) ? 1 : b - a);
  const active = markers.filter((marker) => isMarkerActiveAt(marker, now));
  const past = markers.filter((marker) => !isMarkerActiveAt(marker, now));
  return {
    active: active.sort((a, b) => newestFirst(at(a.set_at), at(b.set_at))),
    past: past.sort((a, b) => newestFirst(at(markerEndedAt(a)), at(markerEndedAt(b)))),
  };
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const twoDigits = (value: number) => String(value).padStart(2, "0");

/**
 * A countdown that visibly moves every second while it matters: "42s", "4m 05s", "2h 07m", "3d 4h". Two units
 * (formatDuration's one is too coarse for "expires in") and never negative.
 */
export function formatCountdown(ms: number): string {
  const left = Math.max(0, Math.floor(ms / SECOND) * SECOND);
  if (left < MINUTE) return `${left / SECOND}s`;
  if (left < HOUR) return `${Math.floor(left / MINUTE)}m ${twoDigits(Math.floor((left % MINUTE) / SECOND))}s`;
  if (left < DAY) return `${Math.floor(left / HOUR)}h ${twoDigits(Math.floor((left % HOUR) / MINUTE))}m`;
  return `${Math.floor(left / DAY)}d ${Math.floor((left % DAY) / HOUR)}h`;
}

/** Time left before an active marker stops counting, as a countdown; null when there is no readable expiry. */
export function expiresIn(marker: Pick<MarkerView, "expires_at">, now: number): string | null {
  const expires = at(marker.expires_at);
  return Number.isNaN(expires) ? null : formatCountdown(expires - now);
}

/** The sentence shown after a clear: clearing re-runs the status rule, so the workspace may recover at once. */
export function clearOutcome({ status_before, status_after }: { status_before: string; status_after: string }): string {
  return status_before === status_after
    ? `Marker cleared. Status: ${status_after} (unchanged, other reasons still hold)`
    : `Marker cleared. Status: ${status_before} → ${status_after}`;
}

const clearReason = ClearMarkerInput.shape.reason;

/** The server's bounds on a clear reason (ClearMarkerInput); the form holds to them before sending. */
export const MIN_CLEAR_REASON_LENGTH = clearReason.minLength ?? 1;
export const MAX_CLEAR_REASON_LENGTH = clearReason.maxLength ?? Number.POSITIVE_INFINITY;

export function isClearReasonValid(reason: string): boolean {
  return clearReason.safeParse(reason).success;
}
