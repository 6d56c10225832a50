/**
 * What heartbeats do to a workspace's status (reference §9 rows 16-18): recovery with exactly one WORKSPACE_ONLINE,
 * a healthy workspace that stays put, wedge and error-rate degradation with hysteresis, reason changes within a
 * status, and the same rules under concurrent heartbeats and a racing sweep.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sweep } from "@rollcall/registry-core";
import { count, detail, eventMark, eventsAfter, nearNow, typesOf } from "./api-helpers.ts";
import { heartbeat, OFFLINE_AFTER_PLUS_1S, onlineWorkspace, PROVISION_TIMEOUT_PLUS_1S, register } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

for (const factory of testDatabases()) {
  describe(`heartbeat status (reference §9) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    describe("row 16: recovery on a heartbeat emits exactly one WORKSPACE_ONLINE", () => {
      it("an offline workspace goes online on its next healthy heartbeat with exactly one WORKSPACE_ONLINE", async () => {
        const { id, token } = await onlineWorkspace(server);
        server.clock.advance(OFFLINE_AFTER_PLUS_1S);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "offline");
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "online");
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
        assert.equal(count(events, "WORKSPACE_DEGRADED"), 0);
        const online = events.find((e) => e.type === "WORKSPACE_ONLINE");
        assert.equal(online.payload.from, "offline");
        assert.equal((await detail(server, id)).status, "online");
      });

      it("a provisioning workspace goes online on its first heartbeat with exactly one WORKSPACE_ONLINE (no silent flip)", async () => {
        const { id, token } = await server.provision();
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "online");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(
          typesOf(events).filter((t) => t.startsWith("WORKSPACE_")),
          ["WORKSPACE_ONLINE"],
        );
        assert.equal(events[0].payload.from, "provisioning");
        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        nearNow(server, ws.status_changed_at);
      });

      it("a failed workspace (provision timeout) goes online on a heartbeat with exactly one WORKSPACE_ONLINE", async () => {
        const { id, token } = await server.provision();
        server.clock.advance(PROVISION_TIMEOUT_PLUS_1S);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "failed");
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token);
        assert.equal(response.status, 200);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(
          typesOf(events).filter((t) => t.startsWith("WORKSPACE_")),
          ["WORKSPACE_ONLINE"],
        );
        assert.equal(events.find((e) => e.type === "WORKSPACE_ONLINE").payload.from, "failed");
        assert.equal((await detail(server, id)).status, "online");
      });
    });

    describe("row 17: a healthy online workspace stays put", () => {
      it("an online workspace with a low error rate stays online and emits no event", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        for (const errorRate of [0, 0.05, 0.49]) {
          const response = await heartbeat(server, id, token, { error_rate: errorRate });
          assert.equal(response.status, 200);
          assert.deepEqual(response.body, { status: "ok", workspace_status: "online" });
        }
        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        assert.equal(ws.status_changed_at, before.status_changed_at);
        assert.deepEqual(ws.status_reasons, []);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });
    });

    describe("row 18: wedge and error-rate degradation, with hysteresis", () => {
      it("a wedged heartbeat degrades an online workspace with exactly one WORKSPACE_DEGRADED (reason wedged)", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { runtime_state: "wedged", sample_error: "event loop blocked" });
        assert.equal(response.body.workspace_status, "degraded");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events), ["WORKSPACE_DEGRADED"]);
        assert.deepEqual(events[0].payload.reasons, ["wedged"]);
        assert.equal(events[0].payload.runtime_state, "wedged");
        const ws = await detail(server, id);
        assert.equal(ws.status, "degraded");
        assert.deepEqual(ws.status_reasons, ["wedged"]);
        assert.equal(ws.last_sample_error, "event loop blocked");
      });

      it("a degraded workspace that is still wedged stays degraded with no event, even with error 0", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { runtime_state: "wedged" });
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { runtime_state: "wedged", error_rate: 0 });
        assert.equal(response.body.workspace_status, "degraded");
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a degraded workspace recovers on a heartbeat with empty runtime_state and error 0, with one WORKSPACE_ONLINE", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { runtime_state: "wedged" });
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { runtime_state: "", error_rate: 0 });
        assert.equal(response.body.workspace_status, "online");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events), ["WORKSPACE_ONLINE"]);
        assert.equal(events[0].payload.from, "degraded");
        assert.deepEqual((await detail(server, id)).status_reasons, []);
      });

      it("the error rate degrades at 0.5, holds the state in [0.1, 0.5), and recovers below 0.1", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const statuses: string[] = [];
        for (const errorRate of [0.5, 0.3, 0.1, 0.09, 0.3]) {
          statuses.push((await heartbeat(server, id, token, { error_rate: errorRate })).body.workspace_status);
        }
        assert.deepEqual(statuses, ["degraded", "degraded", "degraded", "online", "online"]);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events), ["WORKSPACE_ONLINE", "WORKSPACE_DEGRADED"]);
        assert.deepEqual(events[1].payload.reasons, ["error_rate"]);
        assert.equal(events[1].payload.error_rate, 0.5);
      });

      it("a status_mgmt runtime is not degraded by its error rate, but is by a wedge, and recovers when the wedge clears", async () => {
        const { id, token } = await onlineWorkspace(server);
        const managed = { runtime_metadata: { capabilities: { status_mgmt: true, heartbeat: true } } };
        assert.equal((await heartbeat(server, id, token, { ...managed, error_rate: 0.9 })).body.workspace_status, "online");
        assert.equal((await heartbeat(server, id, token, { ...managed, error_rate: 0.9, runtime_state: "wedged" })).body.workspace_status, "degraded");
        assert.equal((await heartbeat(server, id, token, { ...managed, error_rate: 0.9 })).body.workspace_status, "online");
      });

      it("a successful register does not force a wedged workspace online: it stays degraded while the wedge lasts", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { runtime_state: "wedged" });
        const mark = await eventMark(server, id);
        const response = await register(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "degraded");
        assert.equal((await detail(server, id)).status, "degraded");
        assert.equal(count(await eventsAfter(server, id, mark), "WORKSPACE_ONLINE"), 0);
      });
    });

    describe("reasons are part of the state", () => {
      it("when a degraded workspace's reasons change but its status does not, one WORKSPACE_REASONS_CHANGED says so", async () => {
        const { id, token } = await server.provision();
        assert.equal((await register(server, id, token)).status, 200);
        const wedged = await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0.9, runtime_state: "wedged" }, token);
        assert.equal(wedged.body.workspace_status, "degraded");
        const mark = await eventMark(server, id);
        const unwedged = await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0.9 }, token);
        assert.equal(unwedged.body.workspace_status, "degraded");
        const ws = await detail(server, id);
        assert.deepEqual(ws.status_reasons, ["error_rate"]);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(
          events.map((e) => e.type),
          ["WORKSPACE_REASONS_CHANGED"],
        );
        assert.deepEqual(events[0].payload.previous_reasons, ["wedged", "error_rate"]);
        assert.deepEqual(events[0].payload.reasons, ["error_rate"]);
        // Same reasons again: nothing to record.
        await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0.9 }, token);
        assert.equal((await eventsAfter(server, id, mark)).length, 1);
      });
    });

    describe("rows 16-18 under races: one change, one event", () => {
      it("three concurrent wedged heartbeats degrade the workspace with exactly one WORKSPACE_DEGRADED", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const responses = await Promise.all([1, 2, 3].map((n) => heartbeat(server, id, token, { runtime_state: "wedged", active_tasks: n })));
        for (const response of responses) {
          assert.equal(response.status, 200, JSON.stringify(response.body));
          assert.equal(response.body.workspace_status, "degraded");
        }
        assert.deepEqual(typesOf(await eventsAfter(server, id, mark)), ["WORKSPACE_DEGRADED"]);
      });

      it("a heartbeat racing the liveness sweep never leaves the workspace offline, and every transition has its event", async () => {
        const { id, token } = await onlineWorkspace(server);
        server.clock.advance(OFFLINE_AFTER_PLUS_1S);
        const mark = await eventMark(server, id);
        const [beat] = await Promise.all([heartbeat(server, id, token), sweep(server.deps)]);
        assert.equal(beat.status, 200);
        assert.equal((await detail(server, id)).status, "online");
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "WORKSPACE_OFFLINE"), count(events, "WORKSPACE_ONLINE"));
        assert.ok(count(events, "WORKSPACE_OFFLINE") <= 1);
      });
    });
  });
}
