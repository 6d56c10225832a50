import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dayDescription, dayTone, describeStrip, formatAvailability, formatSeconds } from "./availability.ts";
import { statusStyle } from "./status.ts";

const DAY = 86_400;

describe("formatAvailability", () => {
  it("shows nothing measurable as a dash, not as 0% or 100%", () => {
    assert.equal(formatAvailability(null), "—");
    assert.equal(formatAvailability(Number.NaN), "—");
  });

  it("never rounds up to 100%: only a whole available window reads 100%", () => {
    assert.equal(formatAvailability(1), "100%");
    assert.equal(formatAvailability(0.99996), "99.99%");
    assert.equal(formatAvailability(0.999999), "99.99%");
    assert.equal(formatAvailability(0.9999999999999), "99.99%");
  });

  it("keeps two decimals from 99% up and one below, without trailing zeros", () => {
    assert.equal(formatAvailability(0.992), "99.2%");
    assert.equal(formatAvailability(0.9995), "99.95%");
    assert.equal(formatAvailability(0.9), "90%");
    assert.equal(formatAvailability(0.12345), "12.3%");
    assert.equal(formatAvailability(0), "0%");
  });
});

describe("formatSeconds", () => {
  it("uses the largest units that keep it short", () => {
    assert.deepEqual([0, 45, 660, 7_500, 7_200, 3 * DAY + 4 * 3600, 2 * DAY].map(formatSeconds), [
      "0 s",
      "45 s",
      "11 min",
      "2 h 5 min",
      "2 h",
      "3 d 4 h",
      "2 d",
    ]);
  });

  it("rounds to the minute without ever showing 60 min", () => {
    assert.equal(formatSeconds(3_590), "1 h");
    assert.equal(formatSeconds(89), "1 min");
  });
});

describe("dayTone", () => {
  it("colours a day by its worst status, with the status chips' colours", () => {
    for (const status of ["online", "degraded", "unknown", "offline", "failed", "provisioning", "removed"]) {
      assert.equal(dayTone(status), statusStyle(status).tone, status);
    }
  });

  it("gives maintenance a colour no status has, and a day without data none", () => {
    const maintenance = dayTone("maintenance");
    assert.ok(maintenance);
    for (const status of ["online", "degraded", "unknown", "offline", "failed", "provisioning", "removed"])
      assert.notEqual(maintenance, statusStyle(status).tone);
    assert.equal(dayTone(null), null);
  });
});

describe("dayDescription", () => {
  it("reads the day's availability, then the time spent in every status but online, worst first", () => {
    assert.equal(
      dayDescription({
        date: "2026-12-01",
        seconds_by_status: { online: 85_000, degraded: 180, offline: 660, maintenance: 560 },
        worst_status: "offline",
        available: 85_180 / 85_840,
      }),
      "2026-12-01: 99.23% available — offline 11 min, degraded 3 min, maintenance 9 min",
    );
  });

  it("says a whole day up in a few words", () => {
    assert.equal(
      dayDescription({ date: "2026-12-02", seconds_by_status: { online: DAY }, worst_status: "online", available: 1 }),
      "2026-12-02: 100% available",
    );
  });

  it("tells a day without data from a day spent only in maintenance", () => {
    assert.equal(dayDescription({ date: "2026-09-01", seconds_by_status: {}, worst_status: null, available: null }), "2026-09-01: no data");
    assert.equal(
      dayDescription({ date: "2026-12-03", seconds_by_status: { maintenance: DAY }, worst_status: "maintenance", available: null }),
      "2026-12-03: not measured — maintenance 1 d",
    );
  });
});

describe("describeStrip", () => {
  it("sums the days up for a reader who cannot hover each cell", () => {
    const days = [
      { date: "2026-12-01", seconds_by_status: { online: DAY }, worst_status: "online", available: 1 },
      { date: "2026-12-02", seconds_by_status: { online: DAY - 60, offline: 60 }, worst_status: "offline", available: (DAY - 60) / DAY },
      { date: "2026-12-03", seconds_by_status: {}, worst_status: null, available: null },
    ];
    assert.equal(describeStrip(days), "3 days: 1 fully available, 1 with downtime, 1 without data or not measured");
    assert.equal(describeStrip(days.slice(0, 2)), "2 days: 1 fully available, 1 with downtime");
  });
});
