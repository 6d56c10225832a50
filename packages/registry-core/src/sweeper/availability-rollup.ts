import { dayOf, hourStart, HOUR_MS, presenceFact, rollHour, type PresenceFact } from "../availability/rollup.ts";
import type { RegistryDeps } from "../deps.ts";

const WATERMARK = "availability_rolled_to";
/** An hour is rolled up this long after it ends, so an event stamped just before the hour's end has committed. */
const SETTLE_MS = 60_000;
/** Hours rolled per sweep at most, so a registry catching up never holds a sweep for long. */
const HOURS_PER_SWEEP = 24;

type Watermark = { rolledTo: number };

/** Every hour before this is rolled up (the current hour never is: reads compute it from the events). */
export async function availabilityRolledTo(deps: RegistryDeps): Promise<number> {
  return (await deps.store.readRegistryState<Watermark>(WATERMARK))?.value.rolledTo ?? hourStart(deps.clock());
}

/**
 * Folds the events of each finished hour into the workspaces' day rows, then moves the watermark past it; rows and
 * watermark commit together, conditional on the watermark's version, so with several server processes each hour is
 * rolled up once. Hours without events are skipped (nothing changed, so the rows already say where everyone stood).
 */
export async function rollUpAvailability(deps: RegistryDeps): Promise<number> {
  let rolled = 0;
  while (rolled < HOURS_PER_SWEEP) {
    const now = deps.clock();
    const settled = hourStart(now - SETTLE_MS);
    const stored = await deps.store.readRegistryState<Watermark>(WATERMARK);
    // A new database (or one from before rollups) starts at its oldest kept event, so its history is rolled up too.
    const rolledTo = stored?.value.rolledTo ?? hourStart(now - deps.policy.availabilityRetentionMs);
    if (rolledTo >= settled) return rolled;
    const [next] = await deps.store.presenceEvents({ from: rolledTo, to: settled, limit: 1 });
    const hour = next ? hourStart(next.at) : settled;
    const events = next ? await deps.store.presenceEvents({ from: hour, to: hour + HOUR_MS }) : [];
    const factsByWorkspace = new Map<string, PresenceFact[]>();
    for (const event of events) {
      const fact = presenceFact(event);
      if (!fact || event.workspaceId === null) continue;
      factsByWorkspace.set(event.workspaceId, [...(factsByWorkspace.get(event.workspaceId) ?? []), fact]);
    }
    const ids = [...factsByWorkspace.keys()];
    const previous = new Map((await deps.store.latestAvailabilityDays(ids, dayOf(hour))).map((row) => [row.workspaceId, row]));
    const rows = ids.map((id) => rollHour({ workspaceId: id, hour, facts: factsByWorkspace.get(id)!, previous: previous.get(id) ?? null }));
    const watermark = { key: WATERMARK, expectedVersion: stored?.version ?? 0, value: { rolledTo: next ? hour + HOUR_MS : settled } };
    if (await deps.store.commitRollup(watermark, rows)) rolled++;
  }
  return rolled;
}
