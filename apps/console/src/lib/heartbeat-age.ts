import { ageMs } from "./time.ts";

export type Freshness = "fresh" | "late" | "stale" | "never";

/**
 * Runtimes beat every 30 s: one beat late (under 45 s) is normal jitter. Stale is the registry's own offline
 * threshold (`offlineAfterMs`, 90 s by default: three missed beats), so the colour turns red exactly when the
 * sweeper may call the workspace offline; "late" is everything between.
 */
export const FRESH_UNDER_MS = 45_000;

export function heartbeatFreshness(lastHeartbeatAt: string | null, now: number, offlineAfterMs: number): Freshness {
  const age = ageMs(lastHeartbeatAt, now);
  if (age === null) return "never";
  if (age >= offlineAfterMs) return "stale";
  // With a short offline threshold (the demo's 20 s) "late" starts halfway to it.
  if (age < Math.min(FRESH_UNDER_MS, offlineAfterMs / 2)) return "fresh";
  return "late";
}
