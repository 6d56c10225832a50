import { restartContextDeliveredEvent, restartContextExpiredEvent, restartContextQueuedEvent } from "../events/constructors.ts";
import type { NewEvent } from "../events/event.ts";
import type { RegistryPolicy } from "../status/policy.ts";
import type { WorkspaceStatus } from "../status/statuses.ts";
import type { PendingRestartContext, RestartContext, WorkspacePatch, WorkspaceRecord } from "../store.ts";

/** A runtime came back if it speaks while the workspace is not live, or its uptime went backwards. */
function cameBack(workspace: WorkspaceRecord, uptimeSeconds: number | null): boolean {
  if (workspace.lastHeartbeatAt === null) return false; // a first boot has no previous session to report
  const wasDown = workspace.status === "offline" || workspace.status === "provisioning" || workspace.status === "failed";
  return wasDown || (uptimeSeconds !== null && uptimeSeconds < workspace.uptimeSeconds);
}

/**
 * What a restarted runtime is told (reference §6): when it restarted, when the previous session was last heard
 * from, and the gap. `awaitingRegister` holds delivery back until the NEW runtime has registered, so the old
 * container of an operator restart, still beating, can never take it (the reference's fresh-heartbeat guard).
 */
export function queueRestartContext(workspace: WorkspaceRecord, now: number, policy: RegistryPolicy, awaitingRegister: boolean): PendingRestartContext {
  const previousEnd = workspace.lastHeartbeatAt;
  return {
    context: {
      restart_at: new Date(now).toISOString(),
      previous_session_end: previousEnd === null ? null : new Date(previousEnd).toISOString(),
      gap_seconds: previousEnd === null ? null : Math.round((now - previousEnd) / 1000),
      expires_at: new Date(now + policy.restartContextTtlMs).toISOString(),
    },
    awaitingRegister,
  };
}

/**
 * Expires a context that waited too long, queues one when the runtime came back (keeping one already waiting:
 * it describes the session that really ended), and hands it over once the decided status is online. Delivery is
 * committed with the response's state, so it happens once.
 */
export function settleRestartContext(args: {
  workspace: WorkspaceRecord;
  /** How the runtime itself is speaking; absent when the sweeper only expires what waited too long. */
  runtime?: { registering: boolean; uptimeSeconds: number | null };
  nextStatus: WorkspaceStatus;
  now: number;
  policy: RegistryPolicy;
}): { patch: WorkspacePatch; events: NewEvent[]; delivered: RestartContext | null } {
  const { workspace, runtime, now } = args;
  const events: NewEvent[] = [];
  const before = workspace.pendingRestartContext;
  let pending = before;
  if (pending && Date.parse(pending.context.expires_at) <= now) {
    events.push(restartContextExpiredEvent(workspace.id, pending.context, now));
    pending = null;
  }
  let delivered: RestartContext | null = null;
  if (runtime) {
    if (!pending && cameBack(workspace, runtime.uptimeSeconds)) {
      pending = queueRestartContext(workspace, now, args.policy, false);
      events.push(restartContextQueuedEvent(workspace.id, pending.context, now));
    }
    if (pending && runtime.registering) pending = { ...pending, awaitingRegister: false };
    if (pending && !pending.awaitingRegister && args.nextStatus === "online") {
      events.push(restartContextDeliveredEvent(workspace.id, pending.context, now));
      delivered = pending.context;
      pending = null;
    }
  }
  return { patch: pending === before ? {} : { pendingRestartContext: pending }, events, delivered };
}
