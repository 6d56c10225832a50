/**
 * The bad-input table: every malformed request is refused with the right status, a JSON body `{error, reason}`
 * carrying the exact machine reason, and changes nothing (the workspace, its events, its heartbeat timeline and
 * the global event log read the same before and after).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";
import { assertError } from "./api-helpers.ts";
import { CARD, onlineWorkspace, URL_OK } from "./fixtures.ts";
const LIMIT = 64 * 1024;

type Reply = { status: number; body: any };
type Target = { id: string; token: string };

/** Everything an operator can read about a workspace, plus the newest global events. */
async function snapshot(server: TestServer, id: string) {
  const [ws, events, heartbeats, global, list] = await Promise.all([
    server.admin(`/api/workspaces/${id}`),
    server.admin(`/api/workspaces/${id}/events?limit=100`),
    server.admin(`/api/workspaces/${id}/heartbeats`),
    server.admin(`/api/events?limit=100`),
    server.admin(`/api/workspaces?limit=1000`),
  ]);
  assert.equal(ws.status, 200);
  // `since` moves with the clock, the samples do not.
  return { ws: ws.body, events: events.body, samples: heartbeats.body.samples, global: global.body, list: list.body };
}

/** Sends `send`, checks the refusal, and checks that nothing anywhere changed. */
async function refusedWithoutChange(server: TestServer, id: string, status: number, reason: string, send: () => Promise<Reply>) {
  const before = await snapshot(server, id);
  const response = await send();
  assertError(response, status, reason);
  assert.deepEqual(await snapshot(server, id), before, "nothing changed");
  return response;
}

/** A raw request, for bodies and headers the harness cannot send. */
async function raw(server: TestServer, path: string, init: { method?: string; body?: string; headers?: Record<string, string> }): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

type Case = { name: string; body: (t: Target) => unknown; reason?: string; status?: number };

const big = "x".repeat(LIMIT + 1024);

const HEARTBEAT_CASES: Case[] = [
  { name: "malformed JSON", body: (t) => `{"workspace_id": "${t.id}", "error_rate": 0,` },
  { name: "a lone brace", body: () => "{" },
  { name: "text that is not JSON", body: () => "workspace_id=abc&error_rate=0" },
  { name: "a JSON array", body: (t) => [{ workspace_id: t.id }] },
  { name: "JSON null", body: () => "null" },
  { name: "a JSON string", body: (t) => JSON.stringify(t.id) },
  { name: "an empty body", body: () => "" },
  { name: "no workspace_id", body: () => ({ error_rate: 0 }) },
  { name: "a numeric workspace_id", body: () => ({ workspace_id: 123, error_rate: 0 }) },
  { name: "a non-UUID workspace_id", body: () => ({ workspace_id: "ws-123", error_rate: 0 }) },
  { name: "an empty workspace_id", body: () => ({ workspace_id: "", error_rate: 0 }) },
  { name: "a path-like workspace_id", body: () => ({ workspace_id: "../../etc/passwd", error_rate: 0 }) },
  { name: "a workspace_id with trailing junk", body: (t) => ({ workspace_id: `${t.id}x`, error_rate: 0 }) },
  { name: "error_rate 1.5 (above 1)", body: (t) => ({ workspace_id: t.id, error_rate: 1.5 }) },
  { name: "error_rate -0.1 (below 0)", body: (t) => ({ workspace_id: t.id, error_rate: -0.1 }) },
  { name: "error_rate as a string", body: (t) => ({ workspace_id: t.id, error_rate: "0.5" }) },
  { name: "error_rate null", body: (t) => ({ workspace_id: t.id, error_rate: null }) },
  { name: "error_rate as a boolean", body: (t) => ({ workspace_id: t.id, error_rate: true }) },
  { name: "error_rate overflowing to Infinity (1e309)", body: (t) => `{"workspace_id": "${t.id}", "error_rate": 1e309}` },
  { name: "negative active_tasks", body: (t) => ({ workspace_id: t.id, active_tasks: -1 }) },
  { name: "fractional active_tasks", body: (t) => ({ workspace_id: t.id, active_tasks: 1.5 }) },
  { name: "overflowing active_tasks", body: (t) => ({ workspace_id: t.id, active_tasks: 1e12 }) },
  { name: "active_tasks beyond 2^53", body: (t) => `{"workspace_id": "${t.id}", "active_tasks": 99999999999999999999}` },
  { name: "active_tasks as a string", body: (t) => ({ workspace_id: t.id, active_tasks: "3" }) },
  { name: "negative uptime_seconds", body: (t) => ({ workspace_id: t.id, uptime_seconds: -5 }) },
  { name: "overflowing uptime_seconds", body: (t) => ({ workspace_id: t.id, uptime_seconds: 1e11 }) },
  { name: "uptime_seconds as a string", body: (t) => ({ workspace_id: t.id, uptime_seconds: "100" }) },
  { name: "an unknown runtime_state", body: (t) => ({ workspace_id: t.id, runtime_state: "sleepy" }) },
  { name: "a numeric runtime_state", body: (t) => ({ workspace_id: t.id, runtime_state: 1 }) },
  { name: "a numeric sample_error", body: (t) => ({ workspace_id: t.id, sample_error: 42 }) },
  { name: "an oversized sample_error", body: (t) => ({ workspace_id: t.id, sample_error: "e".repeat(5_000) }), reason: "string_too_long" },
  { name: "an oversized current_task", body: (t) => ({ workspace_id: t.id, current_task: "t".repeat(2_000) }), reason: "string_too_long" },
  { name: "runtime_metadata as a string", body: (t) => ({ workspace_id: t.id, runtime_metadata: "status_mgmt" }) },
  { name: "a non-boolean capability", body: (t) => ({ workspace_id: t.id, runtime_metadata: { capabilities: { status_mgmt: "yes" } } }) },
  { name: "a body over 64 KiB", body: (t) => ({ workspace_id: t.id, sample_error: big }), status: 413, reason: "body_too_large" },
];

const REGISTER_CASES: Case[] = [
  { name: "malformed JSON", body: (t) => `{"id": "${t.id}", "agent_card": {` },
  { name: "a JSON array", body: (t) => [t.id] },
  { name: "only an id", body: (t) => ({ id: t.id }) },
  { name: "no id", body: () => ({ url: URL_OK, agent_card: CARD }) },
  { name: "a non-UUID id", body: () => ({ id: "ws-123", url: URL_OK, agent_card: CARD }) },
  { name: "a numeric id", body: () => ({ id: 42, url: URL_OK, agent_card: CARD }) },
  { name: "agent_card as a string", body: (t) => ({ id: t.id, url: URL_OK, agent_card: "agent" }) },
  { name: "agent_card as an array", body: (t) => ({ id: t.id, url: URL_OK, agent_card: [CARD] }) },
  { name: "agent_card {}", body: (t) => ({ id: t.id, url: URL_OK, agent_card: {} }) },
  { name: "agent_card null", body: (t) => ({ id: t.id, url: URL_OK, agent_card: null }) },
  { name: "agent_card.url as a number", body: (t) => ({ id: t.id, url: URL_OK, agent_card: { name: "agent", url: 8000 } }) },
  { name: "url as a number", body: (t) => ({ id: t.id, url: 8000, agent_card: CARD }) },
  {
    name: "url over 2048 characters",
    body: (t) => ({ id: t.id, url: `http://agent.example.com/${"a".repeat(3_000)}`, agent_card: CARD }),
    reason: "string_too_long",
  },
  { name: "an unknown delivery_mode", body: (t) => ({ id: t.id, url: URL_OK, agent_card: CARD, delivery_mode: "carrier-pigeon" }) },
  { name: "a numeric delivery_mode", body: (t) => ({ id: t.id, url: URL_OK, agent_card: CARD, delivery_mode: 1 }) },
  { name: "a body over 64 KiB", body: (t) => ({ id: t.id, url: URL_OK, agent_card: { ...CARD, description: big } }), status: 413, reason: "body_too_large" },
];

const UPDATE_CARD_CASES: Case[] = [
  { name: "malformed JSON", body: (t) => `{"workspace_id": "${t.id}", "agent_card": ` },
  { name: "no agent_card", body: (t) => ({ workspace_id: t.id }) },
  { name: "no workspace_id", body: () => ({ agent_card: CARD }) },
  { name: "a non-UUID workspace_id", body: () => ({ workspace_id: "ws-123", agent_card: CARD }) },
  { name: "agent_card {}", body: (t) => ({ workspace_id: t.id, agent_card: {} }) },
  { name: "agent_card null", body: (t) => ({ workspace_id: t.id, agent_card: null }) },
  { name: "agent_card as a number", body: (t) => ({ workspace_id: t.id, agent_card: 7 }) },
  { name: "agent_card.url as a number", body: (t) => ({ workspace_id: t.id, agent_card: { name: "agent", url: 8000 } }) },
  {
    name: "a card URL at the metadata address",
    body: (t) => ({ workspace_id: t.id, agent_card: { name: "agent", url: "http://169.254.169.254/latest" } }),
    reason: "url_validate_failed",
  },
  {
    name: "a card URL with a file: scheme",
    body: (t) => ({ workspace_id: t.id, agent_card: { name: "agent", url: "file:///etc/passwd" } }),
    reason: "url_validate_failed",
  },
  { name: "a body over 64 KiB", body: (t) => ({ workspace_id: t.id, agent_card: { ...CARD, description: big } }), status: 413, reason: "body_too_large" },
];

const ROUTES: [string, Case[]][] = [
  ["/registry/heartbeat", HEARTBEAT_CASES],
  ["/registry/register", REGISTER_CASES],
  ["/registry/update-card", UPDATE_CARD_CASES],
];

for (const factory of testDatabases()) {
  describe(`bad input on ${factory.provider}`, () => {
    let server: TestServer;
    /** An online workspace with a stored card and some history: the thing that must not change. */
    let target: Target;
    before(async () => {
      server = await startTestServer(factory);
      target = await onlineWorkspace(server, "bad-input-target");
      assert.equal((await server.runtime("/registry/heartbeat", { workspace_id: target.id, error_rate: 0.2, active_tasks: 2 }, target.token)).status, 200);
    });
    after(async () => {
      await server?.stop();
    });

    for (const [path, cases] of ROUTES) {
      describe(`POST ${path}`, () => {
        for (const testCase of cases) {
          const status = testCase.status ?? 400;
          const reason = testCase.reason ?? "invalid_body";
          it(`${testCase.name} is refused with ${status} ${reason} and changes nothing`, async () => {
            await refusedWithoutChange(server, target.id, status, reason, () => server.runtime(path, testCase.body(target), target.token));
          });
        }

        it("a body over 64 KiB sent in chunks (no content-length) is refused with 413 body_too_large and changes nothing", async () => {
          await refusedWithoutChange(server, target.id, 413, "body_too_large", async () => {
            const payload = new TextEncoder().encode(JSON.stringify({ workspace_id: target.id, id: target.id, sample_error: big }));
            const stream = new ReadableStream<Uint8Array>({
              start(controller) {
                for (let offset = 0; offset < payload.length; offset += 8_192) controller.enqueue(payload.slice(offset, offset + 8_192));
                controller.close();
              },
            });
            const response = await fetch(`${server.url}${path}`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
              body: stream,
              duplex: "half",
            });
            return { status: response.status, body: await response.json() };
          });
        });

        it("an unknown workspace is refused with 404 unknown_workspace and nothing is created", async () => {
          const unknown = randomUUID();
          const body = { id: unknown, workspace_id: unknown, url: URL_OK, agent_card: CARD, error_rate: 0 };
          await refusedWithoutChange(server, target.id, 404, "unknown_workspace", () => server.runtime(path, body, target.token));
          assertError(await server.admin(`/api/workspaces/${unknown}`), 404, "unknown_workspace");
        });

        it("a removed workspace is refused with 410 workspace_removed and stays removed, unchanged", async () => {
          const removed = await onlineWorkspace(server, "to-be-removed");
          assert.equal((await server.admin(`/api/workspaces/${removed.id}`, { method: "DELETE" })).status, 200);
          const body = { id: removed.id, workspace_id: removed.id, url: URL_OK, agent_card: { name: "back", url: URL_OK }, error_rate: 0.9 };
          const response = await refusedWithoutChange(server, removed.id, 410, "workspace_removed", () => server.runtime(path, body, removed.token));
          assert.equal(response.body.error, "workspace removed");
          assert.equal((await server.admin(`/api/workspaces/${removed.id}`)).body.status, "removed");
        });
      });
    }

    describe("operator API", () => {
      const getCases: [string, (t: Target) => string, number, string][] = [
        ["a non-UUID workspace id", () => "/api/workspaces/not-a-uuid", 400, "invalid_body"],
        ["an unknown workspace id", () => `/api/workspaces/${randomUUID()}`, 404, "unknown_workspace"],
        ["a malformed percent-encoding in the workspace id", () => "/api/workspaces/%E0%A4%A", 400, "invalid_body"],
        ["an unknown status filter", () => "/api/workspaces?status=sleeping", 400, "invalid_body"],
        ["a zero limit", () => "/api/workspaces?limit=0", 400, "invalid_body"],
        ["a negative limit", () => "/api/workspaces?limit=-5", 400, "invalid_body"],
        ["a non-numeric limit", () => "/api/workspaces?limit=ten", 400, "invalid_body"],
        ["an overflowing limit", () => "/api/workspaces?limit=1e400", 400, "invalid_body"],
        ["events with a non-numeric cursor", (t) => `/api/workspaces/${t.id}/events?before=abc`, 400, "invalid_body"],
        ["events with a negative cursor", (t) => `/api/workspaces/${t.id}/events?after=-1`, 400, "invalid_body"],
        ["events with an unknown type", (t) => `/api/workspaces/${t.id}/events?type=NOT_A_TYPE`, 400, "invalid_body"],
        ["events with a limit over 500", (t) => `/api/workspaces/${t.id}/events?limit=501`, 400, "invalid_body"],
        ["events of a non-UUID workspace", () => "/api/workspaces/ws-123/events", 400, "invalid_body"],
        ["heartbeats over more than a day", (t) => `/api/workspaces/${t.id}/heartbeats?minutes=100000`, 400, "invalid_body"],
        ["heartbeats of an unknown workspace", () => `/api/workspaces/${randomUUID()}/heartbeats`, 404, "unknown_workspace"],
      ];
      for (const [name, path, status, reason] of getCases) {
        it(`GET with ${name} is refused with ${status} ${reason}`, async () => {
          await refusedWithoutChange(server, target.id, status, reason, () => server.admin(path(target)));
        });
      }

      const postCases: [string, (t: Target) => string, string | object, number, string][] = [
        ["provision with malformed JSON", () => "/api/workspaces", '{"name": ', 400, "invalid_body"],
        ["provision with a numeric name", () => "/api/workspaces", { name: 42 }, 400, "invalid_body"],
        ["provision with a blank name", () => "/api/workspaces", { name: "   " }, 400, "invalid_body"],
        ["provision with a 300-character name", () => "/api/workspaces", { name: "n".repeat(300) }, 400, "string_too_long"],
        ["provision with a body over 64 KiB", () => "/api/workspaces", { name: "n", padding: big }, 413, "body_too_large"],
        ["clear with a non-UUID marker id", (t) => `/api/workspaces/${t.id}/markers/abc/clear`, { reason: "fixed the DNS" }, 400, "invalid_body"],
        ["clear of an unknown marker", (t) => `/api/workspaces/${t.id}/markers/${randomUUID()}/clear`, { reason: "fixed the DNS" }, 404, "unknown_marker"],
        ["clear with malformed JSON", (t) => `/api/workspaces/${t.id}/markers/${randomUUID()}/clear`, '{"reason":', 400, "invalid_body"],
        ["clear with a numeric reason", (t) => `/api/workspaces/${t.id}/markers/${randomUUID()}/clear`, { reason: 42 }, 400, "invalid_body"],
        ["restart of an unknown workspace", () => `/api/workspaces/${randomUUID()}/restart`, {}, 404, "unknown_workspace"],
        ["token rotation of a non-UUID workspace", () => "/api/workspaces/ws-123/token", {}, 400, "invalid_body"],
      ];
      for (const [name, path, body, status, reason] of postCases) {
        it(`POST ${name} is refused with ${status} ${reason} and changes nothing`, async () => {
          await refusedWithoutChange(server, target.id, status, reason, () => server.admin(path(target), { method: "POST", body }));
        });
      }

      it("an operator name header with forbidden characters is refused with 400 invalid_operator_name and changes nothing", async () => {
        await refusedWithoutChange(server, target.id, 400, "invalid_operator_name", () =>
          raw(server, `/api/workspaces/${target.id}/restart`, {
            body: "{}",
            headers: { authorization: "Bearer test-admin-token-0123456789", "x-operator-name": "robert'); DROP TABLE workspaces;--" },
          }),
        );
      });

      it("operator actions on a removed workspace are refused with 410 workspace_removed and change nothing", async () => {
        const removed = await server.provision("removed-for-operator");
        assert.equal((await server.admin(`/api/workspaces/${removed.id}`, { method: "DELETE" })).status, 200);
        for (const [method, path] of [
          ["POST", `/api/workspaces/${removed.id}/restart`],
          ["POST", `/api/workspaces/${removed.id}/token`],
          ["DELETE", `/api/workspaces/${removed.id}`],
        ] as const) {
          await refusedWithoutChange(server, removed.id, 410, "workspace_removed", () =>
            server.admin(path, { method, body: method === "POST" ? {} : undefined }),
          );
        }
      });
    });
  });
}
