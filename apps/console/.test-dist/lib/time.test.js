import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ageMs, formatDuration, formatRelative, formatTimestamp } from "./time.js";
const NOW = Date.parse("2026-11-27T12:00:00.000Z");
const before = (ms) => new Date(NOW - ms).toISOString();
describe("formatRelative", () => {
    it("reads seconds, minutes and hours ago", () => {
        assert.equal(formatRelative(before(12_000), NOW), "12s ago");
        assert.equal(formatRelative(before(3 * 60_000 + 59_000), NOW), "3m ago");
        assert.equal(formatRelative(before(2 * 3_600_000 + 1), NOW), "2h ago");
        assert.equal(formatRelative(before(3 * 86_400_000), NOW), "3d ago");
    });
    it("switches unit exactly at the boundary", () => {
        assert.equal(formatRelative(before(59_999), NOW), "59s ago");
        assert.equal(formatRelative(before(60_000), NOW), "1m ago");
        assert.equal(formatRelative(before(3_600_000), NOW), "1h ago");
    });
    it("says just now under a second and 'in …' for a future time", () => {
        assert.equal(formatRelative(before(400), NOW), "just now");
        assert.equal(formatRelative(before(-4 * 60_000), NOW), "in 4m");
    });
    it("says never for a missing time and unknown for an unparseable one", () => {
        assert.equal(formatRelative(null, NOW), "never");
        assert.equal(formatRelative("yesterday", NOW), "unknown");
    });
});
describe("formatDuration", () => {
    it("uses the largest whole unit and never goes negative", () => {
        assert.equal(formatDuration(0), "0s");
        assert.equal(formatDuration(90_000), "1m");
        assert.equal(formatDuration(-5_000), "0s");
    });
});
describe("ageMs", () => {
    it("measures from now and is null without a time", () => {
        assert.equal(ageMs(before(30_000), NOW), 30_000);
        assert.equal(ageMs(null, NOW), null);
    });
});
describe("formatTimestamp", () => {
    it("prints UTC to the second", () => {
        assert.equal(formatTimestamp("2026-11-27T08:05:09.123Z"), "2026-11-27 08:05:09 UTC");
        assert.equal(formatTimestamp(null), "—");
    });
});
