import {
  availableFraction,
  dayOf,
  DAY_MS,
  HOUR_MS,
  hourlyTallies,
  hourStart,
  outagesOf,
  presenceFact,
  sumTallies,
  worstOf,
  type PresenceFact,
  type Tally,
} from "../availability/rollup.ts";
import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { STATUS_EVENT_TYPES } from "../events/event.ts";
import { availabilityRolledTo } from "../sweeper/availability-rollup.ts";
import type { AvailabilityDay } from "../availability/rollup.ts";
import type { RegistryEvent } from "../events/event.ts";
import type { WorkspaceRecord } from "../store.ts";

/** The windows the API reports, in hours. Each is whole hours ending with the current one (so it includes it). */
export const AVAILABILITY_WINDOWS = { "24h": 24, "7d": 7 * 24, "30d": 30 * 24, "90d": 90 * 24 } as const;

const iso = (ms: number) => new Date(ms).toISOString();

type Timeline = { workspace: WorkspaceRecord; rows: AvailabilityDay[]; sinceRolled: RegistryEvent[] };

/** Per-hour tallies of one workspace over its last `hours` hours (never before it was created, nor after its removal). */
function tallies({ workspace, rows, sinceRolled }: Timeline, rolledTo: number, hours: number, now: number) {
  const facts = sinceRolled.map(presenceFact).filter((fact): fact is PresenceFact => fact !== null);
  const from = Math.max(hourStart(now) - (hours - 1) * HOUR_MS, workspace.createdAt);
  const to = workspace.removedAt ?? now;
  const current = { status: workspace.status, maintenance: workspace.maintenance !== null };
  return hourlyTallies({ rows, rolledTo, factsSince: facts, current, from, to: Math.max(from, to) });
}

/** Reads what the tallies of these workspaces over `hours` need: their rollup rows and their events since the watermark. */
async function timelines(deps: RegistryDeps, workspaces: WorkspaceRecord[], hours: number, now: number) {
  const ids = workspaces.map((workspace) => workspace.id);
  const rolledTo = await availabilityRolledTo(deps);
  const [rows, events] = await Promise.all([
    ids.length === 0 ? [] : deps.store.availabilityDays(ids, dayOf(hourStart(now) - hours * HOUR_MS)),
    ids.length === 0 ? [] : deps.store.presenceEvents({ workspaceIds: ids, from: rolledTo }),
  ]);
  const byId = new Map(workspaces.map((workspace): [string, Timeline] => [workspace.id, { workspace, rows: [], sinceRolled: [] }]));
  for (const row of rows) byId.get(row.workspaceId)?.rows.push(row);
  for (const event of events) if (event.workspaceId !== null) byId.get(event.workspaceId)?.sinceRolled.push(event);
  return { rolledTo, byId };
}

/** The 7-day available share of each workspace (the fleet page's column). */
export async function weeklyAvailability(deps: RegistryDeps, workspaces: WorkspaceRecord[], now: number): Promise<Map<string, number | null>> {
  const hours = AVAILABILITY_WINDOWS["7d"];
  const { rolledTo, byId } = await timelines(deps, workspaces, hours, now);
  return new Map([...byId].map(([id, timeline]) => [id, availableFraction(sumTallies(tallies(timeline, rolledTo, hours, now).values()))]));
}

/**
 * GET /api/workspaces/:id/availability: the available share over 24 h, 7 d, 30 d and 90 d, seconds per status for
 * each of the last 90 days (UTC), and the outages. A workspace younger than a window is measured over its life.
 */
export async function workspaceAvailability(deps: RegistryDeps, workspaceId: string) {
  const workspace = await deps.store.getWorkspace(workspaceId);
  if (!workspace) throw new RegistryError("unknown_workspace", "workspace not found");
  const now = deps.clock();
  const hours = AVAILABILITY_WINDOWS["90d"];
  const { rolledTo, byId } = await timelines(deps, [workspace], hours, now);
  const hourly = tallies(byId.get(workspace.id)!, rolledTo, hours, now);
  const windows = Object.fromEntries(
    Object.entries(AVAILABILITY_WINDOWS).map(([name, span]) => {
      const from = hourStart(now) - (span - 1) * HOUR_MS;
      return [name, availableFraction(sumTallies([...hourly].filter(([hour]) => hour >= from).map(([, tally]) => tally)))];
    }),
  ) as Record<keyof typeof AVAILABILITY_WINDOWS, number | null>;

  const days = new Map<number, Tally[]>();
  for (let day = dayOf(now) - 89; day <= dayOf(now); day++) days.set(day, []);
  for (const [hour, tally] of hourly) days.get(dayOf(hour))?.push(tally);

  const statusEvents = await deps.store.presenceEvents({ workspaceIds: [workspace.id], from: now - hours * HOUR_MS });
  const outages = outagesOf(statusEvents.filter((event) => STATUS_EVENT_TYPES.includes(event.type)));
  return {
    workspace_id: workspace.id,
    now: iso(now),
    windows,
    days: [...days].map(([day, tallies]) => {
      const total = sumTallies(tallies);
      return { date: iso(day * DAY_MS).slice(0, 10), seconds_by_status: total, worst_status: worstOf(total), available: availableFraction(total) };
    }),
    outages: outages.reverse().map((outage) => ({
      start: iso(outage.start),
      end: outage.end === null ? null : iso(outage.end),
      duration_seconds: Math.round(((outage.end ?? now) - outage.start) / 1000),
      reasons: outage.reasons,
    })),
  };
}

/** The fleet overview: status counts at the start of each 15-minute bucket over the last 24 h and now, and changes per minute. */
export async function fleetOverview(deps: RegistryDeps) {
  const now = deps.clock();
  const bucketMs = 15 * 60_000;
  const from = now - DAY_MS;
  const [counts, events] = await Promise.all([deps.store.countByStatus(), deps.store.presenceEvents({ from })]);
  const statusChanges = events.flatMap((event) => {
    const fact = presenceFact(event);
    return fact?.status ? [{ at: event.at, ...fact.status }] : [];
  });
  // Walk back from now: undo each change, newest first, to get the counts at each earlier bucket's start.
  const running = { ...counts };
  // The last point is now, so a change of the last few minutes shows before its bucket closes.
  const buckets: { at: string; counts: typeof counts }[] = [{ at: iso(now), counts: { ...counts } }];
  let index = statusChanges.length - 1;
  for (let at = Math.floor(now / bucketMs) * bucketMs; at >= from; at -= bucketMs) {
    for (; index >= 0 && statusChanges[index]!.at >= at; index--) {
      const change = statusChanges[index]!;
      running[change.to] -= 1;
      if (change.from !== null) running[change.from] += 1;
    }
    buckets.push({ at: iso(at), counts: { ...running } });
  }
  const perMinute = new Map<number, number>();
  for (const change of statusChanges) perMinute.set(Math.floor(change.at / 60_000), (perMinute.get(Math.floor(change.at / 60_000)) ?? 0) + 1);
  const transitions = [];
  for (let minute = Math.floor(from / 60_000) + 1; minute <= Math.floor(now / 60_000); minute++) {
    transitions.push({ at: iso(minute * 60_000), count: perMinute.get(minute) ?? 0 });
  }
  return { now: iso(now), buckets: buckets.reverse(), transitions_per_minute: transitions };
}
