import {
  bearerToken,
  HeartbeatInput,
  parseInput,
  recordHeartbeat,
  register,
  RegisterInput,
  RegistryError,
  updateCard,
  UpdateCardInput,
  type RegistryDeps,
  type RegistryStore,
} from "@rollcall/registry-core";
import { appRouter, createContextInner, type Operator } from "@rollcall/registry-core/trpc";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import { MAX_BODY_BYTES, readJsonBody, sendError, sendJson } from "./http/json.ts";
import { matchOperatorRoute, operatorName } from "./http/operator-routes.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { FailureLimiter } from "./rate-limit.ts";

export type AppOptions = {
  deps: RegistryDeps;
  logger: Logger;
  metrics: Metrics;
  adminToken: string | undefined;
  eventPollMs: number;
  /** Readiness: false until migrations ran, and again while shutting down. */
  isReady: () => boolean;
};

// 20 bad tokens a minute from one address, then 429 until the minute is over.
const AUTH_FAILURE_LIMIT = 20;
const AUTH_FAILURE_WINDOW_MS = 60_000;

// The opaque 500 bodies runtimes already know (reference §3.1-3.3); database text never reaches the caller.
const RUNTIME_ROUTES = {
  "/registry/register": { name: "register", internalMessage: "registration failed", run: (deps: RegistryDeps, body: unknown, auth: string | undefined) => register(deps, parseInput(RegisterInput, body), auth) },
  "/registry/heartbeat": { name: "heartbeat", internalMessage: "failed to update", run: (deps: RegistryDeps, body: unknown, auth: string | undefined) => recordHeartbeat(deps, parseInput(HeartbeatInput, body), auth) },
  "/registry/update-card": { name: "update_card", internalMessage: "failed to update card", run: (deps: RegistryDeps, body: unknown, auth: string | undefined) => updateCard(deps, parseInput(UpdateCardInput, body), auth) },
} as const;

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

export function createApp(options: AppOptions): Server {
  const { deps, logger, metrics } = options;
  const limiter = new FailureLimiter(AUTH_FAILURE_LIMIT, AUTH_FAILURE_WINDOW_MS, deps.clock);
  const adminDigest = options.adminToken ? sha256(options.adminToken) : null;

  /** The admin token, compared in constant time (as digests, so lengths never differ). */
  function adminOperator(req: IncomingMessage): Operator | null {
    const token = bearerToken(req.headers.authorization);
    if (!adminDigest || !token || !timingSafeEqual(sha256(token), adminDigest)) return null;
    return { name: operatorName(req), role: "operator" };
  }

  const clientKey = (req: IncomingMessage) => req.socket.remoteAddress ?? "unknown";

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    maxBodySize: MAX_BODY_BYTES,
    createContext: ({ req }) =>
      createContextInner({ deps, authorization: req.headers.authorization, operator: adminOperator(req), eventPollMs: options.eventPollMs }),
    // tRPC has no 410 code; a removed workspace still answers HTTP 410, as on the plain-JSON routes.
    responseMeta: ({ errors }) =>
      errors.some((e) => e.cause instanceof RegistryError && e.cause.reason === "workspace_removed") ? { status: 410 } : {},
    onError: ({ error, req, path }) => {
      if (error.code === "UNAUTHORIZED") limiter.recordFailure(clientKey(req));
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error("trpc_error", { path, error: String(error.cause ?? error) });
    },
  });

  async function handleRuntime(req: IncomingMessage, res: ServerResponse, route: (typeof RUNTIME_ROUTES)[keyof typeof RUNTIME_ROUTES]) {
    let body: unknown;
    try {
      if (limiter.isBlocked(clientKey(req))) throw new RegistryError("rate_limited", "too many failed authentication attempts; retry later");
      body = await readJsonBody(req);
      const result = await route.run(deps, body, req.headers.authorization);
      sendJson(res, 200, result);
      if (route.name === "register") metrics.registers.inc({ outcome: "registered", reason: "ok" });
      if (route.name === "heartbeat") metrics.heartbeats.inc({ outcome: "ok" });
    } catch (error) {
      const sent = sendError(res, error instanceof RegistryError ? error : new RegistryError("internal", route.internalMessage));
      if (sent.httpStatus === 401) limiter.recordFailure(clientKey(req));
      if (sent.reason === "internal") logger.error("runtime_request_failed", { route: route.name, error: String(error) });
      if (route.name === "heartbeat") metrics.heartbeats.inc({ outcome: sent.reason });
      if (route.name === "register") {
        metrics.registers.inc({ outcome: "rejected", reason: sent.reason });
        const payload = (body ?? {}) as { id?: unknown; url?: unknown };
        // The diagnostic line of reference §3.1 (#2680): which workspace and why, never the raw URL.
        logger.warn(`registry_register_${sent.httpStatus}`, {
          workspace: typeof payload.id === "string" ? payload.id.slice(0, 64) : null,
          reason: sent.reason,
          payload_url: typeof payload.url === "string" && payload.url !== "" ? "present" : "absent",
        });
      }
    }
  }

  async function handleOperator(req: IncomingMessage, res: ServerResponse, url: URL) {
    try {
      const match = matchOperatorRoute(req.method ?? "GET", url.pathname);
      if (match === null) throw new RegistryError("not_found", "no such route");
      if (!adminDigest) throw new RegistryError("forbidden", "the operator API is disabled: set ROLLCALL_ADMIN_TOKEN");
      if (limiter.isBlocked(clientKey(req))) throw new RegistryError("rate_limited", "too many failed authentication attempts; retry later");
      const operator = adminOperator(req);
      if (!operator) {
        limiter.recordFailure(clientKey(req));
        throw new RegistryError(bearerToken(req.headers.authorization) ? "invalid_token" : "missing_token", "operator authentication required");
      }
      if (match === "method_not_allowed") throw new RegistryError("not_found", "method not allowed on this route");
      const result = await match.handler(deps, { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body: () => readJsonBody(req), operator: operator.name }, match.params);
      sendJson(res, result.status, result.body);
    } catch (error) {
      const sent = sendError(res, error);
      if (sent.reason === "internal") logger.error("operator_request_failed", { path: url.pathname, error: String(error) });
    }
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://rollcall.invalid");
    const path = url.pathname;
    let routeLabel = "other";
    res.on("finish", () => metrics.requestSeconds.observe({ route: routeLabel }, (performance.now() - started) / 1000));

    const runtimeRoute = RUNTIME_ROUTES[path as keyof typeof RUNTIME_ROUTES];
    if (runtimeRoute) {
      routeLabel = runtimeRoute.name;
      if (req.method !== "POST") return void sendError(res, new RegistryError("not_found", "use POST"));
      return void handleRuntime(req, res, runtimeRoute);
    }
    if (path.startsWith("/trpc/")) {
      routeLabel = `trpc:${path.slice("/trpc/".length)}`;
      if (limiter.isBlocked(clientKey(req))) return void sendError(res, new RegistryError("rate_limited", "too many failed authentication attempts; retry later"));
      return void trpcHandler(req, res);
    }
    if (path.startsWith("/api/")) {
      routeLabel = "api";
      return void handleOperator(req, res, url);
    }
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") {
      routeLabel = "readyz";
      if (!options.isReady()) return sendJson(res, 503, { status: "not_ready" });
      deps.store.ping().then(
        () => sendJson(res, 200, { status: "ready" }),
        () => sendJson(res, 503, { status: "database_unavailable" }),
      );
      return;
    }
    if (path === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      return void res.end(metrics.render());
    }
    sendError(res, new RegistryError("not_found", "no such route"));
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Counts committed transitions for /metrics by watching the store's writes; the domain stays unaware. */
export function instrumentStore(store: RegistryStore, metrics: Metrics): RegistryStore {
  return {
    ...store,
    async commit(change) {
      const committed = await store.commit(change);
      if (committed) {
        for (const event of change.events) {
          const { from, to } = event.payload as { from?: unknown; to?: unknown };
          if (typeof to === "string" && typeof from === "string") metrics.transitions.inc({ from, to });
        }
      }
      return committed;
    },
  };
}
