import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideStatus, type DecisionInput, type Health } from "./decide-status.ts";
import { DEFAULT_POLICY } from "./policy.ts";
import type { WorkspaceStatus } from "./statuses.ts";

const NOW = 1_800_000_000_000;
const healthy: Health = { errorRate: 0, runtimeState: "", statusManaged: false };

function input(status: WorkspaceStatus, overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    workspace: { status, reasons: [], statusChangedAt: NOW - 1_000, lastHeartbeatAt: NOW - 1_000, health: healthy },
    alive: healthy,
    markers: [],
    now: NOW,
    policy: DEFAULT_POLICY,
    ...overrides,
  };
}
const marker = (setAgoMs: number, clearedAt: number | null = null) => ({
  kind: "register_failure" as const,
  clearedAt,
  expiresAt: NOW - setAgoMs + DEFAULT_POLICY.markerWindowMs,
});

describe("decideStatus on a heartbeat", () => {
  for (const from of ["provisioning", "offline", "failed", "online", "degraded"] as const) {
    it(`a healthy beat takes ${from} to online with no reasons`, () => {
      assert.deepEqual(decideStatus(input(from)), { status: "online", reasons: [] });
    });
  }

  it("an error rate of 0.5 degrades an online workspace; 0.49 does not", () => {
    assert.deepEqual(decideStatus(input("online", { alive: { ...healthy, errorRate: 0.5 } })), {
      status: "degraded",
      reasons: ["error_rate"],
    });
    assert.equal(decideStatus(input("online", { alive: { ...healthy, errorRate: 0.49 } })).status, "online");
  });

  it("hysteresis: a degraded workspace stays degraded until the error rate is below 0.1", () => {
    assert.equal(decideStatus(input("degraded", { alive: { ...healthy, errorRate: 0.1 } })).status, "degraded");
    assert.equal(decideStatus(input("degraded", { alive: { ...healthy, errorRate: 0.099 } })).status, "online");
  });

  it("recovery from offline goes straight to degraded when the runtime is unhealthy (W12)", () => {
    assert.deepEqual(decideStatus(input("offline", { alive: { ...healthy, errorRate: 0.9 } })), {
      status: "degraded",
      reasons: ["error_rate"],
    });
  });

  it("wedged degrades even a status-managed runtime, and it recovers when its own wedge clears (W14)", () => {
    const managed = { ...healthy, statusManaged: true };
    assert.deepEqual(decideStatus(input("online", { alive: { ...managed, runtimeState: "wedged" } })), {
      status: "degraded",
      reasons: ["wedged"],
    });
    assert.equal(decideStatus(input("degraded", { alive: managed })).status, "online");
  });

  it("a status-managed runtime is not degraded by its error rate", () => {
    assert.equal(decideStatus(input("online", { alive: { ...healthy, statusManaged: true, errorRate: 1 } })).status, "online");
  });

  it("an active register-failure marker degrades and blocks recovery", () => {
    const markers = [marker(2 * 60_000)];
    assert.deepEqual(decideStatus(input("online", { markers })), { status: "degraded", reasons: ["register_failure"] });
    assert.deepEqual(decideStatus(input("degraded", { markers })), { status: "degraded", reasons: ["register_failure"] });
  });

  it("a marker stops counting at exactly its window (strict <) and once cleared", () => {
    assert.equal(decideStatus(input("degraded", { markers: [marker(DEFAULT_POLICY.markerWindowMs)] })).status, "online");
    assert.equal(decideStatus(input("degraded", { markers: [marker(DEFAULT_POLICY.markerWindowMs - 1)] })).status, "degraded");
    assert.equal(decideStatus(input("degraded", { markers: [marker(1_000, NOW - 10)] })).status, "online");
  });

  it("reasons accumulate", () => {
    const decision = decideStatus(input("online", { alive: { errorRate: 0.7, runtimeState: "wedged", statusManaged: false }, markers: [marker(0)] }));
    assert.deepEqual(decision, { status: "degraded", reasons: ["wedged", "error_rate", "register_failure"] });
  });

  it("removed is a tombstone: nothing brings it back", () => {
    assert.deepEqual(decideStatus(input("removed")), { status: "removed", reasons: [] });
    assert.deepEqual(decideStatus(input("removed", { alive: null })), { status: "removed", reasons: [] });
  });
});

describe("decideStatus without a heartbeat (sweeper, operator actions)", () => {
  const silentFor = (ms: number, status: WorkspaceStatus) =>
    input(status, {
      alive: null,
      workspace: { status, reasons: [], statusChangedAt: NOW - ms, lastHeartbeatAt: NOW - ms, health: healthy },
    });

  it("online and degraded go offline after exactly offlineAfterMs of silence", () => {
    assert.deepEqual(decideStatus(silentFor(DEFAULT_POLICY.offlineAfterMs, "online")), {
      status: "offline",
      reasons: ["heartbeat_timeout"],
    });
    assert.equal(decideStatus(silentFor(DEFAULT_POLICY.offlineAfterMs, "degraded")).status, "offline");
    assert.equal(decideStatus(silentFor(DEFAULT_POLICY.offlineAfterMs - 1, "online")).status, "online");
  });

  it("provisioning fails after the provision timeout, measured from the status change", () => {
    assert.deepEqual(decideStatus(silentFor(DEFAULT_POLICY.provisionTimeoutMs, "provisioning")), {
      status: "failed",
      reasons: ["provision_timeout"],
    });
    assert.equal(decideStatus(silentFor(DEFAULT_POLICY.provisionTimeoutMs - 1, "provisioning")).status, "provisioning");
  });

  it("offline and failed stay put, with their reasons, until the runtime speaks", () => {
    const offline = silentFor(10 * DEFAULT_POLICY.offlineAfterMs, "offline");
    offline.workspace.reasons = ["heartbeat_timeout"];
    assert.deepEqual(decideStatus(offline), { status: "offline", reasons: ["heartbeat_timeout"] });
    assert.equal(decideStatus(silentFor(10 * DEFAULT_POLICY.provisionTimeoutMs, "failed")).status, "failed");
  });

  it("a degraded workspace whose marker expired recovers on its last reported health", () => {
    const expired = input("degraded", { alive: null, markers: [marker(DEFAULT_POLICY.markerWindowMs + 1_000)] });
    assert.deepEqual(decideStatus(expired), { status: "online", reasons: [] });
    const stillErroring = input("degraded", {
      alive: null,
      markers: [],
      workspace: { status: "degraded", reasons: ["error_rate"], statusChangedAt: NOW, lastHeartbeatAt: NOW, health: { ...healthy, errorRate: 0.3 } },
    });
    assert.deepEqual(decideStatus(stillErroring), { status: "degraded", reasons: ["error_rate"] });
  });
});
