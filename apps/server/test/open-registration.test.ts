/**
 * ROLLCALL_OPEN_REGISTRATION (reference §9 row 3): a register without a bearer creates an unknown workspace and
 * returns its token once; it never takes over a provisioned workspace or one that already has a live token.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { assertError, detail, eventsOf } from "./api-helpers.ts";
import { CARD, heartbeat, register, UNRESOLVABLE, URL_OK, URL_OK_2 } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

for (const factory of testDatabases()) {
  describe(`row 3 (open registration): ROLLCALL_OPEN_REGISTRATION bootstraps unknown ids only, on ${factory.provider}`, () => {
    let open: TestServer;
    before(async () => {
      open = await startTestServer(factory, { ROLLCALL_OPEN_REGISTRATION: "1" });
    });
    after(async () => {
      await open?.stop();
    });

    it("the first register of an unknown id creates the workspace and returns its token once", async () => {
      const id = randomUUID();
      const first = await register(open, id, undefined);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(typeof first.body.auth_token, "string");
      assert.equal((await detail(open, id)).status, "online");
      assert.equal((await heartbeat(open, id, first.body.auth_token)).status, 200);
      // The workspace now has a live token: another bearer-less register is a hijack attempt.
      const second = await register(open, id, undefined, { url: URL_OK_2 });
      assertError(second, 401, "missing_token");
      assert.equal(second.body.auth_token, undefined);
      assert.equal((await detail(open, id)).url, URL_OK);
    });

    it("two first registers of one unknown id at once: exactly one gets the token, the other a clear error", async () => {
      const id = randomUUID();
      const answers = await Promise.all([register(open, id, undefined), register(open, id, undefined)]);
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, JSON.stringify(answers.map((a) => a.body)));
      const loser = answers.find((a) => a.status !== 200)!;
      assert.ok([401, 409].includes(loser.status), JSON.stringify(loser.body));
      assert.equal(typeof loser.body.reason, "string");
      const events = await eventsOf(open, id);
      assert.equal(events.filter((e: any) => e.type === "TOKEN_ISSUED").length, 1);
      assert.equal(events.filter((e: any) => e.type === "WORKSPACE_ONLINE").length, 1);
    });

    it("names the new workspace after its card, or after its id when the card's name is not a usable name", async () => {
      const named = randomUUID();
      assert.equal((await register(open, named, undefined)).status, 200);
      assert.equal((await detail(open, named)).name, CARD.name);
      for (const name of [{ first: "agent" }, ["agent"], 42, "", "   ", "n".repeat(201)]) {
        const id = randomUUID();
        const response = await register(open, id, undefined, { agent_card: { ...CARD, name } });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal((await detail(open, id)).name, id, JSON.stringify(name));
      }
    });

    it("a failed bootstrap register creates nothing and stamps nothing", async () => {
      const id = randomUUID();
      const response = await register(open, id, undefined, { url: UNRESOLVABLE });
      assertError(response, 400, "url_validate_failed");
      assertError(await open.admin(`/api/workspaces/${id}`), 404, "unknown_workspace");
      assert.deepEqual(await eventsOf(open, id), []);
    });

    it("a provisioned workspace is never bootstrapped without its token", async () => {
      const { id } = await open.provision();
      const response = await register(open, id, undefined);
      assertError(response, 401, "missing_token");
      assert.equal(response.body.auth_token, undefined);
      assert.equal((await detail(open, id)).status, "provisioning");
    });
  });
}
