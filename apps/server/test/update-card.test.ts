/**
 * POST /registry/update-card (reference §9 row 22): it stores a new card with one AGENT_CARD_UPDATED, writes nothing
 * for the card already stored, and refuses bad input, refused URLs, removed workspaces and database failures without
 * touching the stored card.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertError, detail, eventMark, eventsAfter, typesOf } from "./api-helpers.ts";
import { CARD, onlineWorkspace, URL_OK, URL_OK_2, withFailingCommits } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

for (const factory of testDatabases()) {
  describe(`update-card (reference §9) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    describe("row 22: update-card", () => {
      it("update-card stores the card, answers {status: updated} and records AGENT_CARD_UPDATED", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const card = { name: "agent", url: URL_OK, skills: [{ id: "s1", name: "search" }] };
        const response = await server.runtime("/registry/update-card", { workspace_id: id, agent_card: card }, token);
        assert.equal(response.status, 200);
        assert.deepEqual(response.body, { status: "updated" });
        assert.deepEqual((await detail(server, id)).agent_card, card);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events), ["AGENT_CARD_UPDATED"]);
        assert.deepEqual(events[0].payload.agent_card, card);
      });

      it("update-card with the card already stored writes and emits nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const response = await server.runtime("/registry/update-card", { workspace_id: id, agent_card: CARD }, token);
        assert.deepEqual(response.body, { status: "updated" });
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("update-card with malformed JSON or missing fields answers 400 invalid_body and changes nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        for (const body of [`{"workspace_id":"${id}",`, { workspace_id: id }, { agent_card: CARD }, {}]) {
          assertError(await server.runtime("/registry/update-card", body, token), 400, "invalid_body");
        }
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("update-card with a metadata URL or a non-HTTP scheme in the card answers 400 url_validate_failed", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        for (const url of ["http://169.254.169.254/latest/meta-data", "http://metadata.example.com/", "file:///etc/passwd", "ftp://agent.example.com/"]) {
          const response = await server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "agent", url } }, token);
          assertError(response, 400, "url_validate_failed");
        }
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a database failure during update-card answers an opaque 500 and keeps the old card", async () => {
        const { id, token } = await onlineWorkspace(server);
        const response = await withFailingCommits(server, Infinity, () =>
          server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "new", url: URL_OK_2 } }, token),
        );
        assertError(response, 500, "internal");
        assert.doesNotMatch(JSON.stringify(response.body), /SQLITE|relation|secret|workspaces|disk/i);
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
      });

      it("the opaque 500 of a failed update-card says `failed to update card`, as the reference's body does", async () => {
        const { id, token } = await onlineWorkspace(server);
        const response = await withFailingCommits(server, Infinity, () =>
          server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "new", url: URL_OK_2 } }, token),
        );
        assert.equal(response.status, 500);
        assert.equal(response.body.error, "failed to update card");
      });

      it("update-card for a removed workspace answers 410 and keeps the card", async () => {
        const { id, token } = await onlineWorkspace(server);
        await server.admin(`/api/workspaces/${id}`, { method: "DELETE" });
        const response = await server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "new", url: URL_OK_2 } }, token);
        assertError(response, 410, "workspace_removed");
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
      });
    });
  });
}
