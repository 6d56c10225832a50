import type { RegistryPolicy } from "./policy.ts";

/** The live workspaces (online, degraded, unknown) and how many of them have gone quiet together. */
export type LivenessCensus = { live: number; silent: number };

/** Self-preservation as stored: one record for the whole registry, shared by every server process. */
export type SelfPreservationState = {
  active: boolean;
  /** When it began (null while inactive). */
  since: number | null;
  /** The census that made the last decision. */
  silent: number;
  live: number;
  /** An operator ended this episode: it does not begin again until the fleet is heard from (the census clears). */
  dismissedBy: string | null;
};

export const INITIAL_SELF_PRESERVATION: SelfPreservationState = { active: false, since: null, silent: 0, live: 0, dismissedBy: null };

/**
 * How long a workspace must have been silent to count as silent in the census: one heartbeat interval short of the
 * offline deadline, the deadline being three missed beats (90 s for the 30 s default, so 60 s). Deadlines cross one by
 * one (each workspace beat at its own moment in the interval), so when a partition's first workspace reaches its
 * deadline, every workspace cut off with it has already missed this much; the decision sees the whole partition at the
 * first deadline, before anyone is marked offline.
 */
export function silentCutoff(now: number, policy: RegistryPolicy): number {
  const interval = policy.offlineAfterMs / 3;
  return now - (policy.offlineAfterMs - interval);
}

/** Too many live workspaces silent together to believe: the registry suspects itself. */
export function registryIsSuspect(census: LivenessCensus, policy: RegistryPolicy): boolean {
  return census.live >= policy.selfPreservationMinLive && census.silent >= census.live * policy.selfPreservationShare;
}

/**
 * The next self-preservation state, or null when nothing changes. It begins when the census is suspect (unless an
 * operator dismissed this episode) and ends by itself as soon as it is not: the silent workspaces stay `unknown` and
 * counted as live while it holds, so the share falls only as runtimes are heard from again. Unlike Eureka's, it never
 * outlives the silence that started it; unlike Kubernetes' slowed evictions, nobody is marked offline meanwhile.
 */
export function judgeSelfPreservation(
  state: SelfPreservationState,
  census: LivenessCensus,
  now: number,
  policy: RegistryPolicy,
): { next: SelfPreservationState; change: "entered" | "exited" | "rearmed" } | null {
  const suspect = registryIsSuspect(census, policy);
  if (!state.active && suspect && state.dismissedBy === null) {
    return { next: { active: true, since: now, silent: census.silent, live: census.live, dismissedBy: null }, change: "entered" };
  }
  if (state.active && !suspect) return { next: { ...INITIAL_SELF_PRESERVATION, silent: census.silent, live: census.live }, change: "exited" };
  if (!state.active && !suspect && state.dismissedBy !== null)
    return { next: { ...INITIAL_SELF_PRESERVATION, silent: census.silent, live: census.live }, change: "rearmed" };
  return null;
}
