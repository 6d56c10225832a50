import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorRateWindow } from "./error-rate-window.ts";
import type { RegistryClientError } from "./registry-client-error.ts";
import { createRegistryClient, type RegistryClientOptions } from "./registry-client.ts";
import { beatOk, failure, fakeRegistry, ok, registered, steppedSleep, type RecordedCall, type Reply } from "./testing/fake-registry.ts";

const WORKSPACE_ID = "6f1c2f44-5d4e-4b7a-9a51-0d3f5c1e2a10";
const CARD = { name: "agent", url: "https://agent.example.com" };
const BOOT = 1_800_000_000_000;

/** A client on a fake registry and a stepped sleep, registered, with `random` fixed so delays are exact. */
async function setUp(reply: (call: RecordedCall, calls: RecordedCall[]) => Reply | Promise<Reply>, overrides: Partial<RegistryClientOptions> = {}) {
  const registry = fakeRegistry((call, calls) => (call.procedure === "runtime.register" && calls.length === 1 ? registered() : reply(call, calls)));
  const stepper = steppedSleep();
  const clock = { now: BOOT };
  const client = createRegistryClient({
    url: "http://registry.test",
    token: "tok",
    workspaceId: WORKSPACE_ID,
    fetch: registry.fetch,
    sleep: stepper.sleep,
    random: () => 0.5,
    now: () => clock.now,
    ...overrides,
  });
  await client.register({ url: "https://agent.example.com", agentCard: CARD });
  return { client, registry, stepper, clock, beats: () => registry.of("runtime.heartbeat") };
}

describe("HeartbeatLoop timing", () => {
  it("beats at once, then every interval with ±10 % jitter", async () => {
    const random = [0, 0.999_999, 0.5];
    const { client, stepper, beats } = await setUp(() => beatOk(), { random: () => random.shift() ?? 0.5 });
    const loop = client.startHeartbeats({ intervalMs: 30_000 });
    await stepper.parked();
    assert.equal(beats().length, 1, "the first beat does not wait");
    await stepper.step();
    await stepper.step();
    await loop.stop();
    assert.deepEqual(stepper.delays, [27_000, 33_000, 30_000]);
  });

  it("backs off after failures with full jitter, capped by the interval, and resets after a success", async () => {
    const replies = [
      failure(500, "internal"),
      failure(503, "credentials_unavailable"),
      { networkError: true } as const,
      failure(500, "internal"),
      failure(500, "internal"),
    ];
    const { client, stepper } = await setUp((_call, calls) => replies[calls.length - 2] ?? beatOk(), { random: () => 0.999_999 });
    const errors: [string, number][] = [];
    const loop = client.startHeartbeats({ intervalMs: 5_000, onError: (error, retry) => errors.push([error.reason, retry.consecutiveFailures]) });
    await stepper.parked();
    for (let i = 0; i < 5; i++) await stepper.step();
    await loop.stop();
    // 1 s, 2 s, 4 s, then the 5 s interval caps the 8 s and 16 s steps; after the success, the jittered interval.
    assert.deepEqual(stepper.delays, [999, 1_999, 3_999, 4_999, 4_999, 5_500]);
    assert.deepEqual(errors, [
      ["internal", 1],
      ["credentials_unavailable", 2],
      ["network_error", 3],
      ["internal", 4],
      ["internal", 5],
    ]);
  });

  it("stop() waits for the beat in flight, and nothing is sent after it", async () => {
    let answer: (reply: Reply) => void = () => undefined;
    const { client, stepper, beats } = await setUp((_call, calls) => (calls.length === 3 ? new Promise<Reply>((resolve) => (answer = resolve)) : beatOk()));
    const loop = client.startHeartbeats();
    await stepper.parked();
    stepper.wake();
    while (beats().length < 2) await new Promise((resolve) => setImmediate(resolve));
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, "the beat in flight is still running");
    answer(beatOk());
    await stopping;
    assert.equal(loop.running, false);
    assert.equal(beats().length, 2);
  });
});

describe("HeartbeatLoop content", () => {
  it("every beat carries the agent card, the report, the rolling error rate and the uptime", async () => {
    const window = new ErrorRateWindow({ now: () => BOOT });
    window.recordError("upstream 502");
    window.recordSuccess();
    const { client, stepper, clock, beats } = await setUp(() => beatOk());
    let tasks = 3;
    const loop = client.startHeartbeats({ errorRate: window, report: () => ({ active_tasks: tasks, current_task: "summarise" }) });
    await stepper.parked();
    clock.now += 30_000;
    tasks = 0;
    await stepper.step();
    await loop.stop();

    assert.deepEqual(
      beats().map((beat) => beat.input),
      [
        {
          uptime_seconds: 0,
          error_rate: 0.5,
          sample_error: "upstream 502",
          active_tasks: 3,
          current_task: "summarise",
          agent_card: CARD,
          workspace_id: WORKSPACE_ID,
        },
        {
          uptime_seconds: 30,
          error_rate: 0.5,
          sample_error: "upstream 502",
          active_tasks: 0,
          current_task: "summarise",
          agent_card: CARD,
          workspace_id: WORKSPACE_ID,
        },
      ],
    );
  });

  it("what the report says wins over the defaults", async () => {
    const window = new ErrorRateWindow();
    window.recordError("x");
    const { client, stepper, beats } = await setUp(() => beatOk());
    const loop = client.startHeartbeats({
      errorRate: window,
      report: () => ({ error_rate: 0, sample_error: "", uptime_seconds: 12, agent_card: { name: "other" } }),
    });
    await stepper.parked();
    await loop.stop();
    assert.deepEqual(beats()[0]?.input, { uptime_seconds: 12, error_rate: 0, sample_error: "", agent_card: { name: "other" }, workspace_id: WORKSPACE_ID });
  });

  it("a card changed with updateCard goes with the next beat", async () => {
    const { client, stepper, beats } = await setUp((call) => (call.procedure === "runtime.updateCard" ? ok({ status: "updated" }) : beatOk()));
    const loop = client.startHeartbeats();
    await stepper.parked();
    await client.updateCard({ ...CARD, version: "2" });
    await stepper.step();
    await loop.stop();
    assert.deepEqual(
      beats().map((beat) => beat.input.agent_card),
      [CARD, { ...CARD, version: "2" }],
    );
  });

  it("surfaces the restart context the registry hands over", async () => {
    const context = {
      restart_at: "2027-01-15T08:00:00.000Z",
      previous_session_end: "2027-01-15T07:58:00.000Z",
      gap_seconds: 120,
      expires_at: "2027-01-15T08:30:00.000Z",
    };
    const contexts: unknown[] = [];
    const { client, stepper } = await setUp((_call, calls) => (calls.length === 2 ? beatOk({ restart_context: context }) : beatOk()), {
      onRestartContext: (c) => contexts.push(c),
    });
    const loop = client.startHeartbeats();
    await stepper.parked();
    await stepper.step();
    await loop.stop();
    assert.deepEqual(contexts, [context]);
  });

  it("a bug in the runtime's report callback ends the loop visibly instead of being taken for a registry failure", async () => {
    const { client, registry } = await setUp(() => beatOk());
    const errors: RegistryClientError[] = [];
    const loop = client.startHeartbeats({
      report: () => {
        throw new Error("report bug");
      },
      onError: (error) => errors.push(error),
    });
    await assert.rejects(loop.done, /report bug/);
    assert.deepEqual(errors, []);
    assert.equal(registry.of("runtime.heartbeat").length, 0);
  });
});

describe("HeartbeatLoop on 401", () => {
  it("re-reads the token source, registers again with the new token, and carries on", async () => {
    let token = "old";
    let rotated = false;
    const { client, registry, stepper } = await setUp(
      (call) => {
        if (rotated && call.authorization === "Bearer old") return failure(401, "invalid_token");
        return call.procedure === "runtime.register" ? registered() : beatOk();
      },
      { token: () => token },
    );
    const reregistered: unknown[] = [];
    const errors: RegistryClientError[] = [];
    const loop = client.startHeartbeats({ onReregistered: (r) => reregistered.push(r), onError: (e) => errors.push(e) });
    await stepper.parked();
    rotated = true;
    token = "new";
    await stepper.step();
    await stepper.step();
    await loop.stop();

    assert.deepEqual(
      registry.calls.map((call) => `${call.procedure} ${call.authorization}`),
      [
        "runtime.register Bearer old",
        "runtime.heartbeat Bearer old",
        "runtime.heartbeat Bearer old",
        "runtime.register Bearer new",
        "runtime.heartbeat Bearer new",
      ],
    );
    assert.deepEqual(registry.calls[3]?.input, registry.calls[0]?.input, "the same registration is repeated");
    assert.equal(reregistered.length, 1);
    assert.deepEqual(errors, []);
  });

  it("if registering again fails, surfaces the error and does not re-register on every beat", async () => {
    const { client, registry, stepper } = await setUp(() => failure(401, "invalid_token"));
    const errors: [string, number][] = [];
    const loop = client.startHeartbeats({ onError: (error, retry) => errors.push([error.reason, retry.consecutiveFailures]) });
    await stepper.parked();
    await stepper.step();
    await stepper.step();
    await loop.stop();
    assert.deepEqual(
      registry.calls.slice(1).map((call) => call.procedure),
      ["runtime.heartbeat", "runtime.register", "runtime.heartbeat", "runtime.heartbeat"],
    );
    assert.deepEqual(errors, [
      ["invalid_token", 1],
      ["invalid_token", 2],
      ["invalid_token", 3],
    ]);
  });
});

describe("HeartbeatLoop on removal", () => {
  for (const status of [410, 404]) {
    it(`stops for good on ${status} workspace_removed and tells the runtime`, async () => {
      const { client, stepper, beats } = await setUp((_call, calls) => (calls.length === 2 ? beatOk() : failure(status, "workspace_removed")));
      const removed: RegistryClientError[] = [];
      const errors: RegistryClientError[] = [];
      const loop = client.startHeartbeats({ onRemoved: (error) => removed.push(error), onError: (error) => errors.push(error) });
      await stepper.parked();
      stepper.wake();
      await loop.done;
      assert.equal(loop.running, false);
      assert.equal(beats().length, 2);
      assert.equal(stepper.delays.length, 1, "no further wait: the loop is over");
      assert.equal(removed.length, 1);
      assert.deepEqual(errors, []);
    });
  }
});
