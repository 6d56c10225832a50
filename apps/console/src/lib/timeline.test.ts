import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  assignLabelRows,
  axisTimeLabel,
  beatsInWindow,
  bucketBeats,
  bucketSizeMs,
  buildTimeline,
  describeTimeline,
  findGaps,
  gapThresholdMs,
  MAX_CHART_POINTS,
  statusBands,
  timelineAnnotations,
  timeWindow,
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
const event = (type: string, at: number, payload: Record<string, unknown> = {}): TimelineEvent => ({ id: nextId++, type, payload, at: iso(at) });
const statusEvent = (type: string, at: number, from: string | null, to: string) => event(type, at, { from, to, reasons: [] });
const markerSet = (at: number, markerId: string) =>
  event("MARKER_SET", at, { marker_id: markerId, kind: "register_failure", reason: "url_validate_failed", detail: "host did not resolve" });
const markerCleared = (at: number, markerId: string) =>
  event("MARKER_CLEARED", at, { marker_id: markerId, kind: "register_failure", by: "operator:alice", clear_reason: "DNS fixed" });

const input = (overrides: Partial<TimelineInput>): TimelineInput => ({
  samples: [],
  events: [],
  now: NOW,
  range: "1h",
  expectedIntervalMs: 30 * SECOND,
  ...overrides,
});

describe("timeWindow", () => {
  it("ends at the page's clock and reaches back one hour or one day", () => {
    assert.deepEqual(timeWindow("1h", NOW), { from: NOW - HOUR, to: NOW });
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
    assert.equal(axisTimeLabel(Date.parse("2026-11-27T14:30:00Z")), "14:30");
    assert.equal(axisTimeLabel(Date.parse("2026-11-27T00:00:00Z")), "Nov 27");
  });
});

describe("buildTimeline", () => {
  it("shows an empty hour as nothing to plot and says so", () => {
    const timeline = buildTimeline(input({}));
    assert.deepEqual(timeline.series, { x: [], errorPercent: [], meanPercent: null });
    assert.deepEqual([timeline.gaps, timeline.bands, timeline.annotations], [[], [], []]);
    assert.deepEqual(timeline.summary, { beats: 0, points: 0, gaps: 0, longestGapMs: 0, maxErrorRate: null, maxErrorAt: null });
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
      beats: 4,
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
    assert.equal(timeline.summary.beats, beats.length);
  });

  it("carries bands and annotations through, and describes the hour in words", () => {
    const samples = [sample(NOW - 5 * MINUTE, 0.1), sample(NOW - 4 * MINUTE + 30 * SECOND, 0.625, "degraded"), sample(NOW - 30 * SECOND, 0)];
    const events = [statusEvent("WORKSPACE_DEGRADED", NOW - 4 * MINUTE + 30 * SECOND, "online", "degraded"), markerSet(NOW - 4 * MINUTE, "m5")];
    const timeline = buildTimeline(input({ samples, events }));
    assert.equal(timeline.bands.length, 3);
    assert.equal(timeline.annotations.length, 1);
    assert.equal(
      describeTimeline(timeline),
      "3 heartbeats in the last hour; 2 gaps with missed beats (longest 3m); highest error rate 62.5% at 2026-11-27 11:56:30 UTC.",
    );
  });

  it("says how the day is bucketed and that no beats were missed", () => {
    const samples = beatsEvery(NOW - 2 * MINUTE, NOW, 30 * SECOND).map((b) => sample(b.at));
    assert.equal(
      describeTimeline(buildTimeline(input({ samples, range: "24h" }))),
      "5 heartbeats in the last 24 hours; no missed beats; highest error rate 0% at 2026-11-27 11:58:00 UTC; " +
        "each point is a 1m bucket's highest error rate.",
    );
  });
});
