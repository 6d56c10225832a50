import assert from "node:assert/strict";
import { ADMIN_TOKEN, type TestServer } from "./harness.ts";

/** A timestamp as the API writes it. */
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

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

/** The value of one series in a /metrics text, 0 while it does not exist yet. */
export const seriesValue = (text: string, series: string) =>
  Number(
    text
      .split("\n")
      .find((line) => line.startsWith(`${series} `))
      ?.slice(series.length + 1) ?? 0,
  );

export const typesOf = (events: any[]) => events.map((event) => event.type as string);

/** A workspace's markers that still hold (neither cleared nor expired). */
export const activeMarkers = (ws: any): any[] => ws.markers.filter((marker: any) => marker.active);

/** Asserts that `iso` is a timestamp within 5 s of the server's clock. */
export function nearNow(server: TestServer, iso: string | null) {
  assert.ok(iso, "expected a timestamp");
  assert.ok(Math.abs(Date.parse(iso) - server.clock.now()) < 5_000, `${iso} is not about now`);
}

/** An operator request as a named operator (X-Operator-Name), which `server.admin` cannot send. */
export async function asOperator(
  server: TestServer,
  operator: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}`, "x-operator-name": operator },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Every error is a JSON object with a human `error` and a machine `reason`. */
export function assertError(response: { status: number; body: any }, status: number, reason: string) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.ok(response.body !== null && typeof response.body === "object", "the body is a JSON object");
  assert.equal(typeof response.body.error, "string", JSON.stringify(response.body));
  assert.ok(response.body.error.length > 0);
  assert.equal(response.body.reason, reason, JSON.stringify(response.body));
}
