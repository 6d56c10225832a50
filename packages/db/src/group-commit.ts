import type { RegistryStore, WorkspaceChange } from "@rollcall/registry-core";

type Pending = { change: WorkspaceChange; resolve: (committed: boolean) => void; reject: (error: unknown) => void };

export type GroupCommitOptions = {
  /** Most changes in one transaction. */
  maxBatch: number;
  /** Transactions in flight at once: on SQLite 2, so its one writer finds the next batch waiting when it commits; a few for PostgreSQL. */
  maxInFlight: number;
};

/**
 * Group commit: changes that arrive while a transaction is being written wait and go together in the next one,
 * so one fsync covers many heartbeats. Each caller is answered only after its own change committed (or lost its
 * version race), so durability and correctness are those of the one-at-a-time path.
 */
export function withGroupCommit(store: RegistryStore, options: GroupCommitOptions): RegistryStore {
  const queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || inFlight >= options.maxInFlight || queue.length === 0) return;
    scheduled = true;
    // Let every request already parsed in this turn of the event loop join the batch.
    setImmediate(flush);
  };

  async function flush() {
    scheduled = false;
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
        schedule();
      });
    },
  };
}
