import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FREE_FAILURES, lockedUntilAfterFailure } from "./lockout.ts";

describe("lockedUntilAfterFailure", () => {
  const now = 1_000_000;

  it("allows a few typos without a lock", () => {
    for (let failures = 0; failures < FREE_FAILURES; failures++) assert.equal(lockedUntilAfterFailure(failures, now), null);
  });

  it("locks for 30 s at the fifth failure and doubles with each further one", () => {
    assert.equal(lockedUntilAfterFailure(5, now), now + 30_000);
    assert.equal(lockedUntilAfterFailure(6, now), now + 60_000);
    assert.equal(lockedUntilAfterFailure(7, now), now + 120_000);
  });

  it("never locks for longer than 15 minutes, however many failures", () => {
    assert.equal(lockedUntilAfterFailure(10, now), now + 15 * 60_000);
    assert.equal(lockedUntilAfterFailure(10_000, now), now + 15 * 60_000);
  });
});
