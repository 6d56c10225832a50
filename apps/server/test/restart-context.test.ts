/**
 * The restart context: a runtime that comes back (after going offline, or after an operator restart) gets one, once,
 * on the call that brings it online; a first boot gets none; an undelivered one expires after 30 minutes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sweep } from "@rollcall/registry-core";
import { count, detail, eventMark, eventsAfter, eventsOf, ISO } from "./api-helpers.ts";
import { heartbeat, OFFLINE_AFTER_PLUS_1S, onlineWorkspace, register } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

for (const factory of testDatabases()) {
  describe(`restart context on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    it("a workspace that went offline and registers again gets its restart context once, recorded as queued and delivered", async () => {
      const { id, token } = await onlineWorkspace(server);
      assert.equal((await heartbeat(server, id, token, { uptime_seconds: 120 })).status, 200);
      const lastBeat = server.clock.now();
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      assert.equal((await detail(server, id)).status, "offline");
      const mark = await eventMark(server, id);

      const response = await register(server, id, token);
      assert.equal(response.status, 200);
      assert.equal(response.body.workspace_status, "online");
      const context = response.body.restart_context;
      assert.ok(context, "the register response carries the restart context");
      assert.match(context.restart_at, ISO);
      assert.ok(Math.abs(Date.parse(context.restart_at) - server.clock.now()) < 2_000);
      assert.match(context.previous_session_end, ISO);
      assert.ok(Math.abs(Date.parse(context.previous_session_end) - lastBeat) < 2_000);
      assert.equal(typeof context.gap_seconds, "number");
      assert.ok(Math.abs(context.gap_seconds - 91) <= 2, `gap_seconds ${context.gap_seconds}`);

      let events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "RESTART_CONTEXT_QUEUED"), 1);
      assert.equal(count(events, "RESTART_CONTEXT_DELIVERED"), 1);
      assert.equal(events.find((e) => e.type === "RESTART_CONTEXT_DELIVERED").payload.restart_at, context.restart_at);
      assert.equal((await detail(server, id)).restart_context_pending, false);

      // The new session's heartbeats (its uptime starts again from zero) do not get it a second time.
      for (const uptime of [5, 35]) {
        server.clock.advance(30_000);
        const beat = await heartbeat(server, id, token, { uptime_seconds: uptime });
        assert.equal(beat.status, 200);
        assert.equal(beat.body.restart_context, undefined, `heartbeat with uptime ${uptime} carries no second restart context`);
      }
      const again = await register(server, id, token);
      assert.equal(again.body.restart_context, undefined);
      events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "RESTART_CONTEXT_QUEUED"), 1);
      assert.equal(count(events, "RESTART_CONTEXT_DELIVERED"), 1);
    });

    it("after an operator restart, the new runtime's register carries the restart context", async () => {
      const { id, token } = await onlineWorkspace(server);
      await heartbeat(server, id, token, { uptime_seconds: 600 });
      server.clock.advance(20_000);
      await server.admin(`/api/workspaces/${id}/restart`, { body: {} });
      const response = await register(server, id, token);
      assert.equal(response.status, 200);
      assert.ok(response.body.restart_context);
      assert.ok(Math.abs(response.body.restart_context.gap_seconds - 20) <= 2);
    });

    it("a genuine first boot gets no restart context", async () => {
      const { id, token } = await server.provision();
      const response = await register(server, id, token);
      assert.equal(response.body.restart_context, undefined);
      assert.equal((await heartbeat(server, id, token)).body.restart_context, undefined);
      assert.equal(count(await eventsOf(server, id), "RESTART_CONTEXT_QUEUED"), 0);
    });

    it("a restart context waits while the workspace is not online and is delivered on the heartbeat that brings it online", async () => {
      const { id, token } = await onlineWorkspace(server);
      await heartbeat(server, id, token, { uptime_seconds: 60, runtime_state: "wedged" });
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      // The wedged session comes back: register cannot bring it online, so the context stays queued.
      const registered = await register(server, id, token);
      assert.equal(registered.body.workspace_status, "degraded");
      assert.equal(registered.body.restart_context, undefined);
      assert.equal((await detail(server, id)).restart_context_pending, true);
      const queued = (await eventsOf(server, id)).find((e) => e.type === "RESTART_CONTEXT_QUEUED")?.payload;
      assert.ok(queued);
      // The new session's first heartbeat: healthy, with its uptime counting from its own boot.
      const beat = await heartbeat(server, id, token, { uptime_seconds: 10 });
      assert.equal(beat.body.workspace_status, "online");
      assert.ok(beat.body.restart_context, "delivered on the heartbeat that brings it online");
      // It is the context queued at the register, about the session that ended before the offline gap.
      assert.deepEqual(beat.body.restart_context, queued);
      assert.ok(Math.abs(beat.body.restart_context.gap_seconds - 91) <= 2, `gap_seconds ${beat.body.restart_context.gap_seconds}`);
      assert.equal((await detail(server, id)).restart_context_pending, false);
    });

    it("an undelivered restart context expires after 30 minutes (RESTART_CONTEXT_EXPIRED)", async () => {
      const { id, token } = await onlineWorkspace(server);
      await heartbeat(server, id, token, { runtime_state: "wedged" });
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      await register(server, id, token);
      assert.equal((await detail(server, id)).restart_context_pending, true);
      server.clock.advance(30 * 60_000 + 1_000);
      await sweep(server.deps);
      assert.equal((await detail(server, id)).restart_context_pending, false);
      assert.equal(count(await eventsOf(server, id), "RESTART_CONTEXT_EXPIRED"), 1);
    });
  });
}
