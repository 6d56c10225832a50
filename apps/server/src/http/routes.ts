import { RUNTIME_CALLS, type RuntimeCall } from "@rollcall/registry-core";
import { appRouter, type Meta, type RestRoute } from "@rollcall/registry-core/trpc";
import type { z } from "zod";

/** How a route answers: plain JSON (`{error, reason}` on failure) or tRPC's wire format (`{result}` / `{error}`). */
export type Transport = "plain" | "trpc";
export type Method = "GET" | "POST" | "DELETE";
/** Who may call: a runtime (its token is checked by the call itself), an operator (the operator gate), anyone. */
export type Access = "runtime" | "operator" | "public";
export type SystemEndpoint = "healthz" | "readyz" | "metrics" | "openapi";

export type Route = { method: Method; transport: Transport; access: Access; label: string } & (
  | { kind: "runtime"; call: RuntimeCall }
  /** A tRPC query (GET, `?input=`) or mutation (POST, JSON body) answered by the edge itself. */
  | { kind: "procedure"; procedure: string }
  /** The live event stream (SSE), which tRPC's own adapter serves once the edge has let the request in. */
  | { kind: "stream"; procedure: string }
  /** A procedure served as REST: input from the path, plus the query (GET, DELETE) or the JSON body (POST). */
  | { kind: "rest"; procedure: string; rest: RestRoute; params: string[] }
  | { kind: "system"; endpoint: SystemEndpoint }
);

/** The plain-JSON paths runtimes already know (reference §3.1-3.3). */
const PLAIN_RUNTIME_PATH: Record<RuntimeCall, string> = {
  register: "/registry/register",
  heartbeat: "/registry/heartbeat",
  update_card: "/registry/update-card",
};

/** The router's procedures by path ("workspace.list"): flat at run time, whatever the nested type says. */
export const PROCEDURES = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: "query" | "mutation" | "subscription"; meta?: Meta; inputs: z.ZodType[] } }
>;

const RUNTIME_PROCEDURES = new Set(Object.values(RUNTIME_CALLS).map((call) => call.procedure));

type Entry = { path: string; route: Route };

function buildRoutes(): Entry[] {
  const entries: Entry[] = [];
  for (const call of Object.keys(RUNTIME_CALLS) as RuntimeCall[]) {
    const procedure = RUNTIME_CALLS[call].procedure;
    entries.push({ path: PLAIN_RUNTIME_PATH[call], route: { kind: "runtime", call, method: "POST", transport: "plain", access: "runtime", label: call } });
    entries.push({
      path: `/trpc/${procedure}`,
      route: { kind: "runtime", call, method: "POST", transport: "trpc", access: "runtime", label: `trpc:${procedure}` },
    });
  }
  for (const [procedure, { _def }] of Object.entries(PROCEDURES)) {
    if (RUNTIME_PROCEDURES.has(procedure)) continue;
    const label = `trpc:${procedure}`;
    const base = { transport: "trpc", access: "operator", label, procedure } as const;
    entries.push({
      path: `/trpc/${procedure}`,
      route:
        _def.type === "subscription"
          ? { ...base, kind: "stream", method: "GET" }
          : { ...base, kind: "procedure", method: _def.type === "query" ? "GET" : "POST" },
    });
    const rest = _def.meta?.rest;
    if (rest) {
      const params = [...rest.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      entries.push({
        path: rest.path,
        route: { kind: "rest", procedure, rest, params, method: rest.method, transport: "plain", access: "operator", label: "api" },
      });
    }
  }
  const system = (endpoint: SystemEndpoint, path: string): Entry => ({
    path,
    route: { kind: "system", endpoint, method: "GET", transport: "plain", access: "public", label: endpoint },
  });
  entries.push(system("healthz", "/healthz"), system("readyz", "/readyz"), system("metrics", "/metrics"), system("openapi", "/api/openapi.json"));
  return entries;
}

/** Every route the server answers, in one table: both runtime transports, tRPC, REST, health, metrics, OpenAPI. */
export const ROUTES: readonly Entry[] = buildRoutes();

/** The runtime calls by exact request target: the hot path is matched before any URL parsing. */
export const RUNTIME_BY_TARGET = new Map(ROUTES.flatMap(({ path, route }) => (route.kind === "runtime" ? [[path, route] as const] : [])));

type Pattern = { path: string; segments: string[]; routes: Route[] };
const isParam = (segment: string) => segment.startsWith("{");
/** One pattern per path (its routes differ by method); exact segments win over `{param}` ones. */
const PATTERNS: Pattern[] = [];
for (const { path, route } of ROUTES) {
  const same = PATTERNS.find((pattern) => pattern.path === path);
  if (same) same.routes.push(route);
  else PATTERNS.push({ path, segments: path.split("/"), routes: [route] });
}
PATTERNS.sort((a, b) => a.segments.filter(isParam).length - b.segments.filter(isParam).length);

export type RouteMatch =
  { route: Route; params: Record<string, string> } | { refused: "not_found" | "method_not_allowed"; transport: Transport; allow?: string };

/** The route for a method and a path; a `{param}` segment matches one non-empty path segment, still encoded. */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = path.split("/");
  for (const pattern of PATTERNS) {
    if (pattern.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.segments.every((segment, index) => {
      const actual = segments[index]!;
      if (isParam(segment)) {
        params[segment.slice(1, -1)] = actual;
        return actual !== "";
      }
      return segment === actual;
    });
    if (!matches) continue;
    const route = pattern.routes.find((candidate) => candidate.method === method);
    if (route) return { route, params };
    return { refused: "method_not_allowed", transport: pattern.routes[0]!.transport, allow: pattern.routes.map((r) => r.method).join(", ") };
  }
  return { refused: "not_found", transport: path.startsWith("/trpc/") ? "trpc" : "plain" };
}
