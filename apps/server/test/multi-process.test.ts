/**
 * Several server processes on one database, as in production: each `src/main.ts` runs its own sweeper, and
 * heartbeats, both sweeps and an operator's marker clear race across them; every status transition is still
 * committed exactly once. Nothing here waits a fixed time: each step waits, with a deadline, for what it expects to
 * see. No URL needs DNS (the processes use the system resolver): the good one and the refused one are IP literals.
 */
import { migrate } from "@rollcall/db";
import { STATUS_EVENT_TYPES } from "@rollcall/registry-core";
import { testDatabases, type TestDatabase } from "@rollcall/db/testing";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { setTimeout as pollInterval } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { detail } from "./api-helpers.ts";
import { startTestServer, type TestServer } from "./harness.ts";
import { stopChild } from "./processes.ts";

const ADMIN = "multi-process-admin-token-0123";
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const CARD = { name: "agent", url: "http://93.184.216.34:8000" };
/** A private address: refused in strict mode without a DNS lookup, so the register fails and stamps the marker the
 * way incident #2739's unresolvable hostname did. */
const REFUSED_URL = "http://10.0.0.5:8000";
/** Heartbeat rounds per workspace: 4 silences for every third workspace, 10 error-rate swings for the next. */
const ROUNDS = 32;
/** How long a step may wait for what it expects (a sweep needs about 1 s); generous, for a loaded machine. */
const WAIT_MS = 20_000;
const POLL_MS = 50;

type Proc = { child: ChildProcess; url: string };

/** Starts `src/main.ts` as its own OS process and waits for its "listening" log line. */
async function startProcess(databaseUrl: string): Promise<Proc> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: "0",
      ROLLCALL_ADMIN_TOKEN: ADMIN,
      ROLLCALL_OFFLINE_AFTER_SECONDS: "1",
      ROLLCALL_SWEEP_INTERVAL_SECONDS: "0.2",
      ROLLCALL_LOG_LEVEL: "info",
      // Strict URL rules whatever the caller's environment says: REFUSED_URL must be refused.
      ROLLCALL_ALLOW_PRIVATE_URLS: "0",
      ROLLCALL_DEV_MODE: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === "listening" && entry.url) resolve(entry.url);
    });
    child.once("exit", (code) => reject(new Error(`server exited early with ${code}`)));
  });
  return { child, url };
}

/** Stops a server process as an orchestrator does (SIGTERM) and resolves its exit code once it has exited. */
/** Polls `condition` every POLL_MS until it holds; fails, naming what it waited for, after WAIT_MS. */
async function waitUntil(what: string, condition: () => Promise<boolean>) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`waited ${WAIT_MS} ms for ${what}`);
    await pollInterval(POLL_MS);
  }
}

async function call(base: string, path: string, body: unknown, token = ADMIN, method = "POST") {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: method === "GET" ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const statusOf = async (base: string, workspaceId: string): Promise<string> =>
  (await call(base, `/api/workspaces/${workspaceId}`, undefined, ADMIN, "GET")).body.status;

/** A workspace's whole event log, oldest first. */
async function allEvents(server: TestServer, workspaceId: string) {
  const events: any[] = [];
  let after = 0;
  for (;;) {
    const page = await server.admin(`/api/workspaces/${workspaceId}/events?after=${after}&limit=500`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    events.push(...page.body.events);
    if (page.body.events.length < 500) return events;
    after = page.body.events.at(-1).id;
  }
}

const STATUS_EVENTS = new Set<string>(STATUS_EVENT_TYPES);

for (const factory of testDatabases()) {
  describe(`two server processes on one ${factory.provider} database`, () => {
    let db: TestDatabase;
    let procs: Proc[] = [];
    /** An in-process server on the same database, to read it once both processes have stopped. */
    let reader: TestServer | undefined;

    before(async () => {
      db = await factory.create();
      await migrate(db.url);
      procs = await Promise.all([startProcess(db.url), startProcess(db.url)]);
    });

    after(async () => {
      await Promise.all(procs.map(({ child }) => stopChild(child)));
      await reader?.stop();
      await db.drop();
    });

    it("heartbeats racing both sweepers and an operator clear: every transition appears exactly once", async () => {
      const [a, b] = procs as [Proc, Proc];
      const pick = (i: number) => (i % 2 === 0 ? a : b).url;
      const workspaces: { id: string; token: string }[] = [];
      for (let i = 0; i < 12; i++) workspaces.push((await call(a.url, "/api/workspaces", { name: `race-${i}` })).body);
      for (const [i, ws] of workspaces.entries()) {
        const registered = await call(pick(i), "/registry/register", { id: ws.id, url: CARD.url, agent_card: CARD }, ws.token);
        assert.equal(registered.status, 200, JSON.stringify(registered.body));
      }

      const beat = async (i: number) => {
        const ws = workspaces[i]!;
        for (let round = 1; round <= ROUNDS; round++) {
          // Every third workspace falls silent now and then, past the 1 s offline threshold: until a sweeper (either
          // one) has taken it offline. Its next heartbeat, to either process, races the other sweeper.
          if (i % 3 === 0 && round % 8 === 0) {
            await waitUntil(`${ws.id} to go offline in round ${round}`, async () => (await statusOf(pick(i + round + 1), ws.id)) === "offline");
          }
          const errorRate = i % 3 === 1 && round % 6 < 3 ? 0.9 : 0;
          const target = pick(i + round);
          if (i % 4 === 2 && round % 10 === 0) {
            // The incident path: a rejected register sets a marker, then an operator on the OTHER process clears
            // it while card-less heartbeats keep arriving.
            await call(target, "/registry/register", { id: ws.id, url: REFUSED_URL, agent_card: CARD }, ws.token);
            const view = await call(pick(i + round + 1), `/api/workspaces/${ws.id}`, undefined, ADMIN, "GET");
            const marker = view.body.markers.find((m: any) => m.active);
            if (marker) {
              await Promise.all([
                call(pick(i + round + 1), `/api/workspaces/${ws.id}/markers/${marker.id}/clear`, { reason: "race test" }),
                call(target, "/registry/heartbeat", { workspace_id: ws.id, error_rate: 0 }, ws.token),
              ]);
            }
          }
          const response = await call(target, "/registry/heartbeat", { workspace_id: ws.id, error_rate: errorRate }, ws.token);
          assert.equal(response.status, 200, JSON.stringify(response.body));
        }
      };
      await Promise.all(workspaces.map((_, i) => beat(i)));
      // The final silence: the sweepers take every workspace offline.
      await waitUntil("every workspace to go offline", async () => {
        const offline = await call(a.url, "/api/workspaces?status=offline&limit=1000", undefined, ADMIN, "GET");
        const ids = new Set(offline.body.workspaces.map((w: any) => w.id));
        return workspaces.every((ws) => ids.has(ws.id));
      });
      // A graceful stop waits for the sweep in flight: whatever either process would still write is written before
      // the log is read, so a late duplicate transition cannot slip in after the check.
      assert.deepEqual(await Promise.all(procs.map(({ child }) => stopChild(child))), [0, 0], "both processes stop cleanly");
      reader = await startTestServer(db);

      let transitions = 0;
      const seenTargets = new Set<string>();
      for (const ws of workspaces) {
        const events = await allEvents(reader, ws.id);
        const ids = events.map((e) => e.id);
        assert.deepEqual(
          ids,
          [...ids].sort((x, y) => x - y),
          "event ids ascend",
        );
        const statusEvents = events.filter((e) => STATUS_EVENTS.has(e.type));
        // The transitions form one unbroken chain: a duplicate or a lost transition would break it.
        for (let k = 1; k < statusEvents.length; k++) {
          assert.equal(statusEvents[k].payload.from, statusEvents[k - 1].payload.to, `chain broken for ${ws.id} at event ${statusEvents[k].id}`);
          assert.notEqual(statusEvents[k].payload.from, statusEvents[k].payload.to);
        }
        const current = await detail(reader, ws.id);
        assert.equal(statusEvents.at(-1).payload.to, current.status);
        assert.equal(current.status, "offline");
        const clears = events.filter((e) => e.type === "MARKER_CLEARED").map((e) => e.payload.marker_id);
        assert.equal(new Set(clears).size, clears.length, "each marker is cleared once");
        transitions += statusEvents.length;
        for (const e of statusEvents) seenTargets.add(e.payload.to);
      }
      // The race really happened: workspaces went offline, degraded and back many times.
      assert.ok(transitions > workspaces.length * 4, `only ${transitions} transitions`);
      for (const status of ["online", "degraded", "offline"]) assert.ok(seenTargets.has(status), `no transition to ${status}`);
    });
  });
}
