/**
 * pnpm bench — heartbeat throughput of one Rollcall server process, side by side with etcd's lease keep-alive (a
 * production lease service) and a bare node:http JSON handler (the ceiling for any Node handler here), all driven
 * by the same load generator (wrk, fixed duration, loopback) in one run. Prints one table with requests/s, p50/p99,
 * the target's CPU and peak RSS, and ratios; then p99 at half of each Rollcall route's maximum rate. Records the
 * table in BENCHMARKS.md. Needs wrk and etcd (`apt-get install -y wrk etcd-server`; scripts/bench.sh installs them).
 */
import { testDatabases } from "@rollcall/db/testing";
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
    BENCH_CONNECTIONS: z.coerce.number().int().positive().default(32),
    BENCH_SECONDS: z.coerce.number().int().positive().default(10),
  })
  .parse(process.env);
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "rollcall-bench-"));
const clockTicks = 100; // USER_HZ on Linux

type Measure = { target: string; perSecond: number; p50: number; p99: number; non2xx: number; cpu: number; rssMiB: number };

function procStats(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return { cpuSeconds: (Number(stat[11]) + Number(stat[12])) / clockTicks, hwmKiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) };
}

const toMs = (value: string, unit: string) => Number(value) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);

/** One wrk run against `url` with the Lua script; optionally paced to `rate` requests/s in total. */
async function wrk(target: string, pid: number, url: string, lua: string, rate?: number): Promise<Measure> {
  const script = join(work, `${target.replace(/\W+/g, "-")}.lua`);
  const pacing = rate ? `\nfunction delay() return ${((config.BENCH_CONNECTIONS / rate) * 1000).toFixed(3)} end\n` : "";
  writeFileSync(script, lua + pacing);
  const before = procStats(pid);
  const started = performance.now();
  const { stdout } = await run("wrk", ["-t1", `-c${config.BENCH_CONNECTIONS}`, `-d${config.BENCH_SECONDS}s`, "--latency", "-s", script, url], { maxBuffer: 1 << 20 });
  const wall = (performance.now() - started) / 1000;
  const after = procStats(pid);
  const percentile = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(stdout);
    return m ? toMs(m[1]!, m[2]!) : NaN;
  };
  return {
    target,
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
 * are formatted once up front, so the generator spends its time sending, as with the static etcd and ceiling runs.
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

async function startProcess(command: string, args: string[], ready: (line: string) => number | null, env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string) => {
      const found = ready(line);
      if (found !== null) resolve(found);
    };
    createInterface({ input: child.stdout! }).on("line", onLine);
    createInterface({ input: child.stderr! }).on("line", onLine);
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

const measures: Measure[] = [];
const halfRate: Measure[] = [];

// The Node ceiling.
const bare = await startProcess(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./bare-server.ts", import.meta.url))], (line) => {
  try {
    return (JSON.parse(line) as { port?: number }).port ?? null;
  } catch {
    return null;
  }
});
measures.push(await wrk("node:http JSON ceiling", bare.child.pid!, `http://127.0.0.1:${bare.port}`, postScript("/", heartbeatBody("00000000-0000-4000-8000-000000000000"))));
await stop(bare.child);

// etcd's lease keep-alive through its HTTP/JSON gateway.
const etcdPort = 23_790;
const etcd = await startProcess(
  "etcd",
  ["--data-dir", join(work, "etcd"), "--listen-client-urls", `http://127.0.0.1:${etcdPort}`, "--advertise-client-urls", `http://127.0.0.1:${etcdPort}`, "--listen-peer-urls", "http://127.0.0.1:23800"],
  (line) => (line.includes("ready to serve client requests") ? etcdPort : null),
);
const lease = (await (await fetch(`http://127.0.0.1:${etcdPort}/v3/lease/grant`, { method: "POST", body: JSON.stringify({ TTL: 60 }) })).json()) as { ID: string };
measures.push(await wrk("etcd lease keep-alive", etcd.child.pid!, `http://127.0.0.1:${etcdPort}`, postScript("/v3/lease/keepalive", JSON.stringify({ ID: lease.ID }))));
await stop(etcd.child);

// Rollcall, on each database, through both routes.
for (const factory of testDatabases()) {
  const db = await factory.create();
  const server = await startRollcall(db.url);
  try {
    const fleet = await provisionFleet(server.port, config.BENCH_WORKSPACES);
    for (const [route, path] of [["plain JSON", "/registry/heartbeat"], ["tRPC wire", "/trpc/runtime.heartbeat"]] as const) {
      const target = `Rollcall ${db.provider}, ${route}`;
      const max = await wrk(target, server.child.pid!, `http://127.0.0.1:${server.port}`, heartbeatScript(fleet, path));
      measures.push(max);
      halfRate.push(await wrk(`${target} at ${Math.round(max.perSecond / 2)}/s`, server.child.pid!, `http://127.0.0.1:${server.port}`, heartbeatScript(fleet, path), max.perSecond / 2));
    }
  } finally {
    await server.stop();
    await db.drop();
  }
}
rmSync(work, { recursive: true, force: true });

const etcdRate = measures.find((m) => m.target.startsWith("etcd"))!.perSecond;
const ceiling = measures.find((m) => m.target.startsWith("node:http"))!.perSecond;
const row = (m: Measure) =>
  `| ${m.target} | ${m.perSecond.toFixed(0)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${(m.cpu * 100).toFixed(0)} % | ${m.rssMiB.toFixed(0)} | ${(m.perSecond / etcdRate).toFixed(2)} | ${(m.perSecond / ceiling).toFixed(2)} | ${m.non2xx} |`;
const table = [
  "| target | requests/s | p50 ms | p99 ms | CPU | peak RSS MiB | × etcd | × ceiling | non-2xx |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...measures.map(row),
].join("\n");
const paced = ["| paced run | achieved/s | p50 ms | p99 ms | non-2xx |", "|---|---:|---:|---:|---:|", ...halfRate.map((m) => `| ${m.target} | ${m.perSecond.toFixed(0)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${m.non2xx} |`)].join("\n");
console.log(`${table}\n\n${paced}`);
recordSection(
  "## Heartbeat throughput against etcd and the Node ceiling (`pnpm bench`)",
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, in one run: \`pnpm bench\`.
wrk -t1 -c${config.BENCH_CONNECTIONS} -d${config.BENCH_SECONDS}s over loopback for every target. Rollcall: one server process, ${config.BENCH_WORKSPACES} provisioned
workspaces with real tokens, each request one workspace's authenticated heartbeat carrying its agent card; every
answer follows the commit of its heartbeat (group commit, SQLite \`synchronous=FULL\`). CPU and peak RSS are the
target process's (etcd's own, the bare server's, Rollcall's server). Then each Rollcall route again, paced by wrk's
\`delay()\` at half its maximum rate, for p99 under a steady load.

${table}

${paced}`,
);
