import { isStatusChange, readEvent } from "@rollcall/registry-core/vocabulary";
import { formatPercent } from "./format.ts";
import { reasonLabel, statusStyle, type Tone } from "./status.ts";
import { formatDuration, formatTimestamp } from "./time.ts";

/**
 * The heartbeat timeline's presentation logic: which samples fall in the window, where beats were missed, how a wide
 * view is bucketed, the status bands behind the line, the annotations and threshold lines on it, the zoom and what
 * the tooltip says. The chart component only draws what this returns, so everything an operator reads off the chart
 * is decided (and tested) here.
 */

export const TIMELINE_RANGES = ["15m", "1h", "6h", "24h"] as const;
export type TimelineRange = (typeof TIMELINE_RANGES)[number];
export const DEFAULT_TIMELINE_RANGE: TimelineRange = "1h";

/**
 * A heartbeat sample as the operator API returns it (sampleView): the newest beat of its slot, since the server
 * keeps one sample per workspace per slot. `status` is the workspace's status after that beat.
 */
export type TimelineSample = { at: string | null; error_rate: number; status: string };

/** The error rates the status rules degrade and recover at, as the operator API returns them (the server's policy). */
export type TimelineThresholds = { degrade_error_rate: number; recover_error_rate: number };

/**
 * A workspace event as the operator API returns it (eventView). Its type and payload are read with readEvent: the
 * events table is shared with other registry versions, and an event that does not fit the contract is left out.
 */
export type TimelineEvent = { id: number; type: string; payload: unknown; at: string | null };

export type TimeWindow = { from: number; to: number };
/** A sample inside the window, with its time parsed. */
export type Beat = { at: number; errorRate: number; status: string };
/** A stretch with no sample: from the last sample before it to the next one, or to `now` if none came. */
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

/** A horizontal line across the chart at one of the status rules' error rates. */
export type ThresholdLine = {
  kind: "degrade" | "recover";
  percent: number;
  tone: Tone;
  /** Drawn on the chart beside the line. */
  label: string;
  /** The chart key's entry: the rule the line stands for. */
  text: string;
};

/** What the chart plots, in uPlot's aligned form: x in epoch ms, y in percent, null where the line breaks. */
export type ChartSeries = {
  x: number[];
  /** Each sample's error rate, or, bucketed, the highest error rate in each bucket. */
  errorPercent: (number | null)[];
  /** Bucketed only: the mean error rate in each bucket. */
  meanPercent: (number | null)[] | null;
};

export type TimelineSummary = {
  /** Samples in the window: at most one per slot, so fewer than the beats a runtime beating faster than a slot sent. */
  samples: number;
  /** Values actually plotted: samples, or non-empty buckets when the view is bucketed. */
  points: number;
  gaps: number;
  longestGapMs: number;
  maxErrorRate: number | null;
  maxErrorAt: number | null;
};

export type Timeline = {
  range: TimelineRange;
  window: TimeWindow;
  /** What the chart shows: the zoomed part of the window, or all of it. */
  view: TimeWindow;
  zoomed: boolean;
  /** The server's sample slot: it keeps the newest beat of each. */
  slotMs: number;
  /** Width of a bucket; null while the view is narrow enough to plot every sample. */
  bucketMs: number | null;
  beats: Beat[];
  series: ChartSeries;
  gaps: Gap[];
  bands: StatusBand[];
  annotations: Annotation[];
  thresholds: ThresholdLine[];
  summary: TimelineSummary;
};

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** How far back each range of the chart looks; the page loads exactly this much history. */
export const RANGE_MS: Record<TimelineRange, number> = { "15m": 15 * MINUTE, "1h": HOUR, "6h": 6 * HOUR, "24h": 24 * HOUR };
export const RANGE_WORDS: Record<TimelineRange, string> = {
  "15m": "the last 15 minutes",
  "1h": "the last hour",
  "6h": "the last 6 hours",
  "24h": "the last 24 hours",
};

/**
 * The range a `?range=` value names. Anything else (absent, misspelt, an old bookmark) is the default rather than an
 * error: the address only chooses a view. A repeated parameter counts by its first value.
 */
export function parseTimelineRange(value: string | string[] | null | undefined): TimelineRange {
  const first = [value].flat()[0];
  return TIMELINE_RANGES.find((range) => range === first) ?? DEFAULT_TIMELINE_RANGE;
}

/** Runtimes beat every 30 s by default (packages/client heartbeat-loop). */
export const DEFAULT_EXPECTED_INTERVAL_MS = 30_000;

/**
 * Beats are jittered ±10 %, so on time they land 27–33 s apart and one missed beat makes a 54–66 s silence. 1.5
 * intervals (45 s, the console's "late" line in heartbeat-age.ts) separates the two; 2 intervals would hide half of
 * all single missed beats.
 */
const GAP_AFTER_INTERVALS = 1.5;

/**
 * uPlot stays smooth well past this, and more points than a wide screen has pixels would show nothing new. With
 * 15 s slots a view of up to 6¼ h plots every sample.
 */
export const MAX_CHART_POINTS = 1_500;
const BUCKET_STEPS_MS = [1, 2, 5, 10, 15, 30, 60].map((minutes) => minutes * MINUTE);

/** Four 15 s slots: a narrower zoom would show a sample or two and an axis of seconds. */
export const MIN_ZOOM_MS = MINUTE;

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
 * The narrowest bucket step that keeps a view of `spanMs` under MAX_CHART_POINTS and is at least the gap threshold
 * wide, so an empty bucket (a break in the line) always lies inside a detected gap rather than between on-time beats.
 */
export function bucketSizeMs(spanMs: number, thresholdMs: number): number {
  const narrowest = Math.max(spanMs / MAX_CHART_POINTS, thresholdMs);
  return BUCKET_STEPS_MS.find((step) => step >= narrowest) ?? (BUCKET_STEPS_MS.at(-1) as number);
}

/**
 * Every sample is plotted while the view has room for at most MAX_CHART_POINTS slots (any range up to 6 h, and any
 * zoom into the 24 h range that narrow); a wider view is bucketed. Decided by the view, not the range, so zooming
 * into a day reaches the samples themselves.
 */
export function plotBucketMs(view: TimeWindow, slotMs: number, thresholdMs: number): number | null {
  const spanMs = view.to - view.from;
  return spanMs / slotMs <= MAX_CHART_POINTS ? null : bucketSizeMs(spanMs, thresholdMs);
}

/**
 * The window a drag across the chart selects, from its two ends in either order: cut to `window`, whole
 * milliseconds, and at least MIN_ZOOM_MS wide (widened about its middle, then moved back inside the window).
 */
export function zoomWindow(a: number, b: number, window: TimeWindow): TimeWindow {
  const inside = (ms: number) => Math.min(Math.max(Math.round(ms), window.from), window.to);
  const from = inside(Math.min(a, b));
  const to = inside(Math.max(a, b));
  const span = Math.min(Math.max(to - from, MIN_ZOOM_MS), window.to - window.from);
  const start = Math.min(Math.max(Math.round((from + to - span) / 2), window.from), window.to - span);
  return { from: start, to: start + span };
}

/**
 * The part of a zoom still inside the window, or null for none. The window slides forward with the clock while the
 * zoom stays on the moments the operator chose, so an old zoom is cut at the window's start and ends once it has
 * slid out entirely.
 */
export function zoomedView(window: TimeWindow, zoom: TimeWindow | null): TimeWindow | null {
  if (zoom === null) return null;
  const from = Math.max(zoom.from, window.from);
  const to = Math.min(zoom.to, window.to);
  return to > from ? { from, to } : null;
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

/** One point per sample, with a null in the middle of every gap so uPlot lifts the pen there. */
function beatSeries(beats: readonly Beat[], gaps: readonly Gap[]): ChartSeries {
  // No beat lies inside a gap, so sorting puts each null between the two beats around it.
  const points = [...beats.map((beat) => ({ x: beat.at, y: beat.errorRate * 100 })), ...gaps.map((gap) => ({ x: (gap.from + gap.to) / 2, y: null }))].sort(
    (a, b) => a.x - b.x,
  );
  return { x: points.map((point) => point.x), errorPercent: points.map((point) => point.y), meanPercent: null };
}

/** One point per bucket; an empty bucket is a null, so the line breaks there. */
function bucketSeries(buckets: readonly Bucket[], window: TimeWindow): ChartSeries {
  return {
    // The first bucket may start before the window; its point is drawn at the window's edge instead of off-chart.
    x: buckets.map((bucket) => Math.max(bucket.start, window.from)),
    errorPercent: buckets.map((bucket) => toPercent(bucket.maxErrorRate)),
    meanPercent: buckets.map((bucket) => toPercent(bucket.meanErrorRate)),
  };
}

type StatusObservation = { at: number; status: string; before: string | null };

/** Status changes carry `{from, to}`; a workspace's creation comes from nothing (`from` is null). */
function statusChanges(events: readonly TimelineEvent[]): StatusObservation[] {
  return events.flatMap((event) => {
    const known = readEvent(event);
    const at = Date.parse(event.at ?? "");
    if (known === null || !isStatusChange(known) || Number.isNaN(at)) return [];
    return [{ at, status: known.payload.to, before: known.payload.from }];
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

/** An empty text says nothing: it is left out, like a missing one. */
const nonEmpty = (text: string | undefined) => (text ? text : null);

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
  const known = readEvent(event);
  if (known?.type === "MARKER_SET") {
    const { marker_id, kind, reason, detail } = known.payload;
    const repeated = markersSeen.has(marker_id);
    markersSeen.add(marker_id);
    const why = inParentheses(nonEmpty(reason));
    if (repeated) {
      const text = joinParts(`Register failed again${why}`, nonEmpty(detail), "marker window restarted");
      return { kind: "register_failure", label: "Register failed", text };
    }
    const text = joinParts(`Marker set: ${reasonLabel(kind)}${why}`, nonEmpty(detail));
    return { kind: "marker_set", label: "Marker set", text };
  }
  if (known?.type === "MARKER_CLEARED") {
    const { by, clear_reason } = known.payload;
    const text = joinParts(`Marker cleared${by ? ` by ${by}` : ""}`, nonEmpty(clear_reason));
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

/** Degrade is amber like a degraded workspace, recover emerald like an online one; both rates are the server's. */
export function thresholdLines({ degrade_error_rate, recover_error_rate }: TimelineThresholds): ThresholdLine[] {
  const degrade = formatPercent(degrade_error_rate);
  const recover = formatPercent(recover_error_rate);
  return [
    { kind: "degrade", percent: degrade_error_rate * 100, tone: "amber", label: `Degrade ${degrade}`, text: `Degrade threshold: ${degrade} or more` },
    { kind: "recover", percent: recover_error_rate * 100, tone: "emerald", label: `Recover ${recover}`, text: `Recover threshold: below ${recover}` },
  ];
}

export type TimelineInput = {
  samples: readonly TimelineSample[];
  events: readonly TimelineEvent[];
  now: number;
  range: TimelineRange;
  expectedIntervalMs: number;
  /** The server's sample slot (listHeartbeats' slot_seconds). */
  slotMs: number;
  thresholds: TimelineThresholds;
  /** The stretch the operator dragged out on the chart, or null. */
  zoom: TimeWindow | null;
};

export function buildTimeline({ samples, events, now, range, expectedIntervalMs, slotMs, thresholds, zoom }: TimelineInput): Timeline {
  const window = timeWindow(range, now);
  const zoomed = zoomedView(window, zoom);
  const view = zoomed ?? window;
  const threshold = gapThresholdMs(expectedIntervalMs);
  const beats = beatsInWindow(samples, window);
  const gaps = findGaps(beats, window, threshold);
  // The whole window is plotted at the view's resolution, so a zoomed line runs on past the view's edges.
  const bucketMs = plotBucketMs(view, slotMs, threshold);
  const series = bucketMs === null ? beatSeries(beats, gaps) : bucketSeries(bucketBeats(beats, window, bucketMs), window);
  const highest = beats.reduce<Beat | null>((top, beat) => (top === null || beat.errorRate > top.errorRate ? beat : top), null);
  return {
    range,
    window,
    view,
    zoomed: zoomed !== null,
    slotMs,
    bucketMs,
    beats,
    series,
    gaps,
    bands: statusBands(beats, events, window),
    annotations: timelineAnnotations(events, window),
    thresholds: thresholdLines(thresholds),
    summary: {
      samples: beats.length,
      points: series.errorPercent.filter((value) => value !== null).length,
      gaps: gaps.length,
      longestGapMs: Math.max(0, ...gaps.map((gap) => gap.to - gap.from)),
      maxErrorRate: highest?.errorRate ?? null,
      maxErrorAt: highest?.at ?? null,
    },
  };
}

const MONTH_DAY = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

/**
 * An x-axis tick in UTC, like every time in the console: "14:30", with seconds ("14:30:15") once a zoom puts ticks
 * less than a minute apart, or the date ("Nov 27") where a day begins.
 */
export function axisTimeLabel(ms: number, stepMs: number): string {
  const time = new Date(ms).toISOString().slice(11, stepMs < MINUTE ? 19 : 16);
  return /^00:00(:00)?$/.test(time) ? MONTH_DAY.format(ms) : time;
}

const iso = (ms: number) => new Date(ms).toISOString();
const timestamp = (ms: number) => formatTimestamp(iso(ms));

/** A stretch in UTC: "2026-11-27 11:56:00–11:57:30 UTC", with a second date only when the day changes. */
export function formatSpan({ from, to }: TimeWindow): string {
  const start = iso(from);
  const end = iso(to);
  return start.slice(0, 10) === end.slice(0, 10)
    ? `${start.slice(0, 10)} ${start.slice(11, 19)}–${end.slice(11, 19)} UTC`
    : `${timestamp(from)} – ${timestamp(to)}`;
}

function emptyTimelineMessage(range: TimelineRange): string {
  return `No heartbeats in ${RANGE_WORDS[range]}.`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * The figure's caption: the numbers an operator would otherwise have to read off the canvas. It counts samples, not
 * heartbeats: the server keeps only the newest beat of each slot, so a runtime beating faster than that sent more.
 */
export function describeTimeline({ range, slotMs, bucketMs, summary }: Timeline): string {
  if (summary.samples === 0) return emptyTimelineMessage(range);
  const samples = `${plural(summary.samples, "sample")} (the newest beat of each ${slotMs / SECOND} s slot)`;
  const gaps = summary.gaps === 0 ? "no missed beats" : `${plural(summary.gaps, "gap")} with missed beats (longest ${formatDuration(summary.longestGapMs)})`;
  const highest =
    summary.maxErrorRate === null || summary.maxErrorAt === null
      ? ""
      : `; highest error rate ${formatPercent(summary.maxErrorRate)} at ${timestamp(summary.maxErrorAt)}`;
  const plotted = bucketMs === null ? "" : `; each point is a ${formatDuration(bucketMs)} bucket's highest error rate`;
  return `${samples} in ${RANGE_WORDS[range]}; ${gaps}${highest}${plotted}.`;
}

/** The line beside "Reset zoom": the stretch the chart shows and how many samples lie in it; null when not zoomed. */
export function describeZoom({ zoomed, view, beats }: Timeline): string | null {
  if (!zoomed) return null;
  const inView = beats.filter((beat) => beat.at >= view.from && beat.at <= view.to).length;
  return `Zoomed to ${formatSpan(view)}: ${plural(inView, "sample")}.`;
}

/** What the tooltip says about the point under the cursor. */
export type TimelineTooltip = {
  /** The sample's time, or the stretch a bucket or a gap covers, in UTC. */
  time: string;
  errorRate: string;
  /** The status after the sample, or each status a stretch went through. */
  status: string;
  /** How the point stands to the gaps: inside one, next to one, or "none". */
  gap: string;
  /** No sample came at this point, or (bucketed) for part of it. */
  inGap: boolean;
};

/**
 * The tooltip at `at`, the time under the cursor. Bucketed, it describes the bucket holding `at`. Otherwise the
 * nearest sample where the line runs (between samples with no gap, or within `snapMs`, a few pixels' worth, of one);
 * inside a gap the gap itself, and before the first sample just that, so the tooltip never reports a sample from
 * minutes away, perhaps outside a zoomed view. Null with no samples.
 */
export function describeMoment(timeline: Timeline, at: number, snapMs: number): TimelineTooltip | null {
  return timeline.bucketMs === null ? describeSampleOrGap(timeline, at, snapMs) : describeBucket(timeline, timeline.bucketMs, at);
}

function describeSampleOrGap({ beats, gaps, bands, window }: Timeline, at: number, snapMs: number): TimelineTooltip | null {
  const beat = nearestBeat(beats, at);
  const gap = gaps.find((candidate) => candidate.from < at && at < candidate.to);
  if (gap !== undefined && (beat === null || Math.abs(beat.at - at) > snapMs)) {
    const length = formatDuration(gap.to - gap.from);
    return {
      time: formatSpan(gap),
      errorRate: "no sample",
      status: statusesDuring(bands, gap),
      gap: gap.to === window.to ? `no sample for the last ${length}` : `no sample for ${length}`,
      inGap: true,
    };
  }
  if (beat === null) return null;
  if (at < beat.at - snapMs) {
    return {
      time: timestamp(at),
      errorRate: "no sample",
      status: statusesDuring(bands, { from: at, to: at }),
      gap: "none: before the first sample",
      inGap: false,
    };
  }
  const ending = gaps.find((candidate) => candidate.to === beat.at);
  const starting = gaps.find((candidate) => candidate.from === beat.at);
  const notes = [
    ending === undefined ? null : `first sample after a ${formatDuration(ending.to - ending.from)} gap`,
    starting === undefined
      ? null
      : starting.to === window.to
        ? `last sample: none for ${formatDuration(starting.to - starting.from)} since`
        : `last sample before a ${formatDuration(starting.to - starting.from)} gap`,
  ].filter((note) => note !== null);
  return {
    time: timestamp(beat.at),
    errorRate: formatPercent(beat.errorRate),
    status: statusStyle(beat.status).label,
    gap: notes.length === 0 ? "none" : notes.join("; "),
    inGap: false,
  };
}

function describeBucket({ beats, gaps, bands, window }: Timeline, bucketMs: number, at: number): TimelineTooltip {
  // Buckets are aligned to multiples of their width since the epoch (bucketBeats); the first and last are cut to the window.
  const start = Math.floor(at / bucketMs) * bucketMs;
  const span = { from: Math.max(start, window.from), to: Math.min(start + bucketMs, window.to) };
  const rates = beats.filter((beat) => beat.at >= start && beat.at < start + bucketMs).map((beat) => beat.errorRate);
  const missed = gaps.filter((gap) => gap.from < span.to && gap.to > span.from);
  const longest = formatDuration(Math.max(0, ...missed.map((gap) => gap.to - gap.from)));
  const mean = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
  return {
    time: formatSpan(span),
    errorRate:
      rates.length === 0 ? "no sample" : `highest ${formatPercent(Math.max(...rates))}, mean ${formatPercent(mean)} of ${plural(rates.length, "sample")}`,
    status: statusesDuring(bands, span),
    gap: missed.length === 0 ? "none" : rates.length === 0 ? `inside a ${longest} gap` : `partly in a ${longest} gap`,
    inGap: missed.length > 0,
  };
}

/** The sample closest in time to `at` (the earlier one on a tie), by binary search: samples are oldest first. */
function nearestBeat(beats: readonly Beat[], at: number): Beat | null {
  let low = 0;
  let high = beats.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((beats[middle]?.at ?? Number.POSITIVE_INFINITY) < at) low = middle + 1;
    else high = middle;
  }
  const before = beats[low - 1];
  const after = beats[low];
  if (before === undefined || after === undefined) return before ?? after ?? null;
  return at - before.at <= after.at - at ? before : after;
}

/**
 * Each status a stretch went through, in order ("Online → Degraded"), or "unknown" where no band covers it. A moment
 * (from = to) is in the band it falls inside; a stretch does not reach a band that starts where it ends.
 */
function statusesDuring(bands: readonly StatusBand[], span: TimeWindow): string {
  const covers = (band: StatusBand) => (span.from === span.to ? band.from <= span.from && span.from < band.to : band.from < span.to && band.to > span.from);
  const labels = bands.filter(covers).map((band) => statusStyle(band.status).label);
  return labels.length === 0 ? "unknown" : labels.join(" → ");
}
