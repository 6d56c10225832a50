// Creates a console account: `pnpm --filter @rollcall/console operator:add --name vera --role viewer`.
// The password comes from ROLLCALL_OPERATOR_PASSWORD or the first line of stdin, never from the command line
// (which other users can read in the process list).
import { createAccountStore, DEFAULT_DATABASE_URL, openDatabase } from "@rollcall/db";
import { createOperator, NewOperatorInput, RegistryError } from "@rollcall/registry-core";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { readEnv } from "../server/env.ts";

async function readPassword(): Promise<string> {
  const fromEnv = process.env.ROLLCALL_OPERATOR_PASSWORD;
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
  const { values } = parseArgs({ options: { name: { type: "string" }, role: { type: "string", default: "viewer" } } });
  const parsed = NewOperatorInput.safeParse({ name: values.name, role: values.role, password: await readPassword() });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join(".") || "input"}: ${issue.message}`);
    console.error("usage: operator:add --name <name> --role viewer|operator  (password in ROLLCALL_OPERATOR_PASSWORD or on stdin)");
    return 2;
  }
  const database = await openDatabase(readEnv().DATABASE_URL ?? DEFAULT_DATABASE_URL);
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
