import type { NewEvent } from "../events/event.ts";
import type { RegistryPolicy } from "../status/policy.ts";
import type { WorkspaceStatus } from "../status/statuses.ts";
import type { RestartContext, WorkspacePatch, WorkspaceRecord } from "../store.ts";

/** A runtime came back if it was not live before this request, or its uptime went backwards. */
export function cameBack(workspace: WorkspaceRecord, uptimeSeconds: number | null): boolean {
  if (workspace.lastHeartbeatAt === null) return false; // a first boot has no previous session to report
  const wasDown = workspace.status === "offline" || workspace.status === "provisioning" || workspace.status === "failed";
  return wasDown || (uptimeSeconds !== null && uptimeSeconds < workspace.uptimeSeconds);
}

export function restartContextFor(workspace: WorkspaceRecord, now: number, policy: RegistryPolicy): RestartContext {
  const previousEnd = workspace.lastHeartbeatAt;
  return {
    restart_at: new Date(now).toISOString(),
    previous_session_end: previousEnd === null ? null : new Date(previousEnd).toISOString(),
    gap_seconds: previousEnd === null ? null : Math.round((now - previousEnd) / 1000),
    queued_at: new Date(now).toISOString(),
    expires_at: new Date(now + policy.restartContextTtlMs).toISOString(),
  };
}

/**
 * Queues a restart context when the runtime came back (one per workspace: a newer restart replaces an older
 * pending one) and hands it over once the decided status is online. Delivery is recorded in the same
 * transaction as the response's state, so it happens once.
 */
export function settleRestartContext(args: {
  workspace: WorkspaceRecord;
  /** Present when the runtime itself is speaking (register: null uptime; heartbeat: its uptime); absent when
   * the sweeper only expires what waited too long. */
  runtime?: { uptimeSeconds: number | null };
  nextStatus: WorkspaceStatus;
  now: number;
  policy: RegistryPolicy;
}): { patch: WorkspacePatch; events: NewEvent[]; delivered: RestartContext | null } {
  const { workspace, now } = args;
  const events: NewEvent[] = [];
  let pending = workspace.pendingRestartContext;
  let changed = false;
  if (pending && Date.parse(pending.expires_at) <= now) {
    events.push(restartEvent("RESTART_CONTEXT_EXPIRED", workspace.id, pending, now));
    pending = null;
    changed = true;
  }
  if (!args.runtime) return { patch: changed ? { pendingRestartContext: null } : {}, events, delivered: null };
  if (cameBack(workspace, args.runtime.uptimeSeconds)) {
    pending = restartContextFor(workspace, now, args.policy);
    events.push(restartEvent("RESTART_CONTEXT_QUEUED", workspace.id, pending, now));
    changed = true;
  }
  let delivered: RestartContext | null = null;
  if (pending && args.nextStatus === "online") {
    events.push(restartEvent("RESTART_CONTEXT_DELIVERED", workspace.id, pending, now));
    delivered = pending;
    pending = null;
    changed = true;
  }
  return { patch: changed ? { pendingRestartContext: pending } : {}, events, delivered };
}

export function restartEvent(
  type: "RESTART_CONTEXT_QUEUED" | "RESTART_CONTEXT_DELIVERED" | "RESTART_CONTEXT_EXPIRED",
  workspaceId: string,
  context: RestartContext,
  at: number,
): NewEvent {
  return { type, workspaceId, actor: "registry", at, payload: { ...context } };
}
