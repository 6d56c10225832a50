/**
 * pnpm bench:fleet — fleet scale on SQLite, one server process: for each fleet size, N workspaces heartbeat every
 * 30 s ± 10 % over HTTP for a steady phase, then min(N, 10,000) of them fall silent at once and the sweeper must mark
 * them offline. Prints the tables and records them in BENCHMARKS.md with the machine, the date and the command.
 *
 *   pnpm bench:fleet                                 the full run: --sizes=1000,10000,100000 --minutes=10
 *   pnpm bench:fleet --sizes=1000 --minutes=1        a quick check of the harness (about 3 minutes)
 *
 * Flags (all optional):
 *   --sizes=1000,10000,100000  fleet sizes, one after another, each on a fresh database and server process
 *   --minutes=10               steady phase of the largest size
 *   --small-minutes=3          steady phase of the other sizes
 *   --warmup-seconds=120       start of the steady phase left out of throughput, p99 and RSS growth (the first
 *                              30 s is every workspace's first beat: provisioning → online); at most half the phase
 *   --silent=10000             workspaces silenced at once in the sweep scenario (all of them in a smaller fleet)
 *   --connections=64           keep-alive connections of the load generator
 *   --cold-start               leave the workspaces provisioning, so that every one's first beat over HTTP is its
 *                              provisioning → online transition, all within the first 30 s (a thundering herd; the
 *                              default registers them before the server starts, as a fleet that is already running)
 *   --no-record                print only, leave BENCHMARKS.md alone
 *
 * What runs where: the server is its own process (apps/server/src/main.ts) with production settings (sweep every
 * 5 s, offline after 90 s, SQLite synchronous=FULL, hot-path cache of 100,000); the runtimes are a second process
 * (fleet/load-generator.ts) on keep-alive connections; this process seeds, watches and reads the database. The
 * workspaces are provisioned straight into a fresh SQLite file before the server starts (fleet/seed.ts: real
 * tokens, only their hashes stored) and registered with their tokens through registry-core's register, so they are
 * online with their cards when the server starts; the runtimes then heartbeat with those tokens over HTTP, each beat
 * carrying the agent card.
 *
 * The sweep scenario: the silenced workspaces send one last beat all at once (so they cross the 90 s threshold
 * together, which is what makes the sweep's job hard) and never again. Their offline times and events are read
 * from the database; the sweeps that marked them from the server's "sweep" log lines.
 */
import { machine, recordSection } from "@rollcall/bench-report";
import { migrate, openDatabase, type Database } from "@rollcall/db";
import { DEFAULT_POLICY, timelineSlots } from "@rollcall/registry-core";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { startGenerator, type Generator } from "./fleet/generator.ts";
import { cpuShare, procStats } from "./fleet/proc.ts";
import type { FleetMember, LatencySummary } from "./fleet/protocol.ts";
import { provisionFleet, registerFleet } from "./fleet/seed.ts";
import { heartbeatBody, startRollcall, type LogEntry } from "./lib.ts";

const flags = Object.fromEntries(
  process.argv
    .slice(2)
    .filter((arg) => arg.startsWith("--"))
    .map((arg) => {
      const [key, value] = arg.slice(2).split("=", 2) as [string, string | undefined];
      return [key, value ?? "true"];
    }),
);
const config = z
  .object({
    sizes: z
      .string()
      .default("1000,10000,100000")
      .transform((text) => text.split(",").map(Number))
      .pipe(z.array(z.number().int().positive()).min(1)),
    minutes: z.coerce.number().positive().default(10),
    "small-minutes": z.coerce.number().positive().default(3),
    "warmup-seconds": z.coerce.number().min(0).default(120),
    silent: z.coerce.number().int().positive().default(10_000),
    connections: z.coerce.number().int().positive().default(64),
    "cold-start": z.string().optional(),
    "no-record": z.string().optional(),
  })
  .strict()
  .parse(flags);
const coldStart = config["cold-start"] !== undefined;
const COMMAND = `pnpm bench:fleet ${process.argv
  .slice(2)
  .filter((arg) => arg !== "--")
  .join(" ")}`.trim();

const INTERVAL_MS = 30_000;
const JITTER = 0.1;
const SWEEP_INTERVAL_S = 5;
const OFFLINE_AFTER_S = 90;
const SAMPLE_EVERY_MS = 5_000;
const SERVER_ENV = {
  ROLLCALL_SWEEP_INTERVAL_SECONDS: String(SWEEP_INTERVAL_S),
  ROLLCALL_OFFLINE_AFTER_SECONDS: String(OFFLINE_AFTER_S),
  ROLLCALL_SQLITE_SYNCHRONOUS: "full",
  ROLLCALL_CACHE_WORKSPACES: "100000",
  ROLLCALL_SAMPLE_RETENTION_HOURS: "24",
  // The sweep scenario measures marking a mass silence offline; in the 1,000 and 10,000 fleets it silences everyone,
  // which self-preservation would rightly hold as unknown (bench:status measures that), so here it stays out of reach.
  ROLLCALL_SELF_PRESERVATION_MIN_LIVE: String(Number.MAX_SAFE_INTEGER),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const MiB = (kib: number) => kib / 1024;
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
};

type Sample = { at: number; serverRssKiB: number; serverCpu: number; generatorCpu: number; sweepMs: number | null };
type MinuteRow = { minute: number; summary: LatencySummary; serverCpu: number; generatorCpu: number; rssMaxMiB: number };
type SweepLog = { at: number; durationMs: number; changed: number; candidates: number };
type DatabaseSize = {
  dbBytes: number;
  walBytes: number;
  perWorkspace: number;
  sampleRows: number;
  sampleBytes: number;
  bytesPerSample: number;
  otherPerWorkspace: number;
  boundFullRing: number;
  boundAt30s: number;
};
type SweepResult = {
  silent: number;
  finalBeats: { seconds: number; non200: number };
  offline: number;
  missed: number;
  falseOffline: number;
  exactlyOneEvent: number;
  duplicateEvents: number;
  sweeps: SweepLog[];
  sweepTotalMs: number;
  sweepMaxMs: number;
  firstCrossToAllOfflineS: number;
  lastCrossToAllOfflineS: number;
  worstDelayS: number;
  before: LatencySummary;
  during: LatencySummary | null;
};
type SizeResult = {
  size: number;
  minutes: number;
  warmupS: number;
  seedSeconds: number;
  registerSeconds: number;
  offered: number;
  steady: LatencySummary;
  whole: LatencySummary;
  perMinute: MinuteRow[];
  serverCpu: number;
  generatorCpu: number;
  benchCpu: number;
  rssWarmMiB: number;
  rssEndMiB: number;
  rssPeakMiB: number;
  rssGrowth: number;
  idleSweepMs: number;
  falseOffline: number;
  falseOfflineAfterWarmup: number;
  notOnline: number;
  /** Every beat from the start to the end of the sweep scenario, last beats included. */
  everything: LatencySummary;
  database: DatabaseSize;
  sweep: SweepResult;
};

async function scalar(database: Database, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await database.sql.query<{ n: number }>(sql, params);
  return Number(row?.n ?? 0);
}

/** The last sweep's duration from /metrics (the gauge rollcall_sweep_duration_seconds), in ms. */
async function lastSweepMs(port: number): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const match = /^rollcall_sweep_duration_seconds ([\d.e+-]+)$/m.exec(text);
    return match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}

/** Database bytes per table (with its indexes) from SQLite's dbstat, and the projection to a full 24 h timeline. */
async function measureDatabase(database: Database, live: { dbBytes: number; walBytes: number }, size: number): Promise<DatabaseSize> {
  const tables = await database.sql.query<{ table: string; bytes: number }>(
    `SELECT s.tbl_name AS "table", SUM(d.pgsize) AS bytes FROM dbstat AS d JOIN sqlite_schema AS s ON s.name = d.name WHERE d.aggregate = TRUE GROUP BY s.tbl_name`,
  );
  const pages = await scalar(database, `SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()`);
  const sampleBytes = Number(tables.find((t) => t.table === "HeartbeatSample")?.bytes ?? 0);
  const sampleRows = await scalar(database, `SELECT COUNT(*) AS n FROM "HeartbeatSample"`);
  const bytesPerSample = sampleRows === 0 ? NaN : sampleBytes / sampleRows;
  const otherPerWorkspace = (pages - sampleBytes) / size;
  const slots = timelineSlots(DEFAULT_POLICY);
  return {
    ...live,
    perWorkspace: (live.dbBytes + live.walBytes) / size,
    sampleRows,
    sampleBytes,
    bytesPerSample,
    otherPerWorkspace,
    boundFullRing: otherPerWorkspace + slots * bytesPerSample,
    // At one beat per 30 s, every other 15 s slot: 24 h / 30 s samples.
    boundAt30s: otherPerWorkspace + (DEFAULT_POLICY.sampleRetentionMs / INTERVAL_MS) * bytesPerSample,
  };
}

const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

async function runSize(size: number, minutes: number): Promise<SizeResult> {
  const dir = mkdtempSync(join(tmpdir(), "rollcall-fleet-"));
  const file = join(dir, "rollcall.db");
  const url = `file:${file}`;
  const steadyMs = minutes * 60_000;
  const warmupMs = Math.min(config["warmup-seconds"] * 1000, steadyMs / 2);

  log(`${size} workspaces: seeding ${file}`);
  await migrate(url);
  // The bench's own connection: seeding (synchronous=NORMAL, it is set-up, not the measured path), then reads only.
  const database = await openDatabase(url, { sqliteSynchronous: "normal" });
  const seedStarted = performance.now();
  const fleet = await provisionFleet(database, size);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const members: FleetMember[] = fleet.map((ws) => ({ ...ws, body: heartbeatBody(ws.id) }));
  const fleetFile = join(dir, "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(members));
  log(`provisioned in ${seedSeconds.toFixed(1)} s`);
  // Registered last, right before the server starts: each registration starts the workspace's 90 s, and the first
  // beats go out in the same order within the first 30 s.
  const registerStarted = performance.now();
  if (!coldStart) await registerFleet(database, fleet);
  const registerSeconds = (performance.now() - registerStarted) / 1000;
  log(`${coldStart ? "left provisioning (--cold-start)" : `registered in ${registerSeconds.toFixed(1)} s`}; starting the server`);

  const sweepLogs: SweepLog[] = [];
  const onLog = (entry: LogEntry) => {
    if (entry.msg === "sweep") {
      sweepLogs.push({
        at: Date.parse(entry.time),
        durationMs: Number(entry.durationMs),
        changed: Number(entry.changed),
        candidates: Number(entry.candidates),
      });
    } else if (entry.level === "error" || entry.level === "warn") console.log(`server ${entry.level}: ${JSON.stringify(entry)}`);
  };
  const server = await startRollcall(url, { env: SERVER_ENV, onLog });
  const serverPid = server.child.pid!;
  let generator: Generator | null = null;
  try {
    generator = await startGenerator({ port: server.port, fleetFile, connections: config.connections, intervalMs: INTERVAL_MS, jitter: JITTER });
    const t0 = generator.go();
    const generatorPid = generator.pid;
    const samples: Sample[] = [];
    const takeSample = async (at: number) => {
      const stats = procStats(serverPid);
      const generatorCpu = procStats(generatorPid).cpuSeconds;
      samples.push({ at, serverRssKiB: stats.rssKiB, serverCpu: stats.cpuSeconds, generatorCpu, sweepMs: await lastSweepMs(server.port) });
    };
    const benchCpuStart = process.cpuUsage();
    await sleep(t0 - Date.now());
    await takeSample(t0);
    log(`steady phase: ${minutes} min at ${(size / (INTERVAL_MS / 1000)).toFixed(0)} beats/s offered (${config.connections} connections)`);
    const perMinute: MinuteRow[] = [];
    for (let k = 1; k * SAMPLE_EVERY_MS <= steadyMs; k++) {
      const at = t0 + k * SAMPLE_EVERY_MS;
      await sleep(at - Date.now());
      if (server.child.exitCode !== null) throw new Error(`the server exited with ${server.child.exitCode}`);
      await takeSample(at);
      if ((k * SAMPLE_EVERY_MS) % 60_000 === 0 || k * SAMPLE_EVERY_MS === steadyMs) {
        const end = samples.at(-1)!;
        const start = [...samples].reverse().find((s) => s.at <= at - 60_000) ?? samples[0]!;
        const summary = await generator.summary(start.at, end.at);
        const inMinute = samples.filter((s) => s.at > start.at && s.at <= end.at);
        perMinute.push({
          minute: perMinute.length + 1,
          summary,
          serverCpu: cpuShare({ cpuSeconds: start.serverCpu }, { cpuSeconds: end.serverCpu }, end.at - start.at),
          generatorCpu: cpuShare({ cpuSeconds: start.generatorCpu }, { cpuSeconds: end.generatorCpu }, end.at - start.at),
          rssMaxMiB: MiB(Math.max(...inMinute.map((s) => s.serverRssKiB))),
        });
        const row = perMinute.at(-1)!;
        log(
          `minute ${row.minute}: ${summary.perSecond.toFixed(0)} beats/s, p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms, ` +
            `non-200 ${summary.non200}, lag p99 ${summary.lagP99.toFixed(0)} ms, longest gap ${(summary.gapMax / 1000).toFixed(1)} s, server CPU ${(row.serverCpu * 100).toFixed(0)} %, ` +
            `generator CPU ${(row.generatorCpu * 100).toFixed(0)} %, RSS ${row.rssMaxMiB.toFixed(0)} MiB`,
        );
      }
    }
    const tEnd = samples.at(-1)!.at;
    const benchCpuUsed = process.cpuUsage(benchCpuStart);
    const tWarm = t0 + warmupMs;
    const steady = await generator.summary(tWarm, tEnd);
    const whole = await generator.summary(t0, tEnd);
    const warmSample = samples.find((s) => s.at >= tWarm)!;
    const endSample = samples.at(-1)!;
    // RSS is compared as the envelope (highest sample) of the first minute after warm-up against the last minute:
    // single readings ride the garbage collector's sawtooth.
    const envelope = (from: number, to: number) => MiB(Math.max(...samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.serverRssKiB)));
    const rssWarmMiB = envelope(tWarm, Math.min(tWarm + 60_000, tEnd));
    const rssEndMiB = envelope(Math.max(tWarm, tEnd - 60_000), tEnd);
    const sweepSamples = samples.filter((s) => s.at >= tWarm && s.sweepMs !== null).map((s) => s.sweepMs!);

    const falseOffline = await scalar(database, `SELECT COUNT(*) AS n FROM "Event" WHERE "type" = 'WORKSPACE_OFFLINE'`);
    const falseOfflineAfterWarmup = await scalar(database, `SELECT COUNT(*) AS n FROM "Event" WHERE "type" = 'WORKSPACE_OFFLINE' AND "at" >= ?`, [tWarm]);
    const notOnline = await scalar(database, `SELECT COUNT(*) AS n FROM "Workspace" WHERE "status" <> 'online'`);
    const live = { dbBytes: fileSize(file), walBytes: fileSize(`${file}-wal`) };
    log(
      `steady done: ${falseOffline} offline events, ${notOnline} workspaces not online, database ${((live.dbBytes + live.walBytes) / 2 ** 20).toFixed(1)} MiB`,
    );

    const sweep = await sweepScenario(
      size,
      fleet.map((ws) => ws.id),
      database,
      generator,
      sweepLogs,
    );
    const everything = await generator.summary(t0, Date.now());
    await generator.stop();
    generator = null;
    await server.stop();
    const databaseSize = await measureDatabase(database, live, size);
    await database.close();

    return {
      size,
      minutes,
      warmupS: warmupMs / 1000,
      seedSeconds,
      registerSeconds,
      offered: size / (INTERVAL_MS / 1000),
      steady,
      whole,
      perMinute,
      serverCpu: cpuShare({ cpuSeconds: warmSample.serverCpu }, { cpuSeconds: endSample.serverCpu }, endSample.at - warmSample.at),
      generatorCpu: cpuShare({ cpuSeconds: warmSample.generatorCpu }, { cpuSeconds: endSample.generatorCpu }, endSample.at - warmSample.at),
      benchCpu: (benchCpuUsed.user + benchCpuUsed.system) / 1000 / (tEnd - t0),
      rssWarmMiB,
      rssEndMiB,
      rssPeakMiB: MiB(Math.max(...samples.map((s) => s.serverRssKiB))),
      rssGrowth: rssEndMiB / rssWarmMiB - 1,
      idleSweepMs: median(sweepSamples),
      falseOffline,
      falseOfflineAfterWarmup,
      notOnline,
      everything,
      database: databaseSize,
      sweep,
    };
  } finally {
    await generator?.stop();
    if (server.child.exitCode === null) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sweepScenario(size: number, ids: string[], database: Database, generator: Generator, sweepLogs: SweepLog[]): Promise<SweepResult> {
  const count = Math.min(config.silent, size);
  const stride = size / count;
  const indices = Array.from({ length: count }, (_, k) => Math.floor(k * stride));
  const silentIds = new Set(indices.map((i) => ids[i]!));
  const silencedAt = Date.now();
  const before = await generator.summary(silencedAt - 60_000, silencedAt);
  log(`sweep scenario: ${count} workspaces send a last beat at once and fall silent`);
  const last = await generator.silence(indices);
  log(`last beats answered in ${((last.lastAnsweredAt - last.firstSentAt) / 1000).toFixed(1)} s (${last.non200} non-200); waiting for the 90 s threshold`);

  const deadline = last.lastAnsweredAt + OFFLINE_AFTER_S * 1000 + 120_000;
  await sleep(last.firstSentAt + OFFLINE_AFTER_S * 1000 - 2_000 - Date.now());
  for (;;) {
    const offline = await scalar(database, `SELECT COUNT(*) AS n FROM "Workspace" WHERE "status" = 'offline'`);
    if (offline >= count || Date.now() > deadline) break;
    await sleep(500);
  }
  // Two more sweeps: a duplicate event or a late extra transition would show up here.
  await sleep(2 * SWEEP_INTERVAL_S * 1000 + 1_000);

  const rows = await database.sql.query<{ id: string; lastHeartbeatAt: number; statusChangedAt: number }>(
    `SELECT "id", "lastHeartbeatAt", "statusChangedAt" FROM "Workspace" WHERE "status" = 'offline'`,
  );
  const offline = rows.filter((row) => silentIds.has(row.id));
  const events = await database.sql.query<{ workspaceId: string; n: number }>(
    `SELECT "workspaceId", COUNT(*) AS n FROM "Event" WHERE "type" = 'WORKSPACE_OFFLINE' AND "at" >= ? GROUP BY "workspaceId"`,
    [silencedAt],
  );
  const crossings = offline.map((row) => row.lastHeartbeatAt + OFFLINE_AFTER_S * 1000);
  const allOfflineAt = Math.max(...offline.map((row) => row.statusChangedAt));
  const sweeps = sweepLogs.filter((entry) => entry.at >= silencedAt && entry.changed > 0);
  const windowStart = Math.min(...sweeps.map((entry) => entry.at - entry.durationMs));
  const windowEnd = Math.max(...sweeps.map((entry) => entry.at));
  const stillBeating = size - count;
  const during = stillBeating > 0 && sweeps.length > 0 ? await generator.summary(windowStart, windowEnd) : null;

  const result: SweepResult = {
    silent: count,
    finalBeats: { seconds: (last.lastAnsweredAt - last.firstSentAt) / 1000, non200: last.non200 },
    offline: offline.length,
    missed: count - offline.length,
    falseOffline: rows.length - offline.length,
    exactlyOneEvent: events.filter((e) => silentIds.has(e.workspaceId) && Number(e.n) === 1).length,
    duplicateEvents: events.filter((e) => Number(e.n) > 1).length + events.filter((e) => !silentIds.has(e.workspaceId)).length,
    sweeps,
    sweepTotalMs: sweeps.reduce((sum, entry) => sum + entry.durationMs, 0),
    sweepMaxMs: Math.max(...sweeps.map((entry) => entry.durationMs)),
    firstCrossToAllOfflineS: (allOfflineAt - Math.min(...crossings)) / 1000,
    lastCrossToAllOfflineS: (allOfflineAt - Math.max(...crossings)) / 1000,
    worstDelayS: Math.max(...offline.map((row) => row.statusChangedAt - row.lastHeartbeatAt - OFFLINE_AFTER_S * 1000)) / 1000,
    before,
    during,
  };
  log(
    `sweep: ${result.offline}/${count} offline (${result.missed} missed, ${result.falseOffline} others), ${result.exactlyOneEvent} with exactly one event, ` +
      `${sweeps.length} sweeps (${sweeps.map((s) => `${s.changed} in ${s.durationMs} ms`).join(", ")}), last crossing → all offline ${result.lastCrossToAllOfflineS.toFixed(1)} s, ` +
      `p99 before ${before.p99.toFixed(1)} ms, during ${during ? during.p99.toFixed(1) : "—"} ms`,
  );
  return result;
}

// ---- run -------------------------------------------------------------------------------------------------

const largest = Math.max(...config.sizes);
const load = loadavg();
log(`load average before the run: ${load.map((x) => x.toFixed(2)).join(" ")}`);
const results: SizeResult[] = [];
for (const size of config.sizes) results.push(await runSize(size, size === largest ? config.minutes : config["small-minutes"]));

// ---- report ----------------------------------------------------------------------------------------------

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "—");
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "—");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "—");
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : "—");
const signedPct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %` : "—");
const n = (x: number) => x.toLocaleString("en-US");

const steadyTable = [
  "| workspaces | steady min | offered beats/s | achieved beats/s | p50 ms | p99 ms | max ms | non-200 (every beat) | false offline (after warm-up) | server CPU | generator CPU | server RSS after warm-up → end MiB | RSS growth | idle sweep ms | DB bytes/workspace |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map(
    (r) =>
      `| ${n(r.size)} | ${r.minutes} | ${f0(r.offered)} | ${f0(r.steady.perSecond)} | ${f2(r.steady.p50)} | ${f2(r.steady.p99)} | ${f0(r.steady.max)} | ${r.everything.non200} | ${r.falseOffline} (${r.falseOfflineAfterWarmup}) | ${pct(r.serverCpu)} | ${pct(r.generatorCpu)} | ${f0(r.rssWarmMiB)} → ${f0(r.rssEndMiB)} | ${signedPct(r.rssGrowth)} | ${f1(r.idleSweepMs)} | ${n(Math.round(r.database.perWorkspace))} |`,
  ),
].join("\n");

const sweepTable = [
  "| workspaces | silenced | offline | exactly one event | sweeps that marked them | sweep time total ms | longest sweep ms | last crossing → all offline s | worst delay after own crossing s | p99 before ms | p99 during sweep ms | max during ms | beats answered during |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map(({ size, sweep: s }) => {
    const cells = [
      n(size),
      n(s.silent),
      `${n(s.offline)}${s.falseOffline > 0 ? ` (+${s.falseOffline} not silenced)` : ""}`,
      `${n(s.exactlyOneEvent)}${s.duplicateEvents > 0 ? ` (+${s.duplicateEvents} duplicated or not silenced)` : ""}`,
      s.sweeps.map((entry) => n(entry.changed)).join(" + "),
      f0(s.sweepTotalMs),
      f0(s.sweepMaxMs),
      f1(s.lastCrossToAllOfflineS),
      f1(s.worstDelayS),
      f2(s.before.p99),
      s.during ? f2(s.during.p99) : "— (none left beating)",
      s.during ? f0(s.during.max) : "—",
      s.during ? n(s.during.count) : "—",
    ];
    return `| ${cells.join(" | ")} |`;
  }),
].join("\n");

const big = results.find((r) => r.size === largest)!;
const minuteTable = [
  "| minute | beats/s | p50 ms | p99 ms | max ms | non-200 | schedule lag p99 ms | longest gap between a workspace's beats s | server CPU | generator CPU | server RSS max MiB |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...big.perMinute.map(
    (m) =>
      `| ${m.minute} | ${f0(m.summary.perSecond)} | ${f2(m.summary.p50)} | ${f2(m.summary.p99)} | ${f0(m.summary.max)} | ${m.summary.non200} | ${f0(m.summary.lagP99)} | ${f1(m.summary.gapMax / 1000)} | ${pct(m.serverCpu)} | ${pct(m.generatorCpu)} | ${f0(m.rssMaxMiB)} |`,
  ),
].join("\n");

const db = big.database;
const slots = timelineSlots(DEFAULT_POLICY);
const databaseTable = [
  "| measure | value |",
  "|---|---:|",
  `| database file + WAL at the end of the steady phase (measured) | ${f1(db.dbBytes / 2 ** 20)} MiB + ${f1(db.walBytes / 2 ** 20)} MiB |`,
  `| bytes per workspace (measured, ${big.minutes} min: about ${f0(db.sampleRows / big.size)} timeline samples each) | ${n(Math.round(db.perWorkspace))} |`,
  `| of which everything but the timeline (row, token, events, indexes) | ${n(Math.round(db.otherPerWorkspace))} |`,
  `| timeline bytes per sample, with its indexes (measured by dbstat) | ${f1(db.bytesPerSample)} |`,
  `| projected bound per workspace at 24 h retention, every slot filled (${n(slots)} slots) | ${n(Math.round(db.boundFullRing))} (${f2(db.boundFullRing / 2 ** 20)} MiB) |`,
  `| projected per workspace at 24 h, one beat per 30 s (${n(DEFAULT_POLICY.sampleRetentionMs / INTERVAL_MS)} samples) | ${n(Math.round(db.boundAt30s))} (${f2(db.boundAt30s / 2 ** 20)} MiB) |`,
  `| projected for the fleet at 24 h, one beat per 30 s | ${f1((db.boundAt30s * big.size) / 2 ** 30)} GiB |`,
].join("\n");

// How cost grows: each measure's factor per step in fleet size, against the step itself (linear = the same factor).
const growthRows: string[] = [];
for (let i = 1; i < results.length; i++) {
  const a = results[i - 1]!;
  const b = results[i]!;
  const ratio = (x: number, y: number) => (x > 0 && Number.isFinite(x) && Number.isFinite(y) ? `× ${(y / x).toFixed(2)}` : "—");
  const sweepPerSilent = (r: SizeResult) => r.sweep.sweepTotalMs / r.sweep.silent;
  growthRows.push(
    `| ${n(a.size)} → ${n(b.size)} (× ${(b.size / a.size).toFixed(0)}) | ${ratio(a.steady.perSecond, b.steady.perSecond)} | ${ratio(a.steady.p99, b.steady.p99)} | ${ratio(a.serverCpu, b.serverCpu)} | ${ratio(a.rssEndMiB, b.rssEndMiB)} | ${ratio(a.idleSweepMs, b.idleSweepMs)} | ${ratio(a.sweep.sweepTotalMs, b.sweep.sweepTotalMs)} (silenced × ${(b.sweep.silent / a.sweep.silent).toFixed(0)}; per workspace ${ratio(sweepPerSilent(a), sweepPerSilent(b))}) | ${ratio(a.database.otherPerWorkspace, b.database.otherPerWorkspace)} |`,
  );
}
const growthTable = growthRows.length
  ? [
      "| fleet step | achieved beats/s | p99 | server CPU | server RSS | idle sweep | sweep time for the silenced | DB bytes/workspace besides the timeline |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...growthRows,
    ].join("\n")
  : "";

// ---- targets ---------------------------------------------------------------------------------------------

const verdict = (ok: boolean) => (ok ? "**met**" : "**not met**");
const targets: string[] = [];
const unsolicited = (r: SizeResult) => Object.entries(r.everything.unsolicited).map(([status, count]) => `${count} × ${status}`);
targets.push(
  `- No heartbeat rejected: ${verdict(results.every((r) => r.everything.non200 === 0))} (${results
    .map(
      (r) =>
        `${n(r.size)}: ${r.everything.non200} non-200 of ${n(r.everything.count)}${unsolicited(r).length ? `, and answers to no request on idle connections: ${unsolicited(r).join(", ")}` : ""}`,
    )
    .join("; ")}).`,
);
targets.push(
  `- No false offline during the steady phase: ${verdict(results.every((r) => r.falseOffline === 0 && r.sweep.falseOffline === 0))} (WORKSPACE_OFFLINE events before the silence, warm-up included: ${results.map((r) => `${n(r.size)}: ${r.falseOffline}${r.falseOffline > 0 ? `, ${r.falseOfflineAfterWarmup} after warm-up` : ""}`).join("; ")}; workspaces not online at its end: ${results.map((r) => `${n(r.size)}: ${r.notOnline}`).join("; ")}).`,
);
targets.push(
  `- Offered rate achieved (N / 30 s, after warm-up): ${verdict(results.every((r) => r.steady.perSecond >= 0.97 * r.offered && r.steady.lagP99 < 1000))} (${results.map((r) => `${n(r.size)}: ${f0(r.steady.perSecond)} of ${f0(r.offered)} beats/s, schedule lag p99 ${f0(r.steady.lagP99)} ms, longest gap between a workspace's beats ${f1(r.whole.gapMax / 1000)} s over the whole phase`).join("; ")}).`,
);
targets.push(
  `- RSS flat, growth under 10 % after warm-up (${n(largest)} workspaces, ${big.minutes} min): ${verdict(big.rssGrowth < 0.1)} (${f0(big.rssWarmMiB)} → ${f0(big.rssEndMiB)} MiB, ${signedPct(big.rssGrowth)}; peak ${f0(big.rssPeakMiB)} MiB).`,
);
targets.push(
  `- Database size bounded by the timeline retention: ${verdict(db.sampleRows <= big.size * slots)} — one sample per 15 s slot, the slots past the retention pruned by the sweeper, caps a workspace at ${n(slots)} samples; measured ${n(Math.round(db.perWorkspace))} bytes per workspace after ${big.minutes} min, projected ${n(Math.round(db.boundAt30s))} at 24 h of 30 s beats and at most ${n(Math.round(db.boundFullRing))} with every slot filled. Events are not in the timeline: each status change adds one, so a fleet that keeps changing status grows the event table (none did here).`,
);
for (const r of results) {
  const s = r.sweep;
  const allOffline = s.missed === 0 && s.falseOffline === 0;
  const onceEach = s.exactlyOneEvent === s.silent && s.duplicateEvents === 0;
  targets.push(
    `- Sweep, ${n(s.silent)} silent of ${n(r.size)}: all offline ${verdict(allOffline)} (${n(s.offline)}/${n(s.silent)}); exactly one WORKSPACE_OFFLINE each ${verdict(onceEach)}; within one sweep interval (${SWEEP_INTERVAL_S} s) of crossing the threshold ${verdict(allOffline && s.worstDelayS <= SWEEP_INTERVAL_S)} (worst ${f1(s.worstDelayS)} s after its own crossing, the last one ${f1(s.lastCrossToAllOfflineS)} s after the last crossing; the sweeps took ${s.sweeps.map((e) => `${n(e.durationMs)} ms`).join(" + ")})` +
      (s.during
        ? `; heartbeats not stalled: p99 ${f2(s.before.p99)} ms before, ${f2(s.during.p99)} ms during the sweep (max ${f0(s.during.max)} ms, ${n(s.during.count)} beats, ${s.during.non200} non-200).`
        : "; no workspace was left beating to measure p99 against."),
  );
}
if (growthRows.length) {
  // A cost grows faster than linearly if, over some step, its factor exceeds the fleet's own factor (10 % slack).
  const worst = (pick: (r: SizeResult) => number) => {
    let factor = 0;
    for (let i = 1; i < results.length; i++) factor = Math.max(factor, pick(results[i]!) / pick(results[i - 1]!) / (results[i]!.size / results[i - 1]!.size));
    return factor;
  };
  const superLinear = (
    [
      ["server CPU", worst((r) => r.serverCpu)],
      ["server RSS", worst((r) => r.rssEndMiB)],
      ["p99", worst((r) => r.steady.p99)],
      ["idle sweep", worst((r) => r.idleSweepMs)],
      ["sweep time", worst((r) => r.sweep.sweepTotalMs)],
      // Without the timeline: the phases run for different times, so they hold different numbers of samples.
      ["DB bytes besides the timeline", worst((r) => r.database.otherPerWorkspace * r.size)],
    ] as const
  ).filter(([, factor]) => !(factor <= 1.1));
  targets.push(
    `- Nothing grows faster than linearly: ${verdict(superLinear.length === 0)}${superLinear.length ? ` (${superLinear.map(([name, factor]) => `${name}: ${f2(factor)} × linear`).join("; ")})` : ""}.`,
  );
}

const report = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, load average ${load.map((x) => x.toFixed(2)).join(" ")} before the run.
Command: \`${COMMAND}\`. One server process on a fresh SQLite file per fleet size, production settings (sweep every
${SWEEP_INTERVAL_S} s, offline after ${OFFLINE_AFTER_S} s, \`synchronous=FULL\`, hot-path cache 100,000). Workspaces are provisioned straight into the database
(real tokens, hashes stored) ${
  coldStart
    ? "and left provisioning (--cold-start): each one's first beat over HTTP is its provisioning → online transition, all within the first 30 s"
    : "and registered with their tokens through registry-core's register just before the server starts, so they start online (fleet/seed.ts)"
}; each then heartbeats over HTTP with its agent card as the SDK does, the next beat 30 s ± 10 % after the answer to
the last, the first beats spread evenly over 30 s. The load generator is its own process (${config.connections} keep-alive connections, a minimal
HTTP/1.1 client; its CPU is the "generator CPU" column, on the same 2 cores; this watching process used at most ${pct(Math.max(...results.map((r) => r.benchCpu)))} of a core).
Latency is send → answer; each answer follows its heartbeat's commit; "schedule lag" is how long a due beat waited for
a free connection; a "gap" is the time between two accepted beats of one workspace (offline after ${OFFLINE_AFTER_S} s). Throughput,
p50/p99 and CPU leave out the first ${[...new Set(results.map((r) => f0(r.warmupS)))].join(" / ")} s of each steady phase (warm-up: the first round of beats finds the server's
hot-path cache empty${coldStart ? " and makes every workspace's transition to online" : ""}); RSS growth compares the highest reading of the first minute after warm-up
with the highest of the last minute (readings every 5 s). "Idle sweep" is the median of rollcall_sweep_duration_seconds
during the steady phase, when nothing is due.

${steadyTable}

**Sweep.** After the steady phase, min(N, ${n(config.silent)}) workspaces send one last beat at once and fall silent, so they
cross the ${OFFLINE_AFTER_S} s threshold together. Offline times and events come from the database, sweep durations
from the server's log; "p99 during sweep" covers the beats of the workspaces still beating while those sweeps ran,
"before" the minute before the silence.

${sweepTable}

**${n(largest)} workspaces, ${big.minutes} min, per minute:**

${minuteTable}

**Database size, ${n(largest)} workspaces.** ${big.minutes} min of 30 s beats fill only about ${f0(db.sampleRows / big.size)} of the ${n(slots)} timeline
slots per workspace, so the measured bytes per workspace are far below the 24 h figure; the projection adds the
missing samples at the measured bytes per sample.

${databaseTable}
${growthTable ? `\n**How cost grows** (each measure's factor for the step; linear growth is the step's own factor):\n\n${growthTable}\n` : ""}
**Targets.**

${targets.join("\n")}`;

console.log(`\n${report}\n`);
if (config["no-record"] === undefined) recordSection("## Fleet scale (`pnpm bench:fleet`)", report);
