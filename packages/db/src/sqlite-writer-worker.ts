// The body of the SQLite writer thread (sqlite-writer-thread.ts): the process's one writing connection, serving
// the request thread's writes in the order they were posted.
import { RegistryError, type WorkspaceChange } from "@rollcall/registry-core";
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { openSqlDriver } from "./sql-driver.ts";
import { createSqlWrites } from "./sql-writes.ts";
import {
  takeCommitGroup,
  type CommitCall,
  type WriterCall,
  type WriterCalls,
  type WriterMessage,
  type WriterReply,
  type WriterThreadConfig,
} from "./sqlite-writer-thread.ts";

const port = parentPort!;
const config = workerData as WriterThreadConfig;
const driver = openSqlDriver("sqlite", `file:${config.file}`, config.synchronous);
const served: WriterCalls = { ...createSqlWrites(driver, config.samples), ping: async () => null };
/** Changes in one transaction at most: the request thread's batches are 256 at most, so several still merge. */
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

/**
 * Several posted commits in one transaction, each answered with its own results. If the transaction fails, each call
 * again on its own, so only the culprit's caller sees the error. (Within the group, as within one batch, a second
 * change of the same workspace reports a lost race and its caller decides again.)
 */
async function commitTogether(calls: CommitCall[]): Promise<WriterReply[]> {
  if (calls.length === 1) return [await serve(calls[0]!)];
  try {
    const results = await served.commitMany(calls.flatMap((call): WorkspaceChange[] => call.args[0]));
    let offset = 0;
    return calls.map((call) => ({ id: call.id, value: results.slice(offset, (offset += call.args[0].length)) }));
  } catch {
    const replies: WriterReply[] = [];
    for (const call of calls) replies.push(await serve(call));
    return replies;
  }
}

/**
 * The commits posted while the last transaction was being written all go into the next one, so the writer's own pace
 * sets the group size; the message after the group is served once the group is answered, keeping the posted order.
 * The writes run synchronously under their promises (better-sqlite3), so a message is handled to its end before the
 * next one is dispatched.
 */
async function handle(first: WriterMessage) {
  const { commits, next } = takeCommitGroup(first, () => receiveMessageOnPort(port)?.message as WriterMessage | undefined, MAX_GROUP);
  if (commits.length > 0) for (const reply of await commitTogether(commits)) port.postMessage(reply);
  if (next?.method === "close") {
    await driver.close();
    port.close();
  } else if (next) port.postMessage(await serve(next));
}

port.on("message", (message: WriterMessage) => void handle(message));
