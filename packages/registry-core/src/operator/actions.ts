import { generateToken, hashToken, tokenPrefix } from "../auth/tokens.ts";
import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { statusChangeEvent } from "../events/event.ts";
import { isMarkerActive } from "../markers/marker.ts";
import { planStatus } from "../status/plan-status.ts";
import type { WorkspaceRecord } from "../store.ts";
import { clearMarker, decideAndCommit } from "../runtime/write-loop.ts";
import type { ClearMarkerInput } from "./inputs.ts";
import { markerView } from "./views.ts";

async function existingWorkspace(deps: RegistryDeps, workspaceId: string): Promise<WorkspaceRecord> {
  const workspace = await deps.store.getWorkspace(workspaceId);
  if (!workspace) throw new RegistryError("unknown_workspace", "workspace not found");
  if (workspace.status === "removed") throw new RegistryError("workspace_removed", "workspace removed");
  return workspace;
}

/**
 * An operator clears a marker with a reason. The clear is audited (who, why, status before and after) and the
 * status rule runs at once, so the workspace can recover in the same action.
 */
export async function clearMarkerByOperator(deps: RegistryDeps, input: ClearMarkerInput, operator: string) {
  const workspace = await existingWorkspace(deps, input.workspaceId);
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, workspace, async (current, markers) => {
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
        events: [
          {
            type: "MARKER_CLEARED" as const,
            workspaceId: current.id,
            actor,
            at: now,
            payload: {
              marker_id: cleared.id,
              kind: cleared.kind,
              reason: cleared.reason,
              by: actor,
              clear_reason: input.reason,
              status_before: current.status,
              status_after: statusAfter,
            },
          },
          ...plan.events,
        ],
      },
      result: { marker: markerView(cleared, now), status_before: current.status, status_after: statusAfter },
    };
  });
}

/** Issues a new token and revokes every older one in the same write: the old token stops working at once. */
export async function rotateToken(deps: RegistryDeps, workspaceId: string, operator: string) {
  const workspace = await existingWorkspace(deps, workspaceId);
  const token = generateToken();
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, workspace, async (current) => {
    const now = deps.clock();
    const issue = { id: deps.newId(), tokenHash: hashToken(token), prefix: tokenPrefix(token), createdAt: now };
    return {
      change: {
        workspaceId: current.id,
        expectedVersion: current.version,
        at: now,
        patch: {},
        tokens: { revokeAll: true, issue },
        events: [{ type: "TOKEN_ROTATED" as const, workspaceId: current.id, actor, at: now, payload: { token_id: issue.id, prefix: issue.prefix } }],
      },
      result: { id: current.id, token },
    };
  });
}

/** Removal is a tombstone: tokens revoked, nothing resurrects it. */
export async function removeWorkspace(deps: RegistryDeps, workspaceId: string, operator: string) {
  const workspace = await existingWorkspace(deps, workspaceId);
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, workspace, async (current) => {
    const now = deps.clock();
    return {
      change: {
        workspaceId: current.id,
        expectedVersion: current.version,
        at: now,
        patch: { status: "removed", statusReasons: [], statusChangedAt: now, removedAt: now, pendingRestartContext: null },
        tokens: { revokeAll: true },
        events: [statusChangeEvent({ workspaceId: current.id, from: current.status, to: "removed", reasons: [], actor, at: now })],
      },
      result: { id: current.id, status: "removed" as const },
    };
  });
}

/**
 * Restart: back to provisioning with no URL, until the new runtime registers. The last session's health is
 * forgotten so a stale wedge or error rate cannot judge the new one.
 */
export async function restartWorkspace(deps: RegistryDeps, workspaceId: string, operator: string) {
  const workspace = await existingWorkspace(deps, workspaceId);
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, workspace, async (current) => {
    const now = deps.clock();
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
        },
        events: [
          statusChangeEvent({ workspaceId: current.id, from: current.status, to: "provisioning", reasons: ["operator_restart"], actor, at: now, evidence: { name: current.name } }),
        ],
      },
      result: { id: current.id, status: "provisioning" as const },
    };
  });
}
