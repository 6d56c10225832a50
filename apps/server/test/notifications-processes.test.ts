/**
 * Notifications through real `src/main.ts` processes on one database, as deployed: a process killed with SIGKILL in the
 * middle of an attempt, two processes delivering from one outbox, and a graceful restart while deliveries are being
 * retried. What is checked is what a customer's receiver and an operator see: the webhook-ids that arrive (verified
 * by a receiver using the `standardwebhooks` package), how often and in what order, against the delivery log and
 * the event log. Nothing waits a fixed time: each step waits, with a deadline, for what it expects.
 */
import { migrate } from "@rollcall/db";
import { testDatabases, type TestDatabase } from "@rollcall/db/testing";
import { DEFAULT_NOTIFIED_TYPES, DELIVERY_LEASE_MS } from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { seriesValue } from "./api-helpers.ts";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "./harness.ts";
import { killChild, startServerProcess, stopChild, type ServerProcess } from "./processes.ts";
import { startReceiver, type Receiver } from "./receiver.ts";

/** 32 bytes: a secret the receiver and the test both know. */
const SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
/** An IP literal: registering needs no DNS. */
const CARD = { name: "agent", url: "http://93.184.216.34:8000" };
const POLL_MS = 50;
/** How long a step may wait for what it expects when no lease has to run out; generous, for a loaded 2-core machine. */
const WAIT_MS = 20_000;

const PROCESS_ENV = {
  ROLLCALL_ADMIN_TOKEN: ADMIN_TOKEN,
  // The receiver listens on loopback.
  ROLLCALL_DEV_MODE: "1",
  ROLLCALL_ALLOW_PRIVATE_URLS: "0",
  ROLLCALL_NOTIFY_POLL_MS: String(POLL_MS),
  // Storm grouping has its own tests (notifications.test.ts); a 1 ms window makes most changes a delivery of their own,
  // so that deliveries, not one storm group, race across processes. The few groups a burst still forms must keep each
  // workspace's order too.
  ROLLCALL_NOTIFY_STORM_WINDOW_SECONDS: "0.001",
  // Flap damping would hold a workspace's later changes back; what is tested here is delivery.
  ROLLCALL_FLAP_TRANSITIONS: "1000",
  // startServerProcess waits for the "listening" line, logged at info.
  ROLLCALL_LOG_LEVEL: "info",
};

async function api(base: string, path: string, init: { body?: unknown; token?: string } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: await response.json() };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`waited ${timeoutMs} ms for ${what}; last seen: ${JSON.stringify(value).slice(0, 1500)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

type Workspace = { id: string; token: string };

/** Provisioned on one process and registered (online) on another, as a runtime behind a load balancer would be. */
async function onlineWorkspace(name: string, provisionOn: string, registerOn = provisionOn): Promise<Workspace> {
  const provisioned = await api(provisionOn, "/api/workspaces", { body: { name } });
  assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
  const { id, token } = provisioned.body as { id: string; token: string };
  const registered = await api(registerOn, "/registry/register", { body: { id, url: CARD.url, agent_card: CARD }, token });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  return { id, token };
}

/** A heartbeat; an error rate of 0.9 degrades an online workspace, 0 brings it back. */
async function heartbeat(base: string, ws: Workspace, errorRate: number) {
  const response = await api(base, "/registry/heartbeat", { body: { workspace_id: ws.id, error_rate: errorRate }, token: ws.token });
  assert.equal(response.status, 200, JSON.stringify(response.body));
}

async function createEndpoint(base: string, receiver: Receiver): Promise<string> {
  const response = await api(base, "/api/notifications/endpoints", { body: { name: "ops", url: receiver.url, secret: SECRET } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.id;
}

/** The endpoint's whole delivery log, newest first, page by page. */
async function deliveryLog(base: string, endpointId: string): Promise<any[]> {
  const log: any[] = [];
  for (let before = ""; ;) {
    const page = await api(base, `/api/notifications/endpoints/${endpointId}/deliveries?limit=200${before}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    log.push(...page.body.deliveries);
    if (page.body.next_before === null) return log;
    before = `&before=${page.body.next_before}`;
  }
}

/** Per workspace, the ids of the events an endpoint with the default filter is told, oldest first. */
async function notifiedEvents(base: string, workspaces: Workspace[]): Promise<Map<string, number[]>> {
  const expected = new Map<string, number[]>();
  for (const ws of workspaces) {
    const page = await api(base, `/api/workspaces/${ws.id}/events?after=0&limit=500`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    expected.set(
      ws.id,
      page.body.events.filter((event: any) => DEFAULT_NOTIFIED_TYPES.includes(event.type)).map((event: any) => event.id as number),
    );
  }
  return expected;
}

/** Per workspace, the event ids a de-duplicating receiver acted on, in arrival order; a storm group stands for its changes. */
function receivedEvents(receiver: Receiver): Map<string, number[]> {
  const got = new Map<string, number[]>();
  for (const body of receiver.unique()) {
    for (const change of body.type === "WORKSPACES_CHANGED" ? body.data.changes : [body]) {
      got.set(change.data.workspace_id, [...(got.get(change.data.workspace_id) ?? []), change.data.event_id]);
    }
  }
  return got;
}

/**
 * Waits until the receiver has acted on every notified event of these workspaces and the log shows every delivery
 * delivered (it is settled just after the receiver's 200); returns the log.
 */
async function allDelivered(base: string, endpointId: string, receiver: Receiver, expected: Map<string, number[]>) {
  const total = [...expected.values()].reduce((sum, events) => sum + events.length, 0);
  await receiver.waitFor(() => [...receivedEvents(receiver).values()].reduce((sum, events) => sum + events.length, 0) >= total, WAIT_MS);
  return until(
    "every delivery in the log to be delivered",
    () => deliveryLog(base, endpointId),
    (log) => log.every((delivery) => delivery.state === "delivered"),
  );
}

/**
 * Nothing lost, nothing extra, in order: per workspace, the events the receiver acted on are exactly its notified
 * events, oldest first.
 */
function assertEveryEventOnceInOrder(receiver: Receiver, expected: Map<string, number[]>) {
  const got = receivedEvents(receiver);
  for (const [id, events] of expected) assert.deepEqual(got.get(id) ?? [], events, `events of ${id} as received`);
  assert.deepEqual(
    [...got.keys()].filter((id) => !expected.has(id)),
    [],
    "notifications of workspaces no change was made to",
  );
}

/** How many requests the receiver got with each webhook-id. */
function requestsById(receiver: Receiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of receiver.received) counts.set(request.id, (counts.get(request.id) ?? 0) + 1);
  return counts;
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

for (const factory of testDatabases()) {
  describe(`notifications across server processes on ${factory.provider}`, () => {
    let db: TestDatabase;
    let receiver: Receiver;
    let started: ServerProcess[];
    let replica: TestServer | undefined;

    const startProcess = async () => {
      const proc = await startServerProcess({ ...PROCESS_ENV, DATABASE_URL: db.url });
      started.push(proc);
      return proc;
    };

    beforeEach(async () => {
      db = await factory.create();
      // Migrated once before any process starts, so no two processes race to migrate it.
      await migrate(db.url);
      receiver = await startReceiver(SECRET);
      started = [];
      replica = undefined;
    });

    afterEach(async () => {
      await Promise.all(started.map(({ child }) => stopChild(child)));
      await replica?.close();
      await receiver.close();
      await db.drop();
    });

    it("SIGKILL mid-attempt: the next process resends it with the same webhook-id once its lease is over; nothing lost", { timeout: 150_000 }, async () => {
      const first = await startProcess();
      // A second server on the database (in this test's process), taking runtime calls while the first is dead. Its
      // notifier looks at the outbox once, at start (before there is anything to send), and then only every hour: what
      // is written through it stays unfanned until a new process starts.
      replica = await startTestServer(db, { ROLLCALL_DEV_MODE: "1", ROLLCALL_NOTIFY_POLL_MS: "3600000" });
      const endpointId = await createEndpoint(first.url, receiver);
      // The in-flight workspace's provisioning notice is not answered the first time: the attempt is still open when the
      // process dies.
      receiver.behave(({ count, body }) => {
        const { type, data } = JSON.parse(body);
        return count === 0 && type === "WORKSPACE_PROVISIONING" && data.workspace_name === "in-flight" ? "hang" : 200;
      });

      // Delivered before the kill.
      const early: Workspace[] = [];
      for (let i = 0; i < 3; i++) early.push(await onlineWorkspace(`early-${i}`, first.url));
      await allDelivered(first.url, endpointId, receiver, await notifiedEvents(first.url, early));

      // In flight at the kill (its provisioning notice) and fanned out but waiting behind it in its lane (its online).
      const inFlight = await onlineWorkspace("in-flight", first.url);
      await receiver.waitFor(() => receiver.received.some((request) => request.answeredWith === "hang"));
      const hung = receiver.received.find((request) => request.answeredWith === "hang")!;
      const before = await until(
        "the in-flight workspace's online notice to be fanned out",
        () => deliveryLog(first.url, endpointId),
        (log) => log.some((delivery) => delivery.type === "WORKSPACE_ONLINE" && delivery.state === "pending"),
      );
      const open = before.filter((delivery) => delivery.state !== "delivered");
      assert.deepEqual(
        open.map((delivery) => [delivery.type, delivery.attempts]),
        [
          ["WORKSPACE_ONLINE", 0],
          ["WORKSPACE_PROVISIONING", 0],
        ],
        "precondition: one attempt open, one delivery waiting behind it",
      );
      assert.equal(open[1].event_id, hung.id);

      const beforeKill = new Set([...(await notifiedEvents(first.url, [...early, inFlight])).values()].flat());
      await killChild(first.child);
      const killedAt = Date.now();

      // Written while no process delivers: fanned out only by the next one.
      for (const ws of early) await heartbeat(replica.url, ws, 0.9);
      const late = await onlineWorkspace("late", replica.url);
      const workspaces = [...early, inFlight, late];
      const expected = await notifiedEvents(replica.url, workspaces);

      const second = await startProcess();
      await receiver.waitFor(() => receiver.received.filter((request) => request.id === hung.id).length === 2, 60_000);
      const log = await allDelivered(second.url, endpointId, receiver, expected);

      // The open attempt is made again, with the same webhook-id, and verifies; not before its lease ran out (a new
      // process must never take a delivery a live process may still be sending).
      const retried = receiver.received.filter((request) => request.id === hung.id);
      assert.deepEqual(
        retried.map((request) => request.answeredWith),
        ["hang", 200],
      );
      assert.ok(retried.every((request) => request.verified !== null && request.verified.data.workspace_id === inFlight.id));
      assert.ok(retried[1]!.at - retried[0]!.at >= DELIVERY_LEASE_MS - 1_000, `retried ${retried[1]!.at - retried[0]!.at} ms after the hung attempt`);
      // The killed attempt left no record; the log shows the one that succeeded.
      const reattempted = log.find((delivery) => delivery.event_id === hung.id);
      assert.deepEqual(
        reattempted.attempt_log.map((attempt: any) => [attempt.attempt, attempt.status_code]),
        [[1, 200]],
      );

      // The receiver got exactly the log's deliveries, all delivered, each once but the one open at the kill.
      assert.ok(
        receiver.received.every((request) => request.verified !== null),
        "every request verifies",
      );
      assert.deepEqual(sorted(requestsById(receiver).keys()), sorted(log.map((delivery) => delivery.event_id)));
      for (const [id, count] of requestsById(receiver)) assert.equal(count, id === hung.id ? 2 : 1, `requests with webhook-id ${id}`);
      assert.ok(
        log.every((delivery) => delivery.state === "delivered"),
        JSON.stringify(log),
      );
      assertEveryEventOnceInOrder(receiver, expected);
      // The changes made while no process delivered were fanned out after the kill, by the new process.
      const lateEvents = new Set([...expected.values()].flat().filter((id) => !beforeKill.has(id)));
      assert.equal(lateEvents.size, early.length + expected.get(late.id)!.length);
      const lateIds = new Set(receiver.received.filter((request) => lateEvents.has(request.verified.data.event_id)).map((request) => request.id));
      assert.equal(lateIds.size, lateEvents.size, "each late change has a delivery of its own");
      for (const delivery of log.filter((d) => lateIds.has(d.event_id))) {
        assert.ok(Date.parse(delivery.created_at) > killedAt, `${delivery.event_id} was fanned out before the kill`);
      }
    });

    it("two processes on one outbox: every delivery sent exactly once, each workspace's notifications in event order", { timeout: 120_000 }, async () => {
      const [a, b] = await Promise.all([startProcess(), startProcess()]);
      const endpointId = await createEndpoint(a.url, receiver);

      // 40 workspaces at once, each provisioned, registered and then degraded, recovered and degraded again, its
      // calls spread over both processes: 200 notifications in a burst.
      const workspaces = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const [one, other] = i % 2 === 0 ? [a, b] : [b, a];
          const ws = await onlineWorkspace(`burst-${i}`, one.url, other.url);
          for (const [k, errorRate] of [0.9, 0, 0.9].entries()) await heartbeat((k % 2 === 0 ? one : other).url, ws, errorRate);
          return ws;
        }),
      );
      const expected = await notifiedEvents(a.url, workspaces);
      for (const [id, events] of expected) assert.equal(events.length, 5, `notified events of ${id}`);
      const log = await allDelivered(a.url, endpointId, receiver, expected);

      assert.ok(
        receiver.received.every((request) => request.verified !== null),
        "every request verifies",
      );
      assert.deepEqual(sorted(requestsById(receiver).keys()), sorted(log.map((delivery) => delivery.event_id)));
      // No delivery was ever sent twice: two processes never had the same one in flight.
      for (const [id, count] of requestsById(receiver)) assert.equal(count, 1, `requests with webhook-id ${id}`);
      for (const delivery of log) {
        assert.deepEqual(
          delivery.attempt_log.map((attempt: any) => [attempt.attempt, attempt.status_code]),
          [[1, 200]],
          `attempts of ${delivery.event_id}`,
        );
      }
      assertEveryEventOnceInOrder(receiver, expected);

      // The processes' own counts agree: each delivery was delivered by one of them, once. How they split the work is not
      // asserted: on 2 cores one process often takes every lane's head and the next change in each lane as soon as an
      // attempt ends, so the other delivers nothing (0 of about 150 in 4 of 20 runs, on SQLite and PostgreSQL alike).
      const delivered = await Promise.all(
        [a, b].map(async ({ url }) => seriesValue(await (await fetch(`${url}/metrics`)).text(), 'rollcall_notification_deliveries_total{outcome="delivered"}')),
      );
      assert.equal(delivered[0]! + delivered[1]!, log.length, `delivered per process: ${delivered.join(", ")}`);
    });

    it("a graceful restart (SIGTERM) while retrying: the attempt in flight is recorded, retries go on; nothing lost", { timeout: 120_000 }, async () => {
      const first = await startProcess();
      const endpointId = await createEndpoint(first.url, receiver);
      // Every provisioning notice fails twice before it is taken; retry-0's second attempt is never answered, so it is in
      // flight when the process is told to stop. The online notices wait behind them, in their workspaces' lanes.
      receiver.behave(({ count, body }) => {
        const { type, data } = JSON.parse(body);
        if (type !== "WORKSPACE_PROVISIONING" || count >= 2) return 200;
        return count === 1 && data.workspace_name === "retry-0" ? "hang" : 503;
      });
      const workspaces: Workspace[] = [];
      for (let i = 0; i < 4; i++) workspaces.push(await onlineWorkspace(`retry-${i}`, first.url));
      const provisioningIds = () =>
        new Set(receiver.received.filter((request) => request.verified?.type === "WORKSPACE_PROVISIONING").map((request) => request.id));
      await receiver.waitFor(() => provisioningIds().size === 4 && [...provisioningIds()].every((id) => (requestsById(receiver).get(id) ?? 0) >= 2));
      const hung = receiver.received.find((request) => request.answeredWith === "hang")!;

      const before = await deliveryLog(first.url, endpointId);
      assert.deepEqual(
        before.map((delivery) => [delivery.type, delivery.state, delivery.event_id === hung.id ? "in flight" : delivery.attempts]).sort(),
        [
          ...Array.from({ length: 4 }, () => ["WORKSPACE_ONLINE", "pending", 0]),
          ...Array.from({ length: 3 }, () => ["WORKSPACE_PROVISIONING", "pending", 2]),
          ["WORKSPACE_PROVISIONING", "pending", "in flight"],
        ].sort(),
        "precondition: every provisioning notice retrying, one attempt in flight, the online notices waiting",
      );
      assert.equal(before.find((delivery) => delivery.event_id === hung.id).attempts, 1);

      const stopping = Date.now();
      assert.equal(await stopChild(first.child), 0, "the process stops cleanly");
      const stopped = Date.now();
      const second = await startProcess();
      const expected = await notifiedEvents(second.url, workspaces);
      const log = await allDelivered(second.url, endpointId, receiver, expected);

      // The attempt in flight at SIGTERM ran to its timeout and was recorded, so its delivery was free to retry at once:
      // its next attempt came on its retry schedule, well before a lease left behind would have run out.
      const retried = log.find((delivery) => delivery.event_id === hung.id);
      assert.deepEqual(
        retried.attempt_log.map((attempt: any) => [attempt.attempt, attempt.status_code]),
        [
          [1, 503],
          [2, null],
          [3, 200],
        ],
      );
      assert.match(retried.attempt_log[1].error, /timed out/);
      const third = receiver.received.filter((request) => request.id === hung.id)[2]!;
      assert.ok(third.at - stopping < DELIVERY_LEASE_MS, `retried ${third.at - stopping} ms after SIGTERM`);

      // Every attempt the receiver saw is in the log once, numbered in order, and the retries were made by the new process.
      for (const delivery of log) {
        const requests = receiver.received.filter((request) => request.id === delivery.event_id);
        assert.deepEqual(
          delivery.attempt_log.map((attempt: any) => attempt.attempt),
          requests.map((_, k) => k + 1),
          `attempts of ${delivery.event_id}`,
        );
        assert.equal(delivery.attempt_log.at(-1).status_code, 200);
        if (delivery.type === "WORKSPACE_PROVISIONING") assert.ok(requests.at(-1)!.at > stopped, `${delivery.event_id} was delivered before the restart`);
      }
      assert.ok(
        receiver.received.every((request) => request.verified !== null),
        "every request verifies",
      );
      assert.deepEqual(sorted(requestsById(receiver).keys()), sorted(log.map((delivery) => delivery.event_id)));
      assertEveryEventOnceInOrder(receiver, expected);
    });
  });
}
