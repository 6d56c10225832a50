/**
 * pnpm bench:heartbeat — provisions N workspaces on a real server process, then drives authenticated heartbeats
 * over loopback for a fixed time with C requests in flight from a Node client, through the plain-JSON route and
 * through tRPC's wire format, on SQLite and (when ROLLCALL_TEST_POSTGRES_URL is set) PostgreSQL. Prints a table and
 * records it in BENCHMARKS.md. Every answered heartbeat was committed first. `pnpm bench` is the fuller harness
 * (wrk, etcd and the Node ceiling side by side).
 */
import { testDatabases } from "@rollcall/db/testing";
import { Agent, request } from "node:http";
import { z } from "zod";
import { machine, recordSection } from "@rollcall/bench-report";
import { heartbeatBody, provisionFleet, startRollcall, type Fleet } from "./lib.ts";

const config = z
  .object({
    BENCH_WORKSPACES: z.coerce.number().int().positive().default(1000),
    BENCH_CONCURRENCY: z.coerce.number().int().positive().default(32),
    BENCH_SECONDS: z.coerce.number().positive().default(10),
  })
  .parse(process.env);
const agent = new Agent({ keepAlive: true, maxSockets: config.BENCH_CONCURRENCY });

function post(port: number, path: string, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

type Result = { database: string; route: string; requests: number; perSecond: number; p50: number; p99: number; errors: number };

async function drive(port: number, path: string, fleet: Fleet): Promise<Omit<Result, "database" | "route">> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + config.BENCH_SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const ws = fleet[next++ % fleet.length]!;
      const started = performance.now();
      const status = await post(port, path, heartbeatBody(ws.id), ws.token);
      latencies.push(performance.now() - started);
      if (status !== 200) errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: config.BENCH_CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

const results: Result[] = [];
for (const factory of testDatabases()) {
  const db = await factory.create();
  const server = await startRollcall(db.url);
  try {
    const fleet = await provisionFleet(server.port, config.BENCH_WORKSPACES);
    for (const [route, path] of [
      ["plain", "/registry/heartbeat"],
      ["trpc", "/trpc/runtime.heartbeat"],
    ] as const) {
      results.push({ database: db.provider, route, ...(await drive(server.port, path, fleet)) });
    }
  } finally {
    await server.stop();
    await db.drop();
  }
}
agent.destroy();

const table = [
  "| database | route | heartbeats/s | p50 ms | p99 ms | requests | non-200 |",
  "|---|---|---:|---:|---:|---:|---:|",
  ...results.map((r) => `| ${r.database} | ${r.route} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.requests} | ${r.errors} |`),
].join("\n");
console.log(table);
recordSection(
  "## Heartbeat throughput from a Node client (`pnpm bench:heartbeat`)",
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.
${config.BENCH_WORKSPACES} workspaces, ${config.BENCH_CONCURRENCY} requests in flight, ${config.BENCH_SECONDS} s per route, one server process;
the load comes from a Node client in a second process on the same 2 cores (it costs about as much CPU as the server).
Body: a realistic heartbeat with its agent card. Each answer comes after the heartbeat's transaction committed.

${table}`,
);
