/**
 * The hardened edge, class by class as the black-box session found them (issue 10): input limits before the domain,
 * the same answer on both databases, protocol edges answered in JSON, one operator gate and one credential limiter
 * on every authenticated path, and the REST API and its OpenAPI document derived from the one route table.
 */
import { createAccountStore, openDatabase } from "@rollcall/db";
import { createOperator, INPUT_LIMITS, signIn } from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { assertError, detail, eventsOf } from "./api-helpers.ts";
import { CARD, onlineWorkspace, URL_OK } from "./fixtures.ts";
import { ADMIN_TOKEN, startTestServer, testDatabases, type TestServer } from "./harness.ts";

type Reply = { status: number; body: any; headers: Headers };

async function request(
  server: TestServer,
  path: string,
  init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, { method: init.method ?? "POST", headers: init.headers, body: init.body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const nested = (levels: number) => JSON.parse(`${"[".repeat(levels)}1${"]".repeat(levels)}`) as unknown;

/** What must not move when a request is refused: the row, its markers, its events. */
async function unchanged(server: TestServer, id: string, send: () => Promise<Reply>): Promise<Reply> {
  const before = { ws: await detail(server, id), events: await eventsOf(server, id) };
  const reply = await send();
  assert.deepEqual({ ws: await detail(server, id), events: await eventsOf(server, id) }, before, "nothing changed");
  return reply;
}

for (const factory of testDatabases()) {
  describe(`the hardened edge on ${factory.provider}`, () => {
    let server: TestServer;
    let target: { id: string; token: string };
    before(async () => {
      server = await startTestServer(factory);
      target = await onlineWorkspace(server, "edge-target");
    });
    after(async () => {
      await server?.stop();
    });
    // A fresh credential-limit window for every test: the deliberate 401s here never add up to a 429.
    beforeEach(() => server.clock.advance(61_000));

    describe("limits before the domain", () => {
      it("an agent card nested 3,200 levels deep: 400 json_too_deep on register (no marker) and on heartbeat", async () => {
        const card = { name: "agent", url: URL_OK, deep: nested(3_200) };
        const registered = await unchanged(server, target.id, () =>
          request(server, "/registry/register", {
            body: JSON.stringify({ id: target.id, url: URL_OK, agent_card: card }),
            headers: { authorization: `Bearer ${target.token}` },
          }),
        );
        assertError(registered, 400, "json_too_deep");
        assert.match(registered.body.error, /agent_card\.deep(\.0)+: nested deeper than 32 levels/);
        assert.equal((await detail(server, target.id)).markers.length, 0, "no internal marker");
        const beat = await request(server, "/registry/heartbeat", {
          body: JSON.stringify({ workspace_id: target.id, agent_card: card }),
          headers: { authorization: `Bearer ${target.token}` },
        });
        assertError(beat, 400, "json_too_deep");
      });

      for (const field of ["current_task", "sample_error"]) {
        it(`a NUL in ${field} is 400 nul_character, the same on both databases, and nothing is stored`, async () => {
          const reply = await unchanged(server, target.id, () =>
            request(server, "/registry/heartbeat", {
              body: JSON.stringify({ workspace_id: target.id, [field]: "a\u0000b" }),
              headers: { authorization: `Bearer ${target.token}` },
            }),
          );
          assertError(reply, 400, "nul_character");
          assert.match(reply.body.error, new RegExp(`${field}: a string contains a NUL character`));
        });
      }

      it("a NUL in a workspace name, an operator's clear reason or a search is 400 nul_character", async () => {
        assertError(await request(server, "/api/workspaces", { body: JSON.stringify({ name: "evil\u0000name" }), headers: admin }), 400, "nul_character");
        assertError(await request(server, `/api/workspaces?search=${encodeURIComponent("a\u0000")}`, { method: "GET", headers: admin }), 400, "nul_character");
        const clear = await request(server, `/api/workspaces/${target.id}/markers/${randomUUID()}/clear`, {
          body: JSON.stringify({ reason: "fixed \u0000" }),
          headers: admin,
        });
        assertError(clear, 400, "nul_character");
      });

      it("a lone surrogate is 400 invalid_unicode on both databases", async () => {
        const reply = await request(server, "/registry/heartbeat", {
          body: `{"workspace_id":"${target.id}","current_task":"\\ud800"}`,
          headers: { authorization: `Bearer ${target.token}` },
        });
        assertError(reply, 400, "invalid_unicode");
      });

      it(`an agent card with more than ${INPUT_LIMITS.maxSkills} skills, or over ${INPUT_LIMITS.maxCardBytes} bytes, is refused with its own reason`, async () => {
        const skills = Array.from({ length: INPUT_LIMITS.maxSkills + 1 }, (_, i) => ({ id: `s${i}` }));
        const many = await request(server, "/registry/update-card", {
          body: JSON.stringify({ workspace_id: target.id, agent_card: { ...CARD, skills } }),
          headers: { authorization: `Bearer ${target.token}` },
        });
        assertError(many, 400, "too_many_skills");
        const description = "d".repeat(4_000);
        const large = { ...CARD, skills: Array.from({ length: 9 }, (_, i) => ({ id: `s${i}`, description })) };
        assertError(
          await request(server, "/registry/update-card", {
            body: JSON.stringify({ workspace_id: target.id, agent_card: large }),
            headers: { authorization: `Bearer ${target.token}` },
          }),
          400,
          "agent_card_too_large",
        );
        assert.deepEqual((await detail(server, target.id)).agent_card, CARD);
      });

      it(`a string over ${INPUT_LIMITS.maxStringLength} characters anywhere is 400 string_too_long`, async () => {
        const card = { ...CARD, description: "x".repeat(INPUT_LIMITS.maxStringLength + 1) };
        assertError(
          await request(server, "/registry/update-card", {
            body: JSON.stringify({ workspace_id: target.id, agent_card: card }),
            headers: { authorization: `Bearer ${target.token}` },
          }),
          400,
          "string_too_long",
        );
      });
    });

    describe("protocol edges", () => {
      it("a 40 KB Authorization header gets a JSON 431", async () => {
        const reply = await request(server, "/api/workspaces", { method: "GET", headers: { authorization: `Bearer ${"x".repeat(40_000)}` } });
        assertError(reply, 431, "headers_too_large");
      });

      for (const path of ["/registry/heartbeat", "/trpc/runtime.heartbeat", "/api/workspaces", "/trpc/workspace.provision"]) {
        it(`a whole 10 MB upload to ${path} gets its 413, read by Node's fetch`, async () => {
          for (let attempt = 0; attempt < 3; attempt++) {
            const reply = await request(server, path, {
              body: new Uint8Array(10 * 1024 * 1024).fill(120),
              headers: { ...admin, "content-type": "application/json" },
            });
            assert.equal(reply.status, 413);
            const reason = path.startsWith("/trpc") ? reply.body.error.data.reason : reply.body.reason;
            assert.equal(reason, "body_too_large");
          }
        });
      }

      it("search takes % and _ literally, on both databases, and is case-insensitive", async () => {
        const underscore = await server.provision("Edge_Under");
        await server.provision("edgeXunder");
        const names = async (search: string) =>
          (await request(server, `/api/workspaces?search=${encodeURIComponent(search)}&limit=1000`, { method: "GET", headers: admin })).body.workspaces.map(
            (w: any) => w.name,
          );
        assert.deepEqual(await names("%"), []);
        assert.deepEqual(await names("edge_under"), ["Edge_Under"]);
        assert.ok((await names("_")).every((name: string) => name.includes("_")));
        assert.ok(underscore.id);
      });

      it("a client that goes away mid-body is a refusal, not a server fault", async () => {
        const internal = async () => {
          const text = await (await fetch(`${server.url}/metrics`)).text();
          return [...text.matchAll(/rollcall_runtime_calls_total\{[^}]*outcome="internal"[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
        };
        const before = await internal();
        const { port } = new URL(server.url);
        await new Promise<void>((resolve) => {
          const socket = connect(Number(port), "127.0.0.1", () => {
            socket.write(`POST /registry/heartbeat HTTP/1.1\r\nhost: rollcall\r\ncontent-length: 1000\r\n\r\n{"workspace_id":`);
            setTimeout(() => socket.destroy(), 50);
          });
          socket.on("close", () => resolve());
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(await internal(), before);
        assert.match(await (await fetch(`${server.url}/metrics`)).text(), /rollcall_runtime_calls_total\{[^}]*outcome="malformed_request"/);
      });

      it("a wrong method gets 405 with Allow, an unknown path 404, both JSON", async () => {
        const wrong = await request(server, "/registry/heartbeat", { method: "GET" });
        assertError(wrong, 405, "method_not_allowed");
        assert.equal(wrong.headers.get("allow"), "POST");
        assertError(await request(server, "/nowhere", { method: "GET" }), 404, "not_found");
        assert.equal((await request(server, "/trpc/nowhere", { method: "GET" })).body.error.data.reason, "not_found");
      });
    });

    describe("one operator gate, one credential limiter", () => {
      it("tRPC with the admin token and an invalid X-Operator-Name is a 400, as on REST", async () => {
        const trpc = await request(server, "/trpc/workspace.list", { method: "GET", headers: { ...admin, "x-operator-name": "robert'); DROP TABLE" } });
        assert.equal(trpc.status, 400);
        assert.equal(trpc.body.error.data.reason, "invalid_operator_name");
        assertError(await request(server, "/api/workspaces", { method: "GET", headers: { ...admin, "x-operator-name": "a b" } }), 400, "invalid_operator_name");
      });

      for (const [name, path, method] of [
        ["a tRPC query", "/trpc/workspace.list", "GET"],
        ["a tRPC mutation", "/trpc/workspace.provision", "POST"],
        ["the live stream", "/trpc/events.stream", "GET"],
        ["REST", "/api/events", "GET"],
      ] as const) {
        it(`wrong admin tokens on ${name} are limited: 20, then 429 on every operator path`, async () => {
          for (let attempt = 1; attempt <= 20; attempt++) {
            assert.equal(
              (
                await request(server, path, {
                  method,
                  body: method === "POST" ? "{}" : undefined,
                  headers: { authorization: `Bearer wrong-${attempt}-0123456789` },
                })
              ).status,
              401,
            );
          }
          for (const [other, otherMethod] of [
            ["/api/workspaces", "GET"],
            ["/trpc/workspace.counts", "GET"],
            [path, method],
          ] as const) {
            const limited = await request(server, other, { method: otherMethod, body: otherMethod === "POST" ? "{}" : undefined, headers: admin });
            assert.equal(limited.status, 429, other);
            assert.equal(limited.headers.get("retry-after"), "60");
          }
        });
      }

      it("a console session works as a bearer on the operator API, with its own role and name", async () => {
        const database = await openDatabase(server.db.url);
        try {
          const accounts = { accounts: createAccountStore(database), clock: server.clock.now, newId: randomUUID };
          await createOperator(accounts, { name: "vera", role: "viewer", password: "a long enough password" }, "test");
          await createOperator(accounts, { name: "olga", role: "operator", password: "a long enough password" }, "test");
          const viewer = (await signIn(accounts, { name: "vera", password: "a long enough password" })).token;
          const operator = (await signIn(accounts, { name: "olga", password: "a long enough password" })).token;
          assert.equal((await request(server, "/api/workspaces", { method: "GET", headers: { authorization: `Bearer ${viewer}` } })).status, 200);
          assertError(await request(server, "/api/workspaces", { body: "{}", headers: { authorization: `Bearer ${viewer}` } }), 403, "forbidden");
          const created = await request(server, "/api/workspaces", {
            body: JSON.stringify({ name: "by-olga" }),
            headers: { authorization: `Bearer ${operator}` },
          });
          assert.equal(created.status, 201);
          assert.equal((await eventsOf(server, created.body.id)).at(-1).actor, "operator:olga");
        } finally {
          await database.close();
        }
      });
    });

    describe("REST from the router, and its OpenAPI document", () => {
      it("serves /api/openapi.json with every REST route the server answers, and only those", async () => {
        const reply = await request(server, "/api/openapi.json", { method: "GET" });
        assert.equal(reply.status, 200);
        const operations = Object.entries(reply.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
          Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
        );
        assert.deepEqual(operations.sort(), [
          "DELETE /api/notifications/endpoints/{id}",
          "DELETE /api/workspaces/{workspaceId}",
          "DELETE /api/workspaces/{workspaceId}/maintenance",
          "GET /api/events",
          "GET /api/fleet/overview",
          "GET /api/notifications/endpoints",
          "GET /api/notifications/endpoints/{id}",
          "GET /api/notifications/endpoints/{id}/deliveries",
          "GET /api/self-preservation",
          "GET /api/workspaces",
          "GET /api/workspaces/{workspaceId}",
          "GET /api/workspaces/{workspaceId}/availability",
          "GET /api/workspaces/{workspaceId}/events",
          "GET /api/workspaces/{workspaceId}/heartbeats",
          "POST /api/maintenance",
          "POST /api/maintenance/end",
          "POST /api/notifications/endpoints",
          "POST /api/notifications/endpoints/{id}",
          "POST /api/notifications/endpoints/{id}/deliveries/{eventId}/redeliver",
          "POST /api/notifications/endpoints/{id}/test",
          "POST /api/self-preservation/end",
          "POST /api/workspaces",
          "POST /api/workspaces/{workspaceId}/maintenance",
          "POST /api/workspaces/{workspaceId}/markers/{markerId}/clear",
          "POST /api/workspaces/{workspaceId}/restart",
          "POST /api/workspaces/{workspaceId}/token",
        ]);
        assert.deepEqual(reply.body.paths["/api/workspaces"].post.responses["201"], { description: "Done" });
        assert.ok(reply.body.components.schemas.Error.properties.reason.enum.includes("json_too_deep"));
        const endpoint = await request(server, "/api/notifications/endpoints", {
          method: "POST",
          headers: admin,
          body: JSON.stringify({ name: "ops", url: "https://93.184.216.34/hook" }),
        });
        assert.equal(endpoint.status, 201);
        for (const operation of operations.filter((op) => op.startsWith("GET"))) {
          const path = operation.slice(4).replace("{workspaceId}", target.id).replace("{id}", endpoint.body.id);
          assert.equal((await request(server, path, { method: "GET", headers: admin })).status, 200, operation);
        }
      });
    });
  });
}
