import { sweep, type RegistryDeps } from "@rollcall/registry-core";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

/** The sweep never runs again sooner than this after the last one ended, however soon the next deadline. */
const MIN_DELAY_MS = 100;

/** How long to wait for the next sweep: until just past the next deadline, within [MIN_DELAY_MS, interval]. */
export function nextSweepDelay(nextDueAt: number | null, now: number, intervalMs: number): number {
  if (nextDueAt === null) return intervalMs;
  // +1 ms: the candidate query's cutoff is inclusive of the deadline itself, and the clock must have reached it.
  return Math.min(intervalMs, Math.max(MIN_DELAY_MS, nextDueAt - now + 1));
}

/**
 * Runs the liveness sweep at least every interval, and sooner when a workspace becomes due: the sweep reports the
 * next offline, provision or marker deadline and the next sweep starts right after it, so a silent workspace is
 * marked offline when its 90 s are up rather than up to one interval later. Every server process runs one; the
 * sweep's conditional writes make that safe (each transition is committed once, by whichever process gets there
 * first).
 */
export function startSweeper(deps: RegistryDeps, intervalMs: number, logger: Logger, metrics: Metrics) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let due = deps.clock() + intervalMs;
  let timer: NodeJS.Timeout;

  const schedule = (nextDueAt: number | null) => {
    const now = deps.clock();
    const delay = nextSweepDelay(nextDueAt, now, intervalMs);
    due = now + delay;
    timer = setTimeout(tick, delay);
  };

  const tick = () => {
    metrics.sweepLagSeconds.set(Math.max(0, deps.clock() - due) / 1000);
    let nextDueAt: number | null = null;
    running = sweep(deps)
      .then((report) => {
        nextDueAt = report.nextDueAt;
        metrics.sweepSeconds.set(report.durationMs / 1000);
        metrics.sweepChanged.inc(report.changed);
        if (report.changed > 0) logger.info("sweep", { ...report });
      })
      .catch((error: unknown) => logger.error("sweep_failed", { error: String(error) }))
      .finally(() => {
        if (!stopped) schedule(nextDueAt);
      });
  };
  timer = setTimeout(tick, intervalMs);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
