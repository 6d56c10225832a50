import { RegistryError, type ErrorReason } from "@rollcall/registry-core";
import { Worker } from "node:worker_threads";
import type { SqliteSynchronous } from "./sql-driver.ts";
import type { SampleOptions, SqlWrites } from "./sql-writes.ts";

export type WriterThreadConfig = { file: string; synchronous: SqliteSynchronous; samples: SampleOptions };

/** What the thread serves: the writes, and a ping that answers once the writes posted before it were served. */
export type WriterCalls = SqlWrites & { ping(): Promise<null> };
/** One call, as posted to the thread: a method and its arguments. */
export type WriterCall = { [M in keyof WriterCalls]: { id: number; method: M; args: Parameters<WriterCalls[M]> } }[keyof WriterCalls];
export type WriterReply = { id: number; value: unknown } | { id: number; error: { message: string; reason?: ErrorReason } };
/** What the thread receives: a call, or the request to close after the calls posted before it. */
export type WriterMessage = WriterCall | { id: number; method: "close"; args: [] };
export type CommitCall = Extract<WriterCall, { method: "commitMany" }>;

/**
 * The writer's group commit: from `first` on, the commits already waiting (`receive` takes the next one, if any), in
 * the order they were posted, up to `maxChanges` changes in all; they go into one transaction. `next` is the first
 * message that did not join (another kind of call, or a commit the group has no room for), served after the group.
 */
export function takeCommitGroup(
  first: WriterMessage,
  receive: () => WriterMessage | undefined,
  maxChanges: number,
): { commits: CommitCall[]; next: WriterMessage | undefined } {
  const commits: CommitCall[] = [];
  let size = 0;
  let next: WriterMessage | undefined = first;
  while (next?.method === "commitMany" && (commits.length === 0 || size + next.args[0].length <= maxChanges)) {
    commits.push(next);
    size += next.args[0].length;
    next = receive();
  }
  return { commits, next };
}

/**
 * The writer's module: JavaScript beside the bundle this code is in, in the server's build (apps/server/dist), or its
 * TypeScript source, with tsx registered in the thread first (tsx does not carry its loader into worker threads on
 * Node 20). An evaluated bootstrap loads it: bundlers that analyse `new Worker(file)` (the console's) leave it alone.
 */
function startWriterWorker(config: WriterThreadConfig): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const writer = `${import.meta.url.slice(0, import.meta.url.lastIndexOf("/") + 1)}sqlite-writer-worker.${fromSource ? "ts" : "js"}`;
  const load = fromSource
    ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(writer)}); })`
    : `import(${JSON.stringify(writer)})`;
  return new Worker(load, { eval: true, workerData: config });
}

/**
 * SQLite's writing connection on a thread of its own. better-sqlite3 is synchronous, so on the request thread every
 * commit (and its fsync, with synchronous=FULL) stalled every request in the process: 37 % of the server's time at
 * full heartbeat load (BENCHMARKS.md). Here the request thread only posts each group-commit batch and goes on
 * parsing and deciding the next requests while the writer commits. The writes themselves are the same code
 * (createSqlWrites) on the same kind of connection; only where it runs changes.
 */
export function startSqliteWriterThread(config: WriterThreadConfig): SqlWrites & { ping(): Promise<void>; close(): Promise<void> } {
  const worker = startWriterWorker(config);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let stopped: Error | null = null;
  let closing = false;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));

  // Idle, the thread must not keep the process alive; with a call in flight, or while it closes, it must.
  worker.unref();
  const settle = (id: number) => {
    const call = pending.get(id);
    pending.delete(id);
    if (pending.size === 0 && !closing) worker.unref();
    return call;
  };
  worker.on("message", (reply: WriterReply) => {
    const call = settle(reply.id);
    if (!call) return;
    if ("error" in reply) call.reject(reply.error.reason ? new RegistryError(reply.error.reason, reply.error.message) : new Error(reply.error.message));
    else call.resolve(reply.value);
  });
  const fail = (error: Error) => {
    stopped ??= error;
    for (const id of [...pending.keys()]) settle(id)?.reject(stopped);
  };
  worker.on("error", (error) => fail(new Error(`the SQLite writer thread failed: ${error.message}`)));
  worker.on("exit", (code) => fail(new Error(`the SQLite writer thread stopped (exit code ${code})`)));

  const call = <M extends keyof WriterCalls>(method: M, ...args: Parameters<WriterCalls[M]>) =>
    new Promise<Awaited<ReturnType<WriterCalls[M]>>>((resolve, reject) => {
      if (stopped) return reject(stopped);
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ id, method, args });
    });

  return {
    commitMany: (changes) => call("commitMany", changes),
    createWorkspace: (workspace, token, events) => call("createWorkspace", workspace, token, events),
    pruneSamples: (olderThan) => call("pruneSamples", olderThan),
    commitRegistryState: (key, expectedVersion, value, events) => call("commitRegistryState", key, expectedVersion, value, events),
    commitRollup: (watermark, rows) => call("commitRollup", watermark, rows),
    pruneAvailability: (beforeDay) => call("pruneAvailability", beforeDay),
    /** Readiness: the thread is up and working through its queue. */
    ping: async () => void (await call("ping")),
    /** Ends the thread after the writes already posted; later calls are refused. */
    async close() {
      if (!stopped) {
        stopped = new Error("the SQLite writer thread is closed");
        closing = true;
        worker.ref();
        worker.postMessage({ id: -1, method: "close", args: [] } satisfies WriterMessage);
      }
      await exited;
    },
  };
}
