/** Failures allowed before the first lockout: enough for typos, far too few for guessing. */
export const FREE_FAILURES = 5;
const FIRST_LOCKOUT_MS = 30_000;
const MAX_LOCKOUT_MS = 15 * 60_000;

/**
 * Brute-force throttling per account: after FREE_FAILURES consecutive failures every further failure locks the
 * account for 30 s, doubling each time up to 15 min. At most ~100 guesses a day get through, while the owner is
 * never locked out for longer than 15 minutes. Returns when the lock ends, or null when there is none.
 */
export function lockedUntilAfterFailure(consecutiveFailures: number, now: number): number | null {
  if (consecutiveFailures < FREE_FAILURES) return null;
  const doublings = consecutiveFailures - FREE_FAILURES;
  return now + Math.min(MAX_LOCKOUT_MS, FIRST_LOCKOUT_MS * 2 ** Math.min(doublings, 30));
}
