import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay, jitterInterval, REGISTER_BACKOFF } from "./backoff.ts";

const ALMOST_ONE = 1 - Number.EPSILON;

describe("backoffDelay (full jitter)", () => {
  it("draws from [0, base·2^(attempt-1)): the first retry waits under 1 s, the fourth under 8 s", () => {
    assert.equal(
      backoffDelay(1, REGISTER_BACKOFF, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(1, REGISTER_BACKOFF, () => ALMOST_ONE),
      999,
    );
    assert.equal(
      backoffDelay(4, REGISTER_BACKOFF, () => ALMOST_ONE),
      7_999,
    );
    assert.equal(
      backoffDelay(4, REGISTER_BACKOFF, () => 0.5),
      4_000,
    );
  });

  it("never exceeds the cap, however many attempts failed", () => {
    for (const attempt of [7, 8, 20, 1_000, 5_000]) {
      const delay = backoffDelay(attempt, REGISTER_BACKOFF, () => ALMOST_ONE);
      assert.ok(delay < REGISTER_BACKOFF.capMs && delay >= REGISTER_BACKOFF.capMs - 1, `attempt ${attempt}: ${delay}`);
    }
  });

  it("spreads a fleet's retries over the whole window instead of bunching them", () => {
    const delays = Array.from({ length: 10 }, (_, i) => backoffDelay(3, REGISTER_BACKOFF, () => i / 10));
    assert.deepEqual(delays, [0, 400, 800, 1_200, 1_600, 2_000, 2_400, 2_800, 3_200, 3_600]);
  });
});

describe("jitterInterval", () => {
  it("keeps a 30 s beat within ±10 %", () => {
    assert.equal(
      jitterInterval(30_000, 0.1, () => 0),
      27_000,
    );
    assert.equal(
      jitterInterval(30_000, 0.1, () => 0.5),
      30_000,
    );
    assert.equal(
      jitterInterval(30_000, 0.1, () => ALMOST_ONE),
      33_000,
    );
    for (let i = 0; i < 100; i++) {
      const delay = jitterInterval(30_000, 0.1, Math.random);
      assert.ok(delay >= 27_000 && delay <= 33_000, String(delay));
    }
  });
});
