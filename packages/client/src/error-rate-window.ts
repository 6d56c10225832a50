type Bucket = { second: number; successes: number; errors: number };

export type ErrorRateWindowOptions = {
  /** How far back the rate looks; 60 s is what the Python runtime's docs promised (reference §7). */
  windowSeconds?: number;
  now?: () => number;
};

/**
 * The error rate of a runtime's real work over a true rolling window: outcomes older than the window drop out
 * as time passes, whether or not a heartbeat was sent. The Python runtime reset its counters after every POST
 * and never fed them at all, so `error_rate` was always 0 and the ≥ 0.5 degrade rule could not fire.
 *
 * Outcomes are counted in one-second buckets, so memory stays bounded however busy the runtime is.
 */
export class ErrorRateWindow {
  readonly windowSeconds: number;
  readonly #now: () => number;
  readonly #buckets: Bucket[] = [];
  #lastError: { second: number; message: string } | null = null;

  constructor(options: ErrorRateWindowOptions = {}) {
    this.windowSeconds = options.windowSeconds ?? 60;
    if (!(this.windowSeconds >= 1)) throw new RangeError("windowSeconds must be at least 1");
    this.#now = options.now ?? Date.now;
  }

  recordSuccess(): void {
    this.#bucket().successes++;
  }

  /** Counts one failed unit of work; `message` becomes the heartbeat's `sample_error`. */
  recordError(message?: string): void {
    const bucket = this.#bucket();
    bucket.errors++;
    if (message !== undefined) this.#lastError = { second: bucket.second, message };
  }

  /** Errors over all outcomes in the window; 0 when there were none (an idle runtime is not failing). */
  rate(): number {
    let successes = 0;
    let errors = 0;
    for (const bucket of this.#live()) {
      successes += bucket.successes;
      errors += bucket.errors;
    }
    const total = successes + errors;
    return total === 0 ? 0 : errors / total;
  }

  /** The latest error message still inside the window, or "" once it has aged out. */
  sampleError(): string {
    const oldest = this.#currentSecond() - this.windowSeconds + 1;
    return this.#lastError && this.#lastError.second >= oldest ? this.#lastError.message : "";
  }

  #currentSecond(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Drops buckets that left the window and returns the rest. */
  #live(): Bucket[] {
    const oldest = this.#currentSecond() - this.windowSeconds + 1;
    while (this.#buckets.length > 0 && this.#buckets[0]!.second < oldest) this.#buckets.shift();
    return this.#buckets;
  }

  #bucket(): Bucket {
    const second = this.#currentSecond();
    const buckets = this.#live();
    const last = buckets.at(-1);
    // A clock that steps backwards lands in the newest bucket rather than reordering the window.
    if (last && last.second >= second) return last;
    const bucket = { second, successes: 0, errors: 0 };
    buckets.push(bucket);
    return bucket;
  }
}
