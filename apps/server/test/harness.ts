import { testDatabases, type TestDatabase, type TestDatabaseFactory } from "@rollcall/db/testing";
import type { ResolveHost } from "@rollcall/registry-core";
import { readEnv } from "../src/env.ts";
import { createLogger } from "../src/logger.ts";
import { startServer, type RunningServer } from "../src/server.ts";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

/** Names the tests may use; anything else fails to resolve, like the Docker container id of incident #2739. */
export const FAKE_DNS: Record<string, string[]> = {
  "agent.example.com": ["93.184.216.34"],
  "agent2.example.com": ["93.184.216.35"],
  "internal.example.com": ["10.0.0.5"],
  "metadata.example.com": ["169.254.169.254"],
};
export const fakeResolver: ResolveHost = async (host) => {
  const addresses = FAKE_DNS[host];
  if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return addresses;
};

/** A clock tests can move forward: the server under test reads time only through it. */
export class TestClock {
  offsetMs = 0;
  now = () => Date.now() + this.offsetMs;
  advance(ms: number) {
    this.offsetMs += ms;
  }
}

export type TestServer = RunningServer & {
  db: TestDatabase;
  clock: TestClock;
  /** Calls the operator REST API with the admin token. */
  admin(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  /** Calls a runtime route with an optional bearer token and a raw or JSON body. */
  runtime(path: string, body: unknown, token?: string): Promise<{ status: number; body: any }>;
  provision(name?: string): Promise<{ id: string; token: string }>;
  stop(): Promise<void>;
};

/** Starts the real HTTP server on a fresh database of the given kind (or on a database already there), on a free
 * loopback port. */
export async function startTestServer(database: TestDatabaseFactory | TestDatabase, env: Record<string, string> = {}): Promise<TestServer> {
  const db = "create" in database ? await database.create() : database;
  const clock = new TestClock();
  const running = await startServer(
    readEnv({
      DATABASE_URL: db.url,
      PORT: "0",
      ROLLCALL_ADMIN_TOKEN: ADMIN_TOKEN,
      ROLLCALL_SWEEP_INTERVAL_SECONDS: "3600",
      ROLLCALL_EVENT_POLL_MS: "50",
      ROLLCALL_LOG_LEVEL: "error",
      ...env,
    }),
    { clock: clock.now, resolveHost: fakeResolver, logger: createLogger("error", () => undefined) },
  );
  const call = async (path: string, init: { method: string; body?: unknown; headers: Record<string, string> }) => {
    const response = await fetch(`${running.url}${path}`, {
      method: init.method,
      headers: { "content-type": "application/json", ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const server: TestServer = {
    ...running,
    db,
    clock,
    admin: (path, init = {}) =>
      call(path, { method: init.method ?? (init.body === undefined ? "GET" : "POST"), body: init.body, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    runtime: (path, body, token) => call(path, { method: "POST", body, headers: token ? { authorization: `Bearer ${token}` } : {} }),
    async provision(name) {
      const response = await server.admin("/api/workspaces", { body: name ? { name } : {} });
      if (response.status !== 201) throw new Error(`provision failed: ${JSON.stringify(response.body)}`);
      return response.body as { id: string; token: string };
    },
    async stop() {
      await running.close();
      await db.drop();
    },
  };
  return server;
}

export { testDatabases };
