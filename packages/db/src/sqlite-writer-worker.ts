// The body of the SQLite writer thread (sqlite-writer-thread.ts): the process's one writing connection, serving
// the request thread's writes in the order they were posted.
import { RegistryError, type WorkspaceChange } from "@rollcall/registry-core";
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { openSqlDriver } from "./sql-driver.ts";
import { createSqlWrites } from "./sql-writes.ts";
import type { WriterCall, WriterCalls, WriterReply, WriterThreadConfig } from "./sqlite-writer-thread.ts";

type Message = WriterCall | { id: number; method: "close" };
type CommitCall = Extract<WriterCall, { method: "commitMany" }>;

const port = parentPort!;
const config = workerData as WriterThreadConfig;
const driver = openSqlDriver("sqlite", `file:${config.file}`, config.synchronous);
const served: WriterCalls = { ...createSqlWrites(driver, config.samples), ping: async () => null };
/** Changes per transaction at most. */
const MAX_GROUP = 1024;

const failure = (id: number, error: unknown): WriterReply => ({
  id,
  error: error instanceof RegistryError ? { message: error.message, reason: error.reason } : { message: String((error as Error)?.message ?? error) },
});

async function serve(message: WriterCall): Promise<WriterReply> {
  try {
    return { id: message.id, value: await (served[message.method] as (...args: unknown[]) => Promise<unknown>)(...message.args) };
  } catch (error) {
    return failure(message.id, error);
  }
}

/** Several posted commits in one transaction; if it fails, each again on its own, so only the culprit sees the error. */
async function commitTogether(calls: CommitCall[]): Promise<WriterReply[]> {
  if (calls.length === 1) return [await serve(calls[0]!)];
  try {
    const results = await served.commitMany(calls.flatMap((call): WorkspaceChange[] => call.args[0]));
    let offset = 0;
    return calls.map((call) => ({ id: call.id, value: results.slice(offset, (offset += call.args[0].length)) }));
  } catch {
    return Promise.all(calls.map(serve));
  }
}

/**
 * The commits posted while the last transaction was being written all go into the next one: the writer's own pace
 * sets the group size. Calls are served in the order they were posted.
 */
async function drain(first: Message) {
  const commits: CommitCall[] = [];
  let size = 0;
  let next: Message | undefined = first;
  while (next?.method === "commitMany" && size + next.args[0].length <= MAX_GROUP) {
    commits.push(next);
    size += next.args[0].length;
    next = receiveMessageOnPort(port)?.message as Message | undefined;
  }
  const replies = commits.length > 0 ? commitTogether(commits) : Promise.resolve([]);
  if (next?.method === "close") {
    for (const reply of await replies) port.postMessage(reply);
    await driver.close();
    return port.close();
  }
  const after = next ? serve(next) : undefined;
  for (const reply of await replies) port.postMessage(reply);
  if (after) port.postMessage(await after);
}

port.on("message", (message: Message) => void drain(message));
