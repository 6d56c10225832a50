/**
 * Counts failures per key in a fixed window. Per process: with several processes behind a balancer each one
 * enforces its own limit, which still bounds token guessing to (processes x limit) tries per window.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number,
  ) {}

  isBlocked(key: string): boolean {
    const entry = this.windows.get(key);
    if (!entry) return false;
    if (this.clock() - entry.start >= this.windowMs) {
      this.windows.delete(key);
      return false;
    }
    return entry.failures >= this.limit;
  }

  recordFailure(key: string): void {
    const now = this.clock();
    const entry = this.windows.get(key);
    if (!entry || now - entry.start >= this.windowMs) this.windows.set(key, { start: now, failures: 1 });
    else entry.failures += 1;
    // Bound memory under a spray of addresses: forget windows that have run out.
    if (this.windows.size > 10_000) {
      for (const [k, v] of this.windows) if (now - v.start >= this.windowMs) this.windows.delete(k);
    }
  }
}
