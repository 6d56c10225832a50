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
    /** When its last status changes happened, oldest first: at most `policy.flapTransitions` of them. */
    recentTransitions: readonly number[];
  };
  /** Fresh proof of life (a heartbeat or a register) with the health it reports; null when the sweeper or an
   * operator action re-evaluates a workspace without hearing from it. */
  alive: Health | null;
  /** The workspace's markers; only the active ones count. Clear markers before deciding, so a clear takes
   * effect in the same request (incident #2739). */
  markers: readonly Pick<Marker, "kind" | "clearedAt" | "expiresAt">[];
  now: number;
  policy: RegistryPolicy;
  /** Self-preservation holds: a missed deadline means `unknown`, not `offline`. */
  registrySuspect?: boolean;
};

export type Decision = {
  status: WorkspaceStatus;
  reasons: StatusReason[];
  /** The workspace's recent transitions after this decision (the input's, plus now if the status changed). */
  recentTransitions: number[];
};

type Judged = Pick<Decision, "status" | "reasons">;

/**
 * The status rule: the only function that knows the thresholds. Register, heartbeat, operator actions and the
 * sweeper all call it, and a store applies the result conditionally.
 *
 * Flap damping sits on top of the rule: the rule judges the workspace as if it were not flapping (its undamped
 * status), every change of that status is counted, and while the count says flapping the workspace is held at
 * degraded (never online) with the `flapping` reason, whatever the rule says underneath.
 */
export function decideStatus(input: DecisionInput): Decision {
  const { workspace, now, policy } = input;
  const recentTransitions = [...workspace.recentTransitions];
  if (workspace.status === "removed") return { status: "removed", reasons: [...workspace.reasons], recentTransitions };

  const before = undamped(workspace);
  const judged = judgeUndamped(input, before);
  if (judged.status !== before.status) recentTransitions.push(now);
  const kept = recentTransitions.slice(-policy.flapTransitions);
  if (!isFlapping(kept, workspace.reasons.includes("flapping"), now, policy)) return { ...judged, recentTransitions: kept };
  return { status: judged.status === "online" ? "degraded" : judged.status, reasons: [...judged.reasons, "flapping"], recentTransitions: kept };
}

/**
 * Flapping: `flapTransitions` status changes within `flapWindowMs`; once flagged, it holds until `flapQuietMs` pass
 * without a change. `transitions` holds the last `flapTransitions` changes, oldest first.
 */
export function isFlapping(transitions: readonly number[], flagged: boolean, now: number, policy: RegistryPolicy): boolean {
  const last = transitions.at(-1);
  if (last === undefined) return false;
  if (flagged && now - last < policy.flapQuietMs) return true;
  const nthLatest = transitions.at(-policy.flapTransitions);
  return transitions.length >= policy.flapTransitions && nthLatest !== undefined && now - nthLatest < policy.flapWindowMs;
}

/** The status the rule last gave, before the flap hold: a workspace held degraded for flapping alone was online. */
function undamped(workspace: DecisionInput["workspace"]): Judged {
  if (!workspace.reasons.includes("flapping")) return { status: workspace.status, reasons: [...workspace.reasons] };
  const reasons = workspace.reasons.filter((reason) => reason !== "flapping");
  return { status: workspace.status === "degraded" && reasons.length === 0 ? "online" : workspace.status, reasons };
}

function judgeUndamped(input: DecisionInput, before: Judged): Judged {
  const { workspace, alive, now, policy } = input;
  if (alive) return judgeHealth(alive, before.status, input);

  const awaited = before.status === "online" || before.status === "degraded" || before.status === "unknown";
  if (awaited && workspace.lastHeartbeatAt !== null && now - workspace.lastHeartbeatAt >= policy.offlineAfterMs) {
    return input.registrySuspect ? { status: "unknown", reasons: ["registry_suspect"] } : { status: "offline", reasons: ["heartbeat_timeout"] };
  }
  if (before.status === "provisioning" && now - workspace.statusChangedAt >= policy.provisionTimeoutMs) {
    return { status: "failed", reasons: ["provision_timeout"] };
  }
  // Still alive: re-judge on the last reported health, so an expired or cleared marker recovers at once.
  if (awaited) return judgeHealth(workspace.health, before.status, input);
  return before;
}

function judgeHealth(health: Health, current: WorkspaceStatus, input: DecisionInput): Judged {
  const { markers, now, policy } = input;
  const reasons: StatusReason[] = [];
  if (health.runtimeState === "wedged") reasons.push("wedged");
  if (!health.statusManaged) {
    // Hysteresis: degrade at >= 0.5, recover only below 0.1; in between the current state holds.
    const threshold = current === "degraded" ? policy.recoverErrorRate : policy.degradeErrorRate;
    if (health.errorRate >= threshold) reasons.push("error_rate");
  }
  if (activeRegisterFailures(markers, now).length > 0) reasons.push("register_failure");
  return { status: reasons.length > 0 ? "degraded" : "online", reasons };
}
