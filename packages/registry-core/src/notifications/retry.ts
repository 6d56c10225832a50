/**
 * Delay before each retry, by the attempts failed so far: the first within a few seconds and four attempts in the
 * first minute (a receiver restarting is back by then), then growing to hours. The last step repeats until the
 * delivery's retry window (24 h by default) is over. Close to Standard Webhooks' suggested schedule, denser early.
 */
const RETRY_DELAYS_MS = [2_000, 5_000, 15_000, 60_000, 5 * 60_000, 30 * 60_000, 60 * 60_000, 2 * 3_600_000, 4 * 3_600_000, 8 * 3_600_000];

/** ±25 %: endpoints that failed together (a receiver's outage) do not all come back at the same instant. */
const JITTER = 0.25;

/** `random` in [0, 1) (Math.random in production, fixed in tests). */
export function retryDelayMs(failedAttempts: number, random: number): number {
  const base = RETRY_DELAYS_MS[Math.min(Math.max(failedAttempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}
