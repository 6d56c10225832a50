/**
 * Waits `ms`, or less if `signal` aborts first. It resolves rather than rejects on abort, so a stopping loop
 * simply sees its signal set and exits; no AbortError needs catching.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Everything the SDK reads about time and chance, injectable so tests are fast and deterministic. */
export type Timing = {
  sleep: Sleep;
  /** A number in [0, 1), like `Math.random`. */
  random: () => number;
  /** Milliseconds since the epoch, like `Date.now`. */
  now: () => number;
};

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

export const systemTiming: Timing = { sleep, random: Math.random, now: Date.now };
