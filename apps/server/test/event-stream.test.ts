import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readEnv } from "../src/env.ts";
import { createLogger } from "../src/logger.ts";
import { startServer, type RunningServer } from "../src/server.ts";
import { ADMIN_TOKEN, fakeResolver, startTestServer, testDatabases, type TestServer } from "./harness.ts";

type StreamEvent = { id: number; type: string; workspace_id: string | null };

/**
 * Reads tRPC's SSE stream of `events.stream` like an EventSource would, until `count` events arrived, then
 * disconnects. `lastEventId` is sent the way a reconnecting EventSource sends it.
 */
async function readStream(base: string, input: object, count: number, lastEventId?: number): Promise<StreamEvent[]> {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 10_000);
  const response = await fetch(`${base}/trpc/events.stream?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(lastEventId === undefined ? {} : { "last-event-id": String(lastEventId) }) },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  const events: StreamEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: ?(.*)$/m.exec(block)?.[1];
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (id && data) events.push(JSON.parse(data) as StreamEvent);
        // The client drops the connection right after its count-th event; anything behind it in the same chunk
        // never reached it, and must come again on resume.
        if (events.length >= count) return events;
      }
    }
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
  return events;
}

for (const factory of testDatabases()) {
  describe(`live event stream on ${factory.provider}`, () => {
    let a: TestServer;
    let b: RunningServer;

    before(async () => {
      a = await startTestServer(factory);
      // A second server process on the same database: the stream must carry what it writes.
      b = await startServer(readEnv({ DATABASE_URL: a.db.url, PORT: "0", ROLLCALL_ADMIN_TOKEN: ADMIN_TOKEN, ROLLCALL_SWEEP_INTERVAL_SECONDS: "3600" }), {
        resolveHost: fakeResolver,
        logger: createLogger("error", () => undefined),
      });
    });
    after(async () => {
      await b.close();
      await a.stop();
    });

    const viaB = async (path: string, body: unknown, token: string) => {
      const response = await fetch(`${b.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      assert.equal(response.status, 200, await response.clone().text());
    };

    it("a subscriber sees events written by another server process, and resumes after a disconnect without losing or repeating one", async () => {
      const newest = (await a.admin("/api/events?limit=1")).body.events[0]?.id ?? 0;
      const { id, token } = await a.provision("streamed");
      await viaB("/registry/register", { id, url: "http://agent.example.com:8000", agent_card: { name: "s" } }, token);

      // provisioning, token issued, registered, card, online: read the first three, then drop the connection.
      const first = await readStream(a.url, { after: newest }, 3);
      assert.deepEqual(
        first.map((e) => e.type),
        ["WORKSPACE_PROVISIONING", "TOKEN_ISSUED", "WORKSPACE_REGISTERED"],
      );

      // While disconnected, more happens through the other process.
      await viaB("/registry/heartbeat", { workspace_id: id, error_rate: 0.9 }, token);
      await viaB("/registry/heartbeat", { workspace_id: id, error_rate: 0 }, token);

      const all = (await a.admin(`/api/events?after=${newest}&limit=100`)).body.events as StreamEvent[];
      const rest = await readStream(a.url, { after: newest }, all.length - first.length, first.at(-1)!.id);
      assert.deepEqual(
        [...first, ...rest].map((e) => e.id),
        all.map((e) => e.id),
        "resumed exactly after the last event seen",
      );
      assert.deepEqual(rest.map((e) => e.type).slice(-2), ["WORKSPACE_DEGRADED", "WORKSPACE_ONLINE"]);
    });

    it("a stream filtered to one workspace carries only that workspace's events", async () => {
      const newest = (await a.admin("/api/events?limit=1")).body.events[0]?.id ?? 0;
      const one = await a.provision("one");
      await a.provision("other");
      const events = await readStream(a.url, { after: newest, workspaceId: one.id }, 2);
      assert.deepEqual(new Set(events.map((e) => e.workspace_id)), new Set([one.id]));
    });

    it("the stream needs a signed-in operator: an anonymous subscriber is refused with 401 before any event", async () => {
      const response = await fetch(`${a.url}/trpc/events.stream?input=${encodeURIComponent("{}")}`, { signal: AbortSignal.timeout(2_000) });
      assert.equal(response.status, 401);
      assert.match(response.headers.get("content-type") ?? "", /application\/json/);
      const body = (await response.json()) as { error: { data: { code: string; reason: string } } };
      assert.equal(body.error.data.code, "UNAUTHORIZED");
      assert.equal(body.error.data.reason, "missing_token");
    });
  });
}
