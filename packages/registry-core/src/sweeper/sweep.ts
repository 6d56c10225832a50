import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { planStatus } from "../status/plan-status.ts";
import { settleRestartContext } from "../runtime/restart-context.ts";
import { decideAndCommit } from "../runtime/write-loop.ts";

export type SweepReport = { candidates: number; changed: number; prunedSamples: number; durationMs: number };

const BATCH = 1_000;
/**
 * Candidates re-evaluated at once. Their writes then share a group commit (one transaction and one fsync for many
 * workspaces) instead of queueing one by one behind heartbeat batches: at 100,000 workspaces beating, 10,000 going
 * silent together took 79 s to mark one at a time (BENCHMARKS.md, fleet scale).
 */
const CONCURRENT = 200;

/**
 * The database-authoritative liveness sweep (reference §5.6): silent workspaces go offline, stuck provisioning
 * fails, expired markers stop degrading, stale restart contexts expire. Each candidate goes through the same
 * status rule and conditional write as a heartbeat, so any number of server processes may sweep at once and
 * each transition still happens once, with one event.
 */
export async function sweep(deps: RegistryDeps): Promise<SweepReport> {
  const started = deps.clock();
  let candidates = 0;
  let changed = 0;
  for (;;) {
    const now = deps.clock();
    const ids = await deps.store.sweepCandidates({
      silentSince: now - deps.policy.offlineAfterMs,
      provisioningSince: now - deps.policy.provisionTimeoutMs,
      markersExpiredBy: now,
      limit: BATCH,
    });
    candidates += ids.length;
    let changedThisRound = 0;
    for (let start = 0; start < ids.length; start += CONCURRENT) {
      const results = await Promise.all(ids.slice(start, start + CONCURRENT).map((id) => reevaluate(deps, id, "sweeper")));
      changedThisRound += results.filter(Boolean).length;
    }
    changed += changedThisRound;
    // Stop when a round changed nothing: the remaining candidates are not due yet.
    if (ids.length < BATCH || changedThisRound === 0) break;
  }
  const prunedSamples = await deps.store.pruneSamples(deps.clock() - deps.policy.sampleRetentionMs);
  return { candidates, changed, prunedSamples, durationMs: deps.clock() - started };
}

/** Runs the status rule without fresh evidence of life; returns whether anything changed. */
async function reevaluate(deps: RegistryDeps, workspaceId: string, actor: string): Promise<boolean> {
  const workspace = await deps.store.getWorkspace(workspaceId);
  if (!workspace || workspace.status === "removed") return false;
  try {
    return await decideAndCommit(deps, workspace, async (current, markers) => {
      const now = deps.clock();
      const plan = planStatus({
        workspace: current,
        markers,
        alive: null,
        now,
        policy: deps.policy,
        actor,
        evidence: { last_heartbeat_at: current.lastHeartbeatAt === null ? null : new Date(current.lastHeartbeatAt).toISOString() },
      });
      const restart = settleRestartContext({ workspace: current, nextStatus: plan.decision.status, now, policy: deps.policy });
      const patch = { ...plan.patch, ...restart.patch };
      if (Object.keys(patch).length === 0) return { change: null, result: false };
      return {
        change: { workspaceId: current.id, expectedVersion: current.version, at: now, patch, events: [...plan.events, ...restart.events] },
        result: true,
      };
    });
  } catch (error) {
    // Removed between the candidate query and the write: nothing to do.
    if (error instanceof RegistryError && error.reason === "workspace_removed") return false;
    throw error;
  }
}
