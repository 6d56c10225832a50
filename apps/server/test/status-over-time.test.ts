/**
 * Status over time through the real server with an injected clock: flap damping, self-preservation (also with two
 * server processes on one database), maintenance windows, and availability with its rollups.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPrismaStore, openDatabase } from "@rollcall/db";
import { sweep, type RegistryDeps } from "@rollcall/registry-core";
import { assertError, asOperator, count, detail, eventsOf } from "./api-helpers.ts";
import { heartbeat, OFFLINE_AFTER_PLUS_1S, onlineWorkspace, register } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const inMs = (server: TestServer, ms: number) => new Date(server.clock.now() + ms).toISOString();

/** Events of the whole log of one type (the registry-wide ones have no workspace). */
async function registryEvents(server: TestServer, type: string): Promise<any[]> {
  const response = await server.admin(`/api/events?type=${type}&limit=500`);
  assert.equal(response.status, 200);
  return response.body.events;
}

/** `size` online workspaces, heartbeating at `spacingMs` intervals (the clock moves on between them). */
async function fleet(server: TestServer, size: number, spacingMs = 0) {
  const workspaces = [];
  for (let i = 0; i < size; i++) workspaces.push(await onlineWorkspace(server, `fleet-${i}`));
  for (const { id, token } of workspaces) {
    assert.equal((await heartbeat(server, id, token)).status, 200);
    server.clock.advance(spacingMs);
  }
  return workspaces;
}

const statuses = async (server: TestServer, ids: string[]) => Promise.all(ids.map(async (id) => (await detail(server, id)).status as string));

for (const factory of testDatabases()) {
  describe(`flap damping on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    it("a workspace that keeps changing is flagged flapping, held at degraded, and released after 10 quiet minutes", async () => {
      const { id, token } = await onlineWorkspace(server);
      // register took it online (1 change); five more alternate it between degraded and online.
      for (const errorRate of [0.9, 0, 0.9, 0, 0.9]) {
        await heartbeat(server, id, token, { error_rate: errorRate });
        server.clock.advance(30_000);
      }
      let ws = await detail(server, id);
      assert.equal(ws.status, "degraded");
      assert.equal(ws.flapping, true);
      assert.deepEqual(ws.status_reasons, ["error_rate", "flapping"]);
      // Healthy again: the rule says online underneath, the hold keeps it degraded for flapping alone.
      assert.equal((await heartbeat(server, id, token)).body.workspace_status, "degraded");
      ws = await detail(server, id);
      assert.deepEqual(ws.status_reasons, ["flapping"]);
      const flaggedEvents = (await eventsOf(server, id)).length;
      // Beating healthily, it stays held until 10 minutes after its last change; the sweep releases it on time.
      for (let beat = 0; beat < 19; beat++) {
        server.clock.advance(30_000);
        assert.equal((await heartbeat(server, id, token)).body.workspace_status, "degraded");
      }
      server.clock.advance(30_000 + 1_000);
      await heartbeat(server, id, token);
      await sweep(server.deps);
      ws = await detail(server, id);
      assert.equal(ws.status, "online");
      assert.equal(ws.flapping, false);
      assert.deepEqual(ws.status_reasons, []);
      const release = (await eventsOf(server, id)).slice(0, (await eventsOf(server, id)).length - flaggedEvents);
      assert.equal(count(release, "WORKSPACE_ONLINE"), 1, "one event says it settled");
    });

    it("a register, a degrade and a recovery within seconds is not flapping", async () => {
      const { id, token } = await onlineWorkspace(server);
      await heartbeat(server, id, token, { error_rate: 0.9 });
      const ws = (await heartbeat(server, id, token)).body;
      assert.equal(ws.workspace_status, "online");
      assert.equal((await detail(server, id)).flapping, false);
    });
  });

  describe(`self-preservation on ${factory.provider}`, () => {
    const env = { ROLLCALL_SELF_PRESERVATION_MIN_LIVE: "10" };
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory, env);
    });
    after(async () => {
      await server?.stop();
    });

    /** Every runtime of this server's fleet, so a test can keep the others beating or silence them all. */
    const everyone: { id: string; token: string }[] = [];
    const beatAll = async (workspaces = everyone) => {
      for (const { id, token } of workspaces) assert.equal((await heartbeat(server, id, token)).status, 200);
    };

    it("one workspace that really fails while the fleet is healthy goes offline on time", async () => {
      everyone.push(...(await fleet(server, 10)));
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await beatAll(everyone.slice(1));
      await sweep(server.deps);
      assert.equal((await detail(server, everyone[0]!.id)).status, "offline");
      assert.equal((await server.admin("/api/self-preservation")).body.active, false);
      await beatAll();
    });

    it("a partition: at the first deadline the registry suspects itself; nobody is marked offline; it ends by itself when beats resume", async () => {
      // The whole fleet beats 3 s apart, then goes silent together.
      for (const { id, token } of everyone) {
        await heartbeat(server, id, token);
        server.clock.advance(3_000);
      }
      const ids = everyone.map((w) => w.id);
      // The first reaches its deadline; the last has been silent 60 s, the census's bound, so all of them count.
      server.clock.advance(90_000 - everyone.length * 3_000 + 1);
      await sweep(server.deps);
      const state = (await server.admin("/api/self-preservation")).body;
      assert.equal(state.active, true, JSON.stringify(state));
      assert.deepEqual({ silent: state.silent, live: state.live }, { silent: 10, live: 10 });
      assert.deepEqual(state.threshold, { share: 0.3, min_live: 10 });
      server.clock.advance(30_000);
      await sweep(server.deps);
      assert.deepEqual(await statuses(server, ids), Array(10).fill("unknown"));
      assert.deepEqual((await detail(server, ids[0]!)).status_reasons, ["registry_suspect"]);
      for (const id of ids) assert.equal(count(await eventsOf(server, id), "WORKSPACE_OFFLINE"), id === ids[0] ? 1 : 0);
      assert.equal((await registryEvents(server, "SELF_PRESERVATION_ENTERED")).length, 1);

      // Beats resume, except from one runtime that really died meanwhile.
      for (const w of everyone.slice(1)) assert.equal((await heartbeat(server, w.id, w.token)).body.workspace_status, "online");
      await sweep(server.deps);
      assert.equal((await server.admin("/api/self-preservation")).body.active, false);
      const exited = await registryEvents(server, "SELF_PRESERVATION_EXITED");
      assert.equal(exited.length, 1);
      assert.equal(exited[0].actor, "sweeper");
      assert.equal((await detail(server, ids[0]!)).status, "offline", "the dead one goes offline once the registry trusts itself");
      assert.deepEqual(await statuses(server, ids.slice(1)), Array(9).fill("online"));
      await beatAll();
    });

    it("an operator can end it (audited); the silent ones then go offline and it does not begin again while they stay silent", async () => {
      const live = everyone.map((w) => w.id);
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      assert.equal((await server.admin("/api/self-preservation")).body.active, true);
      const entered = (await registryEvents(server, "SELF_PRESERVATION_ENTERED")).length;
      assertError(await asOperator(server, "olga", "/api/self-preservation/end", { body: {} }), 400, "invalid_body");
      const ended = await asOperator(server, "olga", "/api/self-preservation/end", { body: { reason: "the datacenter is really down" } });
      assert.equal(ended.status, 200, JSON.stringify(ended.body));
      const exit = (await registryEvents(server, "SELF_PRESERVATION_EXITED"))[0];
      assert.equal(exit.actor, "operator:olga");
      assert.equal(exit.payload.reason, "the datacenter is really down");
      await sweep(server.deps);
      await sweep(server.deps);
      assert.deepEqual(await statuses(server, live), Array(live.length).fill("offline"));
      assert.equal((await server.admin("/api/self-preservation")).body.active, false);
      assert.equal((await registryEvents(server, "SELF_PRESERVATION_ENTERED")).length, entered, "it did not begin again");
    });
  });

  describe(`self-preservation with two server processes on one ${factory.provider} database`, () => {
    let server: TestServer;
    /** Two processes' registries: each its own connections to the same database, the same clock. */
    let processes: RegistryDeps[] = [];
    before(async () => {
      server = await startTestServer(factory, { ROLLCALL_SELF_PRESERVATION_MIN_LIVE: "10" });
    });
    after(async () => {
      for (const deps of processes) await deps.store.close();
      await server.db.drop();
    });

    it("racing sweeps make one decision, one event, and one transition per workspace", async () => {
      const workspaces = await fleet(server, 12);
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      // The HTTP server only set the fleet up; the race is between two stores of their own.
      await server.close();
      const open = async () => ({
        ...server.deps,
        store: createPrismaStore(await openDatabase(server.db.url), { sampleSlotMs: server.deps.policy.sampleSlotMs, writerThread: true }),
      });
      processes = [await open(), await open()];
      const [first, second] = processes as [RegistryDeps, RegistryDeps];
      await Promise.all([sweep(first), sweep(second), sweep(first), sweep(second)]);
      const entered = await first.store.listEvents({ type: "SELF_PRESERVATION_ENTERED", limit: 10 });
      assert.equal(entered.length, 1);
      for (const { id } of workspaces) {
        const events = await first.store.listEvents({ workspaceId: id, limit: 100 });
        assert.equal(count(events, "WORKSPACE_UNKNOWN"), 1);
        assert.equal(count(events, "WORKSPACE_OFFLINE"), 0);
      }
    });
  });

  describe(`maintenance on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    it("bad terms are a 400 with a reason, and nothing changes", async () => {
      const { id } = await onlineWorkspace(server);
      const path = `/api/workspaces/${id}/maintenance`;
      assertError(await server.admin(path, { body: { reason: "upgrade", until: inMs(server, -1_000) } }), 400, "maintenance_until_past");
      assertError(await server.admin(path, { body: { reason: "upgrade", until: inMs(server, 7 * 24 * HOUR + MINUTE) } }), 400, "maintenance_too_long");
      assertError(await server.admin(path, { body: { until: inMs(server, HOUR) } }), 400, "invalid_body");
      assertError(await server.admin(path, { body: { reason: "upgrade", until: "tomorrow" } }), 400, "invalid_body");
      assert.equal((await detail(server, id)).maintenance, null);
      assert.equal(count(await eventsOf(server, id), "MAINTENANCE_STARTED"), 0);
    });

    it("an operator puts a workspace into maintenance and ends it, both audited by name; its heartbeats are still recorded", async () => {
      const { id, token } = await onlineWorkspace(server);
      const until = inMs(server, 2 * HOUR);
      const started = await asOperator(server, "olga", `/api/workspaces/${id}/maintenance`, { body: { reason: "kernel upgrade", until } });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      let ws = await detail(server, id);
      assert.deepEqual({ reason: ws.maintenance.reason, until: ws.maintenance.until, by: ws.maintenance.by }, { reason: "kernel upgrade", until, by: "olga" });
      await heartbeat(server, id, token, { error_rate: 0.9 });
      ws = await detail(server, id);
      assert.equal(ws.status, "degraded", "status stays truthful in maintenance");
      const ended = await asOperator(server, "olga", `/api/workspaces/${id}/maintenance`, { method: "DELETE" });
      assert.equal(ended.status, 200);
      assert.equal((await detail(server, id)).maintenance, null);
      const events = await eventsOf(server, id);
      assert.equal(events.find((e) => e.type === "MAINTENANCE_STARTED").actor, "operator:olga");
      const end = events.find((e) => e.type === "MAINTENANCE_ENDED");
      assert.equal(end.actor, "operator:olga");
      assert.equal(end.payload.expired, false);
    });

    it("maintenance ends by itself at its expiry, with an event", async () => {
      const { id, token } = await onlineWorkspace(server);
      await server.admin(`/api/workspaces/${id}/maintenance`, { body: { reason: "short", until: inMs(server, HOUR) } });
      server.clock.advance(HOUR + 1_000);
      await heartbeat(server, id, token);
      const report = await sweep(server.deps);
      assert.ok(report.nextDueAt !== null);
      assert.equal((await detail(server, id)).maintenance, null);
      const end = (await eventsOf(server, id)).find((e) => e.type === "MAINTENANCE_ENDED");
      assert.equal(end.actor, "sweeper");
      assert.equal(end.payload.expired, true);
    });

    it("by name pattern: every workspace whose name matches, and only those", async () => {
      const a = await onlineWorkspace(server, "batch-a-1");
      const b = await onlineWorkspace(server, "Batch-A-2");
      const other = await onlineWorkspace(server, "batch-b-1");
      const started = await server.admin("/api/maintenance", { body: { pattern: "batch-a-*", reason: "rack move", until: inMs(server, HOUR) } });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.deepEqual(started.body.workspaces.map((w: any) => w.id).sort(), [a.id, b.id].sort());
      assert.equal((await detail(server, other.id)).maintenance, null);
      assertError(await server.admin("/api/maintenance", { body: { pattern: "*", reason: "everything", until: inMs(server, HOUR) } }), 400, "invalid_body");
      const ended = await server.admin("/api/maintenance/end", { body: { pattern: "batch-a-*" } });
      assert.equal(ended.body.workspaces.length, 2);
      assert.equal((await detail(server, a.id)).maintenance, null);
    });
  });

  describe(`availability on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    it("an outage shows as one outage with its duration and reasons; maintenance time does not count; rollups change no figure", async () => {
      const { id, token } = await onlineWorkspace(server);
      server.clock.advance(HOUR);
      await heartbeat(server, id, token);
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      assert.equal((await detail(server, id)).status, "offline");
      server.clock.advance(30 * MINUTE);
      await register(server, id, token);
      let figures = (await server.admin(`/api/workspaces/${id}/availability`)).body;
      assert.equal(figures.outages.length, 1);
      const [outage] = figures.outages;
      assert.ok(Math.abs(outage.duration_seconds - 30 * 60) <= 5, JSON.stringify(outage));
      assert.deepEqual(outage.reasons, ["heartbeat_timeout"]);
      assert.notEqual(outage.end, null);
      // Up for about 61.5 minutes, down for 30: younger than every window, so each window is its whole life.
      const expected = (HOUR + OFFLINE_AFTER_PLUS_1S) / (HOUR + OFFLINE_AFTER_PLUS_1S + 30 * MINUTE);
      for (const window of ["24h", "7d", "30d", "90d"])
        assert.ok(Math.abs(figures.windows[window] - expected) < 0.002, `${window}: ${figures.windows[window]}`);
      assert.equal(figures.days.length, 90);
      const today = figures.days.at(-1);
      assert.ok(Math.abs(today.seconds_by_status.offline + (figures.days.at(-2).seconds_by_status.offline ?? 0) - 30 * 60) <= 5);

      // In maintenance, an outage does not count against it.
      const before = figures.windows["24h"];
      await server.admin(`/api/workspaces/${id}/maintenance`, { body: { reason: "planned", until: inMs(server, 3 * HOUR) } });
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      server.clock.advance(HOUR);
      figures = (await server.admin(`/api/workspaces/${id}/availability`)).body;
      assert.ok(Math.abs(figures.windows["24h"] - before) < 0.001, `${figures.windows["24h"]} vs ${before}`);
      // Summed over the days: the clock is real time, so the hour may cross midnight.
      const maintained = figures.days.reduce((sum: number, day: any) => sum + (day.seconds_by_status.maintenance ?? 0), 0);
      assert.ok(maintained >= HOUR / 1000, `${maintained} s in maintenance`);

      // Roll the finished hours up: the same figures, now partly from the rollups.
      const report = await sweep(server.deps);
      assert.ok(report.rolledHours > 0, "hours were rolled up");
      const rolled = (await server.admin(`/api/workspaces/${id}/availability`)).body;
      for (const window of ["24h", "7d", "30d", "90d"]) assert.ok(Math.abs(rolled.windows[window] - figures.windows[window]) < 0.0005, window);
      for (const [index, day] of rolled.days.entries()) {
        for (const [key, seconds] of Object.entries(day.seconds_by_status)) {
          assert.ok(Math.abs((seconds as number) - (figures.days[index].seconds_by_status[key] ?? 0)) <= 2, `${day.date} ${key}`);
        }
      }
      assert.deepEqual(rolled.outages, figures.outages);
    });

    it("an unknown workspace is a 404; a malformed id a 400", async () => {
      assertError(await server.admin("/api/workspaces/00000000-0000-4000-8000-000000000000/availability"), 404, "unknown_workspace");
      assertError(await server.admin("/api/workspaces/nope/availability"), 400, "invalid_body");
    });
  });
}
