import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeOverview, stackCounts, withCurrentCounts, type OverviewBucket } from "./overview.ts";

const bucket = (at: string, counts: OverviewBucket["counts"]): OverviewBucket => ({ at, counts });

describe("stackCounts", () => {
  it("stacks the statuses present, healthy at the bottom, each layer's top the sum of it and those below", () => {
    const stacked = stackCounts([
      bucket("2026-12-01T10:00:00.000Z", { offline: 1, online: 3, degraded: 0, removed: 9 }),
      bucket("2026-12-01T10:15:00.000Z", { offline: 2, online: 2, degraded: 1, removed: 9 }),
    ]);
    assert.deepEqual(stacked.x, [Date.parse("2026-12-01T10:00:00.000Z"), Date.parse("2026-12-01T10:15:00.000Z")]);
    assert.deepEqual(stacked.layers, [
      { status: "online", counts: [3, 2], tops: [3, 2] },
      { status: "degraded", counts: [0, 1], tops: [3, 3] },
      { status: "offline", counts: [1, 2], tops: [4, 5] },
    ]);
  });

  it("leaves out removed workspaces and stacks a status it does not know on top instead of dropping it", () => {
    const stacked = stackCounts([bucket("2026-12-01T10:00:00.000Z", { online: 1, hibernating: 2, removed: 4 })]);
    assert.deepEqual(
      stacked.layers.map((layer) => [layer.status, layer.tops[0]]),
      [
        ["online", 1],
        ["hibernating", 3],
      ],
    );
  });

  it("draws nothing for an empty window", () => {
    assert.deepEqual(stackCounts([]), { x: [], layers: [] });
  });
});

describe("describeOverview", () => {
  it("says the fleet's worst moment and its busiest minute", () => {
    assert.equal(
      describeOverview({
        now: "2026-12-01T10:31:00.000Z",
        buckets: [
          bucket("2026-12-01T10:00:00.000Z", { online: 5, offline: 0 }),
          bucket("2026-12-01T10:15:00.000Z", { online: 1, unknown: 3, offline: 1 }),
          bucket("2026-12-01T10:30:00.000Z", { online: 4, degraded: 1, offline: 1, removed: 2 }),
        ],
        transitions_per_minute: [
          { at: "2026-12-01T10:14:00.000Z", count: 4 },
          { at: "2026-12-01T10:15:00.000Z", count: 1 },
          { at: "2026-12-01T10:29:00.000Z", count: 4 },
        ],
      }),
      "At worst 4 were offline, failed or unknown at once, at 2026-12-01 10:15:00 UTC. " +
        "9 status changes; the busiest minute, 2026-12-01 10:14:00 UTC, had 4.",
    );
  });

  it("says a quiet fleet is quiet, and an empty window too", () => {
    assert.equal(
      describeOverview({
        now: "2026-12-01T10:31:00.000Z",
        buckets: [bucket("2026-12-01T10:30:00.000Z", { online: 1 })],
        transitions_per_minute: [{ at: "2026-12-01T10:29:00.000Z", count: 0 }],
      }),
      "None offline, failed or unknown in the last 24 hours. No status changes.",
    );
    assert.equal(
      describeOverview({ now: "2026-12-01T10:31:00.000Z", buckets: [], transitions_per_minute: [] }),
      "None offline, failed or unknown in the last 24 hours. No status changes.",
    );
  });

  it("speaks of one workspace and one change in the singular", () => {
    assert.match(
      describeOverview({
        now: "2026-12-01T10:31:00.000Z",
        buckets: [bucket("2026-12-01T10:30:00.000Z", { failed: 1 })],
        transitions_per_minute: [{ at: "2026-12-01T10:29:00.000Z", count: 1 }],
      }),
      /At worst 1 was offline, failed or unknown at once.*1 status change;/,
    );
  });
});

describe("withCurrentCounts", () => {
  const overview = {
    now: "2026-12-01T10:31:00.000Z",
    buckets: [bucket("2026-12-01T10:30:00.000Z", { online: 20 })],
    transitions_per_minute: [{ at: "2026-12-01T10:31:00.000Z", count: 14 }],
  };

  it("ends the chart at the fleet's counts now, so the last minutes of a 15-minute bucket are not missed", () => {
    const current = { at: "2026-12-01T10:31:30.000Z", counts: { online: 6, unknown: 14 } };
    const extended = withCurrentCounts(overview, current);
    assert.deepEqual(extended.buckets.at(-1), bucket(current.at, current.counts));
    assert.match(describeOverview(extended), /^At worst 14 were offline, failed or unknown at once, at 2026-12-01 10:31:30 UTC\./);
  });

  it("ignores counts no newer than the last bucket, and their absence", () => {
    assert.equal(withCurrentCounts(overview, { at: "2026-12-01T10:30:00.000Z", counts: { online: 1 } }), overview);
    assert.equal(withCurrentCounts(overview, null), overview);
  });
});
