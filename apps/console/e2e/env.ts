import { z } from "zod";
import type { StackInfo } from "./stack.ts";

/**
 * Everything the e2e harness reads from the environment, validated once (the apps' env.ts rule): nothing else in
 * e2e/ touches process.env.
 */
const E2eEnv = z.object({
  /** Debian's Chromium (TOOLCHAIN.md: `npx playwright install` cannot download browsers here). */
  CHROMIUM_PATH: z.string().trim().min(1).default("/usr/bin/chromium"),
  /** SQLite is the default; `postgresql` runs the stack on a fresh database made from ROLLCALL_TEST_POSTGRES_URL. */
  ROLLCALL_E2E_DATABASE: z.enum(["sqlite", "postgresql"]).default("sqlite"),
  /** A PostgreSQL role allowed to create databases, as the server's integration tests use it. */
  ROLLCALL_TEST_POSTGRES_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres://")
    .optional(),
});
export type E2eEnv = z.infer<typeof E2eEnv>;

export function readE2eEnv(): E2eEnv {
  const result = E2eEnv.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`invalid e2e configuration: ${problems}`);
  }
  return result.data;
}

/**
 * What the child processes inherit: the basics a process needs to run, nothing else. In particular no
 * NODE_OPTIONS (Playwright's own loader must not leak into the server), and no DATABASE_URL / ROLLCALL_* from the
 * shell, so a developer's settings cannot point the stack at their own database.
 */
const INHERITED = ["PATH", "HOME", "USER", "SHELL", "TMPDIR", "TZ", "LANG", "LC_ALL", "LC_CTYPE"] as const;

export function baseChildEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/**
 * Global setup runs in the runner process and the tests in workers it spawns afterwards, which inherit its
 * environment: that is how Playwright documents handing data from global setup to tests.
 */
const STACK_VARIABLE = "ROLLCALL_E2E_STACK";

export function publishStack(info: StackInfo): void {
  process.env[STACK_VARIABLE] = JSON.stringify(info);
}

export function publishedStack(): string | undefined {
  return process.env[STACK_VARIABLE];
}

/** Debian's Chromium as Playwright must launch it here (TOOLCHAIN.md, "Playwright"): the tests and the bench. */
export function chromiumLaunchOptions(env: E2eEnv) {
  return {
    executablePath: env.CHROMIUM_PATH,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  };
}
