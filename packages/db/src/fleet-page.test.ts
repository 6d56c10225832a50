import { newWorkspaceRecord, type WorkspaceRecord, type WorkspaceStatus } from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { openDatabase, type Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { createPrismaStore } from "./prisma-store.ts";
import { testDatabases, type TestDatabase } from "./testing.ts";

const FLEET: [string, WorkspaceStatus, number][] = [
  ["Alpha", "online", 0.01],
  ["beta", "offline", 0],
  ["Gamma 100%", "degraded", 0.6],
  ["delta_1", "failed", 0],
  ["epsilon", "online", 0.2],
  ["zeta", "removed", 0],
  ["eta", "provisioning", 0],
];

for (const factory of testDatabases()) {
  describe(`fleet pages on ${factory.provider}`, () => {
    let db: TestDatabase;
    let database: Database;
    let store: ReturnType<typeof createPrismaStore>;
    before(async () => {
      db = await factory.create();
      await migrate(db.url);
      database = await openDatabase(db.url);
      store = createPrismaStore(database, { sampleSlotMs: 15_000 });
      for (const [index, [name, status, errorRate]] of FLEET.entries()) {
        const workspace: WorkspaceRecord = { ...newWorkspaceRecord(randomUUID(), name, index), status, lastErrorRate: errorRate, statusChangedAt: 100 - index };
        await store.createWorkspace(workspace, { id: randomUUID(), tokenHash: randomUUID(), prefix: "abcdefgh", createdAt: 0 }, []);
      }
    });
    after(async () => {
      await database.close();
      await db.drop();
    });

    const names = async (query: Partial<Parameters<typeof store.fleetPage>[0]>) =>
      (await store.fleetPage({ sort: "status", descending: false, offset: 0, limit: 50, ...query })).rows.map((w) => w.name);

    it("sorts worst status first and leaves removed workspaces out unless asked for", async () => {
      assert.deepEqual(await names({}), ["delta_1", "beta", "Gamma 100%", "eta", "epsilon", "Alpha"]);
      assert.deepEqual(await names({ status: "removed" }), ["zeta"]);
    });

    it("sorts by name case-insensitively, and by error rate either way", async () => {
      assert.deepEqual(await names({ sort: "name" }), ["Alpha", "beta", "delta_1", "epsilon", "eta", "Gamma 100%"]);
      assert.deepEqual((await names({ sort: "error_rate", descending: true })).slice(0, 2), ["Gamma 100%", "epsilon"]);
    });

    it("searches id and name case-insensitively, with % and _ taken literally", async () => {
      assert.deepEqual(await names({ search: "GAMMA" }), ["Gamma 100%"]);
      assert.deepEqual(await names({ search: "100%" }), ["Gamma 100%"]);
      assert.deepEqual(await names({ search: "%" }), ["Gamma 100%"]);
      assert.deepEqual(await names({ search: "a_1" }), ["delta_1"]);
      const [first] = (await store.fleetPage({ sort: "name", descending: false, offset: 0, limit: 1 })).rows;
      assert.deepEqual(await names({ search: first!.id.slice(4, 12).toUpperCase() }), [first!.name]);
    });

    it("pages by offset without overlap, and counts every match", async () => {
      const pages = [];
      for (let offset = 0; offset < 6; offset += 4) pages.push(await store.fleetPage({ sort: "status", descending: false, offset, limit: 4 }));
      assert.deepEqual(
        pages.map((p) => p.total),
        [6, 6],
      );
      assert.deepEqual(
        pages.flatMap((p) => p.rows.map((w) => w.name)),
        await names({}),
      );
      assert.equal((await store.fleetPage({ status: "online", sort: "status", descending: false, offset: 0, limit: 1 })).total, 2);
    });
  });
}
