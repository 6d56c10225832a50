import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { planStatus } from "../status/plan-status.ts";
import { settleRestartContext } from "../runtime/restart-context.ts";
import { decideAndCommit } from "../runtime/write-loop.ts";
import { DAY_MS, dayOf } from "../availability/rollup.ts";
import { maintenanceEndedEvent } from "../events/constructors.ts";
import type { WorkspacePatch, WorkspaceRecord } from "../store.ts";
import { rollUpAvailability } from "./availability-rollup.ts";
import { settleSelfPreservation } from "./self-preservation.ts";

export type SweepReport = {
  candidates: number;
  changed: number;
  prunedSamples: number;
  /** Self-preservation holds after this sweep. */
  selfPreservation: boolean;
  rolledHours: number;
  durationMs: number;
  /** When a workspace next becomes due (its offline, provision or marker deadline), or null if none is pending. */
  nextDueAt: number | null;
};

/** Candidates read per round. */
const BATCH = 1_000;
/**
 * Candidates re-evaluated at once: their writes share a group commit (one transaction and one fsync for hundreds of
 * workspaces); one at a time, 10,000 workspaces going silent together took 79 s to mark offline with 100,000
 * beating. A whole round at once queued a thousand transitions ahead of the heartbeats that arrived meanwhile (their
 * p99 went from 20 to 163 ms); a wave of 200 is one group commit, and the heartbeats join the next (BENCHMARKS.md).
 */
const WAVE = 200;

/**
 * The database-authoritative liveness sweep (reference §5.6): silent workspaces go offline (or `unknown` while
 * self-preservation holds, decided first), stuck provisioning fails, expired markers stop degrading, flapping flags
 * and maintenance windows end, stale restart contexts expire, finished hours are rolled up. Each candidate goes through the same
 * status rule and conditional write as a heartbeat, so any number of server processes may sweep at once and
 * each transition still happens once, with one event.
 */
export async function sweep(deps: RegistryDeps): Promise<SweepReport> {
  const started = deps.clock();
  let candidates = 0;
  let changed = 0;
  const { active: registrySuspect } = await settleSelfPreservation(deps, started);
  for (;;) {
    const now = deps.clock();
    const rows = await deps.store.sweepCandidates({
      silentSince: now - deps.policy.offlineAfterMs,
      provisioningSince: now - deps.policy.provisionTimeoutMs,
      markersExpiredBy: now,
      flapQuietSince: now - deps.policy.flapQuietMs,
      registrySuspect,
      limit: BATCH,
    });
    candidates += rows.length;
    let changedThisRound = 0;
    for (let start = 0; start < rows.length; start += WAVE) {
      const results = await Promise.all(rows.slice(start, start + WAVE).map((row) => reevaluate(deps, row, registrySuspect)));
      changedThisRound += results.filter(Boolean).length;
    }
    changed += changedThisRound;
    // Stop when a round changed nothing: the remaining candidates are not due yet.
    if (rows.length < BATCH || changedThisRound === 0) break;
  }
  const prunedSamples = await deps.store.pruneSamples(deps.clock() - deps.policy.sampleRetentionMs);
  const rolledHours = await rollUpAvailability(deps);
  if (rolledHours > 0) await deps.store.pruneAvailability(dayOf(deps.clock() - deps.policy.availabilityRetentionMs - DAY_MS));
  return {
    candidates,
    changed,
    prunedSamples,
    selfPreservation: registrySuspect,
    rolledHours,
    durationMs: deps.clock() - started,
    nextDueAt: await nextDueAt(deps),
  };
}

/**
 * The soonest moment the status rule will judge some workspace differently without hearing from it: its offline,
 * provision-timeout, marker-expiry or flap-quiet deadline, or a maintenance window's end. The server sweeps again then (at the latest after its interval), so a
 * workspace that falls silent is marked offline when its 90 s are up, not up to one interval later.
 */
async function nextDueAt(deps: RegistryDeps): Promise<number | null> {
  const { policy } = deps;
  const deadlines = await deps.store.sweepDeadlines(deps.clock());
  const due = [
    deadlines.lastHeartbeatAt === null ? null : deadlines.lastHeartbeatAt + policy.offlineAfterMs,
    deadlines.provisioningSince === null ? null : deadlines.provisioningSince + policy.provisionTimeoutMs,
    deadlines.markerExpiresAt,
    deadlines.flappingSince === null ? null : deadlines.flappingSince + policy.flapQuietMs,
    deadlines.maintenanceUntil,
  ].filter((at): at is number => at !== null);
  return due.length === 0 ? null : Math.min(...due);
}

/** Runs the status rule without fresh evidence of life, and ends an expired maintenance; returns whether anything changed. */
async function reevaluate(deps: RegistryDeps, workspace: WorkspaceRecord, registrySuspect: boolean): Promise<boolean> {
  const actor = "sweeper";
  if (workspace.status === "removed") return false;
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
        registrySuspect,
        evidence: { last_heartbeat_at: current.lastHeartbeatAt === null ? null : new Date(current.lastHeartbeatAt).toISOString() },
      });
      const restart = settleRestartContext({ workspace: current, nextStatus: plan.decision.status, now, policy: deps.policy });
      const expiredWindow = current.maintenance !== null && current.maintenance.until <= now ? current.maintenance : null;
      const patch: WorkspacePatch = { ...plan.patch, ...restart.patch, ...(expiredWindow ? { maintenance: null } : {}) };
      if (Object.keys(patch).length === 0) return { change: null, result: false };
      const ended = expiredWindow ? [maintenanceEndedEvent({ workspaceId: current.id, actor, at: now }, expiredWindow, true)] : [];
      return {
        change: { workspaceId: current.id, expectedVersion: current.version, at: now, patch, events: [...plan.events, ...restart.events, ...ended] },
        result: true,
      };
    });
  } catch (error) {
    // Removed between the candidate query and the write: nothing to do.
    if (error instanceof RegistryError && error.reason === "workspace_removed") return false;
    throw error;
  }
}
