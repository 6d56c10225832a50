import { attemptDelivery, claimDeliveries, fanOut, pruneDeliveryLog, type RegistryDeps, type Send, type Settlement } from "@rollcall/registry-core";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";

/** The delivery log is pruned of old settled deliveries this often (and at start). */
const PRUNE_EVERY_MS = 3_600_000;

export type NotifierOptions = {
  /** This process, as the outbox's lease owner. */
  owner: string;
  send: Send;
  /** How often the event table and the outbox are looked at when there is nothing to do. */
  pollMs: number;
  /** Attempts in flight at once from this process. */
  concurrency: number;
  logger: Logger;
  metrics: Metrics;
};

/**
 * Every server process runs one: it fans new events out into the outbox (fan-out.ts) and delivers what is due, up
 * to `concurrency` attempts at once. Both steps are safe with several processes on one database: the fan-out moves
 * its watermark by compare-and-set and each delivery is leased to one process at a time.
 */
export function startNotifier(deps: RegistryDeps, options: NotifierOptions) {
  const { logger, metrics } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  let pumping: Promise<void> | null = null;
  const inFlight = new Set<Promise<void>>();
  let prunedAt = 0;

  /**
   * Outcomes that finish in the same turn of the event loop are committed in one transaction (one fsync on SQLite
   * instead of one per delivery), as the heartbeat path's group commit does.
   */
  let waiting: { settlement: Settlement; done: (settled: boolean) => void; failed: (error: unknown) => void }[] = [];
  const settle = (settlement: Settlement) =>
    new Promise<boolean>((done, failed) => {
      if (waiting.push({ settlement, done, failed }) > 1) return;
      setImmediate(() => {
        const batch = waiting;
        waiting = [];
        deps.store.notifications.settleAttempts(batch.map((entry) => entry.settlement)).then(
          (settled) => batch.forEach((entry, index) => entry.done(settled[index]!)),
          (error: unknown) => batch.forEach((entry) => entry.failed(error)),
        );
      });
    });

  /**
   * Claims what is due while there is room in the flight. A finished attempt claims again only once half the flight
   * is free, so a backlog is claimed in batches rather than one claim per delivery.
   */
  function pump(): Promise<void> {
    if (stopped) return Promise.resolve();
    pumping ??= claimAndStart().finally(() => {
      pumping = null;
    });
    return pumping;
  }

  async function claimAndStart() {
    try {
      while (!stopped && inFlight.size < options.concurrency) {
        const claimed = await claimDeliveries(deps, options.owner, options.concurrency - inFlight.size);
        if (claimed.length === 0) break;
        for (const { delivery, endpoint } of claimed) {
          const attempt = attemptDelivery(deps, { delivery, endpoint, owner: options.owner, send: options.send, settle, random: Math.random })
            .then((outcome) => metrics.notificationDeliveries.inc({ outcome }))
            .catch((error: unknown) => logger.error("notification_attempt_failed", { delivery: delivery.id, error: String(error) }))
            .finally(() => {
              inFlight.delete(attempt);
              if (inFlight.size <= options.concurrency / 2) void pump();
            });
          inFlight.add(attempt);
        }
      }
    } catch (error) {
      logger.error("notification_claim_failed", { error: String(error) });
    }
  }

  const tick = () => {
    ticking = (async () => {
      try {
        // A storm is fanned out in steps of a thousand events; all of them before anything waits a poll.
        for (let step = await fanOut(deps); !step.caughtUp && !stopped; step = await fanOut(deps));
      } catch (error) {
        logger.error("notification_fan_out_failed", { error: String(error) });
      }
      await pump();
      if (deps.clock() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = deps.clock();
        await pruneDeliveryLog(deps).catch((error: unknown) => logger.error("notification_prune_failed", { error: String(error) }));
      }
    })().finally(() => {
      if (!stopped) timer = setTimeout(tick, options.pollMs);
    });
  };
  timer = setTimeout(tick, 0);

  return {
    /** Stops taking work and lets the attempts in flight finish and be recorded (each ends within its 5 s timeout). */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      // A claim that an attempt's end started may still be running: what it leases is this process's to send and record.
      await pumping;
      await Promise.all(inFlight);
    },
  };
}
