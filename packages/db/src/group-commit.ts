import type { RegistryStore, WorkspaceChange } from "@rollcall/registry-core";

type Pending = { change: WorkspaceChange; resolve: (committed: boolean) => void; reject: (error: unknown) => void };

export type GroupCommitOptions = {
  /** Most changes in one batch. */
  maxBatch: number;
  /** Batches in flight at once: a few transactions for PostgreSQL; on SQLite more, since its writer thread merges
   * the batches waiting for it into one transaction. */
  maxInFlight: number;
  /** A batch this large goes at once, while the requests behind it are still being read. */
  flushAt: number;
};

/**
 * Group commit: changes that arrive while earlier ones are being written wait and go together in a batch (one
 * transaction; on SQLite the writer thread also merges the batches waiting for it), so one fsync covers many
 * heartbeats. Each caller is answered only after its own change committed (or lost its version race), so durability
 * and correctness are those of the one-at-a-time path.
 *
 * When a batch goes: at once if nothing is in flight (an idle store adds no wait), once `flushAt` changes wait, and
 * otherwise at the end of this turn of the event loop. Waiting for the end of the turn alone made a convoy: a burst
 * of requests was read whole before its one batch went, so the writer idled while the request thread parsed and the
 * request thread idled while the writer committed (BENCHMARKS.md).
 */
export function withGroupCommit(store: RegistryStore, options: GroupCommitOptions): RegistryStore {
  const queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || inFlight >= options.maxInFlight || queue.length === 0) return;
    scheduled = true;
    // Let every request already parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  };

  async function flush() {
    if (inFlight >= options.maxInFlight) return;
    const batch = queue.splice(0, options.maxBatch);
    if (batch.length === 0) return;
    inFlight++;
    schedule();
    try {
      const results = await store.commitMany(batch.map((pending) => pending.change));
      batch.forEach((pending, index) => pending.resolve(results[index] ?? false));
    } catch (error) {
      // One bad change must not fail its neighbours: retry each alone, so only the culprit sees the error.
      if (batch.length === 1) batch[0]?.reject(error);
      else
        for (const pending of batch) {
          await store.commitMany([pending.change]).then(([ok]) => pending.resolve(ok ?? false), pending.reject);
        }
    } finally {
      inFlight--;
      schedule();
    }
  }

  return {
    ...store,
    commit(change) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ change, resolve, reject });
        if (inFlight === 0 || queue.length >= options.flushAt) void flush();
        else schedule();
      });
    },
  };
}
