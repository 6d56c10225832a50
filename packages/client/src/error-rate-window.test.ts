import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorRateWindow } from "./error-rate-window.ts";

function windowAt(start = 1_800_000_000_000, windowSeconds = 60) {
  const clock = { now: start };
  const window = new ErrorRateWindow({ windowSeconds, now: () => clock.now });
  return { window, advance: (ms: number) => (clock.now += ms) };
}

describe("ErrorRateWindow", () => {
  it("an idle runtime has an error rate of 0, not NaN", () => {
    assert.equal(windowAt().window.rate(), 0);
  });

  it("is errors over all outcomes in the window", () => {
    const { window } = windowAt();
    window.recordError("boom");
    for (let i = 0; i < 3; i++) window.recordSuccess();
    assert.equal(window.rate(), 0.25);
  });

  it("rolls: outcomes drop out as they age past the window, without any heartbeat resetting them", () => {
    const { window, advance } = windowAt();
    for (let i = 0; i < 6; i++) window.recordError("upstream 502");
    advance(30_000);
    for (let i = 0; i < 2; i++) window.recordSuccess();
    assert.equal(window.rate(), 0.75);
    advance(29_999);
    assert.equal(window.rate(), 0.75, "59.999 s later the first errors still count");
    advance(1_000);
    assert.equal(window.rate(), 0, "60 s later only the two successes remain");
    advance(30_000);
    assert.equal(window.rate(), 0);
  });

  it("tracks a failure burst rising above 0.5 and falling below 0.1 as it ages out", () => {
    const { window, advance } = windowAt(1_800_000_000_000, 30);
    const rates: number[] = [];
    for (let second = 0; second < 120; second++) {
      const failing = second >= 30 && second < 60;
      for (let task = 0; task < 4; task++) {
        if (failing && task > 0) window.recordError();
        else window.recordSuccess();
      }
      rates.push(window.rate());
      advance(1_000);
    }
    assert.ok(Math.max(...rates) >= 0.5);
    assert.ok(rates.at(-1)! < 0.1);
  });

  it("keeps the latest error message as the sample, and forgets it once it ages out", () => {
    const { window, advance } = windowAt();
    window.recordError("first");
    advance(10_000);
    window.recordError("second");
    window.recordError();
    assert.equal(window.sampleError(), "second");
    advance(60_000);
    assert.equal(window.sampleError(), "");
  });

  it("rejects a window shorter than one bucket", () => {
    assert.throws(() => new ErrorRateWindow({ windowSeconds: 0 }), RangeError);
  });
});
