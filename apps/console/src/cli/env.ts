import { DEFAULT_DATABASE_URL } from "@rollcall/db";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { readEnv } from "../server/env.ts";

const CliEnv = z.object({
  /**
   * The directory the operator typed the command in (npm and pnpm set it; the script itself runs in apps/console).
   * A relative `file:` DATABASE_URL means a path from there, as the server takes one from its own directory.
   */
  INIT_CWD: z.string().optional(),
  /** The new account's password; on the command line it would be visible in the process list. */
  ROLLCALL_OPERATOR_PASSWORD: z.string().optional(),
});

export type OperatorCliEnv = { databaseUrl: string; password: string | undefined };

/** The operator tools' settings: the console's DATABASE_URL, made absolute, and the password if given. */
export function readOperatorCliEnv(source: Readonly<Record<string, string | undefined>> = process.env): OperatorCliEnv {
  const cli = CliEnv.parse(source);
  const url = readEnv(source).DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const from = cli.INIT_CWD ?? process.cwd();
  const path = url.startsWith("file:") ? url.slice("file:".length) : null;
  return {
    databaseUrl: path === null || isAbsolute(path) ? url : `file:${resolve(from, path)}`,
    password: cli.ROLLCALL_OPERATOR_PASSWORD,
  };
}
