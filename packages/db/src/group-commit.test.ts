import { newWorkspaceRecord, type RegistryStore, type WorkspaceChange } from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { openDatabase } from "./database.ts";
import { withGroupCommit } from "./group-commit.ts";
import { migrate } from "./migrate.ts";
import { createPrismaStore } from "./prisma-store.ts";
import { testDatabases, type TestDatabase } from "./testing.ts";

for (const factory of testDatabases()) {
  describe(`group commit on ${factory.provider}`, () => {
    let db: TestDatabase;
    let store: RegistryStore;
    /** The changes of every batch that reached the store, by workspace id. */
    let batches: string[][];
    before(async () => {
      db = await factory.create();
      await migrate(db.url);
      const real = createPrismaStore(await openDatabase(db.url), { sampleSlotMs: 15_000, writerThread: true });
      store = {
        ...real,
        commitMany: (changes) => (batches.push(changes.map((change) => change.workspaceId)), real.commitMany(changes)),
      };
    });
    after(async () => {
      await store.close();
      await db.drop();
    });

    const beats = async (count: number): Promise<WorkspaceChange[]> => {
      const changes: WorkspaceChange[] = [];
      for (let i = 0; i < count; i++) {
        const workspace = newWorkspaceRecord(randomUUID(), `w${i}`, 1);
        await store.createWorkspace(workspace, { id: randomUUID(), tokenHash: randomUUID(), prefix: "abcdefgh", createdAt: 1 }, []);
        changes.push({ workspaceId: workspace.id, expectedVersion: 0, at: 2, patch: { lastHeartbeatAt: 2 }, events: [] });
      }
      batches = [];
      return changes;
    };

    it("an idle store takes a change at once; the changes that arrive while it is busy go together after it", async () => {
      const grouped = withGroupCommit(store, { maxBatch: 256, maxInFlight: 1, flushAt: 1_000 });
      const changes = await beats(5);
      const results = await Promise.all(changes.map((change) => grouped.commit(change)));
      assert.deepEqual(results, [true, true, true, true, true]);
      assert.deepEqual(batches, [[changes[0]!.workspaceId], changes.slice(1).map((c) => c.workspaceId)]);
    });

    it("once flushAt changes wait, they go without waiting for the end of the turn; the rest go at its end", async () => {
      const grouped = withGroupCommit(store, { maxBatch: 256, maxInFlight: 4, flushAt: 3 });
      const changes = await beats(5);
      const ids = changes.map((c) => c.workspaceId);
      const results = await Promise.all(changes.map((change) => grouped.commit(change)));
      assert.deepEqual(results, [true, true, true, true, true]);
      assert.deepEqual(batches, [ids.slice(0, 1), ids.slice(1, 4), ids.slice(4)]);
    });

    it("no more batches in flight than maxInFlight, even once flushAt changes wait", async () => {
      const grouped = withGroupCommit(store, { maxBatch: 256, maxInFlight: 1, flushAt: 2 });
      const changes = await beats(5);
      const ids = changes.map((c) => c.workspaceId);
      assert.deepEqual(await Promise.all(changes.map((change) => grouped.commit(change))), [true, true, true, true, true]);
      assert.deepEqual(batches, [ids.slice(0, 1), ids.slice(1)]);
    });

    it("a change that fails its batch fails alone: its neighbours are committed", async () => {
      const grouped = withGroupCommit(store, { maxBatch: 256, maxInFlight: 1, flushAt: 1_000 });
      const changes = await beats(4);
      // The status column's CHECK constraint refuses this one.
      const broken: WorkspaceChange = { ...changes[2]!, patch: { status: "bogus" as never } };
      const outcomes = await Promise.allSettled([changes[0]!, changes[1]!, broken, changes[3]!].map((change) => grouped.commit(change)));
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ["fulfilled", "fulfilled", "rejected", "fulfilled"],
      );
      for (const change of [changes[0]!, changes[1]!, changes[3]!]) assert.equal((await store.getWorkspace(change.workspaceId))?.version, 1);
      assert.equal((await store.getWorkspace(broken.workspaceId))?.version, 0);
    });
  });
}
