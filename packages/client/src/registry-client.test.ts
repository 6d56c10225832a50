import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RegistryClientError } from "./registry-client-error.ts";
import { createRegistryClient, type RegistryClientOptions } from "./registry-client.ts";
import { beatOk, failure, fakeRegistry, ok, registered, steppedSleep, type Reply } from "./testing/fake-registry.ts";

const WORKSPACE_ID = "6f1c2f44-5d4e-4b7a-9a51-0d3f5c1e2a10";
const CARD = { name: "agent", url: "https://agent.example.com" };

function clientWith(reply: (procedure: string, attempt: number) => Reply, overrides: Partial<RegistryClientOptions> = {}) {
  const registry = fakeRegistry((call, calls) => reply(call.procedure, calls.length));
  const client = createRegistryClient({ url: "http://registry.test/", token: "tok-1", workspaceId: WORKSPACE_ID, fetch: registry.fetch, ...overrides });
  return { client, registry };
}

async function failureOf(promise: Promise<unknown>): Promise<RegistryClientError> {
  const caught = await promise.then(
    () => assert.fail("expected the call to fail"),
    (error: unknown) => error,
  );
  assert.ok(caught instanceof RegistryClientError, `not a RegistryClientError: ${String(caught)}`);
  return caught;
}

describe("createRegistryClient: the wire", () => {
  it("sends each call on its own to /trpc/<procedure> with the bearer token and the workspace id", async () => {
    const answers: Record<string, Reply> = { "runtime.register": registered(), "runtime.heartbeat": beatOk(), "runtime.updateCard": ok({ status: "updated" }) };
    const { client, registry } = clientWith((procedure) => answers[procedure] ?? failure(404, "not_found"));
    await client.register({ url: "https://agent.example.com", agentCard: CARD, deliveryMode: "push" });
    await client.heartbeat({ active_tasks: 1 });
    assert.deepEqual(await client.updateCard({ ...CARD, version: "2" }), { status: "updated" });

    assert.deepEqual(
      registry.calls.map((call) => [call.url, call.authorization]),
      [
        ["http://registry.test/trpc/runtime.register", "Bearer tok-1"],
        ["http://registry.test/trpc/runtime.heartbeat", "Bearer tok-1"],
        ["http://registry.test/trpc/runtime.updateCard", "Bearer tok-1"],
      ],
    );
    assert.deepEqual(registry.calls[0]?.input, { id: WORKSPACE_ID, agent_card: CARD, url: "https://agent.example.com", delivery_mode: "push" });
    assert.deepEqual(registry.calls[1]?.input, { active_tasks: 1, workspace_id: WORKSPACE_ID });
    assert.deepEqual(registry.calls[2]?.input, { workspace_id: WORKSPACE_ID, agent_card: { ...CARD, version: "2" } });
    assert.deepEqual(client.agentCard, { ...CARD, version: "2" }, "heartbeats now carry the updated card");
  });

  it("returns the registry's answers", async () => {
    const context = { restart_at: "2027-01-15T08:00:00.000Z", previous_session_end: null, gap_seconds: null, expires_at: "2027-01-15T08:30:00.000Z" };
    const { client } = clientWith(() => beatOk({ restart_context: context }));
    assert.deepEqual(await client.heartbeat(), { status: "ok", workspace_status: "online", restart_context: context });
  });
});

describe("createRegistryClient: every non-2xx is a failure", () => {
  const cases: { name: string; reply: Reply; status: number; reason: string; retryable: boolean }[] = [
    { name: "a rejected token", reply: failure(401, "invalid_token"), status: 401, reason: "invalid_token", retryable: false },
    { name: "an invalid body", reply: failure(400, "invalid_body"), status: 400, reason: "invalid_body", retryable: false },
    { name: "an unresolvable URL", reply: failure(400, "url_validate_failed"), status: 400, reason: "url_validate_failed", retryable: false },
    { name: "a server error", reply: failure(500, "internal"), status: 500, reason: "internal", retryable: true },
    {
      name: "credentials unreadable (fail closed)",
      reply: failure(503, "credentials_unavailable"),
      status: 503,
      reason: "credentials_unavailable",
      retryable: true,
    },
    {
      name: "the rate limiter's plain-JSON 429",
      reply: { status: 429, body: { error: "too many failed authentication attempts; retry later", reason: "rate_limited" } },
      status: 429,
      reason: "rate_limited",
      retryable: true,
    },
    { name: "a proxy's HTML 502", reply: { status: 502, text: "<html>Bad Gateway</html>" }, status: 502, reason: "unexpected_response", retryable: true },
    { name: "no response at all", reply: { networkError: true }, status: 0, reason: "network_error", retryable: true },
  ];
  for (const { name, reply, status, reason, retryable } of cases) {
    it(`${name} → status ${status}, reason ${reason}, ${retryable ? "retryable" : "not retryable"}`, async () => {
      const { client } = clientWith(() => reply);
      const error = await failureOf(client.heartbeat());
      assert.deepEqual({ status: error.status, reason: error.reason, retryable: error.retryable }, { status, reason, retryable });
    });
  }

  it("a removed workspace is recognised by its reason, whichever status carries it", async () => {
    for (const status of [404, 410]) {
      const error = await failureOf(clientWith(() => failure(status, "workspace_removed")).client.heartbeat());
      assert.equal(error.removed, true);
    }
    const unknown = await failureOf(clientWith(() => failure(404, "unknown_workspace")).client.heartbeat());
    assert.equal(unknown.removed, false);
  });

  it("a request that outlives the timeout fails as a retryable timeout", async () => {
    const hang: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        // A real request holds a socket open; this timer stands in for it, since the timeout's own timer is unref'd.
        const socket = setTimeout(() => reject(new Error("the timeout never fired")), 5_000);
        init?.signal?.addEventListener("abort", () => {
          clearTimeout(socket);
          reject(init.signal?.reason as Error);
        });
      });
    const client = createRegistryClient({ url: "http://registry.test", token: "t", workspaceId: WORKSPACE_ID, fetch: hang, timeoutMs: 20 });
    const error = await failureOf(client.heartbeat());
    assert.equal(error.reason, "timeout");
    assert.equal(error.retryable, true);
  });
});

describe("createRegistryClient: the token source", () => {
  it("is read once, then again only after the registry rejects the token", async () => {
    let reads = 0;
    const tokens = ["old", "new"];
    const { client, registry } = clientWith((_procedure, attempt) => (attempt === 2 ? failure(401, "invalid_token") : beatOk()), {
      token: async () => tokens[Math.min(reads++, 1)]!,
    });
    await client.heartbeat();
    await failureOf(client.heartbeat());
    await client.heartbeat();
    await client.heartbeat();
    assert.equal(reads, 2);
    assert.deepEqual(
      registry.calls.map((call) => call.authorization),
      ["Bearer old", "Bearer old", "Bearer new", "Bearer new"],
    );
  });

  it("a failing source fails the call without sending it, and is tried again next time", async () => {
    let reads = 0;
    const { client, registry } = clientWith(() => beatOk(), {
      token: () => {
        if (reads++ === 0) throw new Error("token file missing");
        return "tok";
      },
    });
    const error = await failureOf(client.heartbeat());
    assert.equal(error.reason, "token_unavailable");
    assert.equal(error.retryable, true);
    assert.equal(registry.calls.length, 0);
    await client.heartbeat();
    assert.equal(registry.calls[0]?.authorization, "Bearer tok");
  });
});

describe("registerWithRetry", () => {
  it("retries retryable failures with backoff and reports each server reason", async () => {
    const stepper = steppedSleep();
    const replies = [failure(503, "credentials_unavailable"), { networkError: true } as const, failure(500, "internal"), registered()];
    const { client, registry } = clientWith((_p, attempt) => replies[attempt - 1]!, { sleep: stepper.sleep, random: () => 0.5 });
    const retries: string[] = [];
    const done = client.registerWithRetry(
      { agentCard: CARD },
      { onRetry: ({ attempt, error, delayMs }) => retries.push(`${attempt}:${error.reason}:${delayMs}`) },
    );
    await stepper.parked();
    for (let i = 0; i < 2; i++) await stepper.step();
    stepper.wake();
    assert.equal((await done).status, "registered");
    assert.equal(registry.calls.length, 4);
    assert.deepEqual(retries, ["1:credentials_unavailable:500", "2:network_error:1000", "3:internal:2000"]);
  });

  it("retries url_validate_failed too: the name may resolve soon (incident #2739)", async () => {
    const { client } = clientWith((_p, attempt) => (attempt < 3 ? failure(400, "url_validate_failed", "host cannot be resolved") : registered()), {
      sleep: async () => undefined,
    });
    const reasons: string[] = [];
    await client.registerWithRetry({ url: "http://212851b5693d:8000", agentCard: CARD }, { onRetry: ({ error }) => reasons.push(error.reason) });
    assert.deepEqual(reasons, ["url_validate_failed", "url_validate_failed"]);
  });

  it("does not retry what cannot pass: a bad body or a rejected token", async () => {
    for (const reply of [failure(400, "invalid_body"), failure(401, "invalid_token"), failure(400, "url_required_for_push")]) {
      const { client, registry } = clientWith(() => reply, { sleep: async () => assert.fail("must not wait") });
      await failureOf(client.registerWithRetry({ agentCard: CARD }));
      assert.equal(registry.calls.length, 1);
    }
  });

  it("gives up after maxAttempts with the last failure", async () => {
    const { client, registry } = clientWith(() => failure(503, "credentials_unavailable"), { sleep: async () => undefined });
    const error = await failureOf(client.registerWithRetry({ agentCard: CARD }, { maxAttempts: 3 }));
    assert.equal(error.reason, "credentials_unavailable");
    assert.equal(registry.calls.length, 3);
  });

  it("stops waiting when aborted", async () => {
    const abort = new AbortController();
    const { client, registry } = clientWith(() => failure(500, "internal"));
    const done = failureOf(client.registerWithRetry({ agentCard: CARD }, { signal: abort.signal, onRetry: () => abort.abort() }));
    assert.equal((await done).reason, "internal");
    assert.equal(registry.calls.length, 1);
  });

  it("remembers the card even when register fails, and the registration only when it succeeds", async () => {
    const { client } = clientWith((_p, attempt) => (attempt === 1 ? failure(400, "url_validate_failed") : registered()));
    await failureOf(client.register({ url: "http://212851b5693d:8000", agentCard: CARD }));
    assert.deepEqual(client.agentCard, CARD);
    assert.equal(client.lastRegistration, null);
    await client.register({ agentCard: CARD });
    assert.deepEqual(client.lastRegistration, { agentCard: CARD });
  });
});
