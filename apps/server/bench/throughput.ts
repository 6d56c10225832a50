/**
 * pnpm bench — heartbeat throughput of one Rollcall server process, side by side with etcd's lease keep-alive (a
 * production lease service) and a bare node:http JSON handler (the ceiling for any Node handler here), all driven
 * by the same load generator (wrk, fixed duration, loopback) in one run. Every target is started first and stays up;
 * the run then goes round after round through all of them, at each connection count of BENCH_CONNECTIONS, so each
 * target is measured beside the others several times and a slow minute of this shared machine falls on all of them
 * alike. Prints one table with the median round of each target and connection count (requests/s, p50/p99, the
 * target's CPU and peak RSS) and the median of the per-round ratios, then p99 at half of each Rollcall route's rate.
 * Records both in BENCHMARKS.md. Needs wrk and etcd
 * (`apt-get install -y wrk etcd-server`; scripts/bench.sh installs them).
 */
import { testDatabases, type TestDatabase } from "@rollcall/db/testing";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { z } from "zod";
import { machine, recordSection } from "@rollcall/bench-report";
import { heartbeatBody, provisionFleet, startRollcall, type Fleet } from "./lib.ts";

const config = z
  .object({
    BENCH_WORKSPACES: z.coerce.number().int().positive().default(1000),
    // Several counts, each measured in every round: a fleet is many runtimes on their own connections, while 32
    // busy connections mostly measure how long one durable answer takes.
    BENCH_CONNECTIONS: z
      .string()
      .default("32,128")
      .transform((text) => text.split(",").map(Number))
      .pipe(z.array(z.number().int().positive()).min(1)),
    BENCH_SECONDS: z.coerce.number().int().positive().default(10),
    BENCH_ROUNDS: z.coerce.number().int().positive().default(3),
    // A checkout of an earlier commit, installed (this one's own directory works too): its server, run from source
    // through tsx, is measured beside this one's compiled server in the same rounds, so a change's cost on the
    // heartbeat path is read from one run rather than two runs minutes apart.
    BENCH_BASELINE: z.string().optional(),
  })
  .parse(process.env);
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "rollcall-bench-"));
const clockTicks = 100; // USER_HZ on Linux

type Measure = { perSecond: number; p50: number; p99: number; non2xx: number; cpu: number; rssMiB: number };
type Target = { name: string; pid: number; url: string; lua: string; rollcall: boolean };

function procStats(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return { cpuSeconds: (Number(stat[11]) + Number(stat[12])) / clockTicks, hwmKiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) };
}

const toMs = (value: string, unit: string) => Number(value) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);

/**
 * wrk's delay() is whole milliseconds, too coarse for a few ms of think time (a 20 % step in the rate): each request
 * rounds the fractional delay up or down at random, so the mean is exact.
 */
const pacing = (delayMs: number) => `
local think = ${delayMs.toFixed(4)}
function delay()
  local whole = math.floor(think)
  if math.random() < think - whole then return whole + 1 end
  return whole
end
`;

/** The bench's other processes, stopped (SIGSTOP) while a target is measured, so nothing of the bench works beside it. */
const processes = new Set<number>();
function alone<T>(target: Target, measure: () => Promise<T>): Promise<T> {
  const others = [...processes].filter((pid) => pid !== target.pid);
  for (const pid of others) process.kill(pid, "SIGSTOP");
  return measure().finally(() => {
    for (const pid of others) process.kill(pid, "SIGCONT");
  });
}

/**
 * One wrk run against the target, with every other target stopped: etcd measured beside idle Rollcall servers (their
 * sweepers, their writer threads) gave 8,200-9,200/s where alone it gives 12,100-12,800/s. With `delayMs`, each
 * connection waits that long (on average) before its next request.
 */
function wrk(target: Target, connections: number, delayMs?: number, seconds = config.BENCH_SECONDS): Promise<Measure> {
  return alone(target, () => wrkRun(target, connections, delayMs, seconds));
}

async function wrkRun(target: Target, connections: number, delayMs: number | undefined, seconds: number): Promise<Measure> {
  const script = join(work, "run.lua");
  writeFileSync(script, target.lua + (delayMs === undefined ? "" : pacing(delayMs)));
  const before = procStats(target.pid);
  const started = performance.now();
  const { stdout } = await run("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, target.url], {
    maxBuffer: 1 << 20,
  });
  const wall = (performance.now() - started) / 1000;
  const after = procStats(target.pid);
  const percentile = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(stdout);
    return m ? toMs(m[1]!, m[2]!) : NaN;
  };
  return {
    perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    p50: percentile("50"),
    p99: percentile("99"),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
    cpu: (after.cpuSeconds - before.cpuSeconds) / wall,
    rssMiB: after.hwmKiB / 1024,
  };
}

/**
 * A wrk script cycling through the fleet: each request is one workspace's heartbeat with its own token. The requests
 * are formatted once up front, so the generator spends its time sending. The ceiling gets the very same requests.
 */
function heartbeatScript(fleet: Fleet, path: string): string {
  const entries = fleet.map((ws) => `{${JSON.stringify(`Bearer ${ws.token}`)}, ${JSON.stringify(heartbeatBody(ws.id))}}`);
  return `local fleet = {${entries.join(",\n")}}
local requests = {}
-- Formatted in init: wrk knows the target's Host header only once the thread is set up.
init = function(args)
  for k, ws in ipairs(fleet) do
    requests[k] = wrk.format("POST", ${JSON.stringify(path)}, { ["Content-Type"] = "application/json", ["Authorization"] = ws[1] }, ws[2])
  end
end
local i = 0
request = function()
  i = i % #requests + 1
  return requests[i]
end
`;
}

function postScript(path: string, body: string): string {
  return `wrk.method = "POST"\nwrk.path = ${JSON.stringify(path)}\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`;
}

async function startProcess(command: string, args: string[], ready: (line: string) => number | null) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string) => {
      const found = ready(line);
      if (found !== null) resolve(found);
    };
    createInterface({ input: child.stdout }).on("line", onLine);
    createInterface({ input: child.stderr }).on("line", onLine);
    child.once("exit", (code) => reject(new Error(`${command} exited with ${code}`)));
  });
  return { child, port };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const cleanups: (() => Promise<void>)[] = [];
const targets: Target[] = [];
const fleets: Fleet[] = [];
try {
  // Rollcall first, on each database: its fleets are provisioned through the real API before anything is measured.
  const builds = [
    { label: "", main: undefined },
    ...(config.BENCH_BASELINE ? [{ label: " (baseline)", main: join(config.BENCH_BASELINE, "apps/server/src/main.ts") }] : []),
  ];
  for (const factory of testDatabases()) {
    for (const { label, main } of builds) {
      const db: TestDatabase = await factory.create();
      // A fleet that beats every 30 s never goes offline; here each fleet waits minutes between its own runs, so a
      // long offline window keeps it in that steady state instead of churning offline and back on every run.
      const server = await startRollcall(db.url, { main, env: { ROLLCALL_OFFLINE_AFTER_SECONDS: "86400" } });
      cleanups.push(async () => {
        await server.stop();
        await db.drop();
      });
      const fleet = await provisionFleet(server.port, config.BENCH_WORKSPACES);
      fleets.push(fleet);
      for (const [route, path] of [
        ["plain JSON", "/registry/heartbeat"],
        ["tRPC wire", "/trpc/runtime.heartbeat"],
      ] as const) {
        targets.push({
          name: `Rollcall ${db.provider}${label}, ${route}`,
          pid: server.child.pid!,
          url: `http://127.0.0.1:${server.port}`,
          lua: heartbeatScript(fleet, path),
          rollcall: true,
        });
      }
    }
  }

  // The Node ceiling, parsing the same heartbeats.
  const bare = await startProcess(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./bare-server.ts", import.meta.url))], (line) => {
    try {
      return (JSON.parse(line) as { port?: number }).port ?? null;
    } catch {
      return null;
    }
  });
  cleanups.push(() => stop(bare.child));
  targets.unshift({
    name: "node:http JSON ceiling",
    pid: bare.child.pid!,
    url: `http://127.0.0.1:${bare.port}`,
    lua: heartbeatScript(fleets[0]!, "/"),
    rollcall: false,
  });

  // etcd's lease keep-alive through its HTTP/JSON gateway.
  const etcdPort = 23_790;
  const etcd = await startProcess(
    "etcd",
    [
      "--data-dir",
      join(work, "etcd"),
      "--listen-client-urls",
      `http://127.0.0.1:${etcdPort}`,
      "--advertise-client-urls",
      `http://127.0.0.1:${etcdPort}`,
      "--listen-peer-urls",
      "http://127.0.0.1:23800",
    ],
    (line) => (line.includes("ready to serve client requests") ? etcdPort : null),
  );
  cleanups.push(() => stop(etcd.child));
  const lease = (await (await fetch(`http://127.0.0.1:${etcdPort}/v3/lease/grant`, { method: "POST", body: JSON.stringify({ TTL: 60 }) })).json()) as {
    ID: string;
  };
  targets.splice(1, 0, {
    name: "etcd lease keep-alive",
    pid: etcd.child.pid!,
    url: `http://127.0.0.1:${etcdPort}`,
    lua: postScript("/v3/lease/keepalive", JSON.stringify({ ID: lease.ID })),
    rollcall: false,
  });

  for (const target of targets) processes.add(target.pid);
  // Each target warmed up once (JIT, connection pools, caches), unrecorded, before the first round.
  for (const target of targets) await wrk(target, Math.max(...config.BENCH_CONNECTIONS), undefined, 3);

  // One run is a target at one connection count; a round measures every run once, so each ratio compares runs
  // made side by side within minutes.
  type Run = { target: Target; connections: number };
  const runs: Run[] = config.BENCH_CONNECTIONS.flatMap((connections) => targets.map((target) => ({ target, connections })));
  const rounds: Map<Run, Measure>[] = [];
  for (let round = 1; round <= config.BENCH_ROUNDS; round++) {
    const measured = new Map<Run, Measure>();
    // Every other round in reverse order: a target's place in the round moved its numbers by a few per cent (two
    // runs of 2026-12-04 with a baseline first and then second, BENCHMARKS.md), so no target keeps the same place.
    for (const r of round % 2 === 1 ? runs : [...runs].reverse()) {
      const m = await wrk(r.target, r.connections);
      measured.set(r, m);
      console.log(`round ${round}: ${r.target.name}, ${r.connections} connections: ${m.perSecond.toFixed(0)} req/s, p99 ${m.p99.toFixed(2)} ms`);
    }
    rounds.push(measured);
  }

  const [ceilingTarget, etcdTarget] = targets as [Target, Target];
  const peer = (r: Run, target: Target) => runs.find((other) => other.target === target && other.connections === r.connections)!;
  const summary = runs.map((r) => {
    const measures = rounds.map((round) => round.get(r)!);
    const middle = median(measures.map((m) => m.perSecond));
    return {
      run: r,
      measure: measures.find((m) => m.perSecond === middle)!,
      measures,
      // Ratios within each round (the targets measured side by side at the same connection count), then their median.
      xEtcd: median(rounds.map((round) => round.get(r)!.perSecond / round.get(peer(r, etcdTarget))!.perSecond)),
      xCeiling: median(rounds.map((round) => round.get(r)!.perSecond / round.get(peer(r, ceilingTarget))!.perSecond)),
    };
  });

  // p99 under a steady load at half of each route's rate. wrk's delay() is per connection, after each answer, so a
  // first run measures the latency at that load and a second one subtracts it from the delay to hit the rate.
  const paced: { run: Run; rate: number; measure: Measure }[] = [];
  for (const { run: r, measure } of summary.filter((s) => s.run.target.rollcall)) {
    const rate = measure.perSecond / 2;
    const thinkMs = (r.connections / rate) * 1000;
    const calibration = await wrk(r.target, r.connections, thinkMs);
    const latencyMs = (r.connections / calibration.perSecond) * 1000 - thinkMs;
    paced.push({ run: r, rate, measure: await wrk(r.target, r.connections, Math.max(0, thinkMs - latencyMs)) });
  }

  const row = ({ run: r, measure: m, measures, xEtcd, xCeiling }: (typeof summary)[number]) =>
    `| ${r.target.name} | ${r.connections} | ${m.perSecond.toFixed(0)} | ${measures.map((x) => x.perSecond.toFixed(0)).join(" / ")} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${(m.cpu * 100).toFixed(0)} % | ${((m.cpu / m.perSecond) * 1e6).toFixed(0)} | ${m.rssMiB.toFixed(0)} | ${xEtcd.toFixed(2)} | ${xCeiling.toFixed(2)} | ${measures.reduce((sum, x) => sum + x.non2xx, 0)} |`;
  const table = [
    "| target | connections | requests/s (median round) | every round | p50 ms | p99 ms | CPU | CPU µs per request | peak RSS MiB | × etcd | × ceiling | non-2xx (all rounds) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...summary.map(row),
  ].join("\n");
  const pacedTable = [
    "| paced run | connections | offered/s | achieved/s | p50 ms | p99 ms | non-2xx |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...paced.map(
      ({ run: r, rate, measure: m }) =>
        `| ${r.target.name} | ${r.connections} | ${rate.toFixed(0)} | ${m.perSecond.toFixed(0)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${m.non2xx} |`,
    ),
  ].join("\n");
  console.log(`${table}\n\n${pacedTable}`);
  recordSection(
    "## Heartbeat throughput against etcd and the Node ceiling (`pnpm bench`)",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}: \`pnpm bench\`.
wrk -t1 -d${config.BENCH_SECONDS}s over loopback for every target with ${config.BENCH_CONNECTIONS.join(" and with ")} connections, ${config.BENCH_ROUNDS} rounds through
all of them after one unrecorded warm-up each (every target stays up; one round measures each target at each connection
count in turn, every other round in reverse order, and while one is measured every other target's process is stopped
with SIGSTOP, so nothing of the bench works beside it). Rollcall: one compiled (\`node dist/main.js\`) server process, ${config.BENCH_WORKSPACES} provisioned workspaces with real tokens, each request one workspace's authenticated heartbeat
carrying its agent card, an offline window of a day (the fleet stays online between its runs, as a fleet beating every
30 s does); every answer follows the commit of its heartbeat (group commit, SQLite \`synchronous=FULL\`).
The ceiling parses the same requests. A row is the target's median round; "× etcd" and "× ceiling" are the medians of
the ratios within each round, at the same connection count. CPU and peak RSS are the target process's (etcd's own, the
bare server's, Rollcall's server with its writer thread; PostgreSQL's own processes are not counted). Then each
Rollcall route again, paced at half its rate (wrk's \`delay()\`, dithered to fractions of a millisecond and calibrated
by a first paced run), for p99 under a steady load.${
      config.BENCH_BASELINE
        ? ` Rows marked (baseline) are the server of the checkout in BENCH_BASELINE
(${config.BENCH_BASELINE}), run from source through tsx, measured beside this one's compiled server in the same rounds.`
        : ""
    }

${table}

${pacedTable}`,
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(work, { recursive: true, force: true });
}
