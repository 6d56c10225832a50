import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { heartbeatFreshness } from "./heartbeat-age.js";
const NOW = Date.parse("2026-11-27T12:00:00.000Z");
const before = (ms) => new Date(NOW - ms).toISOString();
describe("heartbeatFreshness", () => {
    it("is fresh under 45 s", () => {
        assert.equal(heartbeatFreshness(before(0), NOW), "fresh");
        assert.equal(heartbeatFreshness(before(44_999), NOW), "fresh");
    });
    it("is late from 45 s to just under 90 s", () => {
        assert.equal(heartbeatFreshness(before(45_000), NOW), "late");
        assert.equal(heartbeatFreshness(before(89_999), NOW), "late");
    });
    it("is stale from 90 s on", () => {
        assert.equal(heartbeatFreshness(before(90_000), NOW), "stale");
        assert.equal(heartbeatFreshness(before(3_600_000), NOW), "stale");
    });
    it("is never for a workspace that has not beaten yet", () => {
        assert.equal(heartbeatFreshness(null, NOW), "never");
    });
    it("treats a beat stamped slightly in the future (clock skew) as fresh", () => {
        assert.equal(heartbeatFreshness(before(-2_000), NOW), "fresh");
    });
});
