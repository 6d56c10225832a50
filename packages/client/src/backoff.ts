export type BackoffPolicy = {
  /** The ceiling of the first retry's delay. */
  baseMs: number;
  /** No delay ever exceeds this. */
  capMs: number;
};

/** Register retries: 1 s doubling to 60 s, so a fleet restarted at once does not hammer a recovering server. */
export const REGISTER_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/**
 * Exponential backoff with "full jitter": a delay drawn uniformly from [0, min(cap, base·2^(attempt-1))).
 * Full jitter spreads a fleet's retries over the whole window, so runtimes that failed together do not
 * retry together (the Python runtime retried nothing and beat in lock-step, reference §7).
 * `attempt` counts failures so far, starting at 1.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `intervalMs` moved by up to ±`fraction` of itself, so beats from runtimes started together drift apart. */
export function jitterInterval(intervalMs: number, fraction: number, random: () => number): number {
  return Math.round(intervalMs * (1 + fraction * (2 * random() - 1)));
}
