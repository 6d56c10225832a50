import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clearOutcome, expiresIn, formatCountdown, isClearReasonValid, isMarkerActiveAt, splitMarkers } from "./markers.ts";

const NOW = Date.parse("2025-06-01T12:00:00Z");
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

function marker(id: string, fields: { active?: boolean; set?: number; expires?: number; cleared?: number | null }) {
  return {
    id,
    active: fields.active ?? true,
    set_at: iso(fields.set ?? -60_000),
    expires_at: iso(fields.expires ?? 600_000),
    cleared_at: fields.cleared == null ? null : iso(fields.cleared),
  };
}

describe("isMarkerActiveAt", () => {
  it("counts a marker the server called active until its window runs out on the page's clock", () => {
    const expiring = marker("a", { expires: 5_000 });
    assert.equal(isMarkerActiveAt(expiring, NOW), true);
    assert.equal(isMarkerActiveAt(expiring, NOW + 4_999), true);
    assert.equal(isMarkerActiveAt(expiring, NOW + 5_000), false, "expiry is strict, as in the registry");
  });

  it("never revives a marker the server called inactive, or one that was cleared", () => {
    assert.equal(isMarkerActiveAt(marker("a", { active: false }), NOW), false);
    assert.equal(isMarkerActiveAt(marker("b", { cleared: -1_000 }), NOW), false);
  });
});

describe("splitMarkers", () => {
  it("lists active markers newest first and past ones by when they ended, latest first", () => {
    const markers = [
      marker("old-active", { set: -300_000 }),
      marker("cleared-long-ago", { active: false, set: -7_200_000, expires: -3_600_000, cleared: -5_000_000 }),
      marker("new-active", { set: -10_000 }),
      marker("expired-recently", { active: false, set: -700_000, expires: -100_000 }),
      marker("runs-out-now", { set: -600_000, expires: 0 }),
    ];
    const { active, past } = splitMarkers(markers, NOW);
    assert.deepEqual(
      active.map((m) => m.id),
      ["new-active", "old-active"],
    );
    assert.deepEqual(
      past.map((m) => m.id),
      ["runs-out-now", "expired-recently", "cleared-long-ago"],
    );
  });

  it("leaves the given list in its order", () => {
    const markers = [marker("a", { set: -20_000 }), marker("b", { set: -10_000 })];
    splitMarkers(markers, NOW);
    assert.deepEqual(
      markers.map((m) => m.id),
      ["a", "b"],
    );
  });
});

describe("formatCountdown", () => {
  it("shows two units, padded, so the countdown moves every second under an hour", () => {
    assert.equal(formatCountdown(42_000), "42s");
    assert.equal(formatCountdown(4 * 60_000 + 5_000), "4m 05s");
    assert.equal(formatCountdown(2 * 3_600_000 + 7 * 60_000 + 59_000), "2h 07m");
    assert.equal(formatCountdown(3 * 86_400_000 + 4 * 3_600_000), "3d 4h");
  });

  it("rounds down to the second and stops at zero", () => {
    assert.equal(formatCountdown(59_999), "59s");
    assert.equal(formatCountdown(999), "0s");
    assert.equal(formatCountdown(-5_000), "0s");
  });
});

describe("expiresIn", () => {
  it("counts down to the marker's expiry", () => {
    assert.equal(expiresIn({ expires_at: iso(90_000) }, NOW), "1m 30s");
    assert.equal(expiresIn({ expires_at: iso(90_000) }, NOW + 1_000), "1m 29s");
  });

  it("says nothing when the expiry cannot be read", () => {
    assert.equal(expiresIn({ expires_at: "not a time" }, NOW), null);
  });
});

describe("clearOutcome", () => {
  it("shows the status recovering in the same action", () => {
    assert.equal(clearOutcome({ status_before: "degraded", status_after: "online" }), "Marker cleared. Status: degraded → online");
  });

  it("says so when the status stays, because other reasons still hold", () => {
    assert.equal(
      clearOutcome({ status_before: "degraded", status_after: "degraded" }),
      "Marker cleared. Status: degraded (unchanged, other reasons still hold)",
    );
  });
});

describe("isClearReasonValid", () => {
  it("asks for at least 3 characters besides surrounding spaces, as the server does", () => {
    assert.equal(isClearReasonValid("ok"), false);
    assert.equal(isClearReasonValid("  ok  "), false);
    assert.equal(isClearReasonValid("DNS fixed"), true);
    assert.equal(isClearReasonValid("fix"), true);
  });
});
