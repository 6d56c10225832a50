import {
  DEFAULT_POLICY,
  provisionWorkspace,
  recordHeartbeat,
  register,
  RegistryError,
  removeWorkspace,
  rotateToken,
  updateCard,
  type RegistryDeps,
  type RegistryStore,
} from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { openDatabase, type Database } from "./database.ts";
import { withHotPathCache } from "./hot-path-cache.ts";
import { migrate } from "./migrate.ts";
import { createPrismaStore } from "./prisma-store.ts";
import { testDatabases, type TestDatabase } from "./testing.ts";

const URL_OK = "http://93.184.216.34:8000";

function depsFor(store: RegistryStore): RegistryDeps {
  return {
    store,
    clock: Date.now,
    resolveHost: async () => ["93.184.216.34"],
    newId: randomUUID,
    policy: DEFAULT_POLICY,
    urlPolicy: { allowPrivate: false, allowLoopback: false, dnsTimeoutMs: 1_000 },
    openRegistration: false,
  };
}

const beat = (deps: RegistryDeps, id: string, token: string) =>
  recordHeartbeat(
    deps,
    { workspace_id: id, error_rate: 0, sample_error: "", active_tasks: 0, uptime_seconds: 1, current_task: "", runtime_state: "" },
    `Bearer ${token}`,
  );

const rejectsWith = (reason: string) => (error: unknown) => error instanceof RegistryError && error.reason === reason;

for (const factory of testDatabases()) {
  describe(`the hot-path cache on ${factory.provider}`, () => {
    let db: TestDatabase;
    const databases: Database[] = [];
    let cached: RegistryDeps;
    let elsewhere: RegistryDeps;
    before(async () => {
      db = await factory.create();
      await migrate(db.url);
      // Two "processes" on one database: one with the cache, one making changes behind its back.
      for (let i = 0; i < 2; i++) databases.push(await openDatabase(db.url));
      const options = { sampleSlotMs: DEFAULT_POLICY.sampleSlotMs };
      cached = depsFor(withHotPathCache(createPrismaStore(databases[0]!, options), 1_000));
      elsewhere = depsFor(createPrismaStore(databases[1]!, options));
    });
    after(async () => {
      await Promise.all(databases.map((d) => d.close()));
      await db.drop();
    });

    async function warmWorkspace() {
      const { id, token } = await provisionWorkspace(elsewhere, {}, "test");
      await register(cached, { id, url: URL_OK, agent_card: { name: "a", url: URL_OK } }, `Bearer ${token}`);
      await beat(cached, id, token); // now cached, token included
      return { id, token };
    }

    it("a token rotated by another process stops working on the very next call", async () => {
      const { id, token } = await warmWorkspace();
      const { token: fresh } = await rotateToken(elsewhere, id, "alice");
      await assert.rejects(beat(cached, id, token), rejectsWith("invalid_token"));
      assert.equal((await beat(cached, id, fresh)).status, "ok");
    });

    it("an identical card update with a token rotated elsewhere is refused too, though it changes nothing", async () => {
      const { id, token } = await warmWorkspace();
      await rotateToken(elsewhere, id, "alice");
      await assert.rejects(updateCard(cached, { workspace_id: id, agent_card: { name: "a", url: URL_OK } }, `Bearer ${token}`), rejectsWith("invalid_token"));
    });

    it("a workspace removed by another process answers 410 on the very next call", async () => {
      const { id, token } = await warmWorkspace();
      await removeWorkspace(elsewhere, id, "alice");
      await assert.rejects(beat(cached, id, token), rejectsWith("workspace_removed"));
    });

    it("a transition made elsewhere is seen: the next beat decides on the fresh row and emits its own event once", async () => {
      const { id, token } = await warmWorkspace();
      const row = await elsewhere.store.getWorkspace(id);
      // The other process's sweeper marked it offline.
      await elsewhere.store.commit({
        workspaceId: id,
        expectedVersion: row!.version,
        at: Date.now(),
        patch: { status: "offline", statusReasons: ["heartbeat_timeout"] },
        events: [],
      });
      assert.equal((await beat(cached, id, token)).workspace_status, "online");
      const events = await elsewhere.store.listEvents({ workspaceId: id, type: "WORKSPACE_ONLINE", limit: 10 });
      assert.deepEqual(
        events.map((e) => (e.type === "WORKSPACE_ONLINE" ? e.payload.from : null)),
        ["offline", "provisioning"],
      );
    });
  });
}
