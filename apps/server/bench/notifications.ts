/**
 * pnpm bench:notify — what notifications cost (issue 12), on SQLite and (when ROLLCALL_TEST_POSTGRES_URL is set)
 * PostgreSQL, one after the other in one run. Each scenario gets a fresh database and its own server process (its
 * sources through tsx, as the checkout is, with the default notifier: poll 200 ms, 32 attempts in flight); the
 * webhook receiver is in this process on loopback, verifies every signature with the `standardwebhooks` package and
 * answers 200 at once.
 *   1. Latency: 1,000 registered workspaces heartbeat every 30 s over HTTP; one endpoint hears them. After a 5 s
 *      warm-up, 200 of them degrade (a beat with error rate 0.9), one every 600 ms, with a 0.5 s storm window, so each change opens a
 *      window of its own and is told alone, as a lone change is at the default 10 s. Latency is the arrival at the
 *      receiver minus the event's `at` (the body's `timestamp`).
 *   2. Outage: 10,000 online workspaces, last heard from at the same moment, cross a 20 s offline threshold together
 *      and the server's own sweeper takes them offline (real clock). Self-preservation is out of the way
 *      (ROLLCALL_SELF_PRESERVATION_MIN_LIVE above the fleet), as after an operator ended it: otherwise they would
 *      be held at unknown and never told. The default 10 s storm window.
 *   3. Throughput: 5,000 single notifications (WORKSPACE_OFFLINE bodies of 5,000 workspaces, one lane each, one
 *      endpoint) queued in the outbox before the server starts; time from the first arrival to the last, the server's
 *      CPU, and how long it takes meanwhile to answer GET /healthz (asked every 50 ms).
 *
 * PostgreSQL: `source scripts/lib/common.sh; export ROLLCALL_TEST_POSTGRES_URL="$(ensure_postgres)"` first; without
 * it only SQLite runs and nothing is recorded.
 *
 *   pnpm bench:notify [--no-record] [--changes=200] [--outage=10000] [--deliveries=5000]
 */
import { machine, recordSection } from "@rollcall/bench-report";
import { createPrismaStore, migrate, openDatabase } from "@rollcall/db";
import { testDatabases, type TestDatabase, type TestDatabaseFactory } from "@rollcall/db/testing";
import {
  DEFAULT_POLICY,
  eventNotification,
  statusChangeEvent,
  type DeliveryView,
  type NotificationBody,
  type WorkspaceEventNotification,
} from "@rollcall/registry-core";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { cpuShare, procStats } from "./fleet/proc.ts";
import { provisionFleet, registerFleet } from "./fleet/seed.ts";
import { ADMIN, heartbeatBody, seedOnlineWorkspaces, startRollcall, type LogEntry } from "./lib.ts";

const flags = new Map(
  process.argv
    .slice(2)
    .filter((arg) => arg.startsWith("--"))
    .map((arg) => arg.slice(2).split("=", 2) as [string, string | undefined]),
);
const config = z
  .object({
    changes: z.coerce.number().int().positive().default(200),
    outage: z.coerce.number().int().positive().default(10_000),
    deliveries: z.coerce.number().int().positive().default(5_000),
  })
  .parse(Object.fromEntries(flags));
const record = !flags.has("no-record");

/** The checkout's server through tsx: this bench has no build step, like bench:status. */
const SERVER = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const FLEET = 1_000;
const CHANGE_EVERY_MS = 600;
/**
 * The fleet beats this long before the first change: the first requests to a fresh server were measured 0.5 s slow
 * (cold caches and code), which bunched the first changes into one storm window.
 */
const WARM_UP_MS = 5_000;
/** Shorter than the gap between changes: each change opens a window of its own, whatever the jitter of its beat. */
const LATENCY_STORM_WINDOW_S = 0.5;
const OUTAGE_OFFLINE_AFTER_S = 20;
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const DEV = { ROLLCALL_DEV_MODE: "1" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest rank. */
function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

type Arrival = { id: string; at: number; bytes: number; verified: boolean; body: NotificationBody };

/** A fast customer receiver: verifies the signature, answers 200 at once, keeps the arrival time and the body. */
async function startReceiver() {
  const webhook = new Webhook(SECRET);
  const arrivals: Arrival[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const at = Date.now();
      const raw = Buffer.concat(chunks);
      let verified = true;
      try {
        webhook.verify(raw.toString("utf8"), request.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      response.writeHead(200).end();
      arrivals.push({ id: String(request.headers["webhook-id"]), at, bytes: raw.length, verified, body: JSON.parse(raw.toString("utf8")) as NotificationBody });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    async until(done: () => boolean, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`receiver: not done in ${timeoutMs} ms (${arrivals.length} received)`);
        await sleep(20);
      }
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

async function admin(port: number, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** One endpoint with the default filter (every status change), as an operator creates it. */
async function createEndpoint(port: number, receiver: Receiver): Promise<string> {
  const created = await admin(port, "/api/notifications/endpoints", { name: "bench", url: receiver.url, secret: SECRET });
  return created.id as string;
}

/** The endpoint's whole delivery log, newest first. */
async function deliveryLog(port: number, endpointId: string): Promise<DeliveryView[]> {
  const log: DeliveryView[] = [];
  for (;;) {
    const before = log.at(-1)?.seq;
    const page = await admin(port, `/api/notifications/endpoints/${endpointId}/deliveries?limit=200${before ? `&before=${before}` : ""}`);
    log.push(...(page.deliveries as DeliveryView[]));
    if (page.deliveries.length < 200) return log;
  }
}

/** Runs `scenario` on a fresh database with its receiver, and leaves nothing behind. */
async function onFreshDatabase<T>(factory: TestDatabaseFactory, scenario: (db: TestDatabase, receiver: Receiver) => Promise<T>): Promise<T> {
  const db = await factory.create();
  const receiver = await startReceiver();
  try {
    await migrate(db.url);
    return await scenario(db, receiver);
  } finally {
    await receiver.close();
    await db.drop();
  }
}

/** Starts the server, collecting the log lines a scenario reports on. */
async function serve(url: string, env: Record<string, string>) {
  const logs = { errors: [] as string[], sweeps: [] as { changed: number; durationMs: number }[] };
  const server = await startRollcall(url, {
    main: SERVER,
    env: { ...DEV, ...env },
    onLog: (entry: LogEntry) => {
      if (entry.level === "error" || entry.level === "warn") logs.errors.push(entry.msg);
      if (entry.msg === "sweep") logs.sweeps.push({ changed: Number(entry.changed), durationMs: Number(entry.durationMs) });
    },
  });
  return { ...server, logs };
}

/** The workspace changes a notification tells: itself, or a storm group's changes. */
const changesOf = (body: NotificationBody): WorkspaceEventNotification[] =>
  body.type === "WORKSPACES_CHANGED"
    ? body.data.changes
    : body.type === "NOTIFICATION_TEST" || body.data.workspace_id === null
      ? []
      : [body as WorkspaceEventNotification];

async function latency(factory: TestDatabaseFactory) {
  return onFreshDatabase(factory, async (db, receiver) => {
    const database = await openDatabase(db.url);
    const fleet = await provisionFleet(database, FLEET);
    await registerFleet(database, fleet);
    await database.close();
    const server = await serve(db.url, { ROLLCALL_NOTIFY_STORM_WINDOW_SECONDS: String(LATENCY_STORM_WINDOW_S) });
    const degraded = new Set<string>();
    let refused = 0;
    const last = new Map<string, Promise<void>>();
    // One beat at a time per workspace, as a runtime's loop sends them: a healthy beat still in flight must not land
    // after the degrading one and recover it.
    const beat = (ws: { id: string; token: string }) => {
      const sent = (last.get(ws.id) ?? Promise.resolve()).then(() =>
        fetch(`http://127.0.0.1:${server.port}/registry/heartbeat`, {
          method: "POST",
          headers: { authorization: `Bearer ${ws.token}`, "content-type": "application/json" },
          body: heartbeatBody(ws.id, degraded.has(ws.id) ? 0.9 : 0),
        }).then(
          (response) => void (response.status === 200 || refused++),
          () => void refused++,
        ),
      );
      last.set(ws.id, sent);
      return sent;
    };
    const beats: Promise<void>[] = [];
    let next = 0;
    // The whole fleet once every 30 s, one workspace after another.
    const beating = setInterval(() => beats.push(beat(fleet[next++ % fleet.length]!)), 30_000 / fleet.length);
    try {
      const endpointId = await createEndpoint(server.port, receiver);
      const told = () => receiver.arrivals.flatMap((arrival) => changesOf(arrival.body));
      await sleep(WARM_UP_MS);
      const start = Date.now();
      for (const [i, ws] of fleet.slice(0, config.changes).entries()) {
        await sleep(start + i * CHANGE_EVERY_MS - Date.now());
        degraded.add(ws.id);
        beats.push(beat(ws));
      }
      await receiver.until(() => told().length >= config.changes, 30_000);
      await sleep(500);
      clearInterval(beating);
      await Promise.all(beats);
      const log = new Map((await deliveryLog(server.port, endpointId)).map((delivery) => [delivery.event_id, delivery]));
      const singles = receiver.arrivals.filter((arrival) => arrival.body.type === "WORKSPACE_DEGRADED");
      const eventAt = (arrival: Arrival) => Date.parse(arrival.body.timestamp);
      const stages = singles.map((arrival) => {
        const delivery = log.get(arrival.id)!;
        const created = Date.parse(delivery.created_at);
        const sent = Date.parse(delivery.attempt_log[0]!.at);
        return { total: arrival.at - eventAt(arrival), fanOut: created - eventAt(arrival), claim: sent - created, send: arrival.at - sent };
      });
      const of = (stage: keyof (typeof stages)[number]) => stages.map((s) => s[stage]);
      return {
        alone: singles.length,
        told: told().length,
        other: receiver.arrivals
          .filter((arrival) => arrival.body.type !== "WORKSPACE_DEGRADED")
          .map(({ body }) =>
            body.type === "WORKSPACES_CHANGED" ? `WORKSPACES_CHANGED of ${body.data.changes.map((change) => change.type).join(", ")}` : body.type,
          ),
        unverified: receiver.arrivals.filter((arrival) => !arrival.verified).length,
        p50: percentile(of("total"), 0.5),
        p99: percentile(of("total"), 0.99),
        max: Math.max(...of("total")),
        fanOut: percentile(of("fanOut"), 0.5),
        claim: percentile(of("claim"), 0.5),
        send: percentile(of("send"), 0.5),
        refused,
        errors: server.logs.errors,
      };
    } finally {
      clearInterval(beating);
      await server.stop();
    }
  });
}

async function outage(factory: TestDatabaseFactory) {
  return onFreshDatabase(factory, async (db, receiver) => {
    const database = await openDatabase(db.url);
    const silentFrom = Date.now();
    const ids = new Set(
      await seedOnlineWorkspaces(
        database,
        Array.from({ length: config.outage }, (_, i) => `outage-${i}`),
        silentFrom,
      ),
    );
    await database.close();
    const server = await serve(db.url, {
      ROLLCALL_OFFLINE_AFTER_SECONDS: String(OUTAGE_OFFLINE_AFTER_S),
      ROLLCALL_SELF_PRESERVATION_MIN_LIVE: String(config.outage + 1),
    });
    try {
      await createEndpoint(server.port, receiver);
      const ready = Date.now() - silentFrom;
      if (ready >= OUTAGE_OFFLINE_AFTER_S * 1000) throw new Error(`the endpoint was created ${ready} ms after the silence, past the offline threshold`);
      const named = () => new Set(receiver.arrivals.flatMap((arrival) => changesOf(arrival.body).flatMap((change) => change.data.workspace_id ?? [])));
      await receiver.until(() => named().size >= ids.size, (OUTAGE_OFFLINE_AFTER_S + 90) * 1000);
      // Anything still on its way: a fourth notification for the window would show here.
      await sleep(3_000);
      const windowMs = DEFAULT_POLICY.notifyStormWindowMs;
      const changes = receiver.arrivals.flatMap((arrival) => changesOf(arrival.body));
      const times = changes.map((change) => Date.parse(change.timestamp)).sort((a, b) => a - b);
      // The windows as the fan-out opens them (rules.ts routeChange): the first change after one ends opens the next.
      const windows: number[] = [];
      for (const at of times) if (windows.length === 0 || at >= windows.at(-1)! + windowMs) windows.push(at);
      const windowOf = (at: number) => windows.findLast((start) => start <= at)!;
      const perWindow = new Map<number, number>();
      for (const { body } of receiver.arrivals) {
        const at = Date.parse(body.type === "WORKSPACES_CHANGED" ? body.data.window_start : body.timestamp);
        perWindow.set(windowOf(at), (perWindow.get(windowOf(at)) ?? 0) + 1);
      }
      const wrong = [...named()].filter((id) => !ids.has(id)).length;
      const group = receiver.arrivals.find((arrival) => arrival.body.type === "WORKSPACES_CHANGED");
      return {
        notifications: receiver.arrivals.length,
        types: receiver.arrivals.map((arrival) => arrival.body.type).join(", "),
        windows: windows.length,
        mostInAWindow: Math.max(...perWindow.values()),
        named: named().size - wrong,
        wrong,
        offlineEvents: changes.filter((change) => change.type === "WORKSPACE_OFFLINE").length,
        firstToLastArrival: Math.max(...receiver.arrivals.map((arrival) => arrival.at)) - times[0]!,
        eventsSpread: times.at(-1)! - times[0]!,
        groupBytes: group?.bytes ?? 0,
        sweepMs: server.logs.sweeps.reduce((sum, sweep) => sum + sweep.durationMs, 0),
        sweeps: server.logs.sweeps.length,
        unverified: receiver.arrivals.filter((arrival) => !arrival.verified).length,
        errors: server.logs.errors,
      };
    } finally {
      await server.stop();
    }
  });
}

async function throughput(factory: TestDatabaseFactory) {
  return onFreshDatabase(factory, async (db, receiver) => {
    const database = await openDatabase(db.url);
    const store = createPrismaStore(database, { sampleSlotMs: DEFAULT_POLICY.sampleSlotMs });
    const now = Date.now();
    const endpointId = "nep_bench";
    // No NOTIFICATION_ENDPOINT_CHANGED event: the outbox is all this scenario is about.
    await store.notifications.createEndpoint(
      {
        id: endpointId,
        name: "bench",
        url: receiver.url,
        secret: SECRET,
        format: "webhook",
        filter: {},
        enabled: true,
        createdBy: "bench",
        createdAt: now,
        updatedAt: now,
      },
      [],
    );
    for (let i = 0; i < config.deliveries; i++) {
      const workspaceId = randomUUID();
      const event = statusChangeEvent({
        workspaceId,
        from: "online",
        to: "offline",
        reasons: ["heartbeat_timeout"],
        previousReasons: [],
        actor: "sweeper",
        at: now,
      });
      await store.notifications.enqueue({
        id: `msg_e${i + 1}_bench`,
        endpointId,
        lane: workspaceId,
        type: event.type,
        body: JSON.stringify(eventNotification({ ...event, id: i + 1 }, `fleet-${i}`)),
        state: "pending",
        createdAt: now,
        nextAttemptAt: now,
        giveUpAt: now + DEFAULT_POLICY.notifyRetryWindowMs,
      });
    }
    await store.close();
    const server = await serve(db.url, {});
    try {
      const cpuBefore = procStats(server.child.pid!);
      const started = Date.now();
      // How the server answers while it delivers: the notifier shares the event loop with every request.
      const answers: number[] = [];
      let probing = true;
      const probe = (async () => {
        while (probing) {
          const sent = performance.now();
          await fetch(`http://127.0.0.1:${server.port}/healthz`).then((response) => response.arrayBuffer());
          answers.push(performance.now() - sent);
          await sleep(50);
        }
      })();
      await receiver.until(() => receiver.arrivals.length >= config.deliveries, 300_000);
      probing = false;
      await probe;
      const wallMs = Date.now() - started;
      const cpu = cpuShare(cpuBefore, procStats(server.child.pid!), wallMs);
      await sleep(1_000);
      const times = receiver.arrivals.map((arrival) => arrival.at);
      const spanMs = Math.max(...times) - Math.min(...times);
      return {
        received: receiver.arrivals.length,
        distinct: new Set(receiver.arrivals.map((arrival) => arrival.id)).size,
        spanMs,
        perSecond: (receiver.arrivals.length - 1) / (spanMs / 1000),
        cpu,
        answerP99: percentile(answers, 0.99),
        answerMax: Math.max(...answers),
        bodyBytes: Math.round(receiver.arrivals.reduce((sum, arrival) => sum + arrival.bytes, 0) / receiver.arrivals.length),
        unverified: receiver.arrivals.filter((arrival) => !arrival.verified).length,
        errors: server.logs.errors,
      };
    } finally {
      await server.stop();
    }
  });
}

type Run = {
  provider: string;
  latency: Awaited<ReturnType<typeof latency>>;
  outage: Awaited<ReturnType<typeof outage>>;
  throughput: Awaited<ReturnType<typeof throughput>>;
};
const runs: Run[] = [];
for (const factory of testDatabases()) {
  console.log(`${factory.provider}: latency (${config.changes} changes, one every ${CHANGE_EVERY_MS} ms)`);
  const latencyRun = await latency(factory);
  console.log(`${factory.provider}: outage of ${config.outage.toLocaleString("en")}`);
  const outageRun = await outage(factory);
  console.log(`${factory.provider}: ${config.deliveries.toLocaleString("en")} deliveries`);
  runs.push({ provider: factory.provider, latency: latencyRun, outage: outageRun, throughput: await throughput(factory) });
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;
const s = (value: number) => `${(value / 1000).toFixed(1)} s`;
const count = (value: number) => value.toLocaleString("en");
const rows: [string, (run: Run) => string][] = [
  [`**1. status change → webhook received** (${count(FLEET)} workspaces, ${config.changes} changes): p50`, (r) => ms(r.latency.p50)],
  ["p99", (r) => ms(r.latency.p99)],
  ["max", (r) => ms(r.latency.max)],
  ["p50 of its stages: event → in the outbox (fan-out)", (r) => ms(r.latency.fanOut)],
  ["p50: in the outbox → sent (claim)", (r) => ms(r.latency.claim)],
  ["p50: sent → received", (r) => ms(r.latency.send)],
  [
    "changes told / told alone / other notifications",
    (r) => `${r.latency.told} / ${r.latency.alone} / ${r.latency.other.length}${r.latency.other.length > 0 ? ` (${r.latency.other.join(", ")})` : ""}`,
  ],
  ["heartbeats refused during the run", (r) => count(r.latency.refused)],
  [`**2. outage of ${count(config.outage)}**: notifications received`, (r) => `${r.outage.notifications} (${r.outage.types})`],
  ["storm windows the outage spans / most notifications in one window", (r) => `${r.outage.windows} / ${r.outage.mostInAWindow}`],
  [`workspaces named (of ${count(config.outage)}) / others named`, (r) => `${count(r.outage.named)} / ${r.outage.wrong}`],
  ["offline events stamped from first to last", (r) => ms(r.outage.eventsSpread)],
  ["first offline event → last notification received", (r) => s(r.outage.firstToLastArrival)],
  ["sweeps that marked them, total time", (r) => `${r.outage.sweeps}, ${ms(r.outage.sweepMs)}`],
  ["the WORKSPACES_CHANGED body", (r) => `${(r.outage.groupBytes / 2 ** 20).toFixed(1)} MiB`],
  [
    `**3. ${count(config.deliveries)} queued single notifications**: received (distinct)`,
    (r) => `${count(r.throughput.received)} (${count(r.throughput.distinct)})`,
  ],
  ["first → last arrival", (r) => s(r.throughput.spanMs)],
  ["deliveries per second", (r) => count(Math.round(r.throughput.perSecond))],
  ["server process CPU meanwhile (share of one core)", (r) => `${Math.round(r.throughput.cpu * 100)} %`],
  ["GET /healthz answered meanwhile (one every 50 ms): p99 / max", (r) => `${ms(r.throughput.answerP99)} / ${ms(r.throughput.answerMax)}`],
  ["body size", (r) => `${count(r.throughput.bodyBytes)} bytes`],
  ["**every scenario**: signatures that failed to verify", (r) => count(r.latency.unverified + r.outage.unverified + r.throughput.unverified)],
  ["server warnings and errors logged", (r) => count(r.latency.errors.length + r.outage.errors.length + r.throughput.errors.length)],
];

const lines: string[] = [];
const print = (line = "") => {
  console.log(line);
  lines.push(line);
};
print(`Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`pnpm bench:notify\`.`);
print();
print(`| measure | ${runs.map((run) => run.provider).join(" | ")} |`);
print(`| --- | ${runs.map(() => "---:").join(" | ")} |`);
for (const [label, cell] of rows) print(`| ${label} | ${runs.map(cell).join(" | ")} |`);
print();
print(
  `Each scenario runs on a fresh database with its own server process (the checkout's sources through tsx), the default notifier (poll 200 ms, 32 attempts in flight) and a receiver in the bench process on loopback that verifies every signature with the \`standardwebhooks\` package and answers 200 at once; arrival times are the receiver's clock, event times the server's, on one machine.`,
);
print(
  `1: ${count(FLEET)} workspaces provisioned and registered, each heartbeating over HTTP every 30 s; one endpoint with the default filter; after ${WARM_UP_MS / 1000} s of beats, ${config.changes} of them degrade (a beat with error rate 0.9) one every ${CHANGE_EVERY_MS} ms, with ROLLCALL_NOTIFY_STORM_WINDOW_SECONDS=${LATENCY_STORM_WINDOW_S}, so each change opens a storm window of its own and is told alone: the path a lone change takes at the default 10 s window, where ${config.changes} changes told one by one would have to be 5 s apart (${Math.round((config.changes * 5) / 60)} minutes). Latency: arrival minus the event's \`at\` (the body's \`timestamp\`). The stages come from the delivery log (created_at, the first attempt's at).`,
);
print(
  `2: ${count(config.outage)} online workspaces written straight into the database, all last heard from at one moment; ROLLCALL_OFFLINE_AFTER_SECONDS=${OUTAGE_OFFLINE_AFTER_S} with the real clock, the server's own sweeper (every 5 s, deadline-driven) takes them offline; the default 10 s storm window; self-preservation kept out of the way (ROLLCALL_SELF_PRESERVATION_MIN_LIVE above the fleet: otherwise it would hold them at unknown, untold). The limit is 3 notifications per endpoint per storm window; windows are counted as the fan-out opens them.`,
);
print(
  `3: ${count(config.deliveries)} WORKSPACE_OFFLINE notifications for ${count(config.deliveries)} workspaces (one lane each), one endpoint, queued in the outbox through the store's enqueue before the server starts, so the notifier's claims, sends and settlements alone are measured, not the fan-out; rate = (received − 1) / (last − first arrival). Server CPU excludes PostgreSQL's own processes.`,
);
if (record) {
  if (runs.some((run) => run.provider === "postgresql")) recordSection("## Notifications (issue 12)", lines.join("\n"));
  else console.warn("not recorded: PostgreSQL did not run (set ROLLCALL_TEST_POSTGRES_URL; see scripts/lib/common.sh ensure_postgres)");
}
for (const run of runs) {
  for (const [scenario, errors] of [
    ["latency", run.latency.errors],
    ["outage", run.outage.errors],
    ["throughput", run.throughput.errors],
  ] as const) {
    if (errors.length > 0) console.warn(`${run.provider} ${scenario}: server logged ${[...new Set(errors)].join(", ")}`);
  }
}
