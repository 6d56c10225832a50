import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { heartbeatFreshness } from "./heartbeat-age.ts";

const NOW = Date.parse("2026-11-27T12:00:00.000Z");
const before = (ms: number) => new Date(NOW - ms).toISOString();
const OFFLINE_AFTER = 90_000;

describe("heartbeatFreshness", () => {
  it("is fresh under 45 s", () => {
    assert.equal(heartbeatFreshness(before(0), NOW, OFFLINE_AFTER), "fresh");
    assert.equal(heartbeatFreshness(before(44_999), NOW, OFFLINE_AFTER), "fresh");
  });

  it("is late from 45 s to just under the offline threshold", () => {
    assert.equal(heartbeatFreshness(before(45_000), NOW, OFFLINE_AFTER), "late");
    assert.equal(heartbeatFreshness(before(89_999), NOW, OFFLINE_AFTER), "late");
  });

  it("is stale from the offline threshold on", () => {
    assert.equal(heartbeatFreshness(before(90_000), NOW, OFFLINE_AFTER), "stale");
    assert.equal(heartbeatFreshness(before(3_600_000), NOW, OFFLINE_AFTER), "stale");
  });

  it("follows a shorter offline threshold: late from halfway, stale at the threshold", () => {
    assert.equal(heartbeatFreshness(before(9_999), NOW, 20_000), "fresh");
    assert.equal(heartbeatFreshness(before(10_000), NOW, 20_000), "late");
    assert.equal(heartbeatFreshness(before(20_000), NOW, 20_000), "stale");
  });

  it("is never for a workspace that has not beaten yet", () => {
    assert.equal(heartbeatFreshness(null, NOW, OFFLINE_AFTER), "never");
  });

  it("treats a beat stamped slightly in the future (clock skew) as fresh", () => {
    assert.equal(heartbeatFreshness(before(-2_000), NOW, OFFLINE_AFTER), "fresh");
  });
});
