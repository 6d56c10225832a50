import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { actorName, fromUtcInputValue, MAINTENANCE_PRESETS, maintenanceSummary, presetUntil, toUtcInputValue } from "./maintenance.ts";

const NOW = Date.parse("2026-12-01T10:15:42.500Z");

describe("presetUntil", () => {
  it("offers an hour, four hours and a day", () => {
    assert.deepEqual(
      MAINTENANCE_PRESETS.map((preset) => preset.label),
      ["1 h", "4 h", "24 h"],
    );
  });

  it("fills in now plus the preset, in UTC, rounded up to the minute so it is never shorter than chosen", () => {
    assert.deepEqual(
      MAINTENANCE_PRESETS.map((preset) => presetUntil(preset.ms, NOW)),
      ["2026-12-01T11:16", "2026-12-01T14:16", "2026-12-02T10:16"],
    );
    assert.equal(presetUntil(60 * 60_000, Date.parse("2026-12-01T10:15:00.000Z")), "2026-12-01T11:15");
  });
});

describe("the until field", () => {
  it("reads what it writes, in UTC whatever the browser's time zone", () => {
    assert.equal(toUtcInputValue(NOW), "2026-12-01T10:15");
    assert.equal(fromUtcInputValue("2026-12-01T10:15"), Date.parse("2026-12-01T10:15:00.000Z"));
    assert.equal(fromUtcInputValue("2026-12-01T10:15:30"), Date.parse("2026-12-01T10:15:30.000Z"));
  });

  it("holds no time when the field is empty or half filled", () => {
    assert.equal(fromUtcInputValue(""), null);
    assert.equal(fromUtcInputValue("2026-12-01"), null);
    assert.equal(fromUtcInputValue("2026-13-45T99:99"), null);
  });
});

describe("maintenanceSummary", () => {
  it("says until when, why and who, naming an operator by name", () => {
    assert.equal(
      maintenanceSummary({ reason: "kernel upgrade", until: "2026-12-01T14:00:00.000Z", by: "operator:alice" }),
      "In maintenance until 2026-12-01 14:00:00 UTC — kernel upgrade (by alice)",
    );
  });

  it("keeps any other actor as the registry wrote it", () => {
    assert.equal(actorName("admin"), "admin");
    assert.equal(actorName("operator:bob"), "bob");
  });
});
