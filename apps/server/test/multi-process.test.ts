import { migrate } from "@rollcall/db";
import { STATUS_EVENT_TYPES } from "@rollcall/registry-core";
import { testDatabases, type TestDatabase } from "@rollcall/db/testing";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const ADMIN = "multi-process-admin-token-0123";
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const CARD = { name: "agent", url: "http://93.184.216.34:8000" };

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
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === "listening" && entry.url) resolve(entry.url);
    });
    child.once("exit", (code) => reject(new Error(`server exited early with ${code}`)));
  });
  return { child, url };
}

async function call(base: string, path: string, body: unknown, token = ADMIN, method = "POST") {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: method === "GET" ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function allEvents(base: string, workspaceId: string) {
  const events: any[] = [];
  let after = 0;
  for (;;) {
    const page = await call(base, `/api/workspaces/${workspaceId}/events?after=${after}&limit=500`, undefined, ADMIN, "GET");
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

    before(async () => {
      db = await factory.create();
      await migrate(db.url);
      procs = await Promise.all([startProcess(db.url), startProcess(db.url)]);
    });

    after(async () => {
      await Promise.all(
        procs.map(({ child }) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM"))))),
      );
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

      const deadline = Date.now() + 6_000;
      const beat = async (i: number) => {
        const ws = workspaces[i]!;
        let round = 0;
        while (Date.now() < deadline) {
          round++;
          // Every third workspace falls silent now and then for longer than the 1 s offline threshold.
          if (i % 3 === 0 && round % 8 === 0) await sleep(1_400);
          const errorRate = i % 3 === 1 && round % 6 < 3 ? 0.9 : 0;
          const target = pick(i + round);
          if (i % 4 === 2 && round % 10 === 0) {
            // The incident path: a rejected register sets a marker, then an operator on the OTHER process clears
            // it while card-less heartbeats keep arriving.
            await call(target, "/registry/register", { id: ws.id, url: "http://212851b5693d:8000", agent_card: CARD }, ws.token);
            const detail = await call(pick(i + round + 1), `/api/workspaces/${ws.id}`, undefined, ADMIN, "GET");
            const marker = detail.body.markers.find((m: any) => m.active);
            if (marker) {
              await Promise.all([
                call(pick(i + round + 1), `/api/workspaces/${ws.id}/markers/${marker.id}/clear`, { reason: "race test" }),
                call(target, "/registry/heartbeat", { workspace_id: ws.id, error_rate: 0 }, ws.token),
              ]);
            }
          }
          const response = await call(target, "/registry/heartbeat", { workspace_id: ws.id, error_rate: errorRate }, ws.token);
          assert.equal(response.status, 200, JSON.stringify(response.body));
          await sleep(100);
        }
      };
      await Promise.all(workspaces.map((_, i) => beat(i)));
      // Let both sweepers take the final silence: every workspace ends offline.
      await sleep(2_000);

      let transitions = 0;
      const seenTargets = new Set<string>();
      for (const ws of workspaces) {
        const events = await allEvents(a.url, ws.id);
        const ids = events.map((e) => e.id);
        assert.deepEqual(ids, [...ids].sort((x, y) => x - y), "event ids ascend");
        const statusEvents = events.filter((e) => STATUS_EVENTS.has(e.type));
        // The transitions form one unbroken chain: a duplicate or a lost transition would break it.
        for (let k = 1; k < statusEvents.length; k++) {
          assert.equal(statusEvents[k].payload.from, statusEvents[k - 1].payload.to, `chain broken for ${ws.id} at event ${statusEvents[k].id}`);
          assert.notEqual(statusEvents[k].payload.from, statusEvents[k].payload.to);
        }
        const current = await call(b.url, `/api/workspaces/${ws.id}`, undefined, ADMIN, "GET");
        assert.equal(statusEvents.at(-1).payload.to, current.body.status);
        assert.equal(current.body.status, "offline");
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
