import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import type { ListedEvent } from "../store.ts";
import type { FleetInput, HeartbeatsInput, ListEventsInput, ListWorkspacesInput, WorkspaceIdInput } from "./inputs.ts";
import { weeklyAvailability } from "./availability.ts";
import { eventLogEntry, eventView, markerView, sampleView, workspaceView } from "./views.ts";

export async function listWorkspaces(deps: RegistryDeps, input: ListWorkspacesInput) {
  const rows = await deps.store.listWorkspaces(input);
  return {
    workspaces: rows.map(workspaceView),
    next_cursor: rows.length === input.limit ? (rows.at(-1)?.id ?? null) : null,
  };
}

/**
 * The console's fleet view in one call: the page (each row with its active markers, 7-day availability and status
 * changes in the last hour), how many match, and the counts per status for the tiles, all read at the same moment of
 * the clock.
 */
export async function listFleet(deps: RegistryDeps, input: FleetInput) {
  const now = deps.clock();
  const [page, counts] = await Promise.all([
    deps.store.fleetPage({
      status: input.status,
      search: input.search || undefined,
      sort: input.sort,
      descending: input.descending,
      offset: (input.page - 1) * input.pageSize,
      limit: input.pageSize,
    }),
    deps.store.countByStatus(),
  ]);
  const ids = page.rows.map((row) => row.id);
  const [markers, weekly, transitions] = await Promise.all([
    deps.store.activeMarkers(ids, now),
    weeklyAvailability(deps, page.rows, now),
    deps.store.transitionCounts(ids, now - 60 * 60_000),
  ]);
  return {
    workspaces: page.rows.map((row) => ({
      ...workspaceView(row),
      active_markers: markers.filter((m) => m.workspaceId === row.id).map((m) => markerView(m, now)),
      availability_7d: weekly.get(row.id) ?? null,
      transitions_1h: transitions.get(row.id) ?? 0,
    })),
    total: page.total,
    page: input.page,
    page_size: input.pageSize,
    counts,
    now: new Date(now).toISOString(),
  };
}
export type FleetPage = Awaited<ReturnType<typeof listFleet>>;

export async function countWorkspacesByStatus(deps: RegistryDeps) {
  return deps.store.countByStatus();
}

export async function getWorkspaceDetail(deps: RegistryDeps, { workspaceId }: WorkspaceIdInput) {
  const [workspace, markers] = await Promise.all([deps.store.getWorkspace(workspaceId), deps.store.allMarkers(workspaceId)]);
  if (!workspace) throw new RegistryError("unknown_workspace", "workspace not found");
  const now = deps.clock();
  return { ...workspaceView(workspace), markers: markers.map((marker) => markerView(marker, now)) };
}

export async function listEvents(deps: RegistryDeps, input: ListEventsInput) {
  const events = await deps.store.listEvents(input);
  return { events: events.map(eventView), next_cursor: nextEventCursor(events, input.limit) };
}

/** The whole event log: like listEvents, each event with its workspace's name. */
export async function listEventLog(deps: RegistryDeps, input: ListEventsInput) {
  const events = await deps.store.listEvents(input);
  return { events: events.map(eventLogEntry), next_cursor: nextEventCursor(events, input.limit) };
}

/** Paging back (newest first) continues below the smallest id; tailing continues above the largest. */
function nextEventCursor(events: readonly ListedEvent[], limit: number): number | null {
  return events.length === limit ? (events.at(-1)?.id ?? null) : null;
}

export async function listHeartbeats(deps: RegistryDeps, input: HeartbeatsInput) {
  const workspace = await deps.store.getWorkspace(input.workspaceId);
  if (!workspace) throw new RegistryError("unknown_workspace", "workspace not found");
  const since = deps.clock() - input.minutes * 60_000;
  const samples = await deps.store.listSamples(input.workspaceId, since);
  return {
    workspace_id: input.workspaceId,
    since: new Date(since).toISOString(),
    // A workspace keeps one sample per slot, the newest beat in it: a timeline counts samples, not heartbeats.
    slot_seconds: deps.policy.sampleSlotMs / 1000,
    // The lines a timeline draws come from the policy that decides the status, never from a copy in the client.
    thresholds: { degrade_error_rate: deps.policy.degradeErrorRate, recover_error_rate: deps.policy.recoverErrorRate },
    samples: samples.map(sampleView),
  };
}
