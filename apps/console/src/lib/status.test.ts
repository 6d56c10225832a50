import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventTone, reasonExplanation, reasonLabel, reportsAreLastKnown, STATUS_DISPLAY_ORDER, statusStyle } from "./status.ts";

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

  it("gives the registry's unknown status a look of its own, unlike offline and removed", () => {
    const unknown = statusStyle("unknown");
    assert.equal(unknown.label, "Unknown");
    assert.equal(unknown.known, true);
    for (const other of ["offline", "removed", "hibernated"]) {
      assert.notEqual(unknown.tone, statusStyle(other).tone, other);
      assert.notEqual(unknown.dot, statusStyle(other).dot, other);
    }
  });

  it("lists every status the fleet page can show, unknown among those needing attention", () => {
    assert.equal(STATUS_DISPLAY_ORDER.indexOf("unknown"), STATUS_DISPLAY_ORDER.indexOf("degraded") + 1);
    assert.equal(new Set(STATUS_DISPLAY_ORDER).size, 7);
  });

  it("shows a status this console does not know as itself in a neutral style, never as Offline", () => {
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
    assert.deepEqual(["online", "degraded", "provisioning", "failed", "unknown", "offline", "removed"].filter(reportsAreLastKnown), [
      "unknown",
      "offline",
      "removed",
    ]);
  });
});

describe("reasonLabel", () => {
  it("names known reasons and passes unknown ones through", () => {
    assert.equal(reasonLabel("register_failure"), "Register failure");
    assert.equal(reasonLabel("error_rate"), "Error rate");
    assert.equal(reasonLabel("flapping"), "Flapping");
    assert.equal(reasonLabel("registry_suspect"), "Registry suspect");
    assert.equal(reasonLabel("cosmic_rays"), "cosmic_rays");
  });
});

describe("reasonExplanation", () => {
  it("explains flapping with this registry's threshold", () => {
    assert.equal(reasonExplanation("flapping", { flapTransitions: 7 }), "Flapping: changed status 7+ times recently; held at degraded until it is quiet");
  });

  it("says an unknown workspace is suspected of nothing itself", () => {
    assert.match(reasonExplanation("registry_suspect", { flapTransitions: 5 }) ?? "", /registry suspects itself/);
  });

  it("does not pretend to explain a reason it does not know, even one spelled like an Object.prototype key", () => {
    assert.equal(reasonExplanation("cosmic_rays", { flapTransitions: 5 }), null);
    assert.equal(reasonExplanation("constructor", { flapTransitions: 5 }), null);
  });
});

describe("eventTone", () => {
  it("colours status events as the canvas did and leaves the rest neutral", () => {
    assert.equal(eventTone("WORKSPACE_ONLINE"), "emerald");
    assert.equal(eventTone("WORKSPACE_PROVISION_FAILED"), "red");
    assert.equal(eventTone("WORKSPACE_REMOVED"), "red");
    assert.equal(eventTone("AGENT_CARD_UPDATED"), "violet");
    assert.equal(eventTone("WORKSPACE_UNKNOWN"), statusStyle("unknown").tone);
    assert.equal(eventTone("MAINTENANCE_STARTED"), eventTone("MAINTENANCE_ENDED"));
    assert.equal(eventTone("TOKEN_ROTATED"), "neutral");
  });
});
