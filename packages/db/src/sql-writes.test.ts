import { newWorkspaceRecord, RegistryError, type WorkspaceChange, type WorkspaceRecord } from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openDatabase } from "./database.ts";
import { migrate } from "./migrate.ts";
import { createPrismaStore } from "./prisma-store.ts";
import { takeCommitGroup, type WriterMessage } from "./sqlite-writer-thread.ts";
import { testDatabases, type TestDatabase } from "./testing.ts";

const SLOT_MS = 15_000;

const workspace = (now: number): WorkspaceRecord => newWorkspaceRecord(randomUUID(), "w", now);

const token = () => ({ id: randomUUID(), tokenHash: randomUUID(), prefix: "abcdefgh", createdAt: 1 });

// On SQLite the same writes run on the request thread (the console) or on the store's writer thread (the server).
const placements = testDatabases().flatMap((factory) =>
  factory.provider === "sqlite"
    ? [
        { factory, writerThread: false },
        { factory, writerThread: true },
      ]
    : [{ factory, writerThread: false }],
);

for (const { factory, writerThread } of placements) {
  describe(`batched SQL writes on ${factory.provider}${writerThread ? ", on the writer thread" : ""}`, () => {
    let db: TestDatabase;
    let store: ReturnType<typeof createPrismaStore>;
    before(async () => {
      db = await factory.create();
      await migrate(db.url);
      store = createPrismaStore(await openDatabase(db.url), { sampleSlotMs: SLOT_MS, writerThread });
    });
    after(async () => {
      await store.close();
      await db.drop();
    });

    it("one batch commits the changes whose version matched, and only their samples and events", async () => {
      const [a, b] = [workspace(1), workspace(1)];
      await store.createWorkspace(a, token(), []);
      await store.createWorkspace(b, token(), []);
      const change = (w: WorkspaceRecord, expectedVersion: number, errorRate: number): WorkspaceChange => ({
        workspaceId: w.id,
        expectedVersion,
        at: 1_000,
        patch: { status: "online", statusReasons: ["wedged"], lastErrorRate: errorRate, statusManaged: true, agentCard: { name: "x", n: [1, 2] } },
        events: [{ type: "WORKSPACE_ONLINE", workspaceId: w.id, actor: "runtime", at: 1_000, payload: { from: "provisioning", to: "online", reasons: [] } }],
        sample: { at: 1_000, errorRate, activeTasks: 2, status: "online" },
      });
      const results = await store.commitMany([change(a, 0, 0.25), change(b, 7, 0.5)]);
      assert.deepEqual(results, [true, false]);
      const rowA = await store.getWorkspace(a.id);
      assert.equal(rowA?.version, 1);
      assert.equal(rowA?.lastErrorRate, 0.25);
      assert.equal(rowA?.statusManaged, true);
      assert.deepEqual(rowA?.statusReasons, ["wedged"]);
      assert.deepEqual(rowA?.agentCard, { name: "x", n: [1, 2] });
      assert.equal((await store.getWorkspace(b.id))?.version, 0, "the stale change wrote nothing");
      assert.equal((await store.listSamples(a.id, 0)).length, 1);
      assert.equal((await store.listSamples(b.id, 0)).length, 0);
      assert.deepEqual((await store.listEvents({ workspaceId: b.id, limit: 10 })).length, 0);
      assert.deepEqual(
        (await store.listEvents({ workspaceId: a.id, limit: 10 })).map((e) => e.type),
        ["WORKSPACE_ONLINE"],
      );
    });

    it("two changes of one workspace in a batch: the first commits, the second reports a lost race", async () => {
      const w = workspace(1);
      await store.createWorkspace(w, token(), []);
      const beat = (errorRate: number): WorkspaceChange => ({ workspaceId: w.id, expectedVersion: 0, at: 5, patch: { lastErrorRate: errorRate }, events: [] });
      assert.deepEqual(await store.commitMany([beat(0.1), beat(0.2)]), [true, false]);
      assert.equal((await store.getWorkspace(w.id))?.lastErrorRate, 0.1);
    });

    it("the timeline keeps the newest sample per slot, reads one workspace from a time on, and prunes whole slots", async (t) => {
      // A database of its own: the prune counts every workspace's samples.
      const own = await factory.create();
      await migrate(own.url);
      const store = createPrismaStore(await openDatabase(own.url), { sampleSlotMs: SLOT_MS, writerThread });
      t.after(async () => {
        await store.close();
        await own.drop();
      });
      const [w, other] = [workspace(1), workspace(1)];
      await store.createWorkspace(w, token(), []);
      await store.createWorkspace(other, token(), []);
      // Two beats per slot for 6 slots; the other workspace beats alongside with its own task counts.
      for (let i = 0; i < 12; i++) {
        const at = (i * SLOT_MS) / 2;
        const beat = (id: string, tasks: number): WorkspaceChange => ({
          workspaceId: id,
          expectedVersion: i,
          at,
          patch: { lastHeartbeatAt: at },
          events: [],
          sample: { at, errorRate: 0, activeTasks: tasks, status: "online" },
        });
        assert.deepEqual(await store.commitMany([beat(w.id, i), beat(other.id, 100 + i)]), [true, true]);
      }
      const tasks = async (id: string, since: number) => (await store.listSamples(id, since)).map((s) => s.activeTasks);
      assert.deepEqual(await tasks(w.id, 0), [1, 3, 5, 7, 9, 11]);
      assert.deepEqual(await tasks(other.id, 0), [101, 103, 105, 107, 109, 111]);
      assert.deepEqual(await tasks(w.id, 3 * SLOT_MS), [7, 9, 11]);
      assert.deepEqual(await tasks(w.id, 3.75 * SLOT_MS), [9, 11], "a sample older than `since` in its slot is left out");
      assert.equal(await store.pruneSamples(2.5 * SLOT_MS), 4, "slots 0 and 1 ended before the cutoff, for both workspaces");
      assert.deepEqual(await tasks(w.id, 0), [5, 7, 9, 11]);
    });

    it("creating a workspace whose id exists is a conflict, not an internal error", async () => {
      const w = workspace(1);
      await store.createWorkspace(w, token(), []);
      await assert.rejects(store.createWorkspace(w, token(), []), (error: unknown) => error instanceof RegistryError && error.reason === "conflict");
    });
  });
}

describe("the SQLite writer thread", () => {
  it("refuses writes with the reason when it cannot open the database, and the store still closes", async () => {
    const database = await openDatabase(`file:${join(mkdtempSync(join(tmpdir(), "rollcall-writer-")), "rollcall.db")}`);
    rmSync(dirname(database.url.slice("file:".length)), { recursive: true });
    const store = createPrismaStore(database, { sampleSlotMs: SLOT_MS, writerThread: true });
    await assert.rejects(store.createWorkspace(workspace(1), token(), []), /directory does not exist/);
    await assert.rejects(store.pruneSamples(0), /directory does not exist/);
    await store.close();
  });

  it("groups the commits waiting in order, up to the size bound, and stops at any other call", () => {
    const commit = (id: number, changes: number): WriterMessage => ({
      id,
      method: "commitMany",
      args: [Array.from({ length: changes }, (_, i) => ({ workspaceId: `w${i}`, expectedVersion: 0, at: 1, patch: {}, events: [] }))],
    });
    const queue =
      (...messages: WriterMessage[]) =>
      () =>
        messages.shift();
    const ids = ({ commits, next }: ReturnType<typeof takeCommitGroup>) => ({ commits: commits.map((c) => c.id), next: next?.id });
    const ping: WriterMessage = { id: 9, method: "ping", args: [] };
    const waiting = [commit(2, 3), ping, commit(3, 1)];
    const receive = queue(...waiting);
    assert.deepEqual(ids(takeCommitGroup(commit(1, 2), receive, 100)), { commits: [1, 2], next: 9 });
    assert.equal(receive()?.id, 3, "the commit after the ping stays waiting for the next group");
    assert.deepEqual(
      ids(takeCommitGroup(commit(1, 2), queue(commit(2, 3), commit(3, 1)), 5)),
      { commits: [1, 2], next: 3 },
      "no room: the next group takes it",
    );
    assert.deepEqual(ids(takeCommitGroup(commit(1, 7), queue(commit(2, 1)), 5)), { commits: [1], next: 2 }, "a commit larger than the bound goes alone");
    assert.deepEqual(ids(takeCommitGroup(ping, queue(commit(2, 1)), 5)), { commits: [], next: 9 });
    assert.deepEqual(ids(takeCommitGroup(commit(1, 1), queue(), 5)), { commits: [1], next: undefined });
  });

  it("commits posted while it writes are answered each with its own results, and a failing one fails alone", async () => {
    const db = await testDatabases()
      .find((factory) => factory.provider === "sqlite")!
      .create();
    await migrate(db.url);
    const store = createPrismaStore(await openDatabase(db.url), { sampleSlotMs: SLOT_MS, writerThread: true });
    const [a, b, c] = [workspace(1), workspace(1), workspace(1)];
    for (const w of [a, b, c]) await store.createWorkspace(w, token(), []);
    const beat = (w: WorkspaceRecord, patch: WorkspaceChange["patch"] = { lastErrorRate: 0.5 }): WorkspaceChange => ({
      workspaceId: w.id,
      expectedVersion: 0,
      at: 5,
      patch,
      events: [],
    });
    // Posted in one turn, so the thread finds them waiting together and writes them in one transaction; the
    // status column's CHECK constraint refuses the last one, which must not take the others down with it.
    const outcomes = await Promise.allSettled([
      store.commitMany([beat(a)]),
      store.commitMany([beat(b), beat(a)]),
      store.commitMany([beat(c, { status: "bogus" as never })]),
    ]);
    assert.deepEqual(outcomes.slice(0, 2), [
      { status: "fulfilled", value: [true] },
      { status: "fulfilled", value: [true, false] },
    ]);
    assert.equal(outcomes[2].status, "rejected");
    assert.deepEqual(await Promise.all([a, b, c].map(async (w) => (await store.getWorkspace(w.id))?.version)), [1, 1, 0]);
    await store.close();
    await db.drop();
  });

  it("answers the writes posted before close, then refuses new ones", async () => {
    const db = await testDatabases()
      .find((factory) => factory.provider === "sqlite")!
      .create();
    await migrate(db.url);
    const store = createPrismaStore(await openDatabase(db.url), { sampleSlotMs: SLOT_MS, writerThread: true });
    const w = workspace(1);
    await store.ping();
    const created = store.createWorkspace(w, token(), []);
    const closed = store.close();
    await created;
    await closed;
    await assert.rejects(store.commitMany([{ workspaceId: w.id, expectedVersion: 0, at: 2, patch: {}, events: [] }]), /closed/);
    await assert.rejects(store.ping(), /closed/, "readiness says so once the writer is gone");
    const reopened = createPrismaStore(await openDatabase(db.url), { sampleSlotMs: SLOT_MS });
    assert.equal((await reopened.getWorkspace(w.id))?.id, w.id, "the write posted before close committed");
    await reopened.close();
    await db.drop();
  });
});
