/**
 * What the integration tests set up, shared so that "an online workspace" or "a marked workspace" means the same
 * thing in every file: the URLs and card a runtime sends, the runtime calls with valid defaults, and the workspaces
 * in a known state. Readers of what an operator sees are in api-helpers.ts; the server itself is in harness.ts.
 */
import assert from "node:assert/strict";
import type { WorkspaceChange } from "@rollcall/registry-core";
import { assertError, detail } from "./api-helpers.ts";
import type { TestServer } from "./harness.ts";

// Canonical, as the registry stores it: what is sent is what an operator reads back. FAKE_DNS resolves both hosts.
export const URL_OK = "http://agent.example.com:8000/";
export const URL_OK_2 = "http://agent2.example.com:8000/";
export const CARD = { name: "agent", url: URL_OK };
/** A Docker container id as hostname, as in incident #2739: FAKE_DNS cannot resolve it. */
export const UNRESOLVABLE = "http://212851b5693d:8000";

/** The default policy's 90 s without a heartbeat, plus 1 s: the sweep takes the workspace offline. */
export const OFFLINE_AFTER_PLUS_1S = 91_000;
/** The default policy's 10 minutes to a first register or heartbeat, plus 1 s: the provision fails. */
export const PROVISION_TIMEOUT_PLUS_1S = 10 * 60_000 + 1_000;

/** POST /registry/register for `id` with URL_OK and CARD, unless `body` says otherwise. */
export function register(server: TestServer, id: string, token: string | undefined, body: Record<string, unknown> = {}) {
  return server.runtime("/registry/register", { id, url: URL_OK, agent_card: CARD, ...body }, token);
}

/** POST /registry/heartbeat for `id`: healthy (error rate 0), card-less, unless `body` says otherwise. */
export function heartbeat(server: TestServer, id: string, token: string | undefined, body: Record<string, unknown> = {}) {
  return server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0, ...body }, token);
}

/** A provisioned workspace that registered successfully: online, with card CARD and URL_OK. */
export async function onlineWorkspace(server: TestServer, name?: string): Promise<{ id: string; token: string }> {
  const workspace = await server.provision(name);
  const response = await register(server, workspace.id, workspace.token);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.workspace_status, "online");
  return workspace;
}

/** Online, then degraded by an authenticated failed register: one active register_failure marker. */
export async function markedWorkspace(server: TestServer): Promise<{ id: string; token: string; markerId: string }> {
  const workspace = await onlineWorkspace(server);
  assertError(await register(server, workspace.id, workspace.token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
  const ws = await detail(server, workspace.id);
  assert.equal(ws.status, "degraded");
  assert.equal(ws.markers.length, 1);
  return { ...workspace, markerId: ws.markers[0].id as string };
}

/** Text a failing database might put in an error; it must never reach a client. */
const DB_ERROR_TEXT = 'SQLITE_IOERR: disk I/O error near relation "workspaces" at /var/lib/rollcall/secret.db';

/** Makes the store's next `times` commits fail with database text (DB_ERROR_TEXT), then restores it. */
export async function withFailingCommits<T>(server: TestServer, times: number, run: () => Promise<T>): Promise<T> {
  const store = server.deps.store;
  const original = store.commit;
  let failures = 0;
  store.commit = async (change: WorkspaceChange) => {
    if (failures < times) {
      failures++;
      throw new Error(DB_ERROR_TEXT);
    }
    return original(change);
  };
  try {
    return await run();
  } finally {
    store.commit = original;
  }
}
