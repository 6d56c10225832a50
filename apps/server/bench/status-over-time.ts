/**
 * pnpm bench:status — what status over time costs (issue 13), on SQLite, in this process:
 *   - availability rollup bytes per workspace per day at 10,000 and 100,000 workspaces, measured in the database
 *     file (SQLite's dbstat) after writing one day's rows through the store, for three kinds of day: no change
 *     (no row), a typical day with one outage (two changes), and a worst day that changes every hour;
 *   - how soon a 10,000-workspace partition is recognised: the fleet's last beats are spread over 30 s, the clock is
 *     set to the first one's offline deadline, and one sweep (the one the sweeper schedules for that deadline)
 *     runs: the time it takes, whether it entered self-preservation, and how many were marked offline (none must be).
 *
 *   pnpm bench:status [--no-record]
 */
import { machine, recordSection } from "@rollcall/bench-report";
import { createPrismaStore, migrate, openDatabase } from "@rollcall/db";
import { DEFAULT_POLICY, selfPreservationView, sweep, type AvailabilityDay, type RegistryDeps, type Tally } from "@rollcall/registry-core";
import Sqlite from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const record = !process.argv.includes("--no-record");
const DAY_MS = 86_400_000;

/** Workspace rows straight into the file (the rollup rows reference them), online, last heard from at `lastBeat(i)`. */
function seedWorkspaces(file: string, size: number, lastBeat: (index: number) => number): string[] {
  const db = new Sqlite(file);
  const ids = Array.from({ length: size }, () => randomUUID());
  const insert = db.prepare(
    `INSERT INTO "Workspace" ("id", "name", "status", "statusChangedAt", "lastHeartbeatAt", "createdAt", "updatedAt") VALUES (?, ?, 'online', ?, ?, ?, ?)`,
  );
  db.transaction(() => ids.forEach((id, i) => insert.run(id, `fleet-${i}`, lastBeat(i) - DAY_MS, lastBeat(i), lastBeat(i) - DAY_MS, lastBeat(i))))();
  db.close();
  return ids;
}

const online = { status: "online" as const, maintenance: false };
const fullHour = (): Tally => ({ online: 3600 });

/** One day's row of each kind, as rollHour writes them. */
const DAYS: Record<string, (workspaceId: string, day: number) => AvailabilityDay> = {
  "one outage (2 changes)": (workspaceId, day) => ({
    workspaceId,
    day,
    start: online,
    hours: Array.from({ length: 24 }, (_, hour) => (hour === 14 ? { online: 3000, offline: 600 } : fullHour())),
    end: online,
    through: day * DAY_MS + DAY_MS,
  }),
  "a change every hour (worst)": (workspaceId, day) => ({
    workspaceId,
    day,
    start: online,
    hours: Array.from({ length: 24 }, (): Tally => ({ online: 2400.5, degraded: 900.25, offline: 299.25 })),
    end: { status: "degraded", maintenance: true },
    through: day * DAY_MS + DAY_MS,
  }),
};

async function rollupBytes(size: number) {
  const dir = mkdtempSync(join(tmpdir(), "rollcall-rollup-"));
  const file = join(dir, "bench.db");
  try {
    await migrate(`file:${file}`);
    const ids = seedWorkspaces(file, size, () => Date.now());
    const database = await openDatabase(`file:${file}`);
    const store = createPrismaStore(database, { sampleSlotMs: DEFAULT_POLICY.sampleSlotMs });
    const results: Record<string, number> = {};
    let version = 0;
    let day = 20_000;
    for (const [kind, build] of Object.entries(DAYS)) {
      day++;
      for (let start = 0; start < ids.length; start += 5_000) {
        const rows = ids.slice(start, start + 5_000).map((id) => build(id, day));
        if (!(await store.commitRollup({ key: "bench", expectedVersion: version++, value: { day } }, rows))) throw new Error("watermark lost");
      }
      const bytes = tableBytes(file);
      results[kind] = bytes / size - Object.values(results).reduce((sum, previous) => sum + previous, 0);
    }
    await store.close();
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes of the AvailabilityDay table's pages (it is WITHOUT ROWID: the table is its key index). */
function tableBytes(file: string): number {
  const db = new Sqlite(file, { readonly: true });
  try {
    const row = db.prepare(`SELECT SUM("pgsize") AS "bytes" FROM "dbstat" WHERE "name" = 'AvailabilityDay'`).get() as { bytes: number };
    return row.bytes;
  } finally {
    db.close();
  }
}

async function partition(size: number) {
  const dir = mkdtempSync(join(tmpdir(), "rollcall-partition-"));
  const file = join(dir, "bench.db");
  try {
    await migrate(`file:${file}`);
    const t0 = Date.now();
    // Each runtime beat at its own moment of the last 30 s interval, then all of them went silent together.
    seedWorkspaces(file, size, (i) => t0 + (i % 30_000));
    const database = await openDatabase(`file:${file}`);
    const store = createPrismaStore(database, { sampleSlotMs: DEFAULT_POLICY.sampleSlotMs });
    let now = t0 + DEFAULT_POLICY.offlineAfterMs;
    const deps: RegistryDeps = {
      store,
      clock: () => now,
      resolveHost: async () => [],
      newId: randomUUID,
      policy: DEFAULT_POLICY,
      urlPolicy: { allowPrivate: false, allowLoopback: false, dnsTimeoutMs: 2000 },
      openRegistration: false,
    };
    const started = performance.now();
    const report = await sweep(deps);
    const sweepMs = performance.now() - started;
    const view = await selfPreservationView(deps);
    // The rest of the interval: the remaining deadlines cross, one sweep after another.
    now += 30_000;
    const rest = performance.now();
    await sweep(deps);
    const restMs = performance.now() - rest;
    const counts = await store.countByStatus();
    await store.close();
    return { sweepMs, entered: view.active, silent: view.silent, live: view.live, changed: report.changed, restMs, counts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines: string[] = [];
const print = (line = "") => {
  console.log(line);
  lines.push(line);
};

print(`Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`pnpm bench:status\` (SQLite, in process).`);
print();
print("| Workspaces | Day | Rollup bytes per workspace |");
print("| ---: | --- | ---: |");
for (const size of [10_000, 100_000]) {
  print(`| ${size.toLocaleString("en")} | no change (no row) | 0 |`);
  for (const [kind, bytes] of Object.entries(await rollupBytes(size))) print(`| ${size.toLocaleString("en")} | ${kind} | ${Math.round(bytes)} |`);
}
print();
const cut = await partition(10_000);
print("| 10,000-workspace partition | |");
print("| --- | ---: |");
print(`| sweep at the first offline deadline (entered self-preservation: ${cut.entered}) | ${cut.sweepMs.toFixed(0)} ms |`);
print(`| census it decided on: silent / live | ${cut.silent} / ${cut.live} |`);
print(`| marked unknown by that sweep | ${cut.changed} |`);
print(`| sweep 30 s later, the rest of the deadlines crossed | ${cut.restMs.toFixed(0)} ms |`);
print(`| after both sweeps: unknown / offline | ${cut.counts.unknown} / ${cut.counts.offline} |`);
print();
print(
  "The banner: the sweeper runs at the first offline deadline (it schedules itself for the soonest one), so the registry suspects itself the sweep time above after that workspace's last missed heartbeat is due, and nobody is marked offline. The console shows the banner when its event stream brings SELF_PRESERVATION_ENTERED (polled every ROLLCALL_EVENT_POLL_MS, 500 ms) or at its next 5 s check of GET /api/self-preservation, whichever comes first.",
);
print(
  "The bound: at most one row per workspace per UTC day, and only on days it changed: 0 bytes for a steady workspace, about 0.7 KB for a day with an outage, at most about 4.8 KB for a day that changed every hour (24 hours of three statuses each), so at most about 430 KB per workspace over the 90 days kept.",
);
if (record) recordSection("## Status over time (pnpm bench:status)", lines.join("\n"));
