import { migrate, type Database } from "@rollcall/db";
import { randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ADMIN = "bench-admin-token-0123456789";
/** The compiled server (`pnpm build`), as production runs it. */
const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
export const CARD = { name: "bench-agent", url: "http://93.184.216.34:8000", skills: [{ id: "echo", name: "Echo" }] };

export type Fleet = { id: string; token: string }[];

export type LogEntry = { time: string; level: string; msg: string } & Record<string, unknown>;
export type StartOptions = {
  /** Extra environment for the server, over the caller's shell (DATABASE_URL, PORT, the admin token and the log level stay the bench's). */
  env?: Record<string, string>;
  /** Every JSON log line the server writes on stdout (the sweeper logs each sweep that changed something). */
  onLog?: (entry: LogEntry) => void;
  /** Another server to run: a checkout's `apps/server/src/main.ts` (run through tsx) or a compiled `dist/main.js`. */
  main?: string;
};

/** Starts the registry server as its own process on a migrated database and waits until it listens. */
export async function startRollcall(databaseUrl: string, options: StartOptions = {}): Promise<{ child: ChildProcess; port: number; stop(): Promise<void> }> {
  await migrate(databaseUrl);
  // As `pnpm start` runs it: a 32 MiB young generation halves the scavenges of a server holding many requests in
  // flight (5-7 % more heartbeats per second here, BENCHMARKS.md).
  const main = options.main ?? MAIN;
  // Sources run through tsx, from the server's own package so `--import tsx` resolves to that checkout's tsx.
  const loader = main.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, ["--max-semi-space-size=32", ...loader, main], {
    cwd: dirname(dirname(main)),
    env: { ...process.env, ...options.env, DATABASE_URL: databaseUrl, PORT: "0", ROLLCALL_ADMIN_TOKEN: ADMIN, ROLLCALL_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const entry = JSON.parse(line) as LogEntry & { url?: string };
      options.onLog?.(entry);
      if (entry.msg === "listening" && entry.url) resolve(Number(new URL(entry.url).port));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    child,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Provisions and registers a fleet through the real API, as an operator and its runtimes would. */
export async function provisionFleet(port: number, size: number): Promise<Fleet> {
  const fleet: Fleet = [];
  for (let i = 0; i < size; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/api/workspaces`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ name: `bench-${i}` }),
    });
    fleet.push((await response.json()) as { id: string; token: string });
  }
  await Promise.all(
    fleet.map((ws) =>
      fetch(`http://127.0.0.1:${port}/registry/register`, {
        method: "POST",
        headers: { authorization: `Bearer ${ws.token}` },
        body: JSON.stringify({ id: ws.id, url: CARD.url, agent_card: CARD }),
      }).then((r) => r.arrayBuffer()),
    ),
  );
  return fleet;
}

/** A realistic heartbeat body: the Python runtime's fields plus the agent card it sends on every beat. */
export function heartbeatBody(workspaceId: string, errorRate = 0): string {
  return JSON.stringify({
    workspace_id: workspaceId,
    error_rate: errorRate,
    sample_error: "",
    active_tasks: 1,
    uptime_seconds: 3600,
    current_task: "",
    agent_card: CARD,
  });
}

/**
 * Online workspace rows written straight into a migrated database, SQLite or PostgreSQL, each last heard from at
 * `lastBeat`: a fleet that went silent together, without the 2 ms per workspace of provisioning and registering it.
 * They have no tokens (nothing can heartbeat as them) and no card. Returns their ids.
 */
export async function seedOnlineWorkspaces(database: Database, names: string[], lastBeat: number): Promise<string[]> {
  const ids = names.map(() => randomUUID());
  const ROWS = 200;
  await database.sql.transaction(async (query) => {
    for (let start = 0; start < ids.length; start += ROWS) {
      const chunk = ids.slice(start, start + ROWS);
      await query(
        `INSERT INTO "Workspace" ("id", "name", "status", "statusChangedAt", "lastHeartbeatAt", "createdAt", "updatedAt") VALUES ${chunk.map(() => "(?, ?, 'online', ?, ?, ?, ?)").join(", ")}`,
        chunk.flatMap((id, i) => [id, names[start + i], lastBeat, lastBeat, lastBeat, lastBeat]),
      );
    }
  });
  return ids;
}
