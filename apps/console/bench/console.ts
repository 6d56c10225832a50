/**
 * `pnpm bench:console`: the console with 10,000 workspaces, on the real stack (registry server, console built with
 * `next build`, SQLite). Measures, in one run:
 *   1. the first fleet page's server time (a signed-in GET of "/", whole HTML response), and the fleet query the
 *      browser refetches with (tRPC workspace.fleet);
 *   2. a filter applying in Chromium: from the click on a status tile (or typing a search) to the table showing
 *      only matching rows;
 *   3. a heartbeat that changes a status, from the registry's answer to the new status on the fleet page.
 * Prints a table and records it in BENCHMARKS.md. Targets (issue 3): ≤ 300 ms, ≤ 200 ms, ≤ 1 s. The fleet page carries
 * each row's 7-day availability and changes in the last hour (issue 13), read from a seeded week of history.
 */
import { createPrismaStore, openDatabase } from "@rollcall/db";
import {
  newWorkspaceRecord,
  statusChangeEvent,
  workspaceCreatedEvent,
  type AvailabilityDay,
  type NewEvent,
  type WorkspaceRecord,
  type WorkspaceStatus,
} from "@rollcall/registry-core";
import { chromium, type Page } from "@playwright/test";
import { machine, recordSection } from "@rollcall/bench-report";
import { randomUUID } from "node:crypto";
import { signIn } from "../e2e/console-ui.ts";
import { chromiumLaunchOptions, readE2eEnv } from "../e2e/env.ts";
import { RegistryApi } from "../e2e/registry-api.ts";
import { SimulatedRuntime } from "../e2e/runtime.ts";
import { startStack } from "../e2e/stack.ts";

const FLEET_SIZE = 10_000;
const SAMPLES = 20;
const HEADING = "## Console with 10,000 workspaces (`pnpm bench:console`)";

/** A fleet like a real one: mostly online, some of every other status. */
const MIX: [WorkspaceStatus, number][] = [
  ["online", 0.9],
  ["degraded", 0.05],
  ["offline", 0.03],
  ["failed", 0.01],
  ["provisioning", 0.01],
];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Every workspace has existed this long; the fleet page's availability column looks back 7 days. */
const HISTORY_DAYS = 8;

/**
 * What the fleet page's new columns read, as a week of a real fleet leaves it: every workspace's creation and first
 * register; one in five is restless, with an outage on each of the last 7 days (rolled up) and four changes in the
 * current hour (not rolled up yet, read from the events).
 */
function historyEvents(workspace: WorkspaceRecord, restless: boolean, now: number): NewEvent[] {
  const change = (at: number, from: WorkspaceStatus, to: WorkspaceStatus): NewEvent =>
    statusChangeEvent({ workspaceId: workspace.id, from, to, reasons: [], previousReasons: [], actor: "bench", at });
  const events = [workspaceCreatedEvent(workspace, "bench", workspace.createdAt), change(workspace.createdAt + 1_000, "provisioning", "online")];
  if (restless) {
    const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
    const at = (minutes: number) => Math.min(now - 1_000, hour + minutes * 60_000);
    events.push(
      change(at(1), "online", "degraded"),
      change(at(2), "degraded", "online"),
      change(at(3), "online", "degraded"),
      change(at(4), "degraded", "online"),
    );
  }
  return events;
}

function outageDays(workspaceId: string, now: number): AvailabilityDay[] {
  const today = Math.floor(now / DAY_MS);
  const online = { status: "online" as const, maintenance: false };
  return Array.from({ length: 7 }, (_, back) => ({
    workspaceId,
    day: today - 7 + back,
    start: online,
    hours: Array.from({ length: 24 }, (_, hour) => (hour === 14 ? { online: 3000, offline: 600 } : { online: 3600 })),
    end: online,
    through: (today - 6 + back) * DAY_MS,
  }));
}

async function seedFleet(databaseUrl: string): Promise<void> {
  const database = await openDatabase(databaseUrl, { sqliteSynchronous: "normal" });
  const store = createPrismaStore(database, { sampleSlotMs: 15_000 });
  const now = Date.now();
  const rows: AvailabilityDay[] = [];
  let index = 0;
  for (const [status, share] of MIX) {
    for (let n = 0; n < FLEET_SIZE * share; n++, index++) {
      const workspace: WorkspaceRecord = {
        ...newWorkspaceRecord(randomUUID(), `bench-${String(index).padStart(5, "0")}`, now - HISTORY_DAYS * DAY_MS),
        status,
        statusReasons: status === "degraded" ? ["error_rate"] : status === "offline" ? ["heartbeat_timeout"] : [],
        statusChangedAt: now - Math.random() * 3_600_000,
        lastHeartbeatAt: status === "provisioning" ? null : now - Math.random() * (status === "offline" ? 3_600_000 : 25_000),
        lastErrorRate: status === "degraded" ? 0.5 + Math.random() / 2 : Math.random() / 20,
        activeTasks: Math.floor(Math.random() * 4),
        currentTask: index % 3 === 0 ? "summarise ticket" : "",
      };
      const restless = index % 5 === 0;
      await store.createWorkspace(
        workspace,
        { id: randomUUID(), tokenHash: randomUUID(), prefix: "benchtok", createdAt: now },
        historyEvents(workspace, restless, now),
      );
      if (restless) rows.push(...outageDays(workspace.id, now));
    }
  }
  // The rollup of the history: every hour before this one is rolled up, as a running registry's sweeper leaves it.
  for (let start = 0, version = 0; start < rows.length; start += 5_000, version++) {
    await store.commitRollup(
      { key: "availability_rolled_to", expectedVersion: version, value: { rolledTo: Math.floor(now / HOUR_MS) * HOUR_MS } },
      rows.slice(start, start + 5_000),
    );
  }
  await database.close();
}

type Stats = { p50: number; p95: number; max: number };

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? NaN };
}

async function timeRequests(url: string, init: RequestInit, check: (response: Response, body: string) => boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES + 3; i++) {
    const started = performance.now();
    const response = await fetch(url, init);
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (!check(response, body)) throw new Error(`unexpected answer from ${url}: ${response.status} ${body.slice(0, 200)}`);
    // The first requests warm Next's caches and the database's pages; they are not an operator's steady state.
    if (i >= 3) times.push(elapsed);
  }
  return times;
}

/**
 * Runs `act` in the page and resolves with the milliseconds until `settled` holds, checked every animation frame.
 * The in-page code is a string: tsx compiles functions with a `__name` helper that does not exist in the page.
 */
async function timeInPage(page: Page, act: string, settled: string): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const started = performance.now();
    ${act};
    const check = () => {
      if (${settled}) resolve(performance.now() - started);
      else if (performance.now() - started > 10000) reject(new Error("not settled within 10 s"));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })`);
}

/** Resolves with the wall-clock time at which `condition` first holds in the page. */
function whenInPage(page: Page, condition: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const check = () => (${condition} ? resolve(Date.now()) : requestAnimationFrame(check));
    check();
  })`);
}

const allRowsHave = (attribute: string, value: string) =>
  `(() => { const rows = [...document.querySelectorAll("tbody tr[data-workspace-id]")];
     return rows.length > 0 && document.querySelector("table[aria-busy=true]") === null && rows.every((r) => r.getAttribute("${attribute}") === "${value}"); })()`;

async function main(): Promise<void> {
  const env = readE2eEnv();
  // Production liveness: the seeded fleet must not be swept offline while it is measured.
  // The status-change measure flips one workspace between degraded and online 20 times; flap damping would rightly hold
  // it degraded after the sixth change, so here its threshold is out of reach.
  const stack = await startStack({
    policy: {
      ROLLCALL_OFFLINE_AFTER_SECONDS: "3600",
      ROLLCALL_SWEEP_INTERVAL_SECONDS: "5",
      ROLLCALL_EVENT_POLL_MS: "500",
      ROLLCALL_FLAP_TRANSITIONS: "1000",
    },
  });
  const browser = await chromium.launch(chromiumLaunchOptions(env));
  try {
    const { info } = stack;
    console.log(`seeding ${FLEET_SIZE.toLocaleString("en-US")} workspaces…`);
    await seedFleet(info.databaseUrl);
    const api = new RegistryApi(info.registryUrl, info.adminToken);
    // Beats are sent by hand below; the timer only keeps it from going silent.
    const runtime = await SimulatedRuntime.start(api, { name: "bench-watched", intervalMs: 20_000 });

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, baseURL: info.consoleUrl });
    page.setDefaultTimeout(30_000);
    await signIn(page, info.operator);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

    console.log("1/3 first fleet page…");
    const firstPage = await timeRequests(`${info.consoleUrl}/`, { headers: { cookie } }, (r, body) => r.status === 200 && body.includes("data-workspace-id"));
    const input = encodeURIComponent(JSON.stringify({ 0: { sort: "status", descending: false, page: 1, pageSize: 100 } }));
    const fleetQuery = await timeRequests(
      `${info.consoleUrl}/api/trpc/workspace.fleet?batch=1&input=${input}`,
      { headers: { cookie } },
      (r) => r.status === 200,
    );

    console.log("2/3 filters…");
    await page.goto(`${info.consoleUrl}/`);
    await page.locator("tbody tr[data-workspace-id]").first().waitFor();
    const filterTimes: number[] = [];
    // One unmeasured round first: the first query of each shape compiles its statements and warms the page cache.
    for (let round = -1; round < SAMPLES / 4; round++) {
      for (const status of ["offline", "degraded", "failed", "online"]) {
        const elapsed = await timeInPage(page, `document.querySelector('[data-status-tile="${status}"]').click()`, allRowsHave("data-status", status));
        if (round >= 0) filterTimes.push(elapsed);
      }
    }
    const searchTimes: number[] = [];
    for (let round = 0; round < SAMPLES / 2; round++) {
      const target = `bench-0${String(1000 + round * 37).padStart(4, "0")}`;
      await page.getByLabel("Search").fill("");
      // Typing, then the debounce (250 ms, part of what the operator waits for), then the query and the render.
      searchTimes.push(
        await timeInPage(
          page,
          `const box = document.querySelector("#fleet-search");
           const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
           set.call(box, "${target}"); box.dispatchEvent(new Event("input", { bubbles: true }));`,
          `(() => { const rows = document.querySelectorAll("tbody tr[data-workspace-id]"); return rows.length === 1 && rows[0].textContent.includes("${target}"); })()`,
        ),
      );
    }

    console.log("3/3 status change on screen…");
    await page.goto(`${info.consoleUrl}/?q=bench-watched`);
    const row = page.locator(`tr[data-workspace-id="${runtime.id}"]`);
    await row.waitFor();
    // The stream starts at the newest event when it connects: a change made before that is only seen by the next
    // periodic refetch (15 s), which is not what this measures.
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
    const changeTimes: number[] = [];
    for (let round = 0; round < SAMPLES / 2; round++) {
      for (const [errorRate, expected] of [
        [0.9, "degraded"],
        [0, "online"],
      ] as const) {
        const seen = whenInPage(page, `document.querySelector('tr[data-workspace-id="${runtime.id}"]')?.getAttribute("data-status") === "${expected}"`);
        runtime.setErrorRate(errorRate);
        const answer = await runtime.heartbeat();
        const answeredAt = Date.now();
        if (answer.status !== 200) throw new Error(`heartbeat failed: ${answer.status}`);
        changeTimes.push((await seen) - answeredAt);
      }
    }
    await runtime.stop();

    const rows: [string, Stats, string][] = [
      ["first fleet page, server (GET /, whole HTML)", stats(firstPage), "≤ 300 ms"],
      ["fleet query (tRPC workspace.fleet, 100 rows)", stats(fleetQuery), ""],
      ["status filter applied (tile click → table)", stats(filterTimes), "≤ 200 ms"],
      ["search applied (typed → table, incl. 250 ms debounce)", stats(searchTimes), ""],
      ["status change on screen (heartbeat answered → row)", stats(changeTimes), "≤ 1 s"],
    ];
    const format = (ms: number) => `${Math.round(ms)} ms`;
    const table = [
      "| measure | p50 | p95 | max | target |",
      "|---|---:|---:|---:|---|",
      ...rows.map(([name, s, target]) => `| ${name} | ${format(s.p50)} | ${format(s.p95)} | ${format(s.max)} | ${target} |`),
    ].join("\n");
    console.log(`\n${table}\n`);
    recordSection(
      HEADING,
      `${table}\n\n${FLEET_SIZE.toLocaleString("en-US")} workspaces on SQLite (90 % online, 5 % degraded, 3 % offline, 1 % failed, 1 % starting), ` +
        `${SAMPLES} samples each after 3 warm-up requests; the page polls the event table every 500 ms (the default). ` +
        `Machine: ${machine()}, ` +
        `${new Date().toISOString().slice(0, 10)}. Command: \`pnpm bench:console\`.`,
    );
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
