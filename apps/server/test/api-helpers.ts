import assert from "node:assert/strict";
import type { TestServer } from "./harness.ts";

/** What an operator sees of a workspace (GET /api/workspaces/:id). */
export async function detail(server: TestServer, id: string): Promise<any> {
  const response = await server.admin(`/api/workspaces/${id}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

/** The workspace's events, newest first. */
export async function eventsOf(server: TestServer, id: string): Promise<any[]> {
  const response = await server.admin(`/api/workspaces/${id}/events?limit=100`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.events;
}

/** The newest event id, to look only at what a step adds. */
export async function eventMark(server: TestServer, id: string): Promise<number> {
  return (await eventsOf(server, id))[0]?.id ?? 0;
}

/** Events written after `mark`, newest first. */
export async function eventsAfter(server: TestServer, id: string, mark: number): Promise<any[]> {
  return (await eventsOf(server, id)).filter((event) => event.id > mark);
}

export const count = (events: any[], type: string) => events.filter((event) => event.type === type).length;

/** Every error is a JSON object with a human `error` and a machine `reason`. */
export function assertError(response: { status: number; body: any }, status: number, reason: string) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.ok(response.body !== null && typeof response.body === "object", "the body is a JSON object");
  assert.equal(typeof response.body.error, "string", JSON.stringify(response.body));
  assert.ok(response.body.error.length > 0);
  assert.equal(response.body.reason, reason, JSON.stringify(response.body));
}
