/**
 * Notifications through the real server and a real receiver on loopback that verifies every signature with the
 * `standardwebhooks` package: endpoints and their refusals, delivery from the event table, retries against 500s,
 * timeouts and refused connections, order per workspace, storm grouping, the flap and maintenance holds, the
 * delivery log, test sends and redeliveries, and the address an attempt connects to.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { createAccountStore, openDatabase } from "@rollcall/db";
import { createOperator, signIn, sweep } from "@rollcall/registry-core";
import { randomUUID } from "node:crypto";
import { assertError, seriesValue } from "./api-helpers.ts";
import { heartbeat, OFFLINE_AFTER_PLUS_1S, onlineWorkspace } from "./fixtures.ts";
import { FAKE_DNS, startTestServer, testDatabases, type TestServer } from "./harness.ts";
import { startReceiver, type Receiver } from "./receiver.ts";

/** 32 bytes: a secret the receiver and the test both know. */
const SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const STATUS_TYPES = ["WORKSPACE_ONLINE", "WORKSPACE_DEGRADED", "WORKSPACE_OFFLINE", "WORKSPACE_REASONS_CHANGED"];

async function createEndpoint(server: TestServer, body: Record<string, unknown>) {
  const response = await server.admin("/api/notifications/endpoints", { body: { name: "ops", secret: SECRET, ...body } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as { id: string; secret: string };
}

async function deliveries(server: TestServer, endpointId: string): Promise<any[]> {
  const response = await server.admin(`/api/notifications/endpoints/${endpointId}/deliveries?limit=200`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.deliveries;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

for (const factory of testDatabases()) {
  describe(`notifications on ${factory.provider}`, () => {
    let server: TestServer;
    let receiver: Receiver;
    before(async () => {
      server = await startTestServer(factory, { ROLLCALL_DEV_MODE: "1", ROLLCALL_NOTIFY_POLL_MS: "50" });
    });
    after(async () => {
      await server?.stop();
    });
    beforeEach(async () => {
      receiver = await startReceiver(SECRET, { now: server.clock.now });
      // Endpoints of earlier tests would hear this test's workspaces: each test starts with none.
      for (const endpoint of (await server.admin("/api/notifications/endpoints")).body.endpoints) {
        await server.admin(`/api/notifications/endpoints/${endpoint.id}`, { method: "DELETE" });
      }
    });
    afterEach(async () => {
      await receiver.close();
    });

    it("creates an endpoint: 201 with its id and secret, which no read shows again; a generated secret has the whsec_ form", async () => {
      const given = await createEndpoint(server, { url: receiver.url });
      assert.match(given.id, /^nep_/);
      assert.equal(given.secret, SECRET);
      const generated = await server.admin("/api/notifications/endpoints", { body: { name: "generated", url: receiver.url } });
      assert.equal(generated.status, 201);
      assert.match(generated.body.secret, /^whsec_[A-Za-z0-9+/]+={0,2}$/);
      assert.equal(Buffer.from(generated.body.secret.slice(6), "base64").length, 32);
      const list = await server.admin("/api/notifications/endpoints");
      assert.equal(list.body.endpoints.length, 2);
      for (const endpoint of list.body.endpoints) assert.equal("secret" in endpoint, false);
      const one = await server.admin(`/api/notifications/endpoints/${given.id}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.url, receiver.url);
      assert.equal("secret" in one.body, false);
      // tRPC mirrors REST.
      const trpc = await server.admin(`/trpc/notifications.list`);
      assert.equal(trpc.body.result.data.endpoints.length, 2);
    });

    it("a viewer reads endpoints and their logs, and may change, test or redeliver nothing", async () => {
      const { id } = await createEndpoint(server, { url: receiver.url });
      const database = await openDatabase(server.db.url);
      let viewer: string;
      try {
        const accounts = { accounts: createAccountStore(database), clock: server.clock.now, newId: randomUUID };
        await createOperator(accounts, { name: `viewer-${factory.provider}`, role: "viewer", password: "a long enough password" }, "test");
        viewer = (await signIn(accounts, { name: `viewer-${factory.provider}`, password: "a long enough password" })).token;
      } finally {
        await database.close();
      }
      const as = (path: string, method: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${viewer}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }).then(async (response) => ({ status: response.status, body: await response.json() }));
      assert.equal((await as("/api/notifications/endpoints", "GET")).status, 200);
      assert.equal((await as(`/api/notifications/endpoints/${id}/deliveries`, "GET")).status, 200);
      for (const [path, method] of [
        ["/api/notifications/endpoints", "POST"],
        [`/api/notifications/endpoints/${id}`, "POST"],
        [`/api/notifications/endpoints/${id}`, "DELETE"],
        [`/api/notifications/endpoints/${id}/test`, "POST"],
        [`/api/notifications/endpoints/${id}/deliveries/msg_x/redeliver`, "POST"],
      ] as const) {
        assertError(await as(path, method, method === "POST" ? { name: "x", url: receiver.url } : undefined), 403, "forbidden");
      }
      assert.equal(receiver.received.length, 0);
      assert.equal((await server.admin(`/api/notifications/endpoints/${id}`)).body.name, "ops");
    });

    it("records every change to an endpoint in the event log, with the operator and never the secret", async () => {
      const created = await createEndpoint(server, { url: receiver.url });
      const path = `/api/notifications/endpoints/${created.id}`;
      assert.equal((await server.admin(path, { body: { enabled: false, filter: { types: ["WORKSPACE_OFFLINE"] } } })).body.enabled, false);
      assert.equal((await server.admin(path, { method: "DELETE" })).status, 200);
      assertError(await server.admin(path, { method: "DELETE" }), 404, "unknown_endpoint");
      const { events } = (await server.admin("/api/events?type=NOTIFICATION_ENDPOINT_CHANGED&limit=500")).body;
      const mine = events.filter((event: any) => event.payload.endpoint_id === created.id).reverse();
      assert.deepEqual(
        mine.map((event: any) => [event.payload.change, event.actor, event.payload.enabled]),
        [
          ["created", "operator:admin", true],
          ["updated", "operator:admin", false],
          ["deleted", "operator:admin", false],
        ],
      );
      assert.deepEqual(mine[1].payload.filter, { types: ["WORKSPACE_OFFLINE"] });
      assert.ok(!JSON.stringify(events).includes(SECRET));
    });

    it("refuses a bad URL, secret or filter with a 400 and its reason, and saves nothing", async () => {
      const eventsBefore = (await server.admin("/api/events?limit=1")).body.events[0]?.id;
      const tooShort = `whsec_${Buffer.alloc(16, 1).toString("base64")}`;
      const tooLong = `whsec_${Buffer.alloc(65, 1).toString("base64")}`;
      const cases: [Record<string, unknown>, string][] = [
        [{ url: "http://10.0.0.5/hook" }, "url_validate_failed"],
        [{ url: "http://internal.example.com/hook" }, "url_validate_failed"],
        [{ url: "http://169.254.169.254/latest" }, "url_validate_failed"],
        [{ url: "http://212851b5693d:8000/hook" }, "url_validate_failed"],
        [{ url: "file:///etc/passwd" }, "url_validate_failed"],
        [{ url: "http://user@127.0.0.1/hook" }, "url_validate_failed"],
        [{ url: receiver.url, secret: "not-a-secret" }, "invalid_secret"],
        [{ url: receiver.url, secret: SECRET.slice(6) }, "invalid_secret"],
        [{ url: receiver.url, secret: tooShort }, "invalid_secret"],
        [{ url: receiver.url, secret: tooLong }, "invalid_secret"],
        [{ url: receiver.url, secret: `${SECRET}!` }, "invalid_secret"],
        [{ url: receiver.url, secret: `whsec_${Buffer.alloc(32, 7).toString("base64url")}_` }, "invalid_secret"],
        [{ url: receiver.url, secret: ` ${SECRET}` }, "invalid_secret"],
        [{ url: receiver.url, secret: 12345 }, "invalid_body"],
        [{ url: receiver.url, filter: { type: ["WORKSPACE_OFFLINE"] } }, "unknown_filter_key"],
        [{ url: receiver.url, filter: { types: ["WORKSPACE_OFFLINE"], severity: "high" } }, "unknown_filter_key"],
        [{ url: receiver.url, filter: { types: ["NO_SUCH_EVENT"] } }, "invalid_body"],
        [{ url: receiver.url, format: "teams" }, "invalid_body"],
      ];
      for (const [body, reason] of cases) {
        const response = await server.admin("/api/notifications/endpoints", { body: { name: "bad", secret: SECRET, ...body } });
        assertError(response, 400, reason);
      }
      assert.deepEqual((await server.admin("/api/notifications/endpoints")).body.endpoints, []);
      assert.equal((await server.admin("/api/events?limit=1")).body.events[0]?.id, eventsBefore, "no event either");
      assertError(await server.admin("/api/notifications/endpoints/nep_nothing"), 404, "unknown_endpoint");
      assertError(await server.admin("/api/notifications/endpoints/not-an-id"), 400, "invalid_body");
    });

    it("a status change reaches the endpoint within 5 s, signed to the Standard Webhooks spec, as {type, timestamp, data}", async () => {
      const { id: endpointId } = await createEndpoint(server, { url: receiver.url });
      const started = Date.now();
      const { id } = await onlineWorkspace(server, "ws-signed");
      await receiver.waitFor(() => receiver.unique().some((body) => body.type === "WORKSPACE_ONLINE"), 5_000);
      assert.ok(Date.now() - started < 5_000);
      const online = receiver.unique().find((body) => body.type === "WORKSPACE_ONLINE");
      assert.equal(online.data.workspace_id, id);
      assert.equal(online.data.workspace_name, "ws-signed");
      assert.equal(online.data.from, "provisioning");
      assert.equal(online.data.to, "online");
      assert.deepEqual(online.data.reasons, []);
      assert.ok(!Number.isNaN(Date.parse(online.timestamp)));
      // Every request verified; the webhook-id is the delivery log's event_id.
      assert.ok(receiver.received.every((request) => request.verified !== null));
      const log = await until(
        () => deliveries(server, endpointId),
        (list) => list.some((d) => d.type === "WORKSPACE_ONLINE" && d.state === "delivered"),
      );
      const delivered = log.find((d) => d.type === "WORKSPACE_ONLINE");
      assert.ok(receiver.received.some((request) => request.id === delivered.event_id));
      assert.equal(delivered.attempt_log[0].status_code, 200);
      assert.equal(delivered.attempt_log[0].event_id, delivered.event_id);
    });

    it("a filter's types restrict what is sent; its workspace pattern and statuses narrow further", async () => {
      await createEndpoint(server, { url: receiver.url, filter: { types: ["WORKSPACE_OFFLINE"], workspaces: "db-*" } });
      const db = await onlineWorkspace(server, "db-primary");
      const web = await onlineWorkspace(server, "web-1");
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      await receiver.waitFor(() => receiver.unique().length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const bodies = receiver.unique();
      assert.deepEqual(
        bodies.map((body) => [body.type, body.data.workspace_id]),
        [["WORKSPACE_OFFLINE", db.id]],
      );
      assert.ok(!bodies.some((body) => body.data.workspace_id === web.id));
    });

    it("retries a 500 and a timeout with the same webhook-id, logging every attempt, until it is delivered", async () => {
      const { id: endpointId } = await createEndpoint(server, { url: receiver.url, filter: { types: ["WORKSPACE_ONLINE"] } });
      // First a 500, then no answer at all (the 5 s timeout ends it), then success.
      receiver.behave(({ count }) => (count === 0 ? 500 : count === 1 ? "hang" : 200));
      await onlineWorkspace(server, "ws-retry");
      await receiver.waitFor(() => receiver.received.length === 1);
      // The retry schedule runs on the server's clock: move it past each delay instead of waiting.
      server.clock.advance(3_000);
      await receiver.waitFor(() => receiver.received.length === 2);
      await until(
        () => deliveries(server, endpointId),
        (list) => list[0]?.attempts === 2,
        8_000,
      );
      server.clock.advance(7_000);
      await receiver.waitFor(() => receiver.received.length === 3);
      const [delivery] = await until(
        () => deliveries(server, endpointId),
        (list) => list[0]?.state === "delivered",
      );
      assert.equal(new Set(receiver.received.map((request) => request.id)).size, 1, "one webhook-id on every attempt");
      assert.deepEqual(
        delivery.attempt_log.map((attempt: any) => [attempt.attempt, attempt.status_code]),
        [
          [1, 500],
          [2, null],
          [3, 200],
        ],
      );
      assert.match(delivery.attempt_log[0].error, /HTTP 500/);
      assert.match(delivery.attempt_log[1].error, /timed out after 5000 ms/);
      assert.ok(delivery.attempt_log[1].latency_ms >= 4_900);
      assert.equal(delivery.attempt_log[2].error, null);
      assert.equal(receiver.unique().length, 1, "a de-duplicating receiver acts once");
    });

    it("a refused connection is retried and logged, and a failing endpoint never holds back another", async () => {
      const dead = await createEndpoint(server, { name: "dead", url: `http://127.0.0.1:${await closedPort()}/hook`, filter: { types: ["WORKSPACE_ONLINE"] } });
      await createEndpoint(server, { name: "alive", url: receiver.url, filter: { types: ["WORKSPACE_ONLINE"] } });
      await onlineWorkspace(server, "ws-a");
      await onlineWorkspace(server, "ws-b");
      await receiver.waitFor(() => receiver.unique().length === 2);
      const log = await until(
        () => deliveries(server, dead.id),
        (list) => list.length === 2 && list.every((d) => d.attempts >= 1),
      );
      for (const delivery of log) {
        assert.equal(delivery.state, "pending");
        assert.equal(delivery.attempt_log[0].status_code, null);
        assert.match(delivery.attempt_log[0].error, /connection refused/);
        assert.ok(Date.parse(delivery.next_attempt_at) > server.clock.now());
      }
    });

    it("keeps order per workspace: a later change waits for an earlier one that is being retried, other workspaces do not", async () => {
      await createEndpoint(server, { url: receiver.url, filter: { types: STATUS_TYPES, workspaces: "ws-order-*" } });
      const a = await onlineWorkspace(server, "ws-order-a");
      const b = await onlineWorkspace(server, "ws-order-b");
      await receiver.waitFor(() => receiver.unique().length === 2);
      // Every attempt at a's degrade is refused until the receiver is fixed.
      let fixed = false;
      receiver.behave(({ body }) => (!fixed && body.includes(a.id) && body.includes("WORKSPACE_DEGRADED") ? 503 : 200));
      // Each change in a storm window of its own (11 s apart), so none is grouped.
      const step = async (ws: { id: string; token: string }, errorRate: number) => {
        server.clock.advance(11_000);
        await heartbeat(server, ws.id, ws.token, { error_rate: errorRate });
      };
      await step(a, 0.9);
      await receiver.waitFor(() => receiver.received.length === 3);
      await step(a, 0);
      await step(b, 0.9);
      await receiver.waitFor(() => receiver.unique().some((body) => body.data.workspace_id === b.id && body.type === "WORKSPACE_DEGRADED"));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.unique().filter((body) => body.data.workspace_id === a.id).length, 1, "a's recovery waits for its degrade");
      fixed = true;
      server.clock.advance(30_000);
      await receiver.waitFor(() => receiver.unique().filter((body) => body.data.workspace_id === a.id).length === 3);
      assert.deepEqual(
        receiver
          .unique()
          .filter((body) => body.data.workspace_id === a.id)
          .map((body) => body.type),
        ["WORKSPACE_ONLINE", "WORKSPACE_DEGRADED", "WORKSPACE_ONLINE"],
      );
    });

    it("a storm of 8 workspaces going offline reaches an endpoint in at most 3 notifications naming all of them, and their recovery likewise", async () => {
      const fleet = [];
      for (let i = 0; i < 8; i++) fleet.push(await onlineWorkspace(server, `storm-${i}`));
      const { id: endpointId } = await createEndpoint(server, { url: receiver.url, filter: { types: STATUS_TYPES, workspaces: "storm-*" } });
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      // The group is sent once its 10 s window is over (by the server's clock).
      server.clock.advance(12_000);
      await receiver.waitFor(() => receiver.unique().some((body) => body.type === "WORKSPACES_CHANGED"));
      const outage = receiver.unique();
      assert.ok(outage.length <= 3, `${outage.length} notifications`);
      const named = (bodies: any[]) =>
        new Map(
          bodies
            .flatMap((body) => (body.type === "WORKSPACES_CHANGED" ? body.data.changes : [body]))
            .map((change: any) => [change.data.workspace_id, change.data.workspace_name]),
        );
      assert.deepEqual([...named(outage).keys()].sort(), fleet.map((ws) => ws.id).sort());
      for (const [i, ws] of fleet.entries()) assert.equal(named(outage).get(ws.id), `storm-${i}`);
      const group = outage.find((body) => body.type === "WORKSPACES_CHANGED");
      assert.equal(group.data.count, group.data.changes.length);
      assert.ok(group.data.changes.every((change: any) => change.type === "WORKSPACE_OFFLINE"));

      // They come back: the same again.
      server.clock.advance(20_000);
      for (const ws of fleet) await heartbeat(server, ws.id, ws.token);
      server.clock.advance(12_000);
      await receiver.waitFor(
        () =>
          receiver.unique().length > outage.length &&
          receiver
            .unique()
            .slice(outage.length)
            .some((body) => body.type === "WORKSPACES_CHANGED"),
      );
      const recovery = receiver.unique().slice(outage.length);
      assert.ok(recovery.length <= 3, `${recovery.length} notifications`);
      assert.deepEqual([...named(recovery).keys()].sort(), fleet.map((ws) => ws.id).sort());
      const log = await deliveries(server, endpointId);
      assert.ok(log.every((delivery) => delivery.state === "delivered"));
    });

    it("a lone change is not delayed by grouping, even after a storm", async () => {
      await createEndpoint(server, { url: receiver.url, filter: { types: STATUS_TYPES, workspaces: "lone" } });
      const lone = await onlineWorkspace(server, "lone");
      server.clock.advance(30_000);
      await heartbeat(server, lone.id, lone.token, { error_rate: 0.9 });
      await receiver.waitFor(() => receiver.unique().some((body) => body.type === "WORKSPACE_DEGRADED"), 5_000);
    });

    it("a flapping workspace is told once as flapping, then held quiet until it settles, and told when it does", async () => {
      await createEndpoint(server, { url: receiver.url, filter: { types: STATUS_TYPES, workspaces: "flappy" } });
      const { id, token } = await onlineWorkspace(server, "flappy");
      for (const errorRate of [0.9, 0, 0.9, 0, 0.9]) {
        await heartbeat(server, id, token, { error_rate: errorRate });
        server.clock.advance(30_000);
      }
      await receiver.waitFor(() => receiver.unique().some((body) => body.data.reasons?.includes("flapping")));
      // More changes underneath while it is flapping: held.
      for (const errorRate of [0, 0.9, 0, 0.9]) {
        await heartbeat(server, id, token, { error_rate: errorRate });
        server.clock.advance(30_000);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      const flagged = receiver.unique().filter((body) => body.data.reasons?.includes("flapping"));
      assert.equal(flagged.length, 1, "told once as flapping");
      const quietFrom = receiver.unique().length;
      // It settles: 10 quiet minutes, healthy.
      await heartbeat(server, id, token, { error_rate: 0 });
      for (let beat = 0; beat < 22; beat++) {
        server.clock.advance(30_000);
        await heartbeat(server, id, token);
      }
      await sweep(server.deps);
      await receiver.waitFor(() => receiver.unique().length > quietFrom);
      const settled = receiver.unique().slice(quietFrom);
      assert.equal(settled.length, 1);
      assert.equal(settled[0].data.to, "online");
      assert.ok(settled[0].data.previous_reasons.includes("flapping"));
    });

    it("holds a workspace's changes during its maintenance, and tells its maintenance when filtered for", async () => {
      await createEndpoint(server, { url: receiver.url, filter: { types: [...STATUS_TYPES, "MAINTENANCE_STARTED"], workspaces: "maintained" } });
      const { id, token } = await onlineWorkspace(server, "maintained");
      await receiver.waitFor(() => receiver.unique().length === 1);
      const until = new Date(server.clock.now() + 3_600_000).toISOString();
      assert.equal((await server.admin(`/api/workspaces/${id}/maintenance`, { body: { reason: "upgrade", until } })).status, 200);
      await heartbeat(server, id, token, { error_rate: 0.9 });
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.deepEqual(
        receiver.unique().map((body) => body.type),
        ["WORKSPACE_ONLINE", "MAINTENANCE_STARTED"],
      );
    });

    it("marks a delivery failed once its retry window is over; redeliver sends it again with the same webhook-id", async () => {
      const { id: endpointId } = await createEndpoint(server, { url: receiver.url, filter: { types: ["WORKSPACE_ONLINE"] } });
      receiver.behave(() => 500);
      await onlineWorkspace(server, "ws-give-up");
      await receiver.waitFor(() => receiver.received.length === 1);
      server.clock.advance(24 * 3_600_000 + 1_000);
      const [failed] = await until(
        () => deliveries(server, endpointId),
        (list) => list[0]?.state === "failed",
      );
      assert.equal(failed.attempts, 2);
      assert.ok(receiver.unique().length === 0);
      receiver.behave(() => 200);
      const redelivered = await server.admin(`/api/notifications/endpoints/${endpointId}/deliveries/${failed.event_id}/redeliver`, { body: {} });
      assert.equal(redelivered.status, 200, JSON.stringify(redelivered.body));
      await receiver.waitFor(() => receiver.unique().length === 1);
      assert.equal(receiver.received.at(-1)!.id, failed.event_id);
      assertError(await server.admin(`/api/notifications/endpoints/${endpointId}/deliveries/msg_nothing/redeliver`, { body: {} }), 404, "unknown_delivery");
    });

    it("send test answers with its first attempt, signed like any notification; a Slack endpoint gets readable text", async () => {
      const webhook = await createEndpoint(server, { url: receiver.url });
      const test = await server.admin(`/api/notifications/endpoints/${webhook.id}/test`, { body: {} });
      assert.equal(test.status, 200, JSON.stringify(test.body));
      assert.equal(test.body.state, "delivered");
      assert.equal(test.body.attempt_log[0].status_code, 200);
      assert.equal(receiver.unique()[0].type, "NOTIFICATION_TEST");
      assert.equal(receiver.unique()[0].data.endpoint_id, webhook.id);

      const slack = await createEndpoint(server, {
        name: "slack",
        url: receiver.url.replace("/hook", "/slack"),
        format: "slack",
        filter: { types: ["WORKSPACE_ONLINE"] },
      });
      await onlineWorkspace(server, "<!channel> web");
      await receiver.waitFor(() => receiver.received.some((request) => JSON.parse(request.body).text?.includes("online")));
      const text = JSON.parse(receiver.received.find((request) => JSON.parse(request.body).text !== undefined)!.body).text as string;
      assert.match(text, /&lt;!channel&gt; web/);
      assert.doesNotMatch(text, /<!channel>/);
      assert.ok((await deliveries(server, slack.id)).length >= 1);
    });

    it("connects only to the address the validator passed, checked again at every attempt", async () => {
      // A name nothing but the registry's resolver knows: reaching the receiver proves the validated address was used.
      FAKE_DNS["hooks.example.com"] = ["127.0.0.1"];
      try {
        const { id: endpointId } = await createEndpoint(server, {
          url: `http://hooks.example.com:${receiver.port}/hook`,
          filter: { types: ["WORKSPACE_ONLINE"] },
        });
        await onlineWorkspace(server, "ws-pinned");
        await receiver.waitFor(() => receiver.unique().length === 1);
        // The name now points inside the network: the next attempt is refused before any connection.
        FAKE_DNS["hooks.example.com"] = ["10.0.0.5"];
        await onlineWorkspace(server, "ws-rebound");
        const log = await until(
          () => deliveries(server, endpointId),
          (list) => list.length === 2 && list[0].attempts >= 1,
        );
        assert.equal(log[0].attempt_log[0].status_code, null);
        assert.match(log[0].attempt_log[0].error, /not sent: .*blocked address/);
        assert.equal(receiver.received.length, 1);
      } finally {
        delete FAKE_DNS["hooks.example.com"];
      }
    });

    it("does not follow redirects", async () => {
      const { id: endpointId } = await createEndpoint(server, { url: receiver.url, filter: { types: ["WORKSPACE_ONLINE"] } });
      receiver.behave(() => 302);
      await onlineWorkspace(server, "ws-redirect");
      const [delivery] = await until(
        () => deliveries(server, endpointId),
        (list) => list[0]?.attempts >= 1,
      );
      assert.equal(delivery.attempt_log[0].status_code, 302);
      assert.match(delivery.attempt_log[0].error, /redirects are not followed/);
      assert.equal(delivery.state, "pending");
    });

    it("/metrics counts deliveries by outcome and shows the queue's depth and oldest age", async () => {
      const RETRYING = 'rollcall_notification_deliveries_total{outcome="retrying"}';
      const metrics = async () => (await fetch(`${server.url}/metrics`)).text();
      const retriedBefore = seriesValue(await metrics(), RETRYING);
      await createEndpoint(server, { url: `http://127.0.0.1:${await closedPort()}/hook`, filter: { types: ["WORKSPACE_ONLINE"] } });
      await onlineWorkspace(server, "ws-metrics");
      const text = await until(metrics, (body) => seriesValue(body, RETRYING) === retriedBefore + 1);
      assert.equal(seriesValue(text, "rollcall_notification_queue_depth"), 1);
      assert.match(text, /^rollcall_notification_oldest_undelivered_seconds \d/m);
    });
  });
}
