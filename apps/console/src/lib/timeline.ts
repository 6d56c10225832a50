import { formatPercent } from "./format.ts";
import { reasonLabel, type Tone } from "./status.ts";
import { formatDuration, formatTimestamp } from "./time.ts";

/**
 * The heartbeat timeline's presentation logic: which beats fall in the window, where beats were missed, how the
 * 24 h view is bucketed, the status bands behind the line and the annotations on it. The chart component only draws
 * what this returns, so everything an operator reads off the chart is decided (and tested) here.
 */

export type TimelineRange = "1h" | "24h";

/** A heartbeat sample as the operator API returns it (sampleView); `status` is the workspace's status after it. */
export type TimelineSample = { at: string | null; error_rate: number; status: string };

/** A workspace event as the operator API returns it (eventView). */
export type TimelineEvent = { id: number; type: string; payload: Record<string, unknown>; at: string | null };

export type TimeWindow = { from: number; to: number };
export type Beat = { at: number; errorRate: number; status: string };
/** A stretch with no heartbeat: from the last beat before it to the next beat, or to `now` if none came. */
export type Gap = { from: number; to: number };
export type StatusBand = { from: number; to: number; status: string };
export type AnnotationKind = "marker_set" | "marker_cleared" | "register_failure";
export type Annotation = {
  id: number;
  at: number;
  kind: AnnotationKind;
  /** A few words drawn beside the line on the chart. */
  label: string;
  /** The full sentence for the list below the chart. */
  text: string;
};

/** What the chart plots, in uPlot's aligned form: x in epoch ms, y in percent, null where the line breaks. */
export type ChartSeries = {
  x: number[];
  /** 1 h: each beat's error rate. 24 h: the highest error rate in each bucket. */
  errorPercent: (number | null)[];
  /** 24 h only: the mean error rate in each bucket. */
  meanPercent: (number | null)[] | null;
};

export type TimelineSummary = {
  beats: number;
  /** Values actually plotted: beats in the 1 h view, non-empty buckets in the 24 h view. */
  points: number;
  gaps: number;
  longestGapMs: number;
  maxErrorRate: number | null;
  maxErrorAt: number | null;
};

export type Timeline = {
  range: TimelineRange;
  window: TimeWindow;
  /** Width of a 24 h bucket; null in the 1 h view, which plots every beat. */
  bucketMs: number | null;
  series: ChartSeries;
  gaps: Gap[];
  bands: StatusBand[];
  annotations: Annotation[];
  summary: TimelineSummary;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How far back each range of the chart looks; the page loads exactly this much history. */
export const RANGE_MS: Record<TimelineRange, number> = { "1h": HOUR, "24h": 24 * HOUR };
const RANGE_WORDS: Record<TimelineRange, string> = { "1h": "the last hour", "24h": "the last 24 hours" };

/** Runtimes beat every 30 s by default (packages/client heartbeat-loop). */
export const DEFAULT_EXPECTED_INTERVAL_MS = 30_000;

/**
 * Beats are jittered ±10 %, so on time they land 27–33 s apart and one missed beat makes a 54–66 s silence. 1.5
 * intervals (45 s, the console's "late" line in heartbeat-age.ts) separates the two; 2 intervals would hide half of
 * all single missed beats.
 */
const GAP_AFTER_INTERVALS = 1.5;

/** uPlot stays smooth well past this, and more points than a wide screen has pixels would show nothing new. */
export const MAX_CHART_POINTS = 1_500;
const BUCKET_STEPS_MS = [1, 2, 5, 10, 15, 30, 60].map((minutes) => minutes * MINUTE);

export function timeWindow(range: TimelineRange, now: number): TimeWindow {
  return { from: now - RANGE_MS[range], to: now };
}

export function gapThresholdMs(expectedIntervalMs: number): number {
  return expectedIntervalMs * GAP_AFTER_INTERVALS;
}

/** The samples inside the window, oldest first; a sample without a readable time is dropped. */
export function beatsInWindow(samples: readonly TimelineSample[], window: TimeWindow): Beat[] {
  return samples
    .map((sample) => ({ at: Date.parse(sample.at ?? ""), errorRate: sample.error_rate, status: sample.status }))
    .filter((beat) => beat.at >= window.from && beat.at <= window.to)
    .sort((a, b) => a.at - b.at);
}

/**
 * Silences of at least `thresholdMs` between consecutive beats, and from the last beat to the window's end. The
 * stretch before the first beat is not a gap: without the workspace's creation time it may simply predate it.
 */
export function findGaps(beats: readonly Beat[], window: TimeWindow, thresholdMs: number): Gap[] {
  const gaps: Gap[] = [];
  beats.forEach((beat, index) => {
    const next = beats[index + 1]?.at ?? window.to;
    if (next - beat.at >= thresholdMs) gaps.push({ from: beat.at, to: next });
  });
  return gaps;
}

/**
 * The narrowest bucket step that keeps the window under MAX_CHART_POINTS and is at least the gap threshold wide, so
 * an empty bucket (a break in the 24 h line) always lies inside a detected gap rather than between on-time beats.
 */
export function bucketSizeMs(spanMs: number, thresholdMs: number): number {
  const narrowest = Math.max(spanMs / MAX_CHART_POINTS, thresholdMs);
  return BUCKET_STEPS_MS.find((step) => step >= narrowest) ?? (BUCKET_STEPS_MS.at(-1) as number);
}

export type Bucket = { start: number; count: number; maxErrorRate: number | null; meanErrorRate: number | null };

/**
 * Every bucket covering the window, empty ones included. Buckets are aligned to multiples of `bucketMs` since the
 * epoch, so a refresh a few seconds later moves no boundary and the same beat stays in the same bucket.
 */
export function bucketBeats(beats: readonly Beat[], window: TimeWindow, bucketMs: number): Bucket[] {
  const origin = Math.floor(window.from / bucketMs) * bucketMs;
  const count = Math.floor((window.to - origin) / bucketMs) + 1;
  const rates: number[][] = Array.from({ length: count }, () => []);
  for (const beat of beats) rates[Math.floor((beat.at - origin) / bucketMs)]?.push(beat.errorRate);
  return rates.map((inBucket, index) => ({
    start: origin + index * bucketMs,
    count: inBucket.length,
    maxErrorRate: inBucket.length === 0 ? null : Math.max(...inBucket),
    meanErrorRate: inBucket.length === 0 ? null : inBucket.reduce((sum, rate) => sum + rate, 0) / inBucket.length,
  }));
}

const toPercent = (rate: number | null) => (rate === null ? null : rate * 100);

/** 1 h: one point per beat, with a null in the middle of every gap so uPlot lifts the pen there. */
function beatSeries(beats: readonly Beat[], gaps: readonly Gap[]): ChartSeries {
  // No beat lies inside a gap, so sorting puts each null between the two beats around it.
  const points = [...beats.map((beat) => ({ x: beat.at, y: beat.errorRate * 100 })), ...gaps.map((gap) => ({ x: (gap.from + gap.to) / 2, y: null }))].sort(
    (a, b) => a.x - b.x,
  );
  return { x: points.map((point) => point.x), errorPercent: points.map((point) => point.y), meanPercent: null };
}

/** 24 h: one point per bucket; an empty bucket is a null, so the line breaks there. */
function bucketSeries(buckets: readonly Bucket[], window: TimeWindow): ChartSeries {
  return {
    // The first bucket may start before the window; its point is drawn at the window's edge instead of off-chart.
    x: buckets.map((bucket) => Math.max(bucket.start, window.from)),
    errorPercent: buckets.map((bucket) => toPercent(bucket.maxErrorRate)),
    meanPercent: buckets.map((bucket) => toPercent(bucket.meanErrorRate)),
  };
}

type StatusObservation = { at: number; status: string; before: string | null };

/** Status-change events carry `{from, to}` (statusChangeEvent in registry-core); nothing else has a string `to`. */
function statusChanges(events: readonly TimelineEvent[]): StatusObservation[] {
  return events.flatMap((event) => {
    const { from, to } = event.payload;
    const at = Date.parse(event.at ?? "");
    if (typeof to !== "string" || Number.isNaN(at)) return [];
    return [{ at, status: to, before: typeof from === "string" ? from : null }];
  });
}

/**
 * Coloured stretches of status from the window's start (or the first thing known) to `now`. Status-change events
 * are exact; samples record the status after each beat and fill in where the events are missing (the page loads
 * only the latest events). At any moment the latest observation of either kind wins, and an event wins a tie. The
 * status before the first observation in the window comes from the last one before it, or else from the first
 * event's `from`; with neither, the chart leaves that stretch blank rather than guess.
 */
export function statusBands(beats: readonly Beat[], events: readonly TimelineEvent[], window: TimeWindow): StatusBand[] {
  const observations: StatusObservation[] = [...beats.map((beat) => ({ at: beat.at, status: beat.status, before: null })), ...statusChanges(events)]
    .filter((observation) => observation.at <= window.to)
    // Stable sort with samples listed first: at equal times the event is applied last and wins.
    .sort((a, b) => a.at - b.at);
  const inWindow = observations.filter((observation) => observation.at > window.from);
  const initial = observations.findLast((observation) => observation.at <= window.from)?.status ?? inWindow[0]?.before ?? null;

  const bands: StatusBand[] = [];
  let open: { from: number; status: string } | null = initial === null ? null : { from: window.from, status: initial };
  for (const observation of inWindow) {
    if (open?.status === observation.status) continue;
    if (open !== null && observation.at > open.from) bands.push({ ...open, to: observation.at });
    open = { from: observation.at, status: observation.status };
  }
  if (open !== null && window.to > open.from) bands.push({ ...open, to: window.to });
  return bands;
}

const payloadText = (payload: Record<string, unknown>, key: string) => {
  const value = payload[key];
  return typeof value === "string" && value !== "" ? value : null;
};

const joinParts = (...parts: (string | null)[]) => parts.filter((part) => part !== null).join(" — ");

/**
 * Marker set, marker cleared and register failures, oldest first, inside the window. A failed register always sets
 * the register-failure marker, and a repeated failure refreshes the one active marker under the same id
 * (register.ts), so the first MARKER_SET of a marker id is "marker set" and every later one is a further register
 * failure. Events before the window are read only to know which markers were already set.
 */
export function timelineAnnotations(events: readonly TimelineEvent[], window: TimeWindow): Annotation[] {
  const markersSeen = new Set<string>();
  const annotations: Annotation[] = [];
  const ordered = events
    .map((event) => ({ event, at: Date.parse(event.at ?? "") }))
    .filter(({ at }) => !Number.isNaN(at) && at <= window.to)
    .sort((a, b) => a.at - b.at || a.event.id - b.event.id);
  for (const { event, at } of ordered) {
    const annotation = annotationFor(event, markersSeen);
    if (annotation !== null && at >= window.from) annotations.push({ id: event.id, at, ...annotation });
  }
  return annotations;
}

const inParentheses = (text: string | null) => (text === null ? "" : ` (${text})`);

function annotationFor(event: TimelineEvent, markersSeen: Set<string>): Pick<Annotation, "kind" | "label" | "text"> | null {
  const { payload } = event;
  if (event.type === "MARKER_SET") {
    const markerId = payloadText(payload, "marker_id");
    const repeated = markerId !== null && markersSeen.has(markerId);
    if (markerId !== null) markersSeen.add(markerId);
    const reason = inParentheses(payloadText(payload, "reason"));
    const detail = payloadText(payload, "detail");
    if (repeated) {
      const text = joinParts(`Register failed again${reason}`, detail, "marker window restarted");
      return { kind: "register_failure", label: "Register failed", text };
    }
    const kind = payloadText(payload, "kind");
    const text = joinParts(`Marker set: ${kind === null ? "unknown kind" : reasonLabel(kind)}${reason}`, detail);
    return { kind: "marker_set", label: "Marker set", text };
  }
  if (event.type === "MARKER_CLEARED") {
    const by = payloadText(payload, "by");
    const text = joinParts(`Marker cleared${by === null ? "" : ` by ${by}`}`, payloadText(payload, "clear_reason"));
    return { kind: "marker_cleared", label: "Marker cleared", text };
  }
  return null;
}

/** Setting a marker degrades, a repeated failure is the alarm, clearing it is the recovery. */
export const ANNOTATION_TONES: Record<AnnotationKind, Tone> = {
  marker_set: "amber",
  register_failure: "red",
  marker_cleared: "emerald",
};

/**
 * Stacks chart labels (sorted left to right) into rows so none overlaps the one before it in its row. A label with
 * no free row gets null: its line is still drawn and its text is in the list under the chart.
 */
export function assignLabelRows(labels: readonly { x: number; width: number }[], rows: number, spacing: number): (number | null)[] {
  const rowEnds: number[] = Array.from({ length: rows }, () => Number.NEGATIVE_INFINITY);
  return labels.map((label) => {
    const row = rowEnds.findIndex((end) => label.x >= end + spacing);
    if (row === -1) return null;
    rowEnds[row] = label.x + label.width;
    return row;
  });
}

export type TimelineInput = {
  samples: readonly TimelineSample[];
  events: readonly TimelineEvent[];
  now: number;
  range: TimelineRange;
  expectedIntervalMs: number;
};

export function buildTimeline({ samples, events, now, range, expectedIntervalMs }: TimelineInput): Timeline {
  const window = timeWindow(range, now);
  const threshold = gapThresholdMs(expectedIntervalMs);
  const beats = beatsInWindow(samples, window);
  const gaps = findGaps(beats, window, threshold);
  const bucketMs = range === "1h" ? null : bucketSizeMs(window.to - window.from, threshold);
  const series = bucketMs === null ? beatSeries(beats, gaps) : bucketSeries(bucketBeats(beats, window, bucketMs), window);
  const highest = beats.reduce<Beat | null>((top, beat) => (top === null || beat.errorRate > top.errorRate ? beat : top), null);
  return {
    range,
    window,
    bucketMs,
    series,
    gaps,
    bands: statusBands(beats, events, window),
    annotations: timelineAnnotations(events, window),
    summary: {
      beats: beats.length,
      points: series.errorPercent.filter((value) => value !== null).length,
      gaps: gaps.length,
      longestGapMs: Math.max(0, ...gaps.map((gap) => gap.to - gap.from)),
      maxErrorRate: highest?.errorRate ?? null,
      maxErrorAt: highest?.at ?? null,
    },
  };
}

const MONTH_DAY = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

/** An x-axis tick in UTC, like every time in the console: "14:30", or the date ("Nov 27") where a day begins. */
export function axisTimeLabel(ms: number): string {
  const time = new Date(ms).toISOString().slice(11, 16);
  return time === "00:00" ? MONTH_DAY.format(ms) : time;
}

function emptyTimelineMessage(range: TimelineRange): string {
  return `No heartbeats in ${RANGE_WORDS[range]}.`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The figure's caption: the numbers an operator would otherwise have to read off the canvas. */
export function describeTimeline({ range, bucketMs, summary }: Timeline): string {
  if (summary.beats === 0) return emptyTimelineMessage(range);
  const gaps = summary.gaps === 0 ? "no missed beats" : `${plural(summary.gaps, "gap")} with missed beats (longest ${formatDuration(summary.longestGapMs)})`;
  const highest =
    summary.maxErrorRate === null || summary.maxErrorAt === null
      ? ""
      : `; highest error rate ${formatPercent(summary.maxErrorRate)} at ${formatTimestamp(new Date(summary.maxErrorAt).toISOString())}`;
  const plotted = bucketMs === null ? "" : `; each point is a ${formatDuration(bucketMs)} bucket's highest error rate`;
  return `${plural(summary.beats, "heartbeat")} in ${RANGE_WORDS[range]}; ${gaps}${highest}${plotted}.`;
}
