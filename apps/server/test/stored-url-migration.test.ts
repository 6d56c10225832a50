/**
 * The stored-URL migration of 2026-12-04: URLs stored before the hardened validator are judged again by today's
 * rules when a server starts, once. What passes is rewritten to its canonical href; what no longer passes is
 * removed, and a live workspace is marked and degraded, each step an event an operator can read.
 */
import { createPrismaStore, migrate, openDatabase } from "@rollcall/db";
import { DEFAULT_POLICY, provisionWorkspace, type RegistryDeps, type WorkspacePatch } from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { detail, eventsOf } from "./api-helpers.ts";
import { fakeResolver, startTestServer, testDatabases } from "./harness.ts";

/** Writes rows as the old validator left them: the raw URL as sent, which today's rules judge again. */
async function seedOldRows(url: string, rows: { name: string; patch: WorkspacePatch }[]): Promise<Record<string, string>> {
  const database = await openDatabase(url);
  const store = createPrismaStore(database, { sampleSlotMs: DEFAULT_POLICY.sampleSlotMs });
  const deps: RegistryDeps = {
    store,
    clock: Date.now,
    resolveHost: fakeResolver,
    newId: randomUUID,
    policy: DEFAULT_POLICY,
    urlPolicy: { allowPrivate: false, allowLoopback: false, dnsTimeoutMs: 100 },
    openRegistration: false,
  };
  const ids: Record<string, string> = {};
  try {
    for (const { name, patch } of rows) {
      const { id } = await provisionWorkspace(deps, { name }, "operator:seed");
      const workspace = (await store.getWorkspace(id))!;
      const now = Date.now();
      assert.ok(
        await store.commit({
          workspaceId: id,
          expectedVersion: workspace.version,
          at: now,
          patch: { statusChangedAt: now, lastHeartbeatAt: now, ...patch },
          events: [],
        }),
      );
      ids[name] = id;
    }
  } finally {
    await store.close();
  }
  return ids;
}

const ONLINE: WorkspacePatch = { status: "online", statusReasons: [] };

for (const factory of testDatabases()) {
  describe(`the stored-URL migration on ${factory.provider}`, () => {
    it("rewrites passing URLs to their canonical href, removes refused ones (marking live workspaces), and runs once", async () => {
      const db = await factory.create();
      await migrate(db.url);
      const ids = await seedOldRows(db.url, [
        { name: "clean", patch: { ...ONLINE, url: "http://agent.example.com:8000/", agentCard: { name: "clean", url: "http://agent.example.com:8000/" } } },
        {
          name: "spelled",
          patch: { ...ONLINE, url: "HTTP://Agent.Example.com.:8000", agentCard: { name: "spelled", url: "http://agent.example.com:80/a2a" } },
        },
        {
          name: "backslash",
          patch: { ...ONLINE, url: "http://93.184.216.34\\@127.0.0.1/", agentCard: { name: "backslash", url: "http://93.184.216.34\\@127.0.0.1/" } },
        },
        {
          name: "teredo-card",
          patch: {
            ...ONLINE,
            url: "http://agent.example.com:8000/",
            agentCard: { name: "teredo-card", url: "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/" },
          },
        },
        { name: "removed-crlf", patch: { status: "removed", statusReasons: [], removedAt: Date.now(), url: "http://agent.example.com/\r\nX: 1" } },
      ]);

      const server = await startTestServer(db);
      try {
        const clean = await detail(server, ids.clean!);
        assert.equal(clean.url, "http://agent.example.com:8000/");
        assert.equal((await eventsOf(server, ids.clean!)).filter((e) => e.type === "URL_REVALIDATED").length, 0, "an unchanged row writes nothing");

        const spelled = await detail(server, ids.spelled!);
        assert.equal(spelled.url, "http://agent.example.com:8000/");
        assert.equal(spelled.agent_card.url, "http://agent.example.com/a2a");
        assert.equal(spelled.status, "online");
        const [rewritten] = (await eventsOf(server, ids.spelled!)).filter((e) => e.type === "URL_REVALIDATED");
        assert.deepEqual(
          { before: rewritten.payload.url_before, after: rewritten.payload.url_after, refused: rewritten.payload.refused },
          { before: "HTTP://Agent.Example.com.:8000", after: "http://agent.example.com:8000/", refused: undefined },
        );

        const backslash = await detail(server, ids.backslash!);
        assert.equal(backslash.url, null);
        assert.equal(backslash.agent_card.url, undefined);
        assert.equal(backslash.agent_card.name, "backslash");
        assert.equal(backslash.status, "degraded");
        assert.deepEqual(backslash.status_reasons, ["register_failure"]);
        const marker = backslash.markers.find((m: any) => m.active);
        assert.equal(marker.reason, "url_validate_failed");
        assert.match(marker.detail, /no longer passes the URL rules and was removed: url: url contains a backslash/);
        const types = (await eventsOf(server, ids.backslash!)).map((e) => e.type);
        assert.deepEqual(types.slice(0, 3).sort(), ["MARKER_SET", "URL_REVALIDATED", "WORKSPACE_DEGRADED"]);

        const teredo = await detail(server, ids["teredo-card"]!);
        assert.equal(teredo.url, "http://agent.example.com:8000/", "the row's own URL still passes");
        assert.equal(teredo.agent_card.url, undefined);
        assert.match(teredo.markers[0].detail, /agent_card\.url: url targets a blocked address: Teredo address embedding 127\.0\.0\.1/);

        const removed = await detail(server, ids["removed-crlf"]!);
        assert.equal(removed.url, null);
        assert.equal(removed.status, "removed");
        assert.equal(removed.markers.length, 0, "a tombstone is cleaned, not marked");
      } finally {
        await server.close();
      }

      // Recorded: a restart judges nothing again.
      const again = await startTestServer(db);
      try {
        for (const id of Object.values(ids)) {
          assert.ok((await eventsOf(again, id)).filter((e) => e.type === "URL_REVALIDATED").length <= 1, id);
        }
      } finally {
        await again.stop();
      }
    });
  });
}
