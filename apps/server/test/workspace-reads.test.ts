/**
 * What an operator reads through the REST API: the workspace list and its filters, a workspace's detail with its
 * markers, its event log (paged, filtered, tailed) and its heartbeat timeline.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertError, detail, eventsOf, ISO } from "./api-helpers.ts";
import { CARD, heartbeat, markedWorkspace, onlineWorkspace, URL_OK } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

async function listIds(server: TestServer, query = ""): Promise<{ ids: string[]; workspaces: any[] }> {
  const response = await server.admin(`/api/workspaces?limit=1000${query}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return { ids: response.body.workspaces.map((w: any) => w.id), workspaces: response.body.workspaces };
}

for (const factory of testDatabases()) {
  describe(`workspace reads (operator API) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      // The event-paging test degrades and recovers one workspace over and over to fill pages; flap damping would
      // rightly hold it degraded, and flapping has its own tests (status-over-time.test.ts).
      server = await startTestServer(factory, { ROLLCALL_FLAP_TRANSITIONS: "1000" });
    });
    after(async () => {
      await server?.stop();
    });

    describe("read", () => {
      it("the list filters by ?status= and hides removed workspaces unless asked for them", async () => {
        const starting = await server.provision("starting");
        const online = await onlineWorkspace(server, "online");
        const removed = await onlineWorkspace(server, "removed");
        assert.equal((await server.admin(`/api/workspaces/${removed.id}`, { method: "DELETE" })).status, 200);

        const onlineList = await listIds(server, "&status=online");
        assert.ok(onlineList.ids.includes(online.id));
        assert.ok(!onlineList.ids.includes(starting.id));
        assert.ok(onlineList.workspaces.every((w) => w.status === "online"));

        const provisioningList = await listIds(server, "&status=provisioning");
        assert.ok(provisioningList.ids.includes(starting.id));
        assert.ok(!provisioningList.ids.includes(online.id));
        assert.ok(provisioningList.workspaces.every((w) => w.status === "provisioning"));

        const all = await listIds(server);
        assert.ok(all.ids.includes(starting.id) && all.ids.includes(online.id));
        assert.ok(!all.ids.includes(removed.id), "removed workspaces are not listed by default");

        const removedList = await listIds(server, "&status=removed");
        assert.deepEqual(removedList.workspaces.find((w) => w.id === removed.id)?.status, "removed");
        assert.ok(!removedList.ids.includes(online.id));
      });

      it("the detail has the documented shape, markers included", async () => {
        const { id } = await markedWorkspace(server);
        const ws = await detail(server, id);
        for (const key of [
          "id",
          "name",
          "status",
          "status_reasons",
          "status_changed_at",
          "last_heartbeat_at",
          "last_error_rate",
          "url",
          "agent_card",
          "markers",
        ]) {
          assert.ok(key in ws, `detail has ${key}`);
        }
        assert.equal(ws.id, id);
        assert.equal(ws.status, "degraded");
        assert.deepEqual(ws.status_reasons, ["register_failure"]);
        assert.match(ws.status_changed_at, ISO);
        assert.match(ws.last_heartbeat_at, ISO);
        assert.equal(typeof ws.last_error_rate, "number");
        assert.equal(ws.url, URL_OK);
        assert.deepEqual(ws.agent_card, CARD);
        assert.equal(ws.markers.length, 1);
        const [marker] = ws.markers;
        for (const key of ["id", "kind", "reason", "set_at", "expires_at", "cleared_at", "cleared_by", "clear_reason"]) {
          assert.ok(key in marker, `marker has ${key}`);
        }
        assert.equal(marker.kind, "register_failure");
        assert.equal(marker.reason, "url_validate_failed");
        assert.match(marker.set_at, ISO);
        assert.match(marker.expires_at, ISO);
        assert.equal(Date.parse(marker.expires_at) - Date.parse(marker.set_at), 5 * 60_000);
        assert.equal(marker.cleared_at, null);
        assert.equal(marker.cleared_by, null);
        assert.equal(marker.clear_reason, null);
      });

      it("the events list pages newest first with a cursor, and filters by type", async () => {
        const { id, token } = await onlineWorkspace(server);
        for (let i = 0; i < 3; i++) {
          await heartbeat(server, id, token, { runtime_state: "wedged" });
          await heartbeat(server, id, token);
        }
        const all = await eventsOf(server, id);
        assert.ok(all.length >= 10, `expected at least 10 events, got ${all.length}`);
        for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].id > all[i].id, "newest first");
        for (const event of all) {
          assert.deepEqual(Object.keys(event).sort(), ["actor", "at", "id", "payload", "type", "workspace_id"]);
          assert.equal(event.workspace_id, id);
          assert.match(event.at, ISO);
        }

        const paged: any[] = [];
        let cursor: number | null = null;
        for (let page = 0; page < 50; page++) {
          const response = await server.admin(`/api/workspaces/${id}/events?limit=3${cursor === null ? "" : `&before=${cursor}`}`);
          assert.equal(response.status, 200);
          assert.ok(response.body.events.length <= 3);
          paged.push(...response.body.events);
          cursor = response.body.next_cursor;
          if (cursor === null) break;
        }
        assert.deepEqual(paged, all);

        const online = await server.admin(`/api/workspaces/${id}/events?type=WORKSPACE_ONLINE`);
        assert.equal(online.body.events.length, 4);
        assert.ok(online.body.events.every((e: any) => e.type === "WORKSPACE_ONLINE"));

        // Tailing: events after a cursor come oldest first.
        const oldest = all.at(-1);
        const tail = await server.admin(`/api/workspaces/${id}/events?after=${oldest.id}&limit=100`);
        assert.deepEqual(tail.body.events, all.slice(0, -1).reverse());
      });

      it("every accepted heartbeat becomes a timeline sample with at, error_rate, active_tasks and status", async () => {
        const { id, token } = await onlineWorkspace(server);
        const beats = [
          { error_rate: 0, active_tasks: 1 },
          { error_rate: 0.2, active_tasks: 2 },
          { error_rate: 0.6, active_tasks: 3 },
        ];
        const times: number[] = [];
        for (const beat of beats) {
          server.clock.advance(30_000);
          times.push(server.clock.now());
          assert.equal((await heartbeat(server, id, token, beat)).status, 200);
          // Refused heartbeats leave no sample.
          assertError(await heartbeat(server, id, token, { error_rate: 7 }), 400, "invalid_body");
        }
        assertError(await heartbeat(server, id, "wrong-token", { error_rate: 0.9 }), 401, "invalid_token");
        const response = await server.admin(`/api/workspaces/${id}/heartbeats`);
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.workspace_id, id);
        const samples = response.body.samples;
        assert.equal(samples.length, 3);
        samples.forEach((sample: any, i: number) => {
          assert.deepEqual(Object.keys(sample).sort(), ["active_tasks", "at", "error_rate", "status"]);
          assert.ok(Math.abs(Date.parse(sample.at) - (times[i] ?? 0)) < 2_000);
          assert.equal(sample.error_rate, beats[i]?.error_rate);
          assert.equal(sample.active_tasks, beats[i]?.active_tasks);
        });
        assert.deepEqual(
          samples.map((s: any) => s.status),
          ["online", "online", "degraded"],
        );
        // A shorter window keeps only the recent samples.
        server.clock.advance(45_000);
        const recent = await server.admin(`/api/workspaces/${id}/heartbeats?minutes=1`);
        assert.equal(recent.body.samples.length, 1);
        assert.equal(recent.body.samples[0].active_tasks, 3);
      });
    });
  });
}
