import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventTone, reasonLabel, statusStyle } from "./status.js";
describe("statusStyle", () => {
    it("keeps the reference colours and labels for the five canvas statuses", () => {
        assert.deepEqual(["online", "offline", "degraded", "failed", "provisioning"].map((s) => [statusStyle(s).tone, statusStyle(s).label]), [
            ["emerald", "Online"],
            ["zinc", "Offline"],
            ["amber", "Degraded"],
            ["red", "Failed"],
            ["sky", "Starting"],
        ]);
    });
    it("makes degraded glow and provisioning pulse", () => {
        assert.equal(statusStyle("degraded").dot, "glow");
        assert.equal(statusStyle("provisioning").dot, "pulse");
        assert.equal(statusStyle("online").dot, "plain");
    });
    it("shows an unknown status as itself in a neutral style, never as Offline", () => {
        const style = statusStyle("hibernated");
        assert.equal(style.label, "hibernated");
        assert.equal(style.tone, "neutral");
        assert.equal(style.known, false);
        assert.notEqual(style.label, "Offline");
    });
    it("does not mistake Object.prototype keys for statuses", () => {
        assert.equal(statusStyle("constructor").label, "constructor");
        assert.equal(statusStyle("toString").known, false);
    });
    it("labels an empty status so the chip is never blank", () => {
        assert.equal(statusStyle("").label, "(none)");
    });
});
describe("reasonLabel", () => {
    it("names known reasons and passes unknown ones through", () => {
        assert.equal(reasonLabel("register_failure"), "Register failure");
        assert.equal(reasonLabel("error_rate"), "Error rate");
        assert.equal(reasonLabel("cosmic_rays"), "cosmic_rays");
    });
});
describe("eventTone", () => {
    it("colours status events as the canvas did and leaves the rest neutral", () => {
        assert.equal(eventTone("WORKSPACE_ONLINE"), "emerald");
        assert.equal(eventTone("WORKSPACE_PROVISION_FAILED"), "red");
        assert.equal(eventTone("WORKSPACE_REMOVED"), "red");
        assert.equal(eventTone("AGENT_CARD_UPDATED"), "violet");
        assert.equal(eventTone("TOKEN_ROTATED"), "neutral");
    });
});
