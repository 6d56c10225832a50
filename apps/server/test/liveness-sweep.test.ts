/**
 * The liveness sweep, driven by calling `sweep(server.deps)` after moving the server's clock: silent workspaces go
 * offline once, stuck provisions fail once, and the sweep reports when it is next due.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { STATUS_EVENT_TYPES, sweep } from "@rollcall/registry-core";
import { count, detail, eventMark, eventsAfter } from "./api-helpers.ts";
import { heartbeat, markedWorkspace, OFFLINE_AFTER_PLUS_1S, onlineWorkspace, PROVISION_TIMEOUT_PLUS_1S } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

const statusEvents = (events: any[]) => events.filter((e) => STATUS_EVENT_TYPES.includes(e.type));

for (const factory of testDatabases()) {
  describe(`the liveness sweeper on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    it("a workspace heard from within 90 s stays online through a sweep", async () => {
      const { id, token } = await onlineWorkspace(server);
      await heartbeat(server, id, token);
      server.clock.advance(60_000);
      await sweep(server.deps);
      assert.equal((await detail(server, id)).status, "online");
    });

    it("a silent online workspace goes offline with exactly one WORKSPACE_OFFLINE, and a second sweep adds nothing", async () => {
      const { id, token } = await onlineWorkspace(server);
      await heartbeat(server, id, token);
      const mark = await eventMark(server, id);
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      const ws = await detail(server, id);
      assert.equal(ws.status, "offline");
      assert.deepEqual(ws.status_reasons, ["heartbeat_timeout"]);
      let events = await eventsAfter(server, id, mark);
      assert.deepEqual(
        statusEvents(events).map((e) => e.type),
        ["WORKSPACE_OFFLINE"],
      );
      const offline = events.find((e) => e.type === "WORKSPACE_OFFLINE");
      assert.equal(offline.actor, "sweeper");
      assert.equal(offline.payload.from, "online");
      assert.deepEqual(offline.payload.reasons, ["heartbeat_timeout"]);
      await sweep(server.deps);
      server.clock.advance(60_000);
      await sweep(server.deps);
      events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "WORKSPACE_OFFLINE"), 1);
      assert.equal((await detail(server, id)).status, "offline");
    });

    it("a silent degraded workspace goes offline too", async () => {
      const { id, token } = await onlineWorkspace(server);
      await heartbeat(server, id, token, { runtime_state: "wedged" });
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      assert.equal((await detail(server, id)).status, "offline");
    });

    it("a workspace provisioning for more than 10 minutes fails with one WORKSPACE_PROVISION_FAILED", async () => {
      const { id } = await server.provision("never-starts");
      server.clock.advance(9 * 60_000);
      await sweep(server.deps);
      assert.equal((await detail(server, id)).status, "provisioning");
      const mark = await eventMark(server, id);
      server.clock.advance(PROVISION_TIMEOUT_PLUS_1S - 9 * 60_000);
      await sweep(server.deps);
      await sweep(server.deps);
      const ws = await detail(server, id);
      assert.equal(ws.status, "failed");
      assert.deepEqual(ws.status_reasons, ["provision_timeout"]);
      const events = await eventsAfter(server, id, mark);
      assert.deepEqual(
        statusEvents(events).map((e) => e.type),
        ["WORKSPACE_PROVISION_FAILED"],
      );
      assert.equal(events[0].payload.from, "provisioning");
      assert.deepEqual(events[0].payload.reasons, ["provision_timeout"]);
    });

    it("a heartbeat with error_rate 0.9 after offline goes straight to degraded (one WORKSPACE_DEGRADED, no WORKSPACE_ONLINE)", async () => {
      const { id, token } = await onlineWorkspace(server);
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      assert.equal((await detail(server, id)).status, "offline");
      const mark = await eventMark(server, id);
      const response = await heartbeat(server, id, token, { error_rate: 0.9 });
      assert.equal(response.status, 200);
      assert.equal(response.body.workspace_status, "degraded");
      const events = await eventsAfter(server, id, mark);
      assert.deepEqual(
        statusEvents(events).map((e) => e.type),
        ["WORKSPACE_DEGRADED"],
      );
      const degraded = events.find((e) => e.type === "WORKSPACE_DEGRADED");
      assert.equal(degraded.payload.from, "offline");
      assert.deepEqual(degraded.payload.reasons, ["error_rate"]);
      assert.equal(count(events, "WORKSPACE_ONLINE"), 0);
    });
  });

  describe(`the sweep's next deadline on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });
    const at = (iso: string) => Date.parse(iso);

    it("is the soonest of a provisioning workspace's timeout, a live workspace's 90 s and a degrading marker's expiry", async () => {
      assert.equal((await sweep(server.deps)).nextDueAt, null, "an empty registry has nothing due");

      const waiting = await server.provision("waiting");
      const provisionedAt = at((await detail(server, waiting.id)).status_changed_at);
      assert.equal((await sweep(server.deps)).nextDueAt, provisionedAt + 10 * 60_000);

      const marked = await markedWorkspace(server);
      const markedView = await detail(server, marked.id);
      assert.equal((await sweep(server.deps)).nextDueAt, at(markedView.last_heartbeat_at) + 90_000, "the 90 s come before the marker's 5 min");

      // Card-less beats keep it alive without clearing the marker: 4.5 minutes on, the marker expires first.
      for (let minute = 0; minute < 9; minute++) {
        server.clock.advance(30_000);
        assert.equal((await heartbeat(server, marked.id, marked.token)).status, 200);
      }
      assert.equal((await detail(server, marked.id)).status, "degraded");
      assert.equal((await sweep(server.deps)).nextDueAt, at(markedView.markers[0].expires_at));
    });
  });
}
