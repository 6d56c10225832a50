import { activeRegisterFailures, type Marker } from "../markers/marker.ts";
import type { RegistryPolicy } from "./policy.ts";
import type { StatusReason, WorkspaceStatus } from "./statuses.ts";

export type RuntimeState = "" | "wedged";

/** What a runtime says about its own health; stored on the row after each heartbeat. */
export type Health = {
  errorRate: number;
  runtimeState: RuntimeState;
  /** The runtime's `status_mgmt` capability: it manages its own error-rate status, so that branch is off. */
  statusManaged: boolean;
};

export type DecisionInput = {
  workspace: {
    status: WorkspaceStatus;
    /** The reasons on the row; kept as they are while nothing re-judges the status. */
    reasons: readonly StatusReason[];
    statusChangedAt: number;
    lastHeartbeatAt: number | null;
    /** Health from the last accepted heartbeat. */
    health: Health;
  };
  /** Fresh proof of life (a heartbeat or a register) with the health it reports; null when the sweeper or an
   * operator action re-evaluates a workspace without hearing from it. */
  alive: Health | null;
  /** The workspace's markers; only the active ones count. Clear markers before deciding, so a clear takes
   * effect in the same request (incident #2739). */
  markers: readonly Pick<Marker, "kind" | "clearedAt" | "expiresAt">[];
  now: number;
  policy: RegistryPolicy;
};

export type Decision = { status: WorkspaceStatus; reasons: StatusReason[] };

/**
 * The status rule: the only function that knows the thresholds. Register, heartbeat, operator actions and the
 * sweeper all call it, and a store applies the result conditionally.
 */
export function decideStatus(input: DecisionInput): Decision {
  const { workspace, alive, now, policy } = input;
  const unchanged: Decision = { status: workspace.status, reasons: [...workspace.reasons] };
  if (workspace.status === "removed") return unchanged;

  if (alive) return judgeHealth(alive, input);

  const live = workspace.status === "online" || workspace.status === "degraded";
  if (live && workspace.lastHeartbeatAt !== null && now - workspace.lastHeartbeatAt >= policy.offlineAfterMs) {
    return { status: "offline", reasons: ["heartbeat_timeout"] };
  }
  if (workspace.status === "provisioning" && now - workspace.statusChangedAt >= policy.provisionTimeoutMs) {
    return { status: "failed", reasons: ["provision_timeout"] };
  }
  // Still alive: re-judge on the last reported health, so an expired or cleared marker recovers at once.
  if (live) return judgeHealth(workspace.health, input);
  return unchanged;
}

function judgeHealth(health: Health, input: DecisionInput): Decision {
  const { workspace, markers, now, policy } = input;
  const reasons: StatusReason[] = [];
  if (health.runtimeState === "wedged") reasons.push("wedged");
  if (!health.statusManaged) {
    // Hysteresis: degrade at >= 0.5, recover only below 0.1; in between the current state holds.
    const threshold = workspace.status === "degraded" ? policy.recoverErrorRate : policy.degradeErrorRate;
    if (health.errorRate >= threshold) reasons.push("error_rate");
  }
  if (activeRegisterFailures(markers, now).length > 0) reasons.push("register_failure");
  return { status: reasons.length > 0 ? "degraded" : "online", reasons };
}
