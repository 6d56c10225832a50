/**
 * An operator clears a register-failure marker (POST /api/workspaces/:id/markers/:markerId/clear): audited with the
 * operator's name and reason, the status recovers at once, and a clear without a reason, of an inactive marker or
 * of another workspace's marker is refused without a change.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { asOperator, assertError, count, detail, eventMark, eventsAfter, eventsOf, ISO } from "./api-helpers.ts";
import { markedWorkspace, onlineWorkspace } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

for (const factory of testDatabases()) {
  describe(`marker clear (operator API) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    describe("clearing a marker", () => {
      it("an operator clears a marker with a reason: audited, and the status recovers at once", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const mark = await eventMark(server, id);
        const reason = "hostname fixed in the compose file";
        const response = await asOperator(server, "alice", `/api/workspaces/${id}/markers/${markerId}/clear`, { body: { reason } });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.status_before, "degraded");
        assert.equal(response.body.status_after, "online");
        assert.equal(response.body.marker.id, markerId);
        assert.equal(response.body.marker.cleared_by, "operator:alice");
        assert.equal(response.body.marker.clear_reason, reason);

        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        assert.deepEqual(ws.status_reasons, []);
        assert.equal(ws.markers[0].cleared_by, "operator:alice");
        assert.equal(ws.markers[0].clear_reason, reason);
        assert.match(ws.markers[0].cleared_at, ISO);

        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "MARKER_CLEARED"), 1);
        const cleared = events.find((e) => e.type === "MARKER_CLEARED");
        assert.equal(cleared.actor, "operator:alice");
        assert.equal(cleared.payload.by, "operator:alice");
        assert.equal(cleared.payload.clear_reason, reason);
        assert.equal(cleared.payload.status_before, "degraded");
        assert.equal(cleared.payload.status_after, "online");
        assert.equal(cleared.payload.marker_id, markerId);
        assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
        assert.equal(events.find((e) => e.type === "WORKSPACE_ONLINE").actor, "operator:alice");
      });

      it("without X-Operator-Name the clear is attributed to operator:admin", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const response = await server.admin(`/api/workspaces/${id}/markers/${markerId}/clear`, { body: { reason: "verified DNS" } });
        assert.equal(response.status, 200);
        const cleared = (await eventsOf(server, id)).find((e) => e.type === "MARKER_CLEARED");
        assert.equal(cleared.payload.by, "operator:admin");
      });

      it("clearing needs a reason: 400 invalid_body, and the marker stays active", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: "ok" }, { reason: null }]) {
          assertError(await server.admin(`/api/workspaces/${id}/markers/${markerId}/clear`, { method: "POST", body }), 400, "invalid_body");
        }
        assertError(await server.admin(`/api/workspaces/${id}/markers/${markerId}/clear`, { method: "POST" }), 400, "invalid_body");
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("clearing an already-cleared marker answers 409 marker_not_active and changes nothing", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const path = `/api/workspaces/${id}/markers/${markerId}/clear`;
        assert.equal((await server.admin(path, { body: { reason: "first clear" } })).status, 200);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        assertError(await server.admin(path, { body: { reason: "second clear" } }), 409, "marker_not_active");
        assert.deepEqual(await detail(server, id), before);
        assert.equal(before.markers[0].clear_reason, "first clear");
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("clearing an expired marker answers 409 marker_not_active", async () => {
        const { id, markerId } = await markedWorkspace(server);
        server.clock.advance(5 * 60_000 + 1_000);
        assertError(await server.admin(`/api/workspaces/${id}/markers/${markerId}/clear`, { body: { reason: "too late" } }), 409, "marker_not_active");
      });

      it("clearing an unknown marker, or another workspace's marker, answers 404 unknown_marker", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const other = await onlineWorkspace(server);
        assertError(await server.admin(`/api/workspaces/${id}/markers/${randomUUID()}/clear`, { body: { reason: "no such marker" } }), 404, "unknown_marker");
        assertError(
          await server.admin(`/api/workspaces/${other.id}/markers/${markerId}/clear`, { body: { reason: "wrong workspace" } }),
          404,
          "unknown_marker",
        );
        const ws = await detail(server, id);
        assert.equal(ws.markers[0].active, true);
        assert.equal(ws.status, "degraded");
      });
    });
  });
}
