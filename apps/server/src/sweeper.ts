import { sweep, type RegistryDeps } from "@rollcall/registry-core";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

/**
 * Runs the liveness sweep on a fixed interval. Every server process runs one; the sweep's conditional writes
 * make that safe (each transition is committed once, by whichever process gets there first).
 */
export function startSweeper(deps: RegistryDeps, intervalMs: number, logger: Logger, metrics: Metrics) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let due = deps.clock() + intervalMs;
  let timer: NodeJS.Timeout;

  const tick = () => {
    metrics.sweepLagSeconds.set({}, Math.max(0, deps.clock() - due) / 1000);
    running = sweep(deps)
      .then((report) => {
        metrics.sweepSeconds.set({}, report.durationMs / 1000);
        metrics.sweepChanged.inc({}, report.changed);
        if (report.changed > 0) logger.info("sweep", { ...report });
      })
      .catch((error: unknown) => logger.error("sweep_failed", { error: String(error) }))
      .finally(() => {
        if (stopped) return;
        due = deps.clock() + intervalMs;
        timer = setTimeout(tick, intervalMs);
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
