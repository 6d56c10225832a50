/**
 * The operator's workspace lifecycle through the REST API: provision (the token shown once), remove, and restart.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { asOperator, assertError, detail, eventMark, eventsAfter, eventsOf } from "./api-helpers.ts";
import { CARD, heartbeat, onlineWorkspace, register } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

for (const factory of testDatabases()) {
  describe(`workspace admin (operator API) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    describe("provision", () => {
      it("provision answers 201 with the id and the token, and the token is never shown again", async () => {
        const response = await server.admin("/api/workspaces", { body: { name: "alpha" } });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        assert.deepEqual(Object.keys(response.body).sort(), ["id", "token"]);
        const { id, token } = response.body;
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.match(token, /^[A-Za-z0-9_-]{43}$/);
        const ws = await detail(server, id);
        assert.equal(ws.name, "alpha");
        assert.equal(ws.status, "provisioning");
        const reads = [
          ws,
          (await server.admin("/api/workspaces?limit=1000")).body,
          (await server.admin(`/api/workspaces/${id}/events`)).body,
          (await server.admin("/api/events?limit=500")).body,
          (await server.admin(`/api/workspaces/${id}/heartbeats`)).body,
        ];
        for (const read of reads) assert.ok(!JSON.stringify(read).includes(token), "the token is never readable again");
        assert.equal(ws.token, undefined);
        const events = await eventsOf(server, id);
        assert.deepEqual(events.map((e) => e.type).sort(), ["TOKEN_ISSUED", "WORKSPACE_PROVISIONING"]);
        for (const event of events) assert.equal(event.actor, "operator:admin");
        // The token works at once.
        assert.equal((await register(server, id, token)).status, 200);
      });

      it("provision without a name gives a generated name, and two provisions get different ids and tokens", async () => {
        const a = await server.admin("/api/workspaces", { body: {} });
        const b = await server.admin("/api/workspaces", { body: {} });
        assert.equal(a.status, 201);
        assert.notEqual(a.body.id, b.body.id);
        assert.notEqual(a.body.token, b.body.token);
        const ws = await detail(server, a.body.id);
        assert.equal(typeof ws.name, "string");
        assert.ok(ws.name.length > 0);
      });
    });

    describe("remove and restart", () => {
      it("remove sets removed, revokes the tokens, records WORKSPACE_REMOVED, and later heartbeats get 410", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const response = await asOperator(server, "carol", `/api/workspaces/${id}`, { method: "DELETE" });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.deepEqual(response.body, { id, status: "removed" });
        const ws = await detail(server, id);
        assert.equal(ws.status, "removed");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(
          events.map((e) => e.type),
          ["WORKSPACE_REMOVED"],
        );
        assert.equal(events[0].actor, "operator:carol");
        assert.equal(events[0].payload.from, "online");
        assertError(await heartbeat(server, id, token), 410, "workspace_removed");
        assertError(await register(server, id, token), 410, "workspace_removed");
        // Nothing brings it back, and a second removal is refused.
        assertError(await server.admin(`/api/workspaces/${id}/restart`, { body: {} }), 410, "workspace_removed");
        assertError(await server.admin(`/api/workspaces/${id}/token`, { body: {} }), 410, "workspace_removed");
        assertError(await server.admin(`/api/workspaces/${id}`, { method: "DELETE" }), 410, "workspace_removed");
        assert.equal((await detail(server, id)).status, "removed");
      });

      it("restart sets provisioning with no URL, records WORKSPACE_PROVISIONING, and the runtime can register again", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { error_rate: 0.3, runtime_state: "wedged" });
        const mark = await eventMark(server, id);
        const response = await asOperator(server, "bob", `/api/workspaces/${id}/restart`, { body: {} });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.deepEqual(response.body, { id, status: "provisioning" });
        const ws = await detail(server, id);
        assert.equal(ws.status, "provisioning");
        assert.equal(ws.url, null);
        assert.deepEqual(ws.status_reasons, ["operator_restart"]);
        assert.deepEqual(ws.agent_card, CARD);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(events.map((e) => e.type).sort(), ["RESTART_CONTEXT_QUEUED", "WORKSPACE_PROVISIONING"]);
        const provisioning = events.find((e) => e.type === "WORKSPACE_PROVISIONING");
        assert.equal(provisioning.actor, "operator:bob");
        assert.equal(provisioning.payload.from, "degraded");
        assert.equal(provisioning.payload.to, "provisioning");
        // The old session's wedge does not judge the new one.
        const again = await register(server, id, token);
        assert.equal(again.status, 200);
        assert.equal(again.body.workspace_status, "online");
      });
    });
  });
}
