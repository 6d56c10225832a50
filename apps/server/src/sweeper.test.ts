import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextSweepDelay } from "./sweeper.ts";

describe("when the next sweep runs", () => {
  const interval = 5_000;
  it("right after the next deadline when it comes before the interval is up", () => {
    assert.equal(nextSweepDelay(10_000 + 1_200, 10_000, interval), 1_201);
  });
  it("after the interval when the next deadline is further away, or there is none", () => {
    assert.equal(nextSweepDelay(10_000 + 57_000, 10_000, interval), interval);
    assert.equal(nextSweepDelay(null, 10_000, interval), interval);
  });
  it("never sooner than 100 ms, even for a deadline already past", () => {
    assert.equal(nextSweepDelay(9_000, 10_000, interval), 100);
    assert.equal(nextSweepDelay(10_020, 10_000, interval), 100);
  });
});
