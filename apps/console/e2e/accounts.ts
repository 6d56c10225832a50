import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import { baseChildEnv } from "./env.ts";
import { CONSOLE_DIR, LOGS_DIR } from "./paths.ts";
import { runToCompletion } from "./processes.ts";

export const Account = z.object({
  name: z.string(),
  password: z.string(),
  role: z.enum(["operator", "viewer"]),
});
/** A console sign-in the tests know the password of. */
export type Account = z.infer<typeof Account>;

/** Random per run: nothing in the repository or a log knows it beforehand. */
export const randomSecret = (bytes = 18) => randomBytes(bytes).toString("base64url");

/** The operator the console creates on its first start (ROLLCALL_CONSOLE_FIRST_OPERATOR_*). */
export function firstOperator(): Account {
  return { name: "alice", password: randomSecret(), role: "operator" };
}

export function firstOperatorEnv(account: Account): Record<string, string> {
  return {
    ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME: account.name,
    ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD: account.password,
  };
}

export function viewerAccount(): Account {
  return { name: "vera", password: randomSecret(), role: "viewer" };
}

export const ADD_OPERATOR_CLI = join(CONSOLE_DIR, "src", "cli", "add-operator.ts");

/**
 * Creates a console account with the console's own CLI, the way an administrator would. The one place that knows
 * the CLI's arguments: adapt it here if they change. Run after the console's first start, so the first-operator
 * bootstrap (which only happens while no account exists) has already created its operator.
 */
export async function addOperatorAccount(account: Account, databaseUrl: string, logsDir: string = LOGS_DIR): Promise<void> {
  await runToCompletion({
    name: `add-operator ${account.name}`,
    command: process.execPath,
    args: ["--import", "tsx", "src/cli/add-operator.ts", "--name", account.name, "--role", account.role],
    cwd: CONSOLE_DIR,
    env: { ...baseChildEnv(), DATABASE_URL: databaseUrl, ROLLCALL_OPERATOR_PASSWORD: account.password },
    logFile: join(logsDir, `add-operator-${account.name}.log`),
    timeoutMs: 60_000,
  });
}
