import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { Account, addOperatorAccount, ADD_OPERATOR_CLI, firstOperator, firstOperatorEnv, randomSecret, viewerAccount } from "./accounts.ts";
import { baseChildEnv, publishedStack, readE2eEnv, type E2eEnv } from "./env.ts";
import { CONSOLE_BUILD_ID, CONSOLE_DIR, LOGS_DIR, NEXT_BIN, SCREENSHOTS_DIR, SERVER_DIR } from "./paths.ts";
import { freePort, startProcess, waitForHttp, type ManagedProcess } from "./processes.ts";

/**
 * Liveness made short so a test sees a silent runtime go offline in seconds: offline after 4 s without a
 * heartbeat, checked every second; live views poll the event table every 200 ms.
 */
const LIVENESS_ENV: Liveness = {
  ROLLCALL_OFFLINE_AFTER_SECONDS: "4",
  ROLLCALL_SWEEP_INTERVAL_SECONDS: "1",
  ROLLCALL_EVENT_POLL_MS: "200",
};
/** The policy and stream settings both processes get (the console decides an operator's clear with them too). */
export type Liveness = { ROLLCALL_OFFLINE_AFTER_SECONDS: string; ROLLCALL_SWEEP_INTERVAL_SECONDS: string; ROLLCALL_EVENT_POLL_MS: string };

export type StackOptions = {
  /** Policy settings (ROLLCALL_* names) over the short liveness above, for both processes. */
  policy?: Record<`ROLLCALL_${string}`, string>;
  /** Where this stack's process logs go; a second stack in the same run needs its own. */
  logsDir?: string;
};

// The registry runs TypeScript through tsx and migrates on start; the console is prebuilt. Both are up in a few
// seconds on this machine's two cores; the margins are for a loaded CI box.
const REGISTRY_START_TIMEOUT_MS = 60_000;
const CONSOLE_START_TIMEOUT_MS = 60_000;

/** Where the stack of one run lives; global setup publishes it, the fixtures read it. */
export const StackInfo = z.object({
  provider: z.enum(["sqlite", "postgresql"]),
  databaseUrl: z.string(),
  /** The registry server: runtimes' routes, the operator REST API, /readyz. */
  registryUrl: z.string(),
  /** The console under test, `next start` on loopback. */
  consoleUrl: z.string(),
  /** Bearer for the registry's operator REST API (ROLLCALL_ADMIN_TOKEN). */
  adminToken: z.string(),
  operator: Account,
  viewer: Account,
  /** Why the viewer account could not be created (its CLI missing or failing), or null when it exists. */
  viewerUnavailable: z.string().nullable(),
});
export type StackInfo = z.infer<typeof StackInfo>;

/** The stack global setup started, in a worker. */
export function readStack(): StackInfo {
  const published = publishedStack();
  if (!published) {
    throw new Error("no e2e stack: run the tests through apps/console/playwright.config.ts, whose global setup starts it");
  }
  return StackInfo.parse(JSON.parse(published));
}

type TestDatabase = { provider: StackInfo["provider"]; url: string; drop(): Promise<void> };

async function createDatabase(env: E2eEnv): Promise<TestDatabase> {
  if (env.ROLLCALL_E2E_DATABASE === "postgresql") {
    if (!env.ROLLCALL_TEST_POSTGRES_URL) throw new Error("ROLLCALL_E2E_DATABASE=postgresql needs ROLLCALL_TEST_POSTGRES_URL");
    // The repository's own throwaway-database factory: a fresh database on the server the URL names.
    const { testDatabases } = await import("@rollcall/db/testing");
    const postgres = testDatabases().find((factory) => factory.provider === "postgresql");
    if (!postgres) throw new Error("@rollcall/db/testing offered no PostgreSQL factory");
    return postgres.create();
  }
  const dir = mkdtempSync(join(tmpdir(), "rollcall-e2e-"));
  return {
    provider: "sqlite",
    // Absolute: the server and the console run in different directories and must open the same file.
    url: `file:${join(dir, "rollcall.db")}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function assertConsoleBuilt(): void {
  if (!existsSync(CONSOLE_BUILD_ID)) {
    throw new Error(`the console is not built (${CONSOLE_BUILD_ID} is missing). Run \`pnpm --filter @rollcall/console build\` first.`);
  }
}

function startRegistry(port: number, databaseUrl: string, adminToken: string, liveness: Liveness, logsDir: string): ManagedProcess {
  return startProcess({
    name: "registry server",
    command: process.execPath,
    args: ["--import", "tsx", "src/main.ts"],
    cwd: SERVER_DIR,
    env: {
      ...baseChildEnv(),
      ...liveness,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      ROLLCALL_ADMIN_TOKEN: adminToken,
      // Simulated runtimes advertise loopback URLs and the notification receivers listen on loopback: only dev mode accepts them.
      ROLLCALL_DEV_MODE: "1",
      ROLLCALL_LOG_LEVEL: "info",
    },
    logFile: join(logsDir, "registry.log"),
  });
}

function startConsole(port: number, databaseUrl: string, operator: Account, liveness: Liveness, logsDir: string): ManagedProcess {
  return startProcess({
    name: "console",
    command: process.execPath,
    args: [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(port)],
    cwd: CONSOLE_DIR,
    env: {
      ...baseChildEnv(),
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      // The same policy as the registry: an operator's clear is decided with the server's thresholds.
      ...liveness,
      // The console judges a notification endpoint's URL as the registry does: the tests' receivers are on loopback.
      ROLLCALL_DEV_MODE: "1",
      ...firstOperatorEnv(operator),
    },
    logFile: join(logsDir, "console.log"),
  });
}

/** The viewer is optional for the harness itself: when it cannot be made, only the tests that use it fail. */
async function createViewer(viewer: Account, databaseUrl: string, logsDir: string): Promise<string | null> {
  if (!existsSync(ADD_OPERATOR_CLI)) return `the console's account CLI (${ADD_OPERATOR_CLI}) does not exist yet`;
  try {
    await addOperatorAccount(viewer, databaseUrl, logsDir);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export type RunningStack = { info: StackInfo; stop(): Promise<void> };

/**
 * Starts the real parts, in dependency order: a fresh database, the registry server (which creates and migrates
 * it), the console on the same database (its first start creates the first operator), then the viewer account.
 */
export async function startStack({ policy = {}, logsDir = LOGS_DIR }: StackOptions = {}): Promise<RunningStack> {
  const env = readE2eEnv();
  const liveness = { ...LIVENESS_ENV, ...policy };
  assertConsoleBuilt();
  mkdirSync(logsDir, { recursive: true });
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });

  const database = await createDatabase(env);
  const started: ManagedProcess[] = [];
  const stop = async () => {
    // Console first: it reads the database the registry owns.
    for (const child of started.reverse()) await child.stop();
    await database.drop();
  };

  try {
    const adminToken = randomSecret(24);
    const registryPort = await freePort();
    const registryUrl = `http://127.0.0.1:${registryPort}`;
    const registry = startRegistry(registryPort, database.url, adminToken, liveness, logsDir);
    started.push(registry);
    await waitForHttp(registry, `${registryUrl}/readyz`, (response) => response.status === 200, REGISTRY_START_TIMEOUT_MS);

    const operator = firstOperator();
    const consolePort = await freePort();
    const consoleUrl = `http://127.0.0.1:${consolePort}`;
    const consoleProcess = startConsole(consolePort, database.url, operator, liveness, logsDir);
    started.push(consoleProcess);
    // Any HTTP answer means Next is serving; whether it is the right one is the smoke spec's business.
    await waitForHttp(consoleProcess, `${consoleUrl}/`, () => true, CONSOLE_START_TIMEOUT_MS);
    // The sign-in page is the first thing an operator opens; a console that bootstraps lazily does it here, before
    // the viewer's account would make "no accounts yet" false.
    await fetch(`${consoleUrl}/sign-in`, { redirect: "manual" }).then((response) => response.body?.cancel());

    const viewer = viewerAccount();
    const viewerUnavailable = await createViewer(viewer, database.url, logsDir);

    const info: StackInfo = {
      provider: database.provider,
      databaseUrl: database.url,
      registryUrl,
      consoleUrl,
      adminToken,
      operator,
      viewer,
      viewerUnavailable,
    };
    return { info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
