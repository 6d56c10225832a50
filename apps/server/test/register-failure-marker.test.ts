/**
 * The register-failure marker (reference §9 rows 6, 7, 21): an authenticated register that fails stamps it and
 * degrades the workspace, an unauthenticated one never does, a card-less heartbeat does not lift it, and a successful
 * register clears it. The operator's clear is markers-clear.test.ts; the card-bearing heartbeat's clear is
 * incident-2739.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertError, count, detail, eventMark, eventsAfter, nearNow } from "./api-helpers.ts";
import { heartbeat, onlineWorkspace, register, UNRESOLVABLE, withFailingCommits } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

for (const factory of testDatabases()) {
  describe(`the register-failure marker (reference §9) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    describe("row 6: an authenticated register failure stamps the marker", () => {
      it("an authenticated push-mode register with no URL answers 400 url_required_for_push and stamps the marker", async () => {
        const { id, token } = await server.provision();
        const mark = await eventMark(server, id);
        const response = await server.runtime("/registry/register", { id, agent_card: { name: "agent" } }, token);
        assertError(response, 400, "url_required_for_push");
        assert.equal(response.body.error, "url is required for push-mode workspaces");
        const ws = await detail(server, id);
        assert.equal(ws.markers.length, 1);
        const [marker] = ws.markers;
        assert.equal(marker.kind, "register_failure");
        assert.equal(marker.reason, "url_required_for_push");
        assert.equal(marker.cleared_at, null);
        nearNow(server, marker.set_at);
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "MARKER_SET"), 1);
        assert.equal(events.find((e) => e.type === "MARKER_SET").payload.reason, "url_required_for_push");
      });

      it("an authenticated register that fails with a server error (500) stamps the marker with reason internal", async () => {
        const { id, token } = await onlineWorkspace(server);
        // Only the registration write fails; the stamp after it can be written.
        const response = await withFailingCommits(server, 1, () => register(server, id, token));
        assertError(response, 500, "internal");
        const ws = await detail(server, id);
        assert.equal(ws.markers.length, 1, "every post-auth non-200 stamps the marker (reference §5.4)");
        assert.equal(ws.markers[0].reason, "internal");
      });
    });

    describe("row 7: no stamp without a verified bearer; a successful register clears the marker", () => {
      it("an unauthenticated register (401) with a bad URL never stamps and never degrades", async () => {
        const { id } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await register(server, id, undefined, { url: UNRESOLVABLE });
        assertError(response, 401, "missing_token");
        const afterwards = await detail(server, id);
        assert.deepEqual(afterwards.markers, []);
        assert.deepEqual(afterwards, before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a successful register clears an active marker and brings the workspace online", async () => {
        const { id, token } = await onlineWorkspace(server);
        assertError(await register(server, id, token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
        assert.equal((await detail(server, id)).status, "degraded");
        const mark = await eventMark(server, id);
        const response = await register(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "online");
        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        assert.equal(ws.markers.length, 1);
        assert.equal(ws.markers[0].active, false);
        nearNow(server, ws.markers[0].cleared_at);
        assert.equal(ws.markers[0].cleared_by, "runtime");
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "MARKER_CLEARED"), 1);
        assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
      });
    });

    describe("row 21: the register-failure marker degrades and holds", () => {
      it("a register failure degrades an online workspace with one WORKSPACE_DEGRADED carrying register_failure", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        assertError(await register(server, id, token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "WORKSPACE_DEGRADED"), 1);
        const degraded = events.find((e) => e.type === "WORKSPACE_DEGRADED");
        assert.deepEqual(degraded.payload.reasons, ["register_failure"]);
        assert.equal(degraded.payload.register_failure, true);
        const ws = await detail(server, id);
        assert.equal(ws.status, "degraded");
        assert.deepEqual(ws.status_reasons, ["register_failure"]);
        assert.equal(ws.markers[0].reason, "url_validate_failed");
      });

      it("a degraded workspace with a 2-minute-old marker stays degraded on a healthy card-less heartbeat, with no event", async () => {
        const { id, token } = await onlineWorkspace(server);
        assertError(await register(server, id, token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
        server.clock.advance(2 * 60_000);
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { error_rate: 0 });
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "degraded");
        assert.deepEqual(await eventsAfter(server, id, mark), []);
        const ws = await detail(server, id);
        assert.equal(ws.status, "degraded");
        assert.equal(ws.markers[0].active, true);
      });
    });
  });
}
