import { statusChangeEvent } from "../events/constructors.ts";
import type { NewEvent } from "../events/event.ts";
import type { StatusEvidence } from "../events/payloads.ts";
import type { Marker } from "../markers/marker.ts";
import type { WorkspacePatch, WorkspaceRecord } from "../store.ts";
import { decideStatus, type Decision, type Health } from "./decide-status.ts";
import type { RegistryPolicy } from "./policy.ts";

export function healthOf(workspace: WorkspaceRecord): Health {
  return {
    errorRate: workspace.lastErrorRate,
    runtimeState: workspace.runtimeState,
    statusManaged: workspace.statusManaged,
  };
}

/**
 * Runs the status rule and turns its result into the row patch and, only when the status changes, exactly one
 * event. Callers commit both in one conditional write.
 */
export function planStatus(args: {
  workspace: WorkspaceRecord;
  /** The markers as they will be after this change (clears and stamps already applied). */
  markers: readonly Marker[];
  alive: Health | null;
  now: number;
  policy: RegistryPolicy;
  actor: string;
  evidence?: StatusEvidence;
  registrySuspect?: boolean;
}): { decision: Decision; patch: WorkspacePatch; events: NewEvent[] } {
  const { workspace, now } = args;
  const decision = decideStatus({
    workspace: {
      status: workspace.status,
      reasons: workspace.statusReasons,
      statusChangedAt: workspace.statusChangedAt,
      lastHeartbeatAt: workspace.lastHeartbeatAt,
      health: healthOf(workspace),
      recentTransitions: workspace.recentTransitions,
    },
    alive: args.alive,
    markers: args.markers,
    now,
    policy: args.policy,
    registrySuspect: args.registrySuspect,
  });
  const statusChanged = decision.status !== workspace.status;
  const reasonsChanged = !sameValues(decision.reasons, workspace.statusReasons);
  const patch: WorkspacePatch = {};
  if (!sameValues(decision.recentTransitions, workspace.recentTransitions)) patch.recentTransitions = decision.recentTransitions;
  if (!statusChanged && !reasonsChanged) return { decision, patch, events: [] };
  patch.statusReasons = decision.reasons;
  if (statusChanged) {
    patch.status = decision.status;
    patch.statusChangedAt = now;
  }
  const event = statusChangeEvent({
    workspaceId: workspace.id,
    from: workspace.status,
    to: decision.status,
    reasons: decision.reasons,
    previousReasons: workspace.statusReasons,
    actor: args.actor,
    at: now,
    evidence: args.evidence,
  });
  return { decision, patch, events: [event] };
}

function sameValues<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((reason, index) => reason === b[index]);
}
