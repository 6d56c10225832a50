import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { retryDelayMs } from "./retry.ts";

/** When each attempt is made, the first at 0, with every retry's jitter at `random`. */
function attemptTimes(count: number, random: number): number[] {
  const times = [0];
  for (let failed = 1; times.length < count; failed++) times.push(times.at(-1)! + retryDelayMs(failed, random));
  return times;
}

describe("retry schedule", () => {
  it("retries first within a few seconds, and makes at least three attempts in the first minute at any jitter", () => {
    for (const random of [0, 0.5, 0.999]) {
      assert.ok(retryDelayMs(1, random) <= 3_000, `first retry after ${retryDelayMs(1, random)} ms`);
      assert.ok(attemptTimes(4, random).filter((at) => at < 60_000).length >= 3);
    }
  });

  it("grows to hours and reaches past 24 h of retries, never shrinking", () => {
    const times = attemptTimes(16, 0.5);
    for (let i = 2; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= times[i - 1]! - times[i - 2]!);
    assert.ok(retryDelayMs(12, 0.5) >= 3_600_000);
    assert.ok(times.at(-1)! > 24 * 3_600_000);
  });

  it("spreads retries that failed together by the jitter", () => {
    assert.notEqual(retryDelayMs(3, 0), retryDelayMs(3, 0.99));
    assert.ok(retryDelayMs(3, 0) >= 15_000 * 0.75 && retryDelayMs(3, 0.99) <= 15_000 * 1.25);
  });
});
