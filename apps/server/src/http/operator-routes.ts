import {
  clearMarkerByOperator,
  ClearMarkerInput,
  getWorkspaceDetail,
  HeartbeatsInput,
  listEvents,
  ListEventsInput,
  listHeartbeats,
  listWorkspaces,
  ListWorkspacesInput,
  parseInput,
  provisionWorkspace,
  ProvisionInput,
  RegistryError,
  removeWorkspace,
  restartWorkspace,
  rotateToken,
  WorkspaceIdInput,
  type RegistryDeps,
} from "@rollcall/registry-core";
import type { IncomingMessage } from "node:http";

type OperatorRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  body: () => Promise<unknown>;
  operator: string;
};
type Handler = (deps: RegistryDeps, request: OperatorRequest, params: string[]) => Promise<{ status: number; body: unknown }>;

const ok = (body: unknown, status = 200) => ({ status, body });
const query = (request: OperatorRequest) => Object.fromEntries(request.query);

/** The operator REST API, for scripts and automation. Each route parses its input, then calls one registry function. */
const ROUTES: [string, RegExp, Handler][] = [
  ["POST", /^\/api\/workspaces$/, async (deps, r) => ok(await provisionWorkspace(deps, parseInput(ProvisionInput, await r.body()), `operator:${r.operator}`), 201)],
  ["GET", /^\/api\/workspaces$/, async (deps, r) => ok(await listWorkspaces(deps, parseInput(ListWorkspacesInput, query(r))))],
  ["GET", /^\/api\/workspaces\/([^/]+)$/, async (deps, _r, [id]) => ok(await getWorkspaceDetail(deps, parseInput(WorkspaceIdInput, { workspaceId: id })))],
  [
    "GET",
    /^\/api\/workspaces\/([^/]+)\/events$/,
    async (deps, r, [id]) => {
      const { workspaceId } = parseInput(WorkspaceIdInput, { workspaceId: id });
      return ok(await listEvents(deps, parseInput(ListEventsInput, { ...query(r), workspaceId })));
    },
  ],
  ["GET", /^\/api\/workspaces\/([^/]+)\/heartbeats$/, async (deps, r, [id]) => ok(await listHeartbeats(deps, parseInput(HeartbeatsInput, { ...query(r), workspaceId: id })))],
  [
    "POST",
    /^\/api\/workspaces\/([^/]+)\/markers\/([^/]+)\/clear$/,
    async (deps, r, [id, markerId]) => {
      const body = (await r.body()) as Record<string, unknown>;
      return ok(await clearMarkerByOperator(deps, parseInput(ClearMarkerInput, { ...body, workspaceId: id, markerId }), r.operator));
    },
  ],
  ["POST", /^\/api\/workspaces\/([^/]+)\/token$/, async (deps, r, [id]) => ok(await rotateToken(deps, parseInput(WorkspaceIdInput, { workspaceId: id }).workspaceId, r.operator))],
  ["POST", /^\/api\/workspaces\/([^/]+)\/restart$/, async (deps, r, [id]) => ok(await restartWorkspace(deps, parseInput(WorkspaceIdInput, { workspaceId: id }).workspaceId, r.operator))],
  ["DELETE", /^\/api\/workspaces\/([^/]+)$/, async (deps, r, [id]) => ok(await removeWorkspace(deps, parseInput(WorkspaceIdInput, { workspaceId: id }).workspaceId, r.operator))],
  ["GET", /^\/api\/events$/, async (deps, r) => ok(await listEvents(deps, parseInput(ListEventsInput, query(r))))],
];

export function matchOperatorRoute(method: string, path: string): { handler: Handler; params: string[] } | "method_not_allowed" | null {
  let pathMatched = false;
  for (const [routeMethod, pattern, handler] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (routeMethod === method) return { handler, params: match.slice(1).map(decodePathSegment) };
  }
  return pathMatched ? "method_not_allowed" : null;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RegistryError("invalid_body", "malformed percent-encoding in the path");
  }
}

const OPERATOR_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** Who is acting, for the audit trail: `X-Operator-Name` if it is a plain name, else "admin". */
export function operatorName(req: IncomingMessage): string {
  const header = req.headers["x-operator-name"];
  if (header === undefined) return "admin";
  if (typeof header !== "string" || !OPERATOR_NAME.test(header)) {
    throw new RegistryError("invalid_body", "X-Operator-Name must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  return header;
}

export type { OperatorRequest };
