import { formatTimestamp } from "./time.ts";

/** Self-preservation as the registry reports it (selfPreservation.get). */
export type SelfPreservation = { active: boolean; since: string | null; silent: number; live: number };

/**
 * The console-wide banner while the registry suspects itself, or null when it does not: how many went silent
 * together, since when, and what that means for the statuses an operator sees everywhere else.
 */
export function selfPreservationBanner(state: SelfPreservation): string | null {
  if (!state.active) return null;
  const since = state.since === null ? "" : ` since ${formatTimestamp(state.since)}`;
  return `The registry suspects itself: ${state.silent} of ${state.live} live workspaces went silent together${since}. ` + "They show as unknown, not offline.";
}
