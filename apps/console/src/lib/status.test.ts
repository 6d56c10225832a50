import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventTone, reasonLabel, reportsAreLastKnown, statusStyle } from "./status.ts";

describe("statusStyle", () => {
  it("keeps the reference colours and labels for the canvas statuses, with offline in orange", () => {
    assert.deepEqual(
      ["online", "offline", "degraded", "failed", "provisioning"].map((s) => [statusStyle(s).tone, statusStyle(s).label]),
      [
        ["emerald", "Online"],
        ["orange", "Offline"],
        ["amber", "Degraded"],
        ["red", "Failed"],
        ["sky", "Starting"],
      ],
    );
  });

  it("makes degraded glow, provisioning pulse and offline's dot hollow", () => {
    assert.equal(statusStyle("degraded").dot, "glow");
    assert.equal(statusStyle("provisioning").dot, "pulse");
    assert.equal(statusStyle("offline").dot, "hollow");
    assert.equal(statusStyle("online").dot, "plain");
  });

  it("gives offline a colour and a dot of its own, distinct from removed", () => {
    const offline = statusStyle("offline");
    const removed = statusStyle("removed");
    assert.notEqual(offline.tone, removed.tone);
    assert.notEqual(offline.dot, removed.dot);
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

describe("reportsAreLastKnown", () => {
  it("holds for workspaces whose runtime no longer heartbeats, and only for them", () => {
    assert.deepEqual(["online", "degraded", "provisioning", "failed", "offline", "removed"].filter(reportsAreLastKnown), ["offline", "removed"]);
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
