// Creates a console account: `npm run operator:add -- --name vera --role viewer` from the repository root.
// The password comes from ROLLCALL_OPERATOR_PASSWORD or the first line of stdin, never from the command line
// (which other users can read in the process list). It only ever writes to a database the server has set up.
import { createAccountStore, openDatabase, unreadyReason } from "@rollcall/db";
import { createOperator, NewOperatorInput, RegistryError } from "@rollcall/registry-core";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
// Relative, not `~/`: tsx applies the tsconfig paths of the directory it is started in, and an operator may run
// this file from anywhere.
import { readOperatorCliEnv } from "./env.ts";

async function readPassword(fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write("Password (at least 12 characters; input is visible, prefer ROLLCALL_OPERATOR_PASSWORD): ");
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return "";
}

async function main(): Promise<number> {
  const env = readOperatorCliEnv();
  const { values } = parseArgs({ options: { name: { type: "string" }, role: { type: "string", default: "viewer" } } });
  const parsed = NewOperatorInput.safeParse({ name: values.name, role: values.role, password: await readPassword(env.password) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join(".") || "input"}: ${issue.message}`);
    console.error("usage: operator:add --name <name> --role viewer|operator  (password in ROLLCALL_OPERATOR_PASSWORD or on stdin)");
    return 2;
  }
  // Opening a missing SQLite file would create it empty, and the insert would then fail on a table that is not there.
  const unready = await unreadyReason(env.databaseUrl);
  if (unready !== null) {
    console.error(unready);
    return 1;
  }
  const database = await openDatabase(env.databaseUrl);
  try {
    await createOperator({ accounts: createAccountStore(database), clock: Date.now, newId: randomUUID }, parsed.data, "system:cli");
    console.log(`created ${parsed.data.role} "${parsed.data.name}"`);
    return 0;
  } catch (error) {
    if (error instanceof RegistryError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
