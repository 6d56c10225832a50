// The body of the SQLite writer thread (sqlite-writer-thread.ts): the process's one writing connection, serving
// the request thread's writes in the order they were posted.
import { RegistryError } from "@rollcall/registry-core";
import { parentPort, workerData } from "node:worker_threads";
import { openSqlDriver } from "./sql-driver.ts";
import { createSqlWrites } from "./sql-writes.ts";
import type { WriterCall, WriterCalls, WriterReply, WriterThreadConfig } from "./sqlite-writer-thread.ts";

const port = parentPort!;
const config = workerData as WriterThreadConfig;
const driver = openSqlDriver("sqlite", `file:${config.file}`, config.synchronous);
const served: WriterCalls = { ...createSqlWrites(driver, config.samples), ping: async () => null };

port.on("message", async (message: WriterCall | { method: "close" }) => {
  if (message.method === "close") {
    await driver.close();
    port.close();
    return;
  }
  const { id } = message;
  let reply: WriterReply;
  try {
    reply = { id, value: await (served[message.method] as (...args: unknown[]) => Promise<unknown>)(...message.args) };
  } catch (error) {
    reply = { id, error: error instanceof RegistryError ? { message: error.message, reason: error.reason } : { message: String((error as Error)?.message ?? error) } };
  }
  port.postMessage(reply);
});
