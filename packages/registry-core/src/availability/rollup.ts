import { isStatusChange, type EventContent } from "../events/event.ts";
import { UP_STATUSES, type WorkspaceStatus } from "../status/statuses.ts";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Where a workspace stood: its status and whether it was in maintenance; null before it existed. */
export type Presence = { status: WorkspaceStatus; maintenance: boolean } | null;

/** What time is counted under: its status, or `maintenance` while in maintenance (that time never counts against it). */
export type TallyKey = WorkspaceStatus | "maintenance";
/** Seconds spent under each key. */
export type Tally = Partial<Record<TallyKey, number>>;

/** One change of where a workspace stood, read from an event. */
export type PresenceFact = {
  at: number;
  status?: { from: WorkspaceStatus | null; to: WorkspaceStatus };
  maintenance?: { from: boolean; to: boolean };
};

/**
 * One workspace's rollup for one UTC day: seconds per key for each hour it has rolled up (`through` is where that
 * stops), where it stood at the start of the day and where it stood at `through`. Written only for the days the
 * workspace changed on; a day without a row was spent wholly where the previous row ended (and the next one starts).
 */
export type AvailabilityDay = {
  workspaceId: string;
  /** Days since the epoch (UTC). */
  day: number;
  start: Presence;
  /** 24 entries; an hour at or after `through` is not rolled up in this row. */
  hours: Tally[];
  end: Presence;
  through: number;
};

export const dayOf = (at: number) => Math.floor(at / DAY_MS);
export const hourStart = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;

/** What the rollup reads of an event: its type, payload and time. */
type TimedEvent = EventContent & { at: number };

/** The facts events carry: status changes (`from`, `to`) and maintenance starts and ends. */
export function presenceFact(event: TimedEvent): PresenceFact | null {
  if (event.type === "MAINTENANCE_STARTED") return { at: event.at, maintenance: { from: event.payload.replaced, to: true } };
  if (event.type === "MAINTENANCE_ENDED") return { at: event.at, maintenance: { from: true, to: false } };
  // A change of reasons alone leaves the workspace where it stood.
  if (!isStatusChange(event) || event.type === "WORKSPACE_REASONS_CHANGED") return null;
  return { at: event.at, status: { from: event.payload.from, to: event.payload.to } };
}

/** Where a workspace stood just before `facts` (oldest first), given where it stands after them. */
export function presenceBefore(after: Presence, facts: readonly PresenceFact[]): Presence {
  const firstStatus = facts.find((fact) => fact.status)?.status;
  const firstMaintenance = facts.find((fact) => fact.maintenance)?.maintenance;
  const status = firstStatus ? firstStatus.from : (after?.status ?? null);
  if (status === null) return null;
  return { status, maintenance: firstMaintenance ? firstMaintenance.from : (after?.maintenance ?? false) };
}

export function applyFact(presence: Presence, fact: PresenceFact): Presence {
  const status = fact.status ? fact.status.to : (presence?.status ?? null);
  if (status === null) return null;
  return { status, maintenance: fact.maintenance ? fact.maintenance.to : (presence?.maintenance ?? false) };
}

const keyOf = (presence: NonNullable<Presence>): TallyKey => (presence.maintenance ? "maintenance" : presence.status);

export function addSeconds(tally: Tally, key: TallyKey, seconds: number): void {
  if (seconds > 0) tally[key] = Math.round(((tally[key] ?? 0) + seconds) * 1000) / 1000;
}

/**
 * Folds facts (oldest first, all within [from, to)) into per-hour tallies from `from` to `to`, starting where the
 * workspace stood at `from`. Returns the tallies by hour start and where it stood at `to`.
 */
export function foldHours(start: Presence, from: number, to: number, facts: readonly PresenceFact[]): { hours: Map<number, Tally>; end: Presence } {
  const hours = new Map<number, Tally>();
  let presence = start;
  let cursor = from;
  const spend = (until: number) => {
    while (cursor < until) {
      const hour = hourStart(cursor);
      const stop = Math.min(until, hour + HOUR_MS);
      const tally = hours.get(hour) ?? {};
      hours.set(hour, tally);
      if (presence) addSeconds(tally, keyOf(presence), (stop - cursor) / 1000);
      cursor = stop;
    }
  };
  for (const fact of facts) {
    spend(Math.max(cursor, Math.min(fact.at, to)));
    presence = applyFact(presence, fact);
  }
  spend(to);
  return { hours, end: presence };
}

/**
 * Rolls one hour into a workspace's day row: the hours between the row's `through` (or the day's start) and this
 * hour were spent where it stood (no fact touched them), then this hour's facts. `previous` is the row of this day if
 * there is one, else the workspace's last row before it; with neither, the facts themselves say where it stood.
 */
export function rollHour(args: { workspaceId: string; hour: number; facts: readonly PresenceFact[]; previous: AvailabilityDay | null }): AvailabilityDay {
  const { workspaceId, hour, facts, previous } = args;
  const day = dayOf(hour);
  const dayStart = day * DAY_MS;
  const sameDay = previous !== null && previous.day === day;
  const before = previous ? previous.end : presenceBefore(null, facts);
  const from = sameDay ? previous.through : dayStart;
  const hours = sameDay ? previous.hours.map((tally) => ({ ...tally })) : Array.from({ length: 24 }, (): Tally => ({}));
  const folded = foldHours(before, from, hour + HOUR_MS, facts);
  for (const [at, tally] of folded.hours) hours[(at - dayStart) / HOUR_MS] = tally;
  return { workspaceId, day, start: sameDay ? previous.start : before, hours, end: folded.end, through: hour + HOUR_MS };
}

/** Seconds per key for each hour of [from, to), from the rolled-up rows (up to `rolledTo`) and, after that, the facts. */
export function hourlyTallies(args: {
  rows: readonly AvailabilityDay[];
  /** Every hour before this is rolled up. */
  rolledTo: number;
  /** Facts since `rolledTo`, oldest first, and where the workspace stands now. */
  factsSince: readonly PresenceFact[];
  current: Presence;
  from: number;
  to: number;
}): Map<number, Tally> {
  const { rolledTo, from, to } = args;
  const rows = [...args.rows].sort((a, b) => a.day - b.day);
  const atRolledTo = presenceBefore(args.current, args.factsSince);
  const tallies = new Map<number, Tally>();
  const rolledEnd = Math.min(rolledTo, to);
  let rowIndex = 0;
  // Before the first row: where that row starts (no fact between); with no row at all, where it stood at rolledTo.
  let carry: Presence = rows[0] ? rows[0].start : atRolledTo;
  for (let hour = hourStart(from); hour < rolledEnd; hour += HOUR_MS) {
    while (rowIndex < rows.length && rows[rowIndex]!.day < dayOf(hour)) carry = rows[rowIndex++]!.end;
    const row = rows[rowIndex]?.day === dayOf(hour) ? rows[rowIndex]! : null;
    if (row && hour < row.through) tallies.set(hour, row.hours[(hour - row.day * DAY_MS) / HOUR_MS] ?? {});
    else {
      const presence = row ? row.end : carry;
      const tally: Tally = {};
      if (presence) addSeconds(tally, keyOf(presence), HOUR_MS / 1000);
      tallies.set(hour, tally);
    }
  }
  const live = foldHours(atRolledTo, Math.max(rolledTo, hourStart(from)), to, args.factsSince);
  for (const [hour, tally] of live.hours) tallies.set(hour, tally);
  return tallies;
}

export function sumTallies(tallies: Iterable<Tally>): Tally {
  const total: Tally = {};
  for (const tally of tallies) for (const [key, seconds] of Object.entries(tally)) addSeconds(total, key as TallyKey, seconds);
  return total;
}

/**
 * The available share of a tally: time up (online or degraded) over the time that counts. Maintenance, `unknown` (the
 * registry could not tell) and time after removal do not count either way. Null when nothing counts.
 */
export function availableFraction(tally: Tally): number | null {
  let up = 0;
  let counted = 0;
  for (const [key, seconds] of Object.entries(tally) as [TallyKey, number][]) {
    if (key === "maintenance" || key === "unknown" || key === "removed") continue;
    counted += seconds;
    if ((UP_STATUSES as readonly string[]).includes(key)) up += seconds;
  }
  return counted === 0 ? null : up / counted;
}

/** Worst first: the colour of a day in the 90-day strip. */
const SEVERITY: readonly TallyKey[] = ["failed", "offline", "unknown", "degraded", "provisioning", "maintenance", "online", "removed"];

export function worstOf(tally: Tally): TallyKey | null {
  return SEVERITY.find((key) => (tally[key] ?? 0) > 0) ?? null;
}

export type Outage = { start: number; end: number | null; reasons: string[] };

/**
 * Outages: from a transition out of online/degraded to the transition back, at the events' times, with every reason
 * given on the way. `events` are one workspace's status events, oldest first; an outage open at the end is ongoing.
 */
export function outagesOf(events: readonly TimedEvent[]): Outage[] {
  const outages: Outage[] = [];
  let open: Outage | null = null;
  for (const event of events) {
    const fact = presenceFact(event)?.status;
    if (!fact || !isStatusChange(event)) continue;
    const wasUp = fact.from !== null && UP_STATUSES.includes(fact.from);
    const isUp = UP_STATUSES.includes(fact.to);
    const { reasons } = event.payload;
    if (wasUp && !isUp) {
      open = { start: event.at, end: null, reasons: [...reasons] };
      outages.push(open);
    } else if (open && isUp) {
      open.end = event.at;
      open = null;
    } else if (open) {
      for (const reason of reasons) if (!open.reasons.includes(reason)) open.reasons.push(reason);
    }
  }
  return outages;
}
