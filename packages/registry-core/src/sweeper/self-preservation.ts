import type { RegistryDeps } from "../deps.ts";
import { selfPreservationEnteredEvent, selfPreservationExitedEvent } from "../events/constructors.ts";
import {
  INITIAL_SELF_PRESERVATION,
  judgeSelfPreservation,
  silentCutoff,
  type LivenessCensus,
  type SelfPreservationState,
} from "../status/self-preservation.ts";
import type { RegistryStateRecord } from "../store.ts";

const KEY = "self_preservation";

export async function readSelfPreservation(deps: RegistryDeps): Promise<RegistryStateRecord<SelfPreservationState>> {
  return (await deps.store.readRegistryState<SelfPreservationState>(KEY)) ?? { value: INITIAL_SELF_PRESERVATION, version: 0 };
}

/** A decision on `census`, judged by the policy's threshold. */
function judgement(census: LivenessCensus, deps: RegistryDeps, at: number, actor: string) {
  return { census, share: deps.policy.selfPreservationShare, minLive: deps.policy.selfPreservationMinLive, actor, at };
}

/**
 * One sweep's self-preservation decision: counts the live workspaces and the silent ones, and enters or leaves the
 * state. Every process may decide at once; the compare-and-set on the one stored record lets a single one write the
 * change and its event, and the others adopt what it wrote.
 */
export async function settleSelfPreservation(deps: RegistryDeps, now: number): Promise<SelfPreservationState> {
  for (;;) {
    const stored = await readSelfPreservation(deps);
    // A healthy fleet is one index seek: the census (a count of every live workspace) is taken only once someone has
    // passed their deadline, the moment a decision is due, or while the state holds or waits to be re-armed.
    if (!stored.value.active && stored.value.dismissedBy === null) {
      const oldest = await deps.store.oldestLiveHeartbeat();
      if (oldest === null || now - oldest < deps.policy.offlineAfterMs) return stored.value;
    }
    const census = await deps.store.livenessCensus(silentCutoff(now, deps.policy));
    const judged = judgeSelfPreservation(stored.value, census, now, deps.policy);
    if (!judged) return stored.value;
    const events =
      judged.change === "entered"
        ? [selfPreservationEnteredEvent(judgement(census, deps, now, "sweeper"))]
        : judged.change === "exited"
          ? [selfPreservationExitedEvent(judgement(census, deps, now, "sweeper"), stored.value.since ?? now)]
          : [];
    if (await deps.store.commitRegistryState(KEY, stored.version, judged.next, events)) return judged.next;
  }
}

/**
 * An operator ends self-preservation: the fleet's silence is real. The silent workspaces go offline at the next
 * sweep, and the state does not begin again until the census has cleared (dismissedBy), so it cannot bounce back.
 */
export async function endSelfPreservation(deps: RegistryDeps, operator: string, reason: string) {
  for (;;) {
    const stored = await readSelfPreservation(deps);
    if (!stored.value.active) return { active: false, ended: false };
    const now = deps.clock();
    const census = await deps.store.livenessCensus(silentCutoff(now, deps.policy));
    const next: SelfPreservationState = { ...INITIAL_SELF_PRESERVATION, silent: census.silent, live: census.live, dismissedBy: operator };
    const event = selfPreservationExitedEvent(judgement(census, deps, now, `operator:${operator}`), stored.value.since ?? now, { operator, reason });
    if (await deps.store.commitRegistryState(KEY, stored.version, next, [event])) return { active: false, ended: true };
  }
}

/** What GET /api/self-preservation answers: the stored state with the census as it is now. */
export async function selfPreservationView(deps: RegistryDeps) {
  const now = deps.clock();
  const [stored, census] = await Promise.all([readSelfPreservation(deps), deps.store.livenessCensus(silentCutoff(now, deps.policy))]);
  return {
    active: stored.value.active,
    since: stored.value.since === null ? null : new Date(stored.value.since).toISOString(),
    silent: census.silent,
    live: census.live,
    threshold: { share: deps.policy.selfPreservationShare, min_live: deps.policy.selfPreservationMinLive },
    dismissed_by: stored.value.dismissedBy,
  };
}
