import { formatTimestamp } from "./time.ts";

/**
 * The fleet overview above the fleet table: status counts over the last 24 hours as stacked areas, changes per
 * minute as bars, and the same in a few sentences for whoever cannot see the canvas.
 */

export type OverviewBucket = { at: string; counts: Partial<Record<string, number>> };
export type MinuteCount = { at: string; count: number };
export type Overview = { now: string; buckets: readonly OverviewBucket[]; transitions_per_minute: readonly MinuteCount[] };

/**
 * Bottom to top: the healthy mass at the base, what needs attention stacked on it where the eye lands. Removed is
 * left out: it only ever grows and says nothing about the fleet's health.
 */
const STACK_ORDER = ["online", "degraded", "provisioning", "unknown", "offline", "failed"];
const LEFT_OUT = new Set(["removed"]);

export type StackLayer = {
  status: string;
  /** The layer's own count per bucket (what the legend and the tooltip say). */
  counts: number[];
  /** The layer's upper edge per bucket: its count plus every layer below it (what the chart draws). */
  tops: number[];
};
export type StackedCounts = { x: number[]; layers: StackLayer[] };

const countOf = (bucket: OverviewBucket, status: string) => {
  const value = bucket.counts[status];
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
};

/**
 * The layers that had any workspace in the window, in stacking order; a status this console does not know yet is
 * stacked on top rather than dropped.
 */
export function stackCounts(buckets: readonly OverviewBucket[]): StackedCounts {
  const present = new Set(buckets.flatMap((bucket) => Object.keys(bucket.counts).filter((status) => countOf(bucket, status) > 0)));
  const statuses = [
    ...STACK_ORDER.filter((status) => present.has(status)),
    ...[...present].filter((status) => !STACK_ORDER.includes(status) && !LEFT_OUT.has(status)).sort(),
  ];
  const layers: StackLayer[] = [];
  for (const status of statuses) {
    const counts = buckets.map((bucket) => countOf(bucket, status));
    const below = layers.at(-1)?.tops;
    layers.push({ status, counts, tops: counts.map((count, index) => count + (below?.[index] ?? 0)) });
  }
  return { x: buckets.map((bucket) => Date.parse(bucket.at)), layers };
}

/** The fleet's counts per status at a moment: the fleet table's tiles, read with the table. */
export type CurrentCounts = { at: string; counts: Partial<Record<string, number>> };

/**
 * The overview with the fleet's current counts as its last point. The overview's own last point is the moment it was
 * read, and it is read once a minute; the fleet table's counts are refreshed every few seconds, so the chart ends where
 * the tiles stand. Counts older than the last point are ignored.
 */
export function withCurrentCounts(overview: Overview, current: CurrentCounts | null): Overview {
  const last = overview.buckets.at(-1);
  if (current === null || (last !== undefined && Date.parse(current.at) <= Date.parse(last.at))) return overview;
  return { ...overview, buckets: [...overview.buckets, { at: current.at, counts: current.counts }] };
}

/** Not up, and not on purpose: what an operator looks for first in the last 24 hours. */
const TROUBLE = ["offline", "failed", "unknown"];

/**
 * The chart in sentences: the fleet's worst moment and how restless it was. E.g. "At worst 12 were offline, failed
 * or unknown at once, at 2026-12-01 14:15:00 UTC. 37 status changes; the busiest minute, 2026-12-01 14:16:00 UTC,
 * had 9." How it stands now is the status tiles' to say.
 */
export function describeOverview(overview: Overview): string {
  let worst: { at: string; count: number } | null = null;
  for (const bucket of overview.buckets) {
    const count = TROUBLE.reduce((sum, status) => sum + countOf(bucket, status), 0);
    if (count > 0 && (worst === null || count > worst.count)) worst = { at: bucket.at, count };
  }
  let total = 0;
  let busiest: MinuteCount | null = null;
  for (const minute of overview.transitions_per_minute) {
    total += minute.count;
    if (minute.count > 0 && (busiest === null || minute.count > busiest.count)) busiest = minute;
  }
  return [
    worst === null
      ? "None offline, failed or unknown in the last 24 hours."
      : `At worst ${worst.count} ${worst.count === 1 ? "was" : "were"} offline, failed or unknown at once, at ${formatTimestamp(worst.at)}.`,
    busiest === null
      ? "No status changes."
      : `${total} status ${total === 1 ? "change" : "changes"}; the busiest minute, ${formatTimestamp(busiest.at)}, had ${busiest.count}.`,
  ].join(" ");
}
