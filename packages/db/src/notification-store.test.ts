import type { EndpointRecord, NewDelivery, NotificationStore } from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { openDatabase, type Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { createNotificationStore } from "./notification-store.ts";
import { testDatabases, type TestDatabase } from "./testing.ts";

const NOW = 1_000_000;
const LEASE = NOW + 30_000;

function endpoint(id: string, enabled = true): EndpointRecord {
  return {
    id,
    name: id,
    url: "https://93.184.216.34/hook",
    secret: "whsec_x",
    format: "webhook",
    filter: {},
    enabled,
    createdBy: "t",
    createdAt: 0,
    updatedAt: 0,
  };
}

function delivery(id: string, lane: string, endpointId = "nep_a", overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    id,
    endpointId,
    lane,
    type: "WORKSPACE_ONLINE",
    body: "{}",
    state: "pending",
    createdAt: NOW,
    nextAttemptAt: NOW,
    giveUpAt: NOW + 86_400_000,
    ...overrides,
  };
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

for (const factory of testDatabases()) {
  describe(`the notification outbox on ${factory.provider}`, () => {
    let db: TestDatabase;
    let database: Database;
    let store: NotificationStore;
    before(async () => {
      db = await factory.create();
      await migrate(db.url);
      database = await openDatabase(db.url);
      store = createNotificationStore(database.sql);
    });
    after(async () => {
      await database.close();
      await db.drop();
    });
    beforeEach(async () => {
      for (const { id } of await store.listEndpoints()) await store.deleteEndpoint(id, []);
      await store.createEndpoint(endpoint("nep_a"), []);
      await store.createEndpoint(endpoint("nep_b"), []);
    });

    const claim = (owner: string, limit = 10, now = NOW) => store.claimDue({ now, owner, leaseUntil: now + 30_000, limit });
    const settle = async (seq: number, owner: string, state: "delivered" | "pending" | "failed", nextAttemptAt = NOW) => {
      const attempt = { deliverySeq: seq, endpointId: "nep_a", attempt: 1, at: NOW, statusCode: 200, latencyMs: 1, error: null };
      const [settled] = await store.settleAttempts([{ seq, owner, state, nextAttemptAt, attempt }]);
      return settled;
    };

    it("leases each due delivery to one claimer only, oldest first, one per lane at a time", async () => {
      for (const d of [delivery("m1", "w1"), delivery("m2", "w1"), delivery("m3", "w2"), delivery("m4", "w3", "nep_b")]) await store.enqueue(d);
      const first = await claim("p1");
      assert.deepEqual(ids(first), ["m1", "m3", "m4"], "m2 waits behind m1 in its lane");
      assert.deepEqual(await claim("p2"), [], "nothing is claimed twice while leased");
      assert.equal(await settle(first[0]!.seq, "p1", "delivered"), true);
      assert.deepEqual(ids(await claim("p2")), ["m2"]);
    });

    it("keeps a lane waiting while its head is retrying, and lets other endpoints and lanes go", async () => {
      for (const d of [delivery("m1", "w1"), delivery("m2", "w1"), delivery("m3", "w2")]) await store.enqueue(d);
      const [head] = await claim("p1", 1);
      await settle(head!.seq, "p1", "pending", NOW + 5_000);
      assert.deepEqual(ids(await claim("p1")), ["m3"]);
      assert.deepEqual(ids(await claim("p1", 10, NOW + 5_000)), ["m1"]);
    });

    it("orders a storm group against every lane: it waits for all before it, and all after it wait for it", async () => {
      await store.enqueue(delivery("m1", "w1"));
      await store.enqueue(delivery("g1", "*"));
      await store.enqueue(delivery("m2", "w2"));
      assert.deepEqual(ids(await claim("p1")), ["m1"]);
      const settledFirst = (await store.listDeliveries("nep_a", { limit: 10 })).find((d) => d.id === "m1")!;
      await settle(settledFirst.seq, "p1", "delivered");
      const [group] = await claim("p1");
      assert.equal(group!.id, "g1");
      await settle(group!.seq, "p1", "delivered");
      assert.deepEqual(ids(await claim("p1")), ["m2"]);
    });

    it("holds a gathering group and everything after it on its endpoint, and skips disabled endpoints", async () => {
      await store.enqueue(delivery("g1", "*", "nep_a", { state: "gathering" }));
      await store.enqueue(delivery("m1", "w1"));
      await store.enqueue(delivery("m2", "w1", "nep_b"));
      await store.updateEndpoint(endpoint("nep_b", false), []);
      assert.deepEqual(await claim("p1"), []);
    });

    it("takes over a lease that ran out; the old holder's settle changes nothing but its attempt is logged", async () => {
      const seq = await store.enqueue(delivery("m1", "w1"));
      await claim("crashed");
      const [taken] = await claim("p2", 10, LEASE + 1);
      assert.equal(taken!.id, "m1");
      assert.equal(await settle(seq, "crashed", "delivered"), false);
      assert.equal(await settle(seq, "p2", "delivered"), true);
      const [logged] = await store.listDeliveries("nep_a", { limit: 1 });
      assert.equal(logged!.state, "delivered");
      assert.equal(logged!.attemptLog.length, 2);
    });

    it("deleting an endpoint takes its deliveries and log; a settle in flight for it is dropped quietly", async () => {
      const seq = await store.enqueue(delivery("m1", "w1"));
      await claim("p1");
      await store.deleteEndpoint("nep_a", []);
      assert.equal(await settle(seq, "p1", "delivered"), false);
      assert.deepEqual(await store.listDeliveries("nep_a", { limit: 10 }), []);
    });

    it("settles a batch in one transaction, each outcome on its own lease", async () => {
      const first = await store.enqueue(delivery("m1", "w1"));
      const second = await store.enqueue(delivery("m2", "w2"));
      await claim("p1");
      const attempt = (seq: number) => ({ deliverySeq: seq, endpointId: "nep_a", attempt: 1, at: NOW, statusCode: 500, latencyMs: 1, error: "HTTP 500" });
      const settled = await store.settleAttempts([
        { seq: first, owner: "p1", state: "pending", nextAttemptAt: NOW + 2_000, attempt: attempt(first) },
        { seq: second, owner: "someone else", state: "delivered", nextAttemptAt: NOW, attempt: attempt(second) },
      ]);
      assert.deepEqual(settled, [true, false]);
      const log = await store.listDeliveries("nep_a", { limit: 10 });
      assert.deepEqual(
        log.map((d) => [d.id, d.state, d.attempts, d.attemptLog.length]),
        [
          ["m2", "pending", 0, 1],
          ["m1", "pending", 1, 1],
        ],
      );
    });

    it("prunes settled deliveries older than the cutoff, never undelivered ones; counts the queue", async () => {
      const old = await store.enqueue(delivery("m1", "w1"));
      await store.enqueue(delivery("m2", "w2"));
      await claim("p1");
      await settle(old, "p1", "delivered");
      assert.deepEqual(await store.queueStats(), { depth: 1, oldestCreatedAt: NOW });
      assert.equal(await store.pruneSettled(NOW), 0);
      assert.equal(await store.pruneSettled(NOW + 10), 1);
      assert.deepEqual(ids(await store.listDeliveries("nep_a", { limit: 10 })), ["m2"]);
    });
  });
}
