import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { maintenanceEndedEvent, maintenanceStartedEvent } from "../events/constructors.ts";
import { decideAndCommit } from "../runtime/write-loop.ts";
import type { Maintenance, WorkspaceRecord } from "../store.ts";
import type { RegistryPolicy } from "../status/policy.ts";
import type { BulkMaintenanceInput, StartMaintenanceInput } from "./inputs.ts";

/** Workspaces one bulk request may touch: a pattern matching more is refused rather than half applied. */
const BULK_LIMIT = 1_000;

/**
 * The rule for a maintenance window: a reason, and an expiry in the future no further than the policy's maximum
 * (7 days by default), so a forgotten window cannot hide a real failure for long (Consul #5976).
 */
export function maintenanceWindow(args: { reason: string; until: string; by: string; now: number; policy: RegistryPolicy }): Maintenance {
  const until = Date.parse(args.until);
  if (until <= args.now) throw new RegistryError("maintenance_until_past", "the maintenance must end in the future");
  if (until - args.now > args.policy.maintenanceMaxMs) {
    throw new RegistryError("maintenance_too_long", `a maintenance may last ${args.policy.maintenanceMaxMs / 3_600_000} hours at most`);
  }
  return { reason: args.reason, until, by: args.by, since: args.now };
}

export function maintenanceView(maintenance: Maintenance | null) {
  if (maintenance === null) return null;
  const iso = (ms: number) => new Date(ms).toISOString();
  return { reason: maintenance.reason, until: iso(maintenance.until), by: maintenance.by, since: iso(maintenance.since) };
}

async function start(deps: RegistryDeps, workspace: WorkspaceRecord | null, terms: { reason: string; until: string }, operator: string) {
  const actor = `operator:${operator}`;
  return decideAndCommit(deps, workspace, async (current) => {
    const now = deps.clock();
    const maintenance = maintenanceWindow({ ...terms, by: operator, now, policy: deps.policy });
    return {
      change: {
        workspaceId: current.id,
        expectedVersion: current.version,
        at: now,
        patch: { maintenance },
        events: [maintenanceStartedEvent({ workspaceId: current.id, actor, at: now }, maintenance, current.maintenance !== null)],
      },
      result: { id: current.id, name: current.name, maintenance: maintenanceView(maintenance) },
    };
  });
}

async function end(deps: RegistryDeps, workspace: WorkspaceRecord | null, operator: string) {
  return decideAndCommit(deps, workspace, async (current) => {
    if (current.maintenance === null) return { change: null, result: { id: current.id, name: current.name, ended: false } };
    const actor = `operator:${operator}`;
    const now = deps.clock();
    return {
      change: {
        workspaceId: current.id,
        expectedVersion: current.version,
        at: now,
        patch: { maintenance: null },
        events: [maintenanceEndedEvent({ workspaceId: current.id, actor, at: now }, current.maintenance, false)],
      },
      result: { id: current.id, name: current.name, ended: true },
    };
  });
}

export async function startMaintenance(deps: RegistryDeps, input: StartMaintenanceInput, operator: string) {
  // Judged before the lookup too, so bad terms are a 400 whether or not the workspace exists.
  maintenanceWindow({ ...input, by: operator, now: deps.clock(), policy: deps.policy });
  return start(deps, await deps.store.getWorkspace(input.workspaceId), input, operator);
}

export async function endMaintenance(deps: RegistryDeps, workspaceId: string, operator: string) {
  return end(deps, await deps.store.getWorkspace(workspaceId), operator);
}

async function matching(deps: RegistryDeps, pattern: string) {
  const workspaces = await deps.store.workspacesByNamePattern(pattern, BULK_LIMIT + 1);
  if (workspaces.length > BULK_LIMIT) throw new RegistryError("invalid_body", `the pattern matches more than ${BULK_LIMIT} workspaces; narrow it`);
  return workspaces;
}

/** Maintenance for every workspace whose name matches now (a workspace created later is not included). */
export async function startBulkMaintenance(deps: RegistryDeps, input: BulkMaintenanceInput, operator: string) {
  maintenanceWindow({ ...input, by: operator, now: deps.clock(), policy: deps.policy });
  const workspaces = await matching(deps, input.pattern);
  const started = [];
  for (const workspace of workspaces) started.push(await start(deps, workspace, input, operator));
  return { pattern: input.pattern, workspaces: started };
}

export async function endBulkMaintenance(deps: RegistryDeps, pattern: string, operator: string) {
  const workspaces = await matching(deps, pattern);
  const ended = [];
  for (const workspace of workspaces) ended.push(await end(deps, workspace, operator));
  return { pattern, workspaces: ended.filter((result) => result.ended).map(({ id, name }) => ({ id, name })) };
}
