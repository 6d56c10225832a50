import {
  createOperatorGate,
  ERROR_TABLE,
  isCredentialFailure,
  isStatusChange,
  RegistryError,
  RUNTIME_CALLS,
  type AccountDeps,
  type RegistryDeps,
  type RegistryStore,
  type RuntimeCall,
} from "@rollcall/registry-core";
import { appRouter, createCallerFactory, createContextInner, refusalOf, type Context, type Operator } from "@rollcall/registry-core/trpc";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { readJsonBody, sendJson } from "./http/json.ts";
import { openApiDocument } from "./http/openapi.ts";
import { sendRefusal, type TrpcCall } from "./http/respond.ts";
import { matchRoute, RUNTIME_BY_TARGET, type Route } from "./http/routes.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { FailureLimiter } from "./rate-limit.ts";
import { createRuntimeGuard } from "./runtime-guard.ts";

export type AppOptions = {
  deps: RegistryDeps;
  accounts: AccountDeps;
  logger: Logger;
  metrics: Metrics;
  adminToken: string | undefined;
  eventPollMs: number;
  /** Readiness: false until migrations ran, and again while shutting down. */
  isReady: () => boolean;
};

// 20 bad credentials a minute from one address (per workspace for runtime tokens), then 429 until the minute is over.
const AUTH_FAILURE_LIMIT = 20;
const AUTH_FAILURE_WINDOW_MS = 60_000;

/** The opaque 500 bodies runtimes already know on the plain-JSON routes (reference §3.1-3.3). */
const PLAIN_INTERNAL_MESSAGE: Record<RuntimeCall, string> = {
  register: "registration failed",
  heartbeat: "failed to update",
  update_card: "failed to update card",
};

const createCaller = createCallerFactory(appRouter);
type CallerNode = ((input: unknown) => Promise<unknown>) & { [key: string]: CallerNode };

/**
 * The one HTTP edge: every request is matched in the one route table (http/routes.ts), operators pass the one
 * operator gate, every failed credential on any path feeds the one limiter, and every failure is answered from the
 * one error table, in the route's encoding. Client input never reaches a 5xx: a 5xx is a bug in Rollcall.
 */
export function createApp(options: AppOptions) {
  const { deps, logger, metrics } = options;
  const limiter = new FailureLimiter(AUTH_FAILURE_LIMIT, AUTH_FAILURE_WINDOW_MS, deps.clock);
  const gate = createOperatorGate({ adminToken: options.adminToken, accounts: options.accounts });
  const runtimeGuard = createRuntimeGuard(limiter, metrics, logger);
  /** Open live streams, closed at shutdown: they never end on their own. */
  const streams = new Set<ServerResponse>();
  /** The context of a stream request, which tRPC's adapter asks for once the edge has let it in. */
  const streamContexts = new WeakMap<IncomingMessage, Context>();
  const clientAddress = (req: IncomingMessage) => req.socket.remoteAddress ?? "unknown";

  const streamHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    allowBatching: false,
    createContext: ({ req }) => streamContexts.get(req)!,
    onError: ({ error, path }) => logInternal(error, `trpc:${path ?? "?"}`),
  });

  /** Logs a failure that is a bug in Rollcall (`internal`), never a refusal of client input. */
  function logInternal(error: unknown, label: string) {
    if (refusalOf(error).reason !== "internal") return;
    logger.error("request_failed", { route: label, error: String(error instanceof Error && error.cause !== undefined ? error.cause : error) });
  }

  /** Answers a failure in the route's encoding, logs it if it is a bug, and returns the reason given. */
  function fail(res: ServerResponse, route: Pick<Route, "transport" | "label">, error: unknown, call: TrpcCall, internalMessage?: string): string {
    logInternal(error, route.label);
    return sendRefusal(res, route.transport, error, call, internalMessage).reason;
  }

  /** The runtime calls every runtime makes every 30 s, on both transports: the hot path. */
  async function serveRuntime(req: IncomingMessage, res: ServerResponse, route: Route & { kind: "runtime" }, started: number) {
    const address = clientAddress(req);
    let raw: unknown;
    let outcome: string;
    try {
      raw = await readJsonBody(req);
      runtimeGuard.admit(address, raw);
      const result = await RUNTIME_CALLS[route.call].serve(deps, raw, req.headers.authorization);
      sendJson(res, 200, route.transport === "plain" ? result : { result: { data: result } });
      outcome = "ok";
    } catch (error) {
      const call: TrpcCall = { path: RUNTIME_CALLS[route.call].procedure, type: "mutation", input: raw };
      outcome = fail(res, route, error, call, route.transport === "plain" ? PLAIN_INTERNAL_MESSAGE[route.call] : undefined);
    }
    runtimeGuard.settle(address, route.call, raw, outcome);
    metrics.requestSeconds.observe({ route: route.label }, (performance.now() - started) / 1000);
  }

  /** The operator gate behind the limiter: a blocked address is refused before its credentials are even read. */
  async function admitOperator(req: IncomingMessage): Promise<Operator> {
    const key = `operator|${clientAddress(req)}`;
    if (limiter.isBlocked(key)) throw new RegistryError("rate_limited", "too many failed authentication attempts; retry later");
    try {
      return await gate({ authorization: req.headers.authorization, operatorName: req.headers["x-operator-name"] });
    } catch (error) {
      if (error instanceof RegistryError && isCredentialFailure(error.reason)) limiter.recordFailure(key);
      throw error;
    }
  }

  const contextFor = (req: IncomingMessage, operator: Operator): Context =>
    createContextInner({ deps, authorization: req.headers.authorization, operator, eventPollMs: options.eventPollMs });

  function callProcedure(procedure: string, input: unknown, context: Context): Promise<unknown> {
    const caller = createCaller(context) as unknown as CallerNode;
    return procedure.split(".").reduce((node, key) => node[key]!, caller)(input);
  }

  /** A tRPC query's input: `?input=<JSON>`, absent for none. */
  function queryInput(url: URL): unknown {
    const text = url.searchParams.get("input");
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RegistryError("invalid_body", "invalid input: the input parameter is not valid JSON");
    }
  }

  /** A REST call's input: the path's parameters over the query (GET, DELETE) or the JSON body (POST). */
  async function restInput(req: IncomingMessage, route: Route & { kind: "rest" }, params: Record<string, string>, url: URL): Promise<unknown> {
    let base: Record<string, unknown>;
    if (route.method === "POST") {
      const body = await readJsonBody(req);
      if (body === null || typeof body !== "object" || Array.isArray(body))
        throw new RegistryError("invalid_body", "invalid request body: must be a JSON object");
      base = body as Record<string, unknown>;
    } else {
      base = Object.fromEntries(url.searchParams);
    }
    const decoded: Record<string, string> = {};
    for (const name of route.params) {
      try {
        decoded[name] = decodeURIComponent(params[name]!);
      } catch {
        throw new RegistryError("invalid_body", "malformed percent-encoding in the path");
      }
    }
    return { ...base, ...decoded };
  }

  async function serveSystem(res: ServerResponse, route: Route & { kind: "system" }) {
    switch (route.endpoint) {
      case "healthz":
        return sendJson(res, 200, { status: "ok" });
      case "readyz":
        if (!options.isReady()) return sendJson(res, 503, { status: "not_ready" });
        return deps.store.ping().then(
          () => sendJson(res, 200, { status: "ready" }),
          () => sendJson(res, 503, { status: "database_unavailable" }),
        );
      case "metrics": {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        return void res.end(text);
      }
      case "openapi":
        return sendJson(res, 200, openApiDocument());
    }
  }

  /** Every route but the runtime calls (serveRuntime): the operator API on both transports, its stream, the system. */
  async function serve(req: IncomingMessage, res: ServerResponse, route: Exclude<Route, { kind: "runtime" }>, params: Record<string, string>, url: URL) {
    let input: unknown;
    try {
      if (route.kind === "system") return await serveSystem(res, route);
      const operator = await admitOperator(req);
      switch (route.kind) {
        case "procedure": {
          input = route.method === "GET" ? queryInput(url) : await readJsonBody(req);
          return sendJson(res, 200, { result: { data: await callProcedure(route.procedure, input, contextFor(req, operator)) } });
        }
        case "rest": {
          input = await restInput(req, route, params, url);
          return sendJson(res, route.rest.status ?? 200, await callProcedure(route.procedure, input, contextFor(req, operator)));
        }
        case "stream": {
          streamContexts.set(req, contextFor(req, operator));
          streams.add(res);
          res.on("close", () => streams.delete(res));
          // tRPC's handler catches its own errors and answers the stream itself.
          streamHandler(req, res);
          return;
        }
      }
    } catch (error) {
      const procedure = "procedure" in route ? route.procedure : undefined;
      fail(res, route, error, { path: procedure, type: route.method === "GET" ? "query" : "mutation", input });
    }
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    // The hot path, every runtime's call every 30 s: matched on the exact request target, before any URL parsing.
    const runtime = req.method === "POST" ? RUNTIME_BY_TARGET.get(req.url ?? "") : undefined;
    if (runtime) return void serveRuntime(req, res, runtime, started);

    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://rollcall.invalid");
    } catch {
      return void fail(res, { transport: "plain", label: "other" }, new RegistryError("malformed_request", "the request target is not a valid path"), NO_CALL);
    }
    // One call per request: a batch would let one request try many credentials past the limiter.
    if (url.pathname.startsWith("/trpc/") && url.searchParams.has("batch")) {
      return void fail(
        res,
        { transport: "trpc", label: "other" },
        new RegistryError("invalid_body", "batched calls are not supported: send one call per request"),
        NO_CALL,
      );
    }
    const match = matchRoute(req.method ?? "", url.pathname);
    if ("refused" in match) {
      res.on("finish", () => metrics.requestSeconds.observe({ route: "other" }, (performance.now() - started) / 1000));
      const error =
        match.refused === "not_found" ? new RegistryError("not_found", "no such route") : new RegistryError("method_not_allowed", `use ${match.allow}`);
      if (match.allow) res.setHeader("allow", match.allow);
      return void fail(res, { transport: match.transport, label: "other" }, error, NO_CALL);
    }
    const { route, params } = match;
    if (route.kind === "runtime") return void serveRuntime(req, res, route, started);
    res.on("finish", () => metrics.requestSeconds.observe({ route: route.label }, (performance.now() - started) / 1000));
    void serve(req, res, route, params, url);
  });
  // Past Node's 16 KiB of headers (a bloated cookie or Authorization header) the request is refused before any
  // handler runs, with an empty 431 by default. The edge answers it, and any request Node cannot parse, in JSON.
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => answerUnparsable(error, socket));
  // An `Expect` other than 100-continue: Node's own answer is an empty 417.
  server.on("checkExpectation", (_req: IncomingMessage, res: ServerResponse) =>
    fail(res, { transport: "plain", label: "other" }, new RegistryError("expectation_failed", "only Expect: 100-continue is supported"), NO_CALL),
  );
  server.keepAliveTimeout = 65_000;
  return {
    server,
    /** Ends the live streams: subscribers reconnect elsewhere and resume from their last event id. */
    closeStreams: () => {
      for (const res of streams) res.destroy();
    },
  };
}

const NO_CALL: TrpcCall = { path: undefined, type: "unknown", input: undefined };

function answerUnparsable(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const [reason, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? (["headers_too_large", "request headers are too large"] as const)
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? (["request_timeout", "the request did not arrive in time"] as const)
        : (["malformed_request", "the request is not valid HTTP/1.1"] as const);
  const { status } = ERROR_TABLE[reason];
  const body = JSON.stringify({ error: message, reason });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `cache-control: no-store\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Counts committed status changes for /metrics by watching the store's writes; the domain stays unaware. */
export function instrumentStore(store: RegistryStore, metrics: Metrics): RegistryStore {
  return {
    ...store,
    async commit(change) {
      const committed = await store.commit(change);
      if (committed) {
        for (const event of change.events) {
          // A creation (from null) is no transition.
          if (isStatusChange(event) && event.payload.from !== null) {
            metrics.transitions.inc({ from: event.payload.from, to: event.payload.to, reason: event.payload.reasons.join("+") || "none" });
          }
        }
      }
      return committed;
    },
  };
}
