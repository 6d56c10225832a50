import { issueToken } from "../auth/tokens.ts";
import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { markerClearedEvent, restartContextQueuedEvent, statusChangeEvent, tokenRotatedEvent } from "../events/constructors.ts";
import { clearMarker, isMarkerActive } from "../markers/marker.ts";
import { planStatus } from "../status/plan-status.ts";
import { queueRestartContext } from "../runtime/restart-context.ts";
import { decideAndCommit } from "../runtime/write-loop.ts";
import type { ClearMarkerInput } from "./inputs.ts";
import { markerView } from "./views.ts";

/**
 * An operator clears a marker with a reason. The clear is audited (who, why, status before and after) and the
 * status rule runs at once, so the workspace can recover in the same action.
 */
export async function clearMarkerByOperator(deps: RegistryDeps, input: ClearMarkerInput, operator: string) {
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, await deps.store.getWorkspace(input.workspaceId), async (current, markers) => {
    const now = deps.clock();
    const target = (await deps.store.allMarkers(current.id)).find((m) => m.id === input.markerId);
    if (!target) throw new RegistryError("unknown_marker", "marker not found");
    if (!isMarkerActive(target, now)) throw new RegistryError("marker_not_active", "marker is not active (already cleared or expired)");
    const cleared = clearMarker(target, now, actor, input.reason);
    const plan = planStatus({
      workspace: current,
      markers: markers.map((m) => (m.id === cleared.id ? cleared : m)),
      alive: null,
      now,
      policy: deps.policy,
      actor,
      evidence: { marker_id: cleared.id, clear_reason: input.reason },
    });
    const statusAfter = plan.decision.status;
    return {
      change: {
        workspaceId: current.id,
        expectedVersion: current.version,
        at: now,
        patch: plan.patch,
        upsertMarkers: [cleared],
        events: [markerClearedEvent(cleared, { before: current.status, after: statusAfter }), ...plan.events],
      },
      result: { marker: markerView(cleared, now), status_before: current.status, status_after: statusAfter },
    };
  });
}

/** Issues a new token and revokes every older one in the same write: the old token stops working at once. */
export async function rotateToken(deps: RegistryDeps, workspaceId: string, operator: string) {
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, await deps.store.getWorkspace(workspaceId), async (current) => {
    const now = deps.clock();
    const { token, record: issue } = issueToken(deps.newId(), now);
    return {
      change: {
        workspaceId: current.id,
        expectedVersion: current.version,
        at: now,
        patch: {},
        tokens: { revokeAll: true, issue },
        events: [tokenRotatedEvent({ workspaceId: current.id, actor, at: now }, issue)],
      },
      result: { id: current.id, token },
    };
  });
}

/** Removal is a tombstone: tokens revoked, nothing resurrects it. */
export async function removeWorkspace(deps: RegistryDeps, workspaceId: string, operator: string) {
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, await deps.store.getWorkspace(workspaceId), async (current) => {
    const now = deps.clock();
    return {
      change: {
        workspaceId: current.id,
        expectedVersion: current.version,
        at: now,
        patch: { status: "removed", statusReasons: [], statusChangedAt: now, removedAt: now, pendingRestartContext: null },
        tokens: { revokeAll: true },
        events: [
          statusChangeEvent({
            workspaceId: current.id,
            from: current.status,
            to: "removed",
            reasons: [],
            previousReasons: current.statusReasons,
            actor,
            at: now,
          }),
        ],
      },
      result: { id: current.id, status: "removed" as const },
    };
  });
}

/**
 * Restart: back to provisioning with no URL, until the new runtime registers. The last session's health is
 * forgotten so a stale wedge or error rate cannot judge the new one. The restart context is captured now, before
 * the new runtime starts, and waits for that runtime's register.
 */
export async function restartWorkspace(deps: RegistryDeps, workspaceId: string, operator: string) {
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, await deps.store.getWorkspace(workspaceId), async (current) => {
    const now = deps.clock();
    const pending = queueRestartContext(current, now, deps.policy, true);
    return {
      change: {
        workspaceId: current.id,
        expectedVersion: current.version,
        at: now,
        patch: {
          status: "provisioning",
          statusReasons: ["operator_restart"],
          statusChangedAt: now,
          url: null,
          lastErrorRate: 0,
          lastSampleError: "",
          runtimeState: "",
          activeTasks: 0,
          currentTask: "",
          statusManaged: false,
          pendingRestartContext: pending,
        },
        events: [
          statusChangeEvent({
            workspaceId: current.id,
            from: current.status,
            to: "provisioning",
            reasons: ["operator_restart"],
            previousReasons: current.statusReasons,
            actor,
            at: now,
            evidence: { name: current.name },
          }),
          restartContextQueuedEvent(current.id, pending.context, now),
        ],
      },
      result: { id: current.id, status: "provisioning" as const },
    };
  });
}
