/**
 * pnpm bench:heartbeat — provisions N workspaces on a real server process, then drives authenticated heartbeats
 * over loopback for a fixed time with C requests in flight, through the plain-JSON route and through tRPC's wire
 * format, on SQLite and (when ROLLCALL_TEST_POSTGRES_URL is set) PostgreSQL. Prints a table and records it in
 * BENCHMARKS.md. Every answered heartbeat was committed first (the handler awaits the transaction).
 */
import { migrate } from "@rollcall/db";
import { testDatabases, type TestDatabase } from "@rollcall/db/testing";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, totalmem } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const Config = z.object({
  BENCH_WORKSPACES: z.coerce.number().int().positive().default(1000),
  BENCH_CONCURRENCY: z.coerce.number().int().positive().default(32),
  BENCH_SECONDS: z.coerce.number().positive().default(10),
});
const config = Config.parse(process.env);
const ADMIN = "bench-admin-token-0123456789";
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const BENCHMARKS = fileURLToPath(new URL("../../../BENCHMARKS.md", import.meta.url));
const CARD = { name: "bench-agent", url: "http://93.184.216.34:8000", skills: [{ id: "echo", name: "Echo" }] };
const agent = new Agent({ keepAlive: true, maxSockets: config.BENCH_CONCURRENCY });

function post(port: number, path: string, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method: "POST", agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: "0", ROLLCALL_ADMIN_TOKEN: ADMIN, ROLLCALL_LOG_LEVEL: "info", ROLLCALL_SWEEP_INTERVAL_SECONDS: "5" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === "listening" && entry.url) resolve(Number(new URL(entry.url).port));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port };
}

type Result = { database: string; route: string; requests: number; perSecond: number; p50: number; p99: number; errors: number };

async function drive(port: number, route: "plain" | "trpc", fleet: { id: string; token: string }[], database: string): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + config.BENCH_SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const ws = fleet[next++ % fleet.length]!;
      const payload = { workspace_id: ws.id, error_rate: 0, active_tasks: 1, uptime_seconds: 3600, current_task: "", agent_card: CARD };
      const started = performance.now();
      const status =
        route === "plain" ? await post(port, "/registry/heartbeat", JSON.stringify(payload), ws.token) : await post(port, "/trpc/runtime.heartbeat", JSON.stringify(payload), ws.token);
      latencies.push(performance.now() - started);
      if (status !== 200) errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: config.BENCH_CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { database, route, requests: latencies.length, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

async function benchDatabase(db: TestDatabase): Promise<Result[]> {
  await migrate(db.url);
  const { child, port } = await startServer(db.url);
  try {
    const fleet: { id: string; token: string }[] = [];
    for (let i = 0; i < config.BENCH_WORKSPACES; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/api/workspaces`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ name: `bench-${i}` }) });
      fleet.push((await response.json()) as { id: string; token: string });
    }
    for (const ws of fleet) {
      await post(port, "/registry/register", JSON.stringify({ id: ws.id, url: CARD.url, agent_card: CARD }), ws.token);
    }
    return [await drive(port, "plain", fleet, db.provider), await drive(port, "trpc", fleet, db.provider)];
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await db.drop();
  }
}

const results: Result[] = [];
for (const factory of testDatabases()) results.push(...(await benchDatabase(await factory.create())));
agent.destroy();

const table = [
  "| database | route | heartbeats/s | p50 ms | p99 ms | requests | non-200 |",
  "|---|---|---:|---:|---:|---:|---:|",
  ...results.map((r) => `| ${r.database} | ${r.route} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.requests} | ${r.errors} |`),
].join("\n");
console.log(table);

const section = [
  "## Heartbeat throughput (`pnpm bench:heartbeat`)",
  "",
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  `${config.BENCH_WORKSPACES} workspaces, ${config.BENCH_CONCURRENCY} requests in flight, ${config.BENCH_SECONDS} s per route, one server process,`,
  "load generated by a Node client in a second process on the same 2 cores (so absolute numbers are a floor).",
  "Body: a realistic heartbeat with its agent card. Each answer comes after the heartbeat's transaction committed.",
  "",
  table,
  "",
].join("\n");
const marker = "## Heartbeat throughput (`pnpm bench:heartbeat`)";
let existing = "";
try {
  existing = readFileSync(BENCHMARKS, "utf8");
} catch {
  existing = "# Benchmarks\n\nNumbers drift between runs on these shared 2-core machines: compare rows from one run only.\n\n";
}
const start = existing.indexOf(marker);
const end = start < 0 ? -1 : existing.indexOf("\n## ", start + marker.length);
const updated = start < 0 ? `${existing.trimEnd()}\n\n${section}` : `${existing.slice(0, start)}${section}${end < 0 ? "" : existing.slice(end + 1)}`;
writeFileSync(BENCHMARKS, updated);
console.log(`recorded in ${BENCHMARKS}`);
