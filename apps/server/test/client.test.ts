import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createRegistryClient, ErrorRateWindow, RegistryClientError, type RegistryClient, type RestartContext } from "@rollcall/client";
import { sweep } from "@rollcall/registry-core";
import { steppedSleep } from "@rollcall/client/testing";
import { detail } from "./api-helpers.ts";
import { OFFLINE_AFTER_PLUS_1S } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

const CARD = { name: "sdk-agent", url: "https://agent.example.com/", version: "1.0.0", skills: [] };
const REGISTRATION = { url: "https://agent.example.com/", agentCard: CARD };

async function eventTypes(server: TestServer, id: string): Promise<string[]> {
  const response = await server.admin(`/api/workspaces/${id}/events?limit=100`);
  return (response.body.events as { type: string }[]).map((event) => event.type).reverse();
}

for (const factory of testDatabases()) {
  describe(`the SDK against the real server (${factory.provider})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server.stop();
    });

    const clientFor = (workspace: { id: string; token: string }, overrides: Partial<Parameters<typeof createRegistryClient>[0]> = {}): RegistryClient =>
      createRegistryClient({ url: server.url, token: workspace.token, workspaceId: workspace.id, ...overrides });

    it("a runtime registers and heartbeats through the SDK and comes online", async () => {
      const workspace = await server.provision("sdk-basic");
      const client = clientFor(workspace);

      const registered = await client.register(REGISTRATION);
      assert.equal(registered.status, "registered");
      assert.equal(registered.delivery_mode, "push");
      assert.equal(registered.workspace_status, "online");

      const beat = await client.heartbeat({ active_tasks: 2, current_task: "indexing", agent_card: CARD });
      assert.deepEqual(beat, { status: "ok", workspace_status: "online" });
      const row = await detail(server, workspace.id);
      assert.equal(row.status, "online");
      assert.equal(row.active_tasks, 2);
      assert.equal(row.current_task, "indexing");
      assert.deepEqual(row.agent_card, { ...CARD });

      assert.deepEqual(await client.updateCard({ ...CARD, version: "1.1.0" }), { status: "updated" });
      assert.equal((await detail(server, workspace.id)).agent_card.version, "1.1.0");
    });

    it("the loop feeds the rolling error rate: failing work degrades the workspace, recovered work brings it back", async () => {
      const workspace = await server.provision("sdk-error-rate");
      const stepper = steppedSleep();
      const client = clientFor(workspace, { sleep: stepper.sleep });
      await client.register(REGISTRATION);
      const window = new ErrorRateWindow({ windowSeconds: 60 });
      const statuses: string[] = [];
      const loop = client.startHeartbeats({ errorRate: window, onHeartbeat: (result) => statuses.push(result.workspace_status) });
      await stepper.parked();

      for (let i = 0; i < 3; i++) window.recordError("upstream timed out");
      window.recordSuccess();
      await stepper.step();
      assert.equal((await detail(server, workspace.id)).last_sample_error, "upstream timed out");

      for (let i = 0; i < 60; i++) window.recordSuccess(); // 3 errors in 64 outcomes: below the 0.1 recovery bar
      await stepper.step();
      await loop.stop();

      assert.deepEqual(statuses, ["online", "degraded", "online"]);
      const row = await detail(server, workspace.id);
      assert.ok(row.last_error_rate > 0 && row.last_error_rate < 0.1);
    });

    it("a rejected token is an error with status and reason, never a success", async () => {
      const workspace = await server.provision("sdk-bad-token");
      const client = clientFor({ id: workspace.id, token: "rc_not-the-real-token" });
      const error = await client.heartbeat().then(
        () => assert.fail("a 401 must not count as success"),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof RegistryClientError);
      assert.equal(error.status, 401);
      assert.equal(error.reason, "invalid_token");
      assert.equal(error.retryable, false);
      assert.equal((await detail(server, workspace.id)).last_heartbeat_at, null);
    });

    it("after a token rotation the loop re-reads the token source, registers again and keeps beating", async () => {
      const workspace = await server.provision("sdk-rotation");
      let current = workspace.token;
      let reads = 0;
      const stepper = steppedSleep();
      const client = clientFor(workspace, {
        token: () => {
          reads++;
          return current;
        },
        sleep: stepper.sleep,
      });
      await client.register(REGISTRATION);
      const beats: string[] = [];
      const errors: RegistryClientError[] = [];
      let reregistered = 0;
      const loop = client.startHeartbeats({
        onHeartbeat: (result) => beats.push(result.workspace_status),
        onError: (error) => errors.push(error),
        onReregistered: () => reregistered++,
      });
      await stepper.parked();
      assert.deepEqual(beats, ["online"]);

      const rotated = await server.admin(`/api/workspaces/${workspace.id}/token`, { method: "POST" });
      assert.equal(rotated.status, 200);
      current = rotated.body.token as string;
      const readsBefore = reads;

      await stepper.step(); // the beat with the old token is rejected; register with the re-read token succeeds
      assert.equal(reregistered, 1);
      assert.equal(reads, readsBefore + 1, "the token source is read again after the 401, once");
      await stepper.step();
      await loop.stop();

      assert.deepEqual(beats, ["online", "online"]);
      assert.deepEqual(errors, []);
      const types = await eventTypes(server, workspace.id);
      assert.ok(types.lastIndexOf("WORKSPACE_REGISTERED") > types.indexOf("TOKEN_ROTATED"));
    });

    it("a 401 the fresh token cannot fix is surfaced through onError, and the loop backs off", async () => {
      const workspace = await server.provision("sdk-revoked");
      const stepper = steppedSleep();
      const client = clientFor(workspace, { sleep: stepper.sleep });
      await client.register(REGISTRATION);
      const errors: { reason: string; failures: number }[] = [];
      let reregistered = 0;
      const loop = client.startHeartbeats({
        onError: (error, retry) => errors.push({ reason: error.reason, failures: retry.consecutiveFailures }),
        onReregistered: () => reregistered++,
      });
      await stepper.parked();
      // Rotated, but the runtime's token source still holds the old token.
      assert.equal((await server.admin(`/api/workspaces/${workspace.id}/token`, { method: "POST" })).status, 200);

      await stepper.step();
      await stepper.step();
      await loop.stop();
      assert.equal(reregistered, 0);
      assert.deepEqual(errors, [
        { reason: "invalid_token", failures: 1 },
        { reason: "invalid_token", failures: 2 },
      ]);
    });

    it("removing the workspace stops the loop and tells the runtime", async () => {
      const workspace = await server.provision("sdk-removed");
      const stepper = steppedSleep();
      const client = clientFor(workspace, { sleep: stepper.sleep });
      await client.register(REGISTRATION);
      const removals: RegistryClientError[] = [];
      const loop = client.startHeartbeats({ onRemoved: (error) => removals.push(error) });
      await stepper.parked();
      assert.equal((await server.admin(`/api/workspaces/${workspace.id}`, { method: "DELETE" })).status, 200);

      const sleepsBefore = stepper.delays.length;
      stepper.wake();
      await loop.done;
      assert.equal(loop.running, false);
      assert.equal(stepper.delays.length, sleepsBefore, "a removed workspace is not beaten for again");
      assert.equal(removals.length, 1);
      assert.equal(removals[0]?.reason, "workspace_removed");
      assert.equal(removals[0]?.removed, true);
    });

    it("a runtime back from offline gets its restart context on the heartbeat that brings it online", async () => {
      const workspace = await server.provision("sdk-restart-heartbeat");
      const stepper = steppedSleep();
      const contexts: RestartContext[] = [];
      const client = clientFor(workspace, { sleep: stepper.sleep, onRestartContext: (context) => contexts.push(context) });
      await client.register(REGISTRATION);
      const statuses: string[] = [];
      const loop = client.startHeartbeats({ onHeartbeat: (r) => statuses.push(r.workspace_status) });
      await stepper.parked();

      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);
      assert.equal((await detail(server, workspace.id)).status, "offline");

      await stepper.step();
      await loop.stop();
      assert.deepEqual(statuses, ["online", "online"]);
      assert.equal(contexts.length, 1);
      const [context] = contexts;
      assert.ok(context);
      assert.ok(context.gap_seconds !== null && context.gap_seconds >= 91);
      assert.ok(context.previous_session_end);
    });

    it("a restarted runtime gets its restart context from register", async () => {
      const workspace = await server.provision("sdk-restart-register");
      await clientFor(workspace).register(REGISTRATION);
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);

      const restarted = clientFor(workspace); // a new process: a new client
      const registered = await restarted.registerWithRetry(REGISTRATION);
      assert.equal(registered.workspace_status, "online");
      assert.ok(registered.restart_context);
      assert.ok(registered.restart_context.gap_seconds !== null && registered.restart_context.gap_seconds >= 91);
    });

    it("a restart context delivered by register is not delivered again on the new process's first heartbeat", async () => {
      const workspace = await server.provision("sdk-restart-once");
      const first = clientFor(workspace);
      await first.register(REGISTRATION);
      await first.heartbeat({ uptime_seconds: 300 });
      server.clock.advance(OFFLINE_AFTER_PLUS_1S);
      await sweep(server.deps);

      const restarted = clientFor(workspace);
      assert.ok((await restarted.register(REGISTRATION)).restart_context);
      const beat = await restarted.heartbeat({ uptime_seconds: 1 });
      assert.equal(beat.restart_context, undefined);
    });

    it("incident #2739 through the SDK: the unresolvable URL is retried with its reason, then the first card-bearing beat brings the workspace online", async () => {
      const workspace = await server.provision("sdk-2739");
      await clientFor(workspace).register(REGISTRATION);
      assert.equal((await server.admin(`/api/workspaces/${workspace.id}/restart`, { method: "POST" })).status, 200);

      const stepper = steppedSleep();
      const restarted = clientFor(workspace, { sleep: stepper.sleep });
      const retries: string[] = [];
      const registering = restarted
        .registerWithRetry({ url: "http://212851b5693d:8000", agentCard: CARD }, { maxAttempts: 3, onRetry: ({ error }) => retries.push(error.reason) })
        .then(
          () => assert.fail("the container-id URL must not register"),
          (caught: unknown) => caught,
        );
      await stepper.parked();
      await stepper.step();
      stepper.wake();
      const failure = await registering;
      assert.ok(failure instanceof RegistryClientError);
      assert.equal(failure.status, 400);
      assert.equal(failure.reason, "url_validate_failed");
      assert.match(failure.message, /cannot be resolved/);
      assert.deepEqual(retries, ["url_validate_failed", "url_validate_failed"]);
      const marked = await detail(server, workspace.id);
      assert.equal(marked.status, "degraded");
      assert.deepEqual(marked.status_reasons, ["register_failure"]);
      assert.ok(marked.markers.some((m: any) => m.kind === "register_failure" && m.active));

      // The loop's first beat carries the card the runtime tried to register with.
      const statuses: string[] = [];
      const loop = restarted.startHeartbeats({ onHeartbeat: (result) => statuses.push(result.workspace_status) });
      await stepper.parked();
      await loop.stop();
      assert.deepEqual(statuses, ["online"]);
      const row = await detail(server, workspace.id);
      assert.equal(row.status, "online");
      assert.ok(row.markers.every((m: any) => !m.active));
      assert.deepEqual(row.agent_card, CARD, "the heartbeat cleared the marker without overwriting the stored card");
    });
  });
}
