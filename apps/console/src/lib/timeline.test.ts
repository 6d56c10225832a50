import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventPayload, EventType, StatusChangeType, WorkspaceStatus } from "@rollcall/registry-core";
import {
  assignLabelRows,
  axisTimeLabel,
  beatsInWindow,
  bucketBeats,
  bucketSizeMs,
  buildTimeline,
  describeMoment,
  describeTimeline,
  describeZoom,
  findGaps,
  formatSpan,
  gapThresholdMs,
  MAX_CHART_POINTS,
  MIN_ZOOM_MS,
  parseTimelineRange,
  plotBucketMs,
  statusBands,
  thresholdLines,
  timelineAnnotations,
  timeWindow,
  zoomedView,
  zoomWindow,
  type TimelineEvent,
  type TimelineInput,
  type TimelineSample,
} from "./timeline.ts";

const NOW = Date.parse("2026-11-27T12:00:00.000Z");
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const HOUR_WINDOW = timeWindow("1h", NOW);
const THRESHOLD = gapThresholdMs(30 * SECOND);

const iso = (ms: number) => new Date(ms).toISOString();
const sample = (at: number, errorRate = 0, status = "online"): TimelineSample => ({ at: iso(at), error_rate: errorRate, status });
const beat = (at: number, errorRate = 0, status = "online") => ({ at, errorRate, status });
/** Beats every `everyMs` from `from` up to and including `to`. */
const beatsEvery = (from: number, to: number, everyMs: number, status = "online") =>
  Array.from({ length: Math.floor((to - from) / everyMs) + 1 }, (_, i) => beat(from + i * everyMs, 0, status));

let nextId = 1;
/** An event as the contract types it: a fixture missing a field fails to compile instead of being left off the chart. */
const event = <T extends EventType>(type: T, at: number, payload: EventPayload<T>): TimelineEvent => ({ id: nextId++, type, payload, at: iso(at) });
const statusEvent = (type: StatusChangeType, at: number, from: WorkspaceStatus, to: WorkspaceStatus) => event(type, at, { from, to, reasons: [] });
const markerSet = (at: number, markerId: string) =>
  event("MARKER_SET", at, {
    marker_id: markerId,
    kind: "register_failure",
    reason: "url_validate_failed",
    detail: "host did not resolve",
    expires_at: iso(at + HOUR),
  });
const markerCleared = (at: number, markerId: string) =>
  event("MARKER_CLEARED", at, {
    marker_id: markerId,
    kind: "register_failure",
    reason: "url_validate_failed",
    by: "operator:alice",
    clear_reason: "DNS fixed",
  });

const SLOT = 15 * SECOND;
/** The server's default policy (packages/registry-core status/policy.ts), as listHeartbeats returns it. */
const THRESHOLDS = { degrade_error_rate: 0.5, recover_error_rate: 0.1 };

const input = (overrides: Partial<TimelineInput>): TimelineInput => ({
  samples: [],
  events: [],
  now: NOW,
  range: "1h",
  expectedIntervalMs: 30 * SECOND,
  slotMs: SLOT,
  thresholds: THRESHOLDS,
  zoom: null,
  ...overrides,
});

describe("parseTimelineRange", () => {
  it("reads each range the switcher offers", () => {
    for (const range of ["15m", "1h", "6h", "24h"]) assert.equal(parseTimelineRange(range), range);
  });

  it("falls back to the last hour for a missing, empty, misspelt or unsupported value instead of failing", () => {
    for (const value of [undefined, null, "", "6H", "7d", " 6h", "24h; drop table"]) assert.equal(parseTimelineRange(value), "1h", String(value));
  });

  it("reads a repeated parameter by its first value", () => {
    assert.equal(parseTimelineRange(["6h", "15m"]), "6h");
    assert.equal(parseTimelineRange(["bogus", "6h"]), "1h");
    assert.equal(parseTimelineRange([]), "1h");
  });
});

describe("timeWindow", () => {
  it("ends at the page's clock and reaches back the range", () => {
    assert.deepEqual(timeWindow("15m", NOW), { from: NOW - 15 * MINUTE, to: NOW });
    assert.deepEqual(timeWindow("1h", NOW), { from: NOW - HOUR, to: NOW });
    assert.deepEqual(timeWindow("6h", NOW), { from: NOW - 6 * HOUR, to: NOW });
    assert.deepEqual(timeWindow("24h", NOW), { from: NOW - 24 * HOUR, to: NOW });
  });
});

describe("beatsInWindow", () => {
  it("keeps samples from the window's first millisecond to now, oldest first", () => {
    const beats = beatsInWindow([sample(NOW - 10 * SECOND, 0.2), sample(NOW - HOUR), sample(NOW - HOUR - 1), sample(NOW + 1)], HOUR_WINDOW);
    assert.deepEqual(
      beats.map((b) => b.at),
      [NOW - HOUR, NOW - 10 * SECOND],
    );
  });

  it("drops samples without a readable time", () => {
    assert.deepEqual(
      beatsInWindow(
        [
          { at: null, error_rate: 0, status: "online" },
          { at: "soon", error_rate: 0, status: "online" },
        ],
        HOUR_WINDOW,
      ),
      [],
    );
  });
});

describe("findGaps", () => {
  it("reads 1.5 expected intervals of silence as a gap: 45 s for 30 s beats", () => {
    assert.equal(THRESHOLD, 45 * SECOND);
    const start = NOW - 10 * MINUTE;
    const window = { from: start - MINUTE, to: start + 2 * MINUTE };
    assert.deepEqual(findGaps([beat(start), beat(start + 44_999), beat(start + 89_998)], { ...window, to: start + 89_998 }, THRESHOLD), []);
    assert.deepEqual(findGaps([beat(start), beat(start + 45_000)], { ...window, to: start + 45_000 }, THRESHOLD), [{ from: start, to: start + 45_000 }]);
  });

  it("catches one missed beat even when jitter made it the shortest possible (54 s), but not a late beat (33 s)", () => {
    const start = NOW - 5 * MINUTE;
    const beats = [beat(start), beat(start + 33 * SECOND), beat(start + 87 * SECOND)];
    assert.deepEqual(findGaps(beats, { from: start, to: start + 87 * SECOND }, THRESHOLD), [{ from: start + 33 * SECOND, to: start + 87 * SECOND }]);
  });

  it("counts the silence from the last beat to now, but not the stretch before the first beat", () => {
    const beats = beatsEvery(NOW - 30 * MINUTE, NOW - 10 * MINUTE, 30 * SECOND);
    assert.deepEqual(findGaps(beats, HOUR_WINDOW, THRESHOLD), [{ from: NOW - 10 * MINUTE, to: NOW }]);
  });

  it("scales with the expected interval", () => {
    const beats = [beat(NOW - 80 * SECOND), beat(NOW)];
    assert.equal(findGaps(beats, HOUR_WINDOW, gapThresholdMs(60 * SECOND)).length, 0);
    assert.equal(findGaps(beats, HOUR_WINDOW, THRESHOLD).length, 1);
  });

  it("finds nothing without beats", () => {
    assert.deepEqual(findGaps([], HOUR_WINDOW, THRESHOLD), []);
  });
});

describe("bucketSizeMs", () => {
  it("uses 1-minute buckets for a day of 30 s beats, within the point budget", () => {
    assert.equal(bucketSizeMs(24 * HOUR, THRESHOLD), MINUTE);
    assert.ok((24 * HOUR) / MINUTE + 1 <= MAX_CHART_POINTS);
  });

  it("widens buckets so an empty one always means a missed beat", () => {
    assert.equal(bucketSizeMs(24 * HOUR, gapThresholdMs(2 * MINUTE)), 5 * MINUTE);
  });

  it("widens buckets to stay within the point budget for a longer span", () => {
    const week = 7 * 24 * HOUR;
    const size = bucketSizeMs(week, THRESHOLD);
    assert.equal(size, 10 * MINUTE);
    assert.ok(week / size <= MAX_CHART_POINTS);
  });
});

describe("plotBucketMs", () => {
  const view = (span: number) => ({ from: NOW - span, to: NOW });

  it("plots every 15 s sample up to 6 h and buckets a day by the minute", () => {
    for (const range of ["15m", "1h", "6h"] as const) assert.equal(plotBucketMs(timeWindow(range, NOW), SLOT, THRESHOLD), null, range);
    assert.equal(plotBucketMs(timeWindow("24h", NOW), SLOT, THRESHOLD), MINUTE);
  });

  it("goes by the view, so a zoom into a day plots the samples themselves", () => {
    assert.equal(plotBucketMs(view(2 * HOUR), SLOT, THRESHOLD), null);
    assert.equal(plotBucketMs(view(MAX_CHART_POINTS * SLOT), SLOT, THRESHOLD), null);
    assert.equal(plotBucketMs(view(MAX_CHART_POINTS * SLOT + 1), SLOT, THRESHOLD), MINUTE);
  });

  it("follows the server's slot: wider slots leave room for a wider view", () => {
    assert.equal(plotBucketMs(timeWindow("24h", NOW), MINUTE, THRESHOLD), null);
  });
});

describe("zoomWindow", () => {
  it("takes a drag's two ends in either order, in whole milliseconds", () => {
    const zoom = { from: NOW - 40 * MINUTE, to: NOW - 20 * MINUTE };
    assert.deepEqual(zoomWindow(zoom.from + 0.4, zoom.to - 0.2, HOUR_WINDOW), zoom);
    assert.deepEqual(zoomWindow(zoom.to, zoom.from, HOUR_WINDOW), zoom);
  });

  it("cuts a drag that ran past the chart's edges to the window", () => {
    assert.deepEqual(zoomWindow(NOW - 2 * HOUR, NOW - 30 * MINUTE, HOUR_WINDOW), { from: NOW - HOUR, to: NOW - 30 * MINUTE });
    assert.deepEqual(zoomWindow(NOW - 10 * MINUTE, NOW + HOUR, HOUR_WINDOW), { from: NOW - 10 * MINUTE, to: NOW });
  });

  it("widens a drag shorter than a minute about its middle, and keeps it inside the window near an edge", () => {
    assert.equal(MIN_ZOOM_MS, MINUTE);
    assert.deepEqual(zoomWindow(NOW - 30 * MINUTE, NOW - 30 * MINUTE + 10 * SECOND, HOUR_WINDOW), {
      from: NOW - 30 * MINUTE - 25 * SECOND,
      to: NOW - 30 * MINUTE + 35 * SECOND,
    });
    assert.deepEqual(zoomWindow(NOW - 5 * SECOND, NOW, HOUR_WINDOW), { from: NOW - MINUTE, to: NOW });
  });
});

describe("zoomedView", () => {
  const zoom = { from: NOW - 40 * MINUTE, to: NOW - 20 * MINUTE };

  it("is the zoom while it lies inside the window, and nothing without one", () => {
    assert.deepEqual(zoomedView(HOUR_WINDOW, zoom), zoom);
    assert.equal(zoomedView(HOUR_WINDOW, null), null);
  });

  it("keeps the chosen moments as the window slides on, cut at its start, and ends once they slid out", () => {
    assert.deepEqual(zoomedView(timeWindow("1h", NOW + 30 * MINUTE), zoom), { from: NOW - 30 * MINUTE, to: NOW - 20 * MINUTE });
    assert.equal(zoomedView(timeWindow("1h", NOW + 40 * MINUTE), zoom), null);
  });
});

describe("bucketBeats", () => {
  const window = { from: NOW - 3 * MINUTE - 20 * SECOND, to: NOW };

  it("aligns buckets to whole minutes and covers the window with empty ones included", () => {
    const buckets = bucketBeats([], window, MINUTE);
    assert.deepEqual(
      buckets.map((b) => b.start),
      [NOW - 4 * MINUTE, NOW - 3 * MINUTE, NOW - 2 * MINUTE, NOW - MINUTE, NOW],
    );
    assert.ok(buckets.every((b) => b.count === 0 && b.maxErrorRate === null && b.meanErrorRate === null));
  });

  it("puts a beat on a boundary in the bucket it starts, and one a millisecond earlier in the bucket before", () => {
    const buckets = bucketBeats([beat(NOW - 2 * MINUTE - 1, 0.4), beat(NOW - 2 * MINUTE, 0.1)], window, MINUTE);
    assert.deepEqual(
      buckets.map((b) => b.count),
      [0, 1, 1, 0, 0],
    );
    assert.equal(buckets[1]?.maxErrorRate, 0.4);
    assert.equal(buckets[2]?.maxErrorRate, 0.1);
  });

  it("reports the highest and the mean error rate of the beats in a bucket", () => {
    const [bucket] = bucketBeats([beat(NOW - 50 * SECOND, 0.1), beat(NOW - 20 * SECOND, 0.5)], { from: NOW - MINUTE, to: NOW - SECOND }, MINUTE);
    assert.equal(bucket?.count, 2);
    assert.equal(bucket?.maxErrorRate, 0.5);
    assert.ok(Math.abs((bucket?.meanErrorRate ?? 0) - 0.3) < 1e-12);
  });
});

describe("statusBands", () => {
  it("follows the samples when there are no events, and runs the last band to now", () => {
    const beats = [beat(NOW - 90 * SECOND), beat(NOW - 60 * SECOND), beat(NOW - 30 * SECOND, 0.6, "degraded")];
    assert.deepEqual(statusBands(beats, [], HOUR_WINDOW), [
      { from: NOW - 90 * SECOND, to: NOW - 30 * SECOND, status: "online" },
      { from: NOW - 30 * SECOND, to: NOW, status: "degraded" },
    ]);
  });

  it("puts a band edge at the status event's time, not at the next sample", () => {
    const beats = [beat(NOW - 90 * SECOND), beat(NOW - 60 * SECOND), beat(NOW - 30 * SECOND, 0.6, "degraded")];
    const events = [statusEvent("WORKSPACE_DEGRADED", NOW - 45 * SECOND, "online", "degraded")];
    assert.deepEqual(statusBands(beats, events, HOUR_WINDOW), [
      { from: NOW - 90 * SECOND, to: NOW - 45 * SECOND, status: "online" },
      { from: NOW - 45 * SECOND, to: NOW, status: "degraded" },
    ]);
  });

  it("shows an offline stretch the sweeper recorded while no samples arrived", () => {
    const beats = [beat(NOW - 20 * MINUTE), beat(NOW - 5 * MINUTE)];
    const events = [
      statusEvent("WORKSPACE_OFFLINE", NOW - 20 * MINUTE + 90 * SECOND, "online", "offline"),
      statusEvent("WORKSPACE_ONLINE", NOW - 5 * MINUTE, "offline", "online"),
    ];
    assert.deepEqual(statusBands(beats, events, HOUR_WINDOW), [
      { from: NOW - 20 * MINUTE, to: NOW - 20 * MINUTE + 90 * SECOND, status: "online" },
      { from: NOW - 20 * MINUTE + 90 * SECOND, to: NOW - 5 * MINUTE, status: "offline" },
      { from: NOW - 5 * MINUTE, to: NOW, status: "online" },
    ]);
  });

  it("starts at the window's edge with the status of the last event before it", () => {
    const events = [statusEvent("WORKSPACE_DEGRADED", NOW - 2 * HOUR, "online", "degraded")];
    assert.deepEqual(statusBands([beat(NOW - 10 * MINUTE, 0.7, "degraded")], events, HOUR_WINDOW), [{ from: NOW - HOUR, to: NOW, status: "degraded" }]);
  });

  it("fills the stretch before the first event in the window from that event's `from`", () => {
    const events = [statusEvent("WORKSPACE_OFFLINE", NOW - 30 * MINUTE, "online", "offline")];
    assert.deepEqual(statusBands([], events, HOUR_WINDOW), [
      { from: NOW - HOUR, to: NOW - 30 * MINUTE, status: "online" },
      { from: NOW - 30 * MINUTE, to: NOW, status: "offline" },
    ]);
  });

  it("leaves the stretch before the first sample blank when nothing says what it was", () => {
    assert.deepEqual(statusBands([beat(NOW - 10 * MINUTE)], [], HOUR_WINDOW), [{ from: NOW - 10 * MINUTE, to: NOW, status: "online" }]);
  });

  it("lets an event win over a sample at the same moment, and a later sample win over an older event", () => {
    const at = NOW - 10 * MINUTE;
    const events = [statusEvent("WORKSPACE_DEGRADED", at, "online", "degraded")];
    assert.deepEqual(statusBands([beat(at, 0, "online"), beat(NOW - 5 * MINUTE, 0, "online")], events, HOUR_WINDOW), [
      { from: at, to: NOW - 5 * MINUTE, status: "degraded" },
      { from: NOW - 5 * MINUTE, to: NOW, status: "online" },
    ]);
  });

  it("does not split a band for a change of reasons alone, a marker, or an event after now", () => {
    const events = [
      event("WORKSPACE_REASONS_CHANGED", NOW - 20 * MINUTE, { from: "degraded", to: "degraded", reasons: ["error_rate"] }),
      markerSet(NOW - 15 * MINUTE, "m1"),
      statusEvent("WORKSPACE_ONLINE", NOW + SECOND, "degraded", "online"),
    ];
    assert.deepEqual(statusBands([beat(NOW - 30 * MINUTE, 0.6, "degraded")], events, HOUR_WINDOW), [{ from: NOW - 30 * MINUTE, to: NOW, status: "degraded" }]);
  });

  it("has no bands without samples or status events", () => {
    assert.deepEqual(statusBands([], [], HOUR_WINDOW), []);
  });
});

describe("timelineAnnotations", () => {
  it("annotates marker set, a repeated register failure and the clear, oldest first whatever the input order", () => {
    const set = markerSet(NOW - 20 * MINUTE, "m1");
    const again = markerSet(NOW - 18 * MINUTE, "m1");
    const cleared = markerCleared(NOW - 10 * MINUTE, "m1");
    const annotations = timelineAnnotations([cleared, statusEvent("WORKSPACE_DEGRADED", NOW - 20 * MINUTE, "online", "degraded"), again, set], HOUR_WINDOW);
    assert.deepEqual(
      annotations.map((a) => [a.id, a.at, a.kind, a.label]),
      [
        [set.id, NOW - 20 * MINUTE, "marker_set", "Marker set"],
        [again.id, NOW - 18 * MINUTE, "register_failure", "Register failed"],
        [cleared.id, NOW - 10 * MINUTE, "marker_cleared", "Marker cleared"],
      ],
    );
  });

  it("says what was set, why the register failed and who cleared the marker and why", () => {
    const texts = timelineAnnotations(
      [markerSet(NOW - 3 * MINUTE, "m2"), markerSet(NOW - 2 * MINUTE, "m2"), markerCleared(NOW - MINUTE, "m2")],
      HOUR_WINDOW,
    ).map((a) => a.text);
    assert.deepEqual(texts, [
      "Marker set: Register failure (url_validate_failed) — host did not resolve",
      "Register failed again (url_validate_failed) — host did not resolve — marker window restarted",
      "Marker cleared by operator:alice — DNS fixed",
    ]);
  });

  it("reads events before the window to tell a repeated failure from a new marker, but draws only those inside it", () => {
    const annotations = timelineAnnotations([markerSet(NOW - 2 * HOUR, "m3"), markerSet(NOW - 30 * MINUTE, "m3"), markerSet(NOW + SECOND, "m4")], HOUR_WINDOW);
    assert.deepEqual(
      annotations.map((a) => a.kind),
      ["register_failure"],
    );
  });

  it("has nothing to annotate without events", () => {
    assert.deepEqual(timelineAnnotations([], HOUR_WINDOW), []);
  });
});

describe("assignLabelRows", () => {
  it("keeps labels that fit in the first row and stacks one that would overlap", () => {
    assert.deepEqual(
      assignLabelRows(
        [
          { x: 0, width: 50 },
          { x: 60, width: 50 },
          { x: 80, width: 50 },
        ],
        2,
        4,
      ),
      [0, 0, 1],
    );
  });

  it("gives no row to a label with no room left", () => {
    assert.deepEqual(
      assignLabelRows(
        [
          { x: 0, width: 50 },
          { x: 10, width: 50 },
          { x: 20, width: 50 },
        ],
        2,
        4,
      ),
      [0, 1, null],
    );
  });
});

describe("axisTimeLabel", () => {
  it("labels ticks with the UTC time, and midnight with the date", () => {
    assert.equal(axisTimeLabel(Date.parse("2026-11-27T14:30:00Z"), 10 * MINUTE), "14:30");
    assert.equal(axisTimeLabel(Date.parse("2026-11-27T00:00:00Z"), HOUR), "Nov 27");
  });

  it("adds seconds once a zoom puts ticks less than a minute apart", () => {
    assert.equal(axisTimeLabel(Date.parse("2026-11-27T14:30:15Z"), 15 * SECOND), "14:30:15");
    assert.equal(axisTimeLabel(Date.parse("2026-11-27T00:00:00Z"), 15 * SECOND), "Nov 27");
  });
});

describe("formatSpan", () => {
  it("writes a stretch within one day with one date, and one across midnight with both", () => {
    assert.equal(formatSpan({ from: NOW - 90 * SECOND, to: NOW }), "2026-11-27 11:58:30–12:00:00 UTC");
    const midnight = Date.parse("2026-11-28T00:00:00Z");
    assert.equal(formatSpan({ from: midnight - MINUTE, to: midnight + MINUTE }), "2026-11-27 23:59:00 UTC – 2026-11-28 00:01:00 UTC");
  });
});

describe("thresholdLines", () => {
  it("draws the server's degrade and recover rates and says which side of each line counts", () => {
    assert.deepEqual(thresholdLines(THRESHOLDS), [
      { kind: "degrade", percent: 50, tone: "amber", label: "Degrade 50%", text: "Degrade threshold: 50% or more" },
      { kind: "recover", percent: 10, tone: "emerald", label: "Recover 10%", text: "Recover threshold: below 10%" },
    ]);
  });

  it("follows whatever the server's policy says", () => {
    assert.deepEqual(
      thresholdLines({ degrade_error_rate: 0.35, recover_error_rate: 0.025 }).map((line) => [line.percent, line.label]),
      [
        [35, "Degrade 35%"],
        [2.5, "Recover 2.5%"],
      ],
    );
  });
});

describe("buildTimeline", () => {
  it("shows an empty hour as nothing to plot and says so", () => {
    const timeline = buildTimeline(input({}));
    assert.deepEqual(timeline.series, { x: [], errorPercent: [], meanPercent: null });
    assert.deepEqual([timeline.gaps, timeline.bands, timeline.annotations], [[], [], []]);
    assert.deepEqual(timeline.summary, { samples: 0, points: 0, gaps: 0, longestGapMs: 0, maxErrorRate: null, maxErrorAt: null });
    assert.equal(describeTimeline(timeline), "No heartbeats in the last hour.");
    assert.equal(describeTimeline(buildTimeline(input({ range: "24h" }))), "No heartbeats in the last 24 hours.");
  });

  it("plots each beat of the hour in percent and breaks the line inside a missed-beat gap", () => {
    const samples = [sample(NOW - 150 * SECOND, 0.1), sample(NOW - 120 * SECOND, 0.25), sample(NOW - 30 * SECOND, 0.5), sample(NOW, 0)];
    const timeline = buildTimeline(input({ samples }));
    assert.deepEqual(timeline.series.x, [NOW - 150 * SECOND, NOW - 120 * SECOND, NOW - 75 * SECOND, NOW - 30 * SECOND, NOW]);
    assert.deepEqual(timeline.series.errorPercent, [10, 25, null, 50, 0]);
    assert.equal(timeline.bucketMs, null);
    assert.deepEqual(timeline.summary, {
      samples: 4,
      points: 4,
      gaps: 1,
      longestGapMs: 90 * SECOND,
      maxErrorRate: 0.5,
      maxErrorAt: NOW - 30 * SECOND,
    });
  });

  it("buckets a day of beats by the minute: at most the point budget, highest and mean rate, breaks where beats stopped", () => {
    const beats = [...beatsEvery(NOW - 24 * HOUR, NOW - 12 * HOUR, 30 * SECOND), ...beatsEvery(NOW - 11 * HOUR, NOW - 20 * SECOND, 30 * SECOND)];
    const samples = beats.map((b, i) => sample(b.at, i % 2 === 0 ? 0.2 : 0.4));
    const timeline = buildTimeline(input({ samples, range: "24h" }));
    const { x, errorPercent, meanPercent } = timeline.series;

    assert.equal(timeline.bucketMs, MINUTE);
    assert.ok(x.length <= MAX_CHART_POINTS);
    assert.equal(x[0], NOW - 24 * HOUR);
    assert.equal(errorPercent[0], 40);
    assert.ok(Math.abs((meanPercent?.[0] ?? 0) - 30) < 1e-9);
    assert.deepEqual(timeline.gaps, [{ from: NOW - 12 * HOUR, to: NOW - 11 * HOUR }]);
    // Every break in the line lies inside the one gap: an empty bucket never falls between on-time beats.
    const first = errorPercent.findIndex((value) => value !== null);
    const last = errorPercent.findLastIndex((value) => value !== null);
    const breaks = x.filter((_, i) => i > first && i < last && errorPercent[i] === null);
    assert.equal(breaks.length, 59);
    assert.ok(breaks.every((at) => at > NOW - 12 * HOUR && at < NOW - 11 * HOUR));
    // 721 minutes up to 12 h ago and 660 from 11 h ago to a minute ago hold beats.
    assert.equal(timeline.summary.points, 721 + 660);
    assert.equal(timeline.summary.samples, beats.length);
  });

  it("carries bands and annotations through, and describes the hour in words", () => {
    const samples = [sample(NOW - 5 * MINUTE, 0.1), sample(NOW - 4 * MINUTE + 30 * SECOND, 0.625, "degraded"), sample(NOW - 30 * SECOND, 0)];
    const events = [statusEvent("WORKSPACE_DEGRADED", NOW - 4 * MINUTE + 30 * SECOND, "online", "degraded"), markerSet(NOW - 4 * MINUTE, "m5")];
    const timeline = buildTimeline(input({ samples, events }));
    assert.equal(timeline.bands.length, 3);
    assert.equal(timeline.annotations.length, 1);
    assert.equal(
      describeTimeline(timeline),
      "3 samples (the newest beat of each 15 s slot) in the last hour; 2 gaps with missed beats (longest 3m); " +
        "highest error rate 62.5% at 2026-11-27 11:56:30 UTC.",
    );
  });

  it("says how the day is bucketed and that no beats were missed", () => {
    const samples = beatsEvery(NOW - 2 * MINUTE, NOW, 30 * SECOND).map((b) => sample(b.at));
    assert.equal(
      describeTimeline(buildTimeline(input({ samples, range: "24h" }))),
      "5 samples (the newest beat of each 15 s slot) in the last 24 hours; no missed beats; highest error rate 0% at 2026-11-27 11:58:00 UTC; " +
        "each point is a 1m bucket's highest error rate.",
    );
  });
});

describe("buildTimeline with a zoom", () => {
  const samples = beatsEvery(NOW - 3 * HOUR, NOW, 30 * SECOND).map((b) => sample(b.at));
  const zoom = { from: NOW - 2 * HOUR, to: NOW - HOUR };

  it("shows the zoomed stretch of a day sample by sample, with the line running on past its edges", () => {
    const timeline = buildTimeline(input({ samples, range: "24h", zoom }));
    assert.deepEqual(timeline.view, zoom);
    assert.equal(timeline.zoomed, true);
    assert.equal(timeline.bucketMs, null);
    assert.ok((timeline.series.x[0] ?? NOW) < zoom.from && (timeline.series.x.at(-1) ?? 0) > zoom.to);
    assert.equal(describeZoom(timeline), "Zoomed to 2026-11-27 10:00:00–11:00:00 UTC: 121 samples.");
  });

  it("keeps the caption about the whole range", () => {
    const zoomed = buildTimeline(input({ samples, range: "6h", zoom }));
    assert.equal(describeTimeline(zoomed), describeTimeline(buildTimeline(input({ samples, range: "6h" }))));
  });

  it("shows the whole window, and says nothing of a zoom, once the window has slid past it", () => {
    const timeline = buildTimeline(input({ samples, zoom: { from: NOW - 3 * HOUR, to: NOW - 2 * HOUR } }));
    assert.deepEqual([timeline.view, timeline.zoomed], [HOUR_WINDOW, false]);
    assert.equal(describeZoom(timeline), null);
  });

  it("names the server's slot in the caption", () => {
    const caption = describeTimeline(buildTimeline(input({ samples: [sample(NOW - MINUTE)], slotMs: 10 * SECOND })));
    assert.match(caption, /^1 sample \(the newest beat of each 10 s slot\) in the last hour;/);
  });
});

describe("describeMoment", () => {
  // Online, a 4.5-minute silence that took it offline, two degraded samples, then silence up to now.
  const samples = [
    sample(NOW - 10 * MINUTE, 0.1),
    sample(NOW - 9 * MINUTE - 30 * SECOND, 0.2),
    sample(NOW - 5 * MINUTE, 0.625, "degraded"),
    sample(NOW - 4 * MINUTE - 30 * SECOND, 0.3, "degraded"),
  ];
  const events = [statusEvent("WORKSPACE_OFFLINE", NOW - 8 * MINUTE, "online", "offline")];
  const timeline = buildTimeline(input({ samples, events }));
  const SNAP = 8 * SECOND;

  it("reports the nearest sample's time, error rate and status", () => {
    assert.deepEqual(describeMoment(timeline, NOW - 10 * MINUTE + 2 * SECOND, SNAP), {
      time: "2026-11-27 11:50:00 UTC",
      errorRate: "10%",
      status: "Online",
      gap: "none",
      inGap: false,
    });
  });

  it("says when the sample is the last before a gap or the first after one", () => {
    assert.equal(describeMoment(timeline, NOW - 9 * MINUTE - 30 * SECOND, SNAP)?.gap, "last sample before a 4m gap");
    const after = describeMoment(timeline, NOW - 5 * MINUTE, SNAP);
    assert.deepEqual([after?.errorRate, after?.status, after?.gap], ["62.5%", "Degraded", "first sample after a 4m gap"]);
    assert.equal(describeMoment(timeline, NOW - 4 * MINUTE - 30 * SECOND, SNAP)?.gap, "last sample: none for 4m since");
  });

  it("describes the gap itself over a hatched stretch, with every status it went through", () => {
    assert.deepEqual(describeMoment(timeline, NOW - 7 * MINUTE, SNAP), {
      time: "2026-11-27 11:50:30–11:55:00 UTC",
      errorRate: "no sample",
      status: "Online → Offline",
      gap: "no sample for 4m",
      inGap: true,
    });
    assert.equal(describeMoment(timeline, NOW - MINUTE, SNAP)?.gap, "no sample for the last 4m");
  });

  it("still reports a sample within the snap distance of a gap's edge", () => {
    assert.equal(describeMoment(timeline, NOW - 9 * MINUTE - 25 * SECOND, SNAP)?.errorRate, "20%");
    assert.equal(describeMoment(timeline, NOW - 9 * MINUTE - 25 * SECOND, 4 * SECOND)?.errorRate, "no sample");
  });

  it("says there is no sample yet before the first one, rather than report it from minutes away", () => {
    assert.deepEqual(describeMoment(timeline, NOW - 30 * MINUTE, SNAP), {
      time: "2026-11-27 11:30:00 UTC",
      errorRate: "no sample",
      status: "unknown",
      gap: "none: before the first sample",
      inGap: false,
    });
    assert.equal(describeMoment(timeline, NOW - 10 * MINUTE - 5 * SECOND, SNAP)?.errorRate, "10%");
  });

  it("has nothing to say without samples", () => {
    assert.equal(describeMoment(buildTimeline(input({})), NOW - MINUTE, SNAP), null);
  });

  it("describes a bucket by its highest and mean error rate, and whether it lies in a gap", () => {
    const start = NOW - 2 * HOUR;
    const day = buildTimeline(
      input({ range: "24h", samples: [sample(start + 10 * SECOND, 0.2), sample(start + 40 * SECOND, 0.6), sample(start + 5 * MINUTE, 0)] }),
    );
    assert.deepEqual(describeMoment(day, start + 30 * SECOND, SNAP), {
      time: "2026-11-27 10:00:00–10:01:00 UTC",
      errorRate: "highest 60%, mean 40% of 2 samples",
      status: "Online",
      gap: "partly in a 4m gap",
      inGap: true,
    });
    const empty = describeMoment(day, start + 2 * MINUTE + 30 * SECOND, SNAP);
    assert.deepEqual([empty?.errorRate, empty?.gap, empty?.inGap], ["no sample", "inside a 4m gap", true]);
  });
});
