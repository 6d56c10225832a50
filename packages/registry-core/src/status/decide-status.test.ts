import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideStatus, type DecisionInput, type Health } from "./decide-status.ts";
import { DEFAULT_POLICY } from "./policy.ts";
import type { StatusReason, WorkspaceStatus } from "./statuses.ts";

const NOW = 1_800_000_000_000;
const healthy: Health = { errorRate: 0, runtimeState: "", statusManaged: false };

function input(status: WorkspaceStatus, overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    workspace: { status, reasons: [], statusChangedAt: NOW - 1_000, lastHeartbeatAt: NOW - 1_000, health: healthy, recentTransitions: [] },
    alive: healthy,
    markers: [],
    now: NOW,
    policy: DEFAULT_POLICY,
    ...overrides,
  };
}
/** The status and reasons of a decision (its transition history is checked on its own below). */
function verdict(decisionInput: DecisionInput) {
  const { status, reasons } = decideStatus(decisionInput);
  return { status, reasons };
}

const marker = (setAgoMs: number, clearedAt: number | null = null) => ({
  kind: "register_failure" as const,
  clearedAt,
  expiresAt: NOW - setAgoMs + DEFAULT_POLICY.markerWindowMs,
});

describe("decideStatus on a heartbeat", () => {
  for (const from of ["provisioning", "offline", "failed", "online", "degraded"] as const) {
    it(`a healthy beat takes ${from} to online with no reasons`, () => {
      assert.deepEqual(verdict(input(from)), { status: "online", reasons: [] });
    });
  }

  it("an error rate of 0.5 degrades an online workspace; 0.49 does not", () => {
    assert.deepEqual(verdict(input("online", { alive: { ...healthy, errorRate: 0.5 } })), {
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
    assert.deepEqual(verdict(input("offline", { alive: { ...healthy, errorRate: 0.9 } })), {
      status: "degraded",
      reasons: ["error_rate"],
    });
  });

  it("wedged degrades even a status-managed runtime, and it recovers when its own wedge clears (W14)", () => {
    const managed = { ...healthy, statusManaged: true };
    assert.deepEqual(verdict(input("online", { alive: { ...managed, runtimeState: "wedged" } })), {
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
    assert.deepEqual(verdict(input("online", { markers })), { status: "degraded", reasons: ["register_failure"] });
    assert.deepEqual(verdict(input("degraded", { markers })), { status: "degraded", reasons: ["register_failure"] });
  });

  it("a marker stops counting at exactly its window (strict <) and once cleared", () => {
    assert.equal(decideStatus(input("degraded", { markers: [marker(DEFAULT_POLICY.markerWindowMs)] })).status, "online");
    assert.equal(decideStatus(input("degraded", { markers: [marker(DEFAULT_POLICY.markerWindowMs - 1)] })).status, "degraded");
    assert.equal(decideStatus(input("degraded", { markers: [marker(1_000, NOW - 10)] })).status, "online");
  });

  it("reasons accumulate", () => {
    const decision = verdict(input("online", { alive: { errorRate: 0.7, runtimeState: "wedged", statusManaged: false }, markers: [marker(0)] }));
    assert.deepEqual(decision, { status: "degraded", reasons: ["wedged", "error_rate", "register_failure"] });
  });

  it("removed is a tombstone: nothing brings it back", () => {
    assert.deepEqual(verdict(input("removed")), { status: "removed", reasons: [] });
    assert.deepEqual(verdict(input("removed", { alive: null })), { status: "removed", reasons: [] });
  });
});

describe("decideStatus without a heartbeat (sweeper, operator actions)", () => {
  const silentFor = (ms: number, status: WorkspaceStatus) =>
    input(status, {
      alive: null,
      workspace: { status, reasons: [], statusChangedAt: NOW - ms, lastHeartbeatAt: NOW - ms, health: healthy, recentTransitions: [] },
    });

  it("online and degraded go offline after exactly offlineAfterMs of silence", () => {
    assert.deepEqual(verdict(silentFor(DEFAULT_POLICY.offlineAfterMs, "online")), {
      status: "offline",
      reasons: ["heartbeat_timeout"],
    });
    assert.equal(decideStatus(silentFor(DEFAULT_POLICY.offlineAfterMs, "degraded")).status, "offline");
    assert.equal(decideStatus(silentFor(DEFAULT_POLICY.offlineAfterMs - 1, "online")).status, "online");
  });

  it("provisioning fails after the provision timeout, measured from the status change", () => {
    assert.deepEqual(verdict(silentFor(DEFAULT_POLICY.provisionTimeoutMs, "provisioning")), {
      status: "failed",
      reasons: ["provision_timeout"],
    });
    assert.equal(decideStatus(silentFor(DEFAULT_POLICY.provisionTimeoutMs - 1, "provisioning")).status, "provisioning");
  });

  it("offline and failed stay put, with their reasons, until the runtime speaks", () => {
    const offline = silentFor(10 * DEFAULT_POLICY.offlineAfterMs, "offline");
    offline.workspace.reasons = ["heartbeat_timeout"];
    assert.deepEqual(verdict(offline), { status: "offline", reasons: ["heartbeat_timeout"] });
    assert.equal(decideStatus(silentFor(10 * DEFAULT_POLICY.provisionTimeoutMs, "failed")).status, "failed");
  });

  it("a degraded workspace whose marker expired recovers on its last reported health", () => {
    const expired = input("degraded", { alive: null, markers: [marker(DEFAULT_POLICY.markerWindowMs + 1_000)] });
    assert.deepEqual(verdict(expired), { status: "online", reasons: [] });
    const stillErroring = input("degraded", {
      alive: null,
      markers: [],
      workspace: {
        status: "degraded",
        reasons: ["error_rate"],
        statusChangedAt: NOW,
        lastHeartbeatAt: NOW,
        health: { ...healthy, errorRate: 0.3 },
        recentTransitions: [],
      },
    });
    assert.deepEqual(verdict(stillErroring), { status: "degraded", reasons: ["error_rate"] });
  });
});

describe("flap damping", () => {
  const minute = 60_000;
  /** A workspace that changed status at these times (minutes before NOW), now `status` with `reasons`. */
  const history = (status: WorkspaceStatus, reasons: StatusReason[], agoMinutes: number[], overrides: Partial<DecisionInput> = {}) =>
    input(status, {
      ...overrides,
      workspace: {
        status,
        reasons,
        statusChangedAt: NOW - (agoMinutes.at(-1) ?? 0) * minute,
        lastHeartbeatAt: NOW - 1_000,
        health: healthy,
        recentTransitions: agoMinutes.map((ago) => NOW - ago * minute),
      },
    });
  const erroring = { ...healthy, errorRate: 0.9 };

  it("a register, a degrade and a recovery within seconds is not flapping", () => {
    const decision = decideStatus(history("degraded", ["error_rate"], [0.2, 0.1]));
    assert.deepEqual({ status: decision.status, reasons: decision.reasons }, { status: "online", reasons: [] });
    assert.equal(decision.recentTransitions.length, 3);
  });

  it("a crash and a restart (degrade, offline, back degraded while warming up, online) is not flapping either", () => {
    assert.deepEqual(verdict(history("degraded", ["error_rate"], [4, 3, 2, 1])), { status: "online", reasons: [] });
  });

  it("the sixth change within 10 minutes (three round trips) flags it, and holds it at degraded instead of online", () => {
    const decision = decideStatus(history("degraded", ["error_rate"], [9, 7, 5, 3, 2]));
    assert.deepEqual({ status: decision.status, reasons: decision.reasons }, { status: "degraded", reasons: ["flapping"] });
    assert.equal(decision.recentTransitions.length, DEFAULT_POLICY.flapTransitions);
  });

  it("six changes spread over more than the window are not flapping", () => {
    assert.deepEqual(verdict(history("degraded", ["error_rate"], [10, 8, 7, 5, 3])), { status: "online", reasons: [] });
  });

  it("while flagged, the rule still judges underneath: reasons change, the status holds", () => {
    const flagged = history("degraded", ["flapping"], [9, 7, 5, 3, 2, 1], { alive: erroring });
    assert.deepEqual(verdict(flagged), { status: "degraded", reasons: ["error_rate", "flapping"] });
    // It was held degraded while its undamped status was online: the error counts as a change.
    assert.equal(decideStatus(flagged).recentTransitions.at(-1), NOW);
  });

  it("the flag clears after the quiet period without a change, not before", () => {
    const quiet = (ago: number) => history("degraded", ["flapping"], [ago + 8, ago + 6, ago + 4, ago + 3, ago + 2, ago], { alive: null });
    assert.deepEqual(verdict(quiet(DEFAULT_POLICY.flapQuietMs / minute)), { status: "online", reasons: [] });
    assert.deepEqual(verdict(quiet(DEFAULT_POLICY.flapQuietMs / minute - 0.5)), { status: "degraded", reasons: ["flapping"] });
  });

  it("flapping never hides offline: a silent flapper goes offline and stays flagged", () => {
    const silent = history("degraded", ["flapping"], [9, 7, 5, 3, 2, 1], { alive: null });
    silent.workspace.lastHeartbeatAt = NOW - DEFAULT_POLICY.offlineAfterMs;
    assert.deepEqual(verdict(silent), { status: "offline", reasons: ["heartbeat_timeout", "flapping"] });
  });

  it("keeps only as many transitions as the rule looks at", () => {
    const decision = decideStatus(history("online", [], [9, 8, 7, 6, 5, 4, 3, 2], { alive: erroring }));
    assert.equal(decision.recentTransitions.length, DEFAULT_POLICY.flapTransitions);
  });
});

describe("a missed deadline while the registry suspects itself", () => {
  const silent = (status: WorkspaceStatus, registrySuspect: boolean) => {
    const decisionInput = input(status, { alive: null, registrySuspect });
    decisionInput.workspace.lastHeartbeatAt = NOW - DEFAULT_POLICY.offlineAfterMs;
    return decisionInput;
  };

  it("is unknown, with a reason, not offline", () => {
    assert.deepEqual(verdict(silent("online", true)), { status: "unknown", reasons: ["registry_suspect"] });
    assert.deepEqual(verdict(silent("unknown", true)), { status: "unknown", reasons: ["registry_suspect"] });
  });

  it("once the registry trusts itself again, an unknown workspace still silent goes offline", () => {
    assert.deepEqual(verdict(silent("unknown", false)), { status: "offline", reasons: ["heartbeat_timeout"] });
  });

  it("an unknown workspace that beats is judged on its health", () => {
    assert.deepEqual(verdict(input("unknown", { registrySuspect: true })), { status: "online", reasons: [] });
  });
});
