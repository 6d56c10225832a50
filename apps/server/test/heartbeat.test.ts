/**
 * POST /registry/heartbeat as a request (reference §9 rows 15, 19, 20): bad input and server failures, removed and
 * unknown workspaces, and the card backfill. What a heartbeat does to the status is heartbeat-status.test.ts.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { assertError, count, detail, eventMark, eventsAfter } from "./api-helpers.ts";
import { CARD, heartbeat, onlineWorkspace, UNRESOLVABLE, URL_OK_2, withFailingCommits } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

for (const factory of testDatabases()) {
  describe(`heartbeat (reference §9) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    describe("row 15: heartbeat input and server failures", () => {
      it("a heartbeat with malformed JSON answers 400 invalid_body and changes nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await server.runtime("/registry/heartbeat", `{"workspace_id": "${id}", "error_rate": 0,`, token);
        assertError(response, 400, "invalid_body");
        assert.match(response.body.error, /^invalid request body/);
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a heartbeat without workspace_id answers 400 invalid_body", async () => {
        const { token } = await onlineWorkspace(server);
        const response = await server.runtime("/registry/heartbeat", { error_rate: 0 }, token);
        assertError(response, 400, "invalid_body");
        assert.match(response.body.error, /workspace_id/);
      });

      it("a database failure during a heartbeat answers an opaque 500 and writes nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await withFailingCommits(server, Infinity, () => heartbeat(server, id, token, { error_rate: 0.9 }));
        assertError(response, 500, "internal");
        assert.doesNotMatch(JSON.stringify(response.body), /SQLITE|relation|secret|workspaces|disk/i);
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("the opaque 500 of a failed heartbeat says `failed to update`, as the reference's body does", async () => {
        const { id, token } = await onlineWorkspace(server);
        const response = await withFailingCommits(server, Infinity, () => heartbeat(server, id, token));
        assert.equal(response.status, 500);
        assert.equal(response.body.error, "failed to update");
      });
    });

    describe("row 19: heartbeats for removed or unknown workspaces", () => {
      it("a heartbeat for a removed workspace answers 410 workspace_removed and records nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        assert.equal((await server.admin(`/api/workspaces/${id}`, { method: "DELETE" })).status, 200);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { error_rate: 0.9 });
        assertError(response, 410, "workspace_removed");
        assert.equal(response.body.error, "workspace removed");
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a heartbeat for an unknown workspace answers 404 unknown_workspace and creates nothing", async () => {
        const { token } = await onlineWorkspace(server);
        const id = randomUUID();
        assertError(await heartbeat(server, id, token), 404, "unknown_workspace");
        assertError(await server.admin(`/api/workspaces/${id}`), 404, "unknown_workspace");
      });
    });

    describe("row 20: the heartbeat card backfill", () => {
      it("a heartbeat fills a missing agent card and records AGENT_CARD_UPDATED (source heartbeat_backfill)", async () => {
        const { id, token } = await server.provision();
        const mark = await eventMark(server, id);
        assert.equal((await heartbeat(server, id, token, { agent_card: CARD })).status, 200);
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
        const updated = (await eventsAfter(server, id, mark)).filter((e) => e.type === "AGENT_CARD_UPDATED");
        assert.equal(updated.length, 1);
        assert.equal(updated[0].payload.source, "heartbeat_backfill");
      });

      it("a heartbeat never overwrites an existing card", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const other = { name: "other", url: URL_OK_2 };
        assert.equal((await heartbeat(server, id, token, { agent_card: other })).status, 200);
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
        assert.equal(count(await eventsAfter(server, id, mark), "AGENT_CARD_UPDATED"), 0);
      });

      it("a heartbeat card whose URL fails validation is not backfilled, but the heartbeat is still accepted", async () => {
        const { id, token } = await server.provision();
        for (const card of [
          { name: "agent", url: "http://metadata.example.com/" },
          { name: "agent", url: "file:///etc/passwd" },
          { name: "agent", url: UNRESOLVABLE },
        ]) {
          const response = await heartbeat(server, id, token, { agent_card: card });
          assert.equal(response.status, 200, JSON.stringify(response.body));
        }
        const ws = await detail(server, id);
        assert.equal(ws.agent_card, null);
        assert.equal(ws.status, "online");
      });
    });
  });
}
