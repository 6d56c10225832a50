import { bearerToken, RegistryError, type RegistryDeps, type RegistryStore } from "@rollcall/registry-core";
import { appRouter, createContextInner, type Operator } from "@rollcall/registry-core/trpc";
import type { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { MAX_BODY_BYTES, readJsonBody, sendError, sendJson } from "./http/json.ts";
import { matchOperatorRoute, operatorName } from "./http/operator-routes.ts";
import { createRuntimeHandler, httpStatusOf, RUNTIME_ROUTES } from "./http/runtime-calls.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { FailureLimiter } from "./rate-limit.ts";
import { createRuntimeGuard } from "./runtime-guard.ts";

export type AppOptions = {
  deps: RegistryDeps;
  logger: Logger;
  metrics: Metrics;
  adminToken: string | undefined;
  eventPollMs: number;
  /** Readiness: false until migrations ran, and again while shutting down. */
  isReady: () => boolean;
};

// 20 bad tokens a minute for one workspace from one address, then 429 until the minute is over.
const AUTH_FAILURE_LIMIT = 20;
const AUTH_FAILURE_WINDOW_MS = 60_000;

const TRPC_PROCEDURES = new Set(Object.keys(appRouter._def.procedures));
const EVENT_STREAM_PATH = "/trpc/events.stream";

const sha256 = (text: string) => createHash("sha256").update(text).digest();

export function createApp(options: AppOptions) {
  const { deps, logger, metrics } = options;
  const limiter = new FailureLimiter(AUTH_FAILURE_LIMIT, AUTH_FAILURE_WINDOW_MS, deps.clock);
  const adminDigest = options.adminToken ? sha256(options.adminToken) : null;
  const clientAddress = (req: IncomingMessage) => req.socket.remoteAddress ?? "unknown";
  const runtimeGuard = createRuntimeGuard(limiter, metrics, logger);
  const handleRuntimeCall = createRuntimeHandler({ deps, guard: runtimeGuard, logger, metrics });
  /** Open live streams, closed at shutdown: they never end on their own. */
  const streams = new Set<ServerResponse>();

  /** The admin token, compared in constant time (as digests, so lengths never differ). */
  function adminOperator(req: IncomingMessage): Operator | null {
    const token = bearerToken(req.headers.authorization);
    if (!adminDigest || !token || !timingSafeEqual(sha256(token), adminDigest)) return null;
    return { name: operatorName(req), role: "operator" };
  }

  const logTrpcError = (error: TRPCError, path: string | undefined) => {
    if (error.code === "INTERNAL_SERVER_ERROR") logger.error("trpc_error", { path, error: String(error.cause ?? error) });
  };

  const contextFor = (req: IncomingMessage) =>
    createContextInner({
      deps,
      runtimeGuard: runtimeGuard.of(clientAddress(req)),
      authorization: req.headers.authorization,
      operator: adminOperator(req),
      eventPollMs: options.eventPollMs,
    });

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    maxBodySize: MAX_BODY_BYTES,
    // One call per request: a batch would let one request try many tokens past the rate limit.
    allowBatching: false,
    createContext: ({ req }) => contextFor(req),
    responseMeta: ({ errors }) => (errors.some((e) => httpStatusOf(e) === 410) ? { status: 410 } : {}),
    onError: ({ error, path }) => logTrpcError(error, path),
  });

  async function handleOperator(req: IncomingMessage, res: ServerResponse, url: URL) {
    const key = clientAddress(req);
    try {
      const match = matchOperatorRoute(req.method ?? "GET", url.pathname);
      if (match === null) throw new RegistryError("not_found", "no such route");
      if (!adminDigest) throw new RegistryError("forbidden", "the operator API is disabled: set ROLLCALL_ADMIN_TOKEN");
      if (limiter.isBlocked(key)) throw new RegistryError("rate_limited", "too many failed authentication attempts; retry later");
      const operator = adminOperator(req);
      if (!operator) {
        limiter.recordFailure(key);
        throw new RegistryError(bearerToken(req.headers.authorization) ? "invalid_token" : "missing_token", "operator authentication required");
      }
      if (match === "method_not_allowed") throw new RegistryError("not_found", "method not allowed on this route");
      const result = await match.handler(
        deps,
        { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body: () => readJsonBody(req), operator: operator.name },
        match.params,
      );
      sendJson(res, result.status, result.body);
    } catch (error) {
      const sent = sendError(res, error);
      if (sent.reason === "internal") logger.error("operator_request_failed", { path: url.pathname, error: String(error) });
    }
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    // The hot path, every runtime's call every 30 s: matched on the exact request target, before any URL parsing.
    const runtimeCall = req.method === "POST" ? RUNTIME_ROUTES.get(req.url ?? "") : undefined;
    if (runtimeCall) return void handleRuntimeCall(req, res, runtimeCall, clientAddress(req), started);

    const url = new URL(req.url ?? "/", "http://rollcall.invalid");
    const path = url.pathname;
    const runtimeRoute = RUNTIME_ROUTES.get(path);
    const plainRuntime = runtimeRoute?.transport === "plain" ? runtimeRoute : undefined;
    if (plainRuntime && req.method === "POST") return void handleRuntimeCall(req, res, plainRuntime, clientAddress(req), started);

    let routeLabel = "other";
    res.on("finish", () => metrics.requestSeconds.observe({ route: routeLabel }, (performance.now() - started) / 1000));
    if (plainRuntime) {
      routeLabel = plainRuntime.call;
      return void sendError(res, new RegistryError("not_found", "use POST"));
    }
    if (path.startsWith("/trpc/")) {
      const procedure = path.slice("/trpc/".length);
      // Only known procedures get their own series, so random paths cannot grow the metrics without bound.
      routeLabel = TRPC_PROCEDURES.has(procedure) ? `trpc:${procedure}` : "trpc:other";
      if (path === EVENT_STREAM_PATH) {
        streams.add(res);
        res.on("close", () => streams.delete(res));
      }
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
  return {
    server,
    /** Ends the live streams: subscribers reconnect elsewhere and resume from their last event id. */
    closeStreams: () => {
      for (const res of streams) res.destroy();
    },
  };
}

/** Counts committed status changes for /metrics by watching the store's writes; the domain stays unaware. */
export function instrumentStore(store: RegistryStore, metrics: Metrics): RegistryStore {
  return {
    ...store,
    async commit(change) {
      const committed = await store.commit(change);
      if (committed) {
        for (const event of change.events) {
          const { from, to, reasons } = event.payload as { from?: unknown; to?: unknown; reasons?: unknown };
          if (typeof from === "string" && typeof to === "string" && Array.isArray(reasons)) {
            metrics.transitions.inc({ from, to, reason: reasons.join("+") || "none" });
          }
        }
      }
      return committed;
    },
  };
}
