import { parseInput, RegistryError, RUNTIME_CALLS, type ParseInput, type RegistryDeps, type RuntimeCall } from "@rollcall/registry-core";
import { appRouter, domainTRPCError, errorReason } from "@rollcall/registry-core/trpc";
import { getTRPCErrorFromUnknown, getTRPCErrorShape, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { createRuntimeGuard } from "../runtime-guard.ts";
import { readJsonBody, sendError, sendJson } from "./json.ts";

export type Transport = "plain" | "trpc";
export type RuntimeRoute = { call: RuntimeCall; transport: Transport; path: string };

/** The plain-JSON paths and the opaque 500 bodies runtimes already know (reference §3.1-3.3). */
const PLAIN: Record<RuntimeCall, { path: string; internalMessage: string }> = {
  register: { path: "/registry/register", internalMessage: "registration failed" },
  heartbeat: { path: "/registry/heartbeat", internalMessage: "failed to update" },
  update_card: { path: "/registry/update-card", internalMessage: "failed to update card" },
};

/** Every runtime call on both transports, by exact path: `/registry/<call>` and `/trpc/<procedure>`. */
export const RUNTIME_ROUTES = new Map<string, RuntimeRoute>(
  (Object.keys(RUNTIME_CALLS) as RuntimeCall[]).flatMap((call) => {
    const trpcPath = `/trpc/${RUNTIME_CALLS[call].procedure}`;
    return [
      [PLAIN[call].path, { call, transport: "plain", path: PLAIN[call].path }],
      [trpcPath, { call, transport: "trpc", path: trpcPath }],
    ] as [string, RuntimeRoute][];
  }),
);

/** tRPC has no 410; a removed workspace still answers HTTP 410, as on the plain-JSON routes. */
export function httpStatusOf(error: TRPCError): number {
  return error.cause instanceof RegistryError && error.cause.reason === "workspace_removed" ? 410 : getHTTPStatusCodeFromError(error);
}

/** A bad body over tRPC is what tRPC's own input validation reports: BAD_REQUEST with the zod error as its cause. */
const parseTrpcInput: ParseInput = (schema, raw) => {
  const result = schema.safeParse(raw);
  if (!result.success) throw new TRPCError({ code: "BAD_REQUEST", cause: result.error });
  return result.data;
};

/** An unreadable body over tRPC is its PARSE_ERROR (or PAYLOAD_TOO_LARGE), as its standard adapter answers it. */
function unreadableBody(cause: unknown): TRPCError {
  const tooLarge = cause instanceof RegistryError && cause.reason === "body_too_large";
  return new TRPCError({ code: tooLarge ? "PAYLOAD_TOO_LARGE" : "PARSE_ERROR", message: (cause as Error).message, cause });
}

const asTRPCError = (cause: unknown): TRPCError => (cause instanceof RegistryError ? domainTRPCError(cause) : getTRPCErrorFromUnknown(cause));

export type RuntimeHandlerOptions = {
  deps: RegistryDeps;
  guard: ReturnType<typeof createRuntimeGuard>;
  logger: Logger;
  metrics: Metrics;
};

/**
 * The runtime calls runtimes make every 30 s, on both transports, in one lean handler: read the body, pass the
 * runtime guard, serve the call from registry-core's RUNTIME_CALLS, and answer in the transport's encoding. The
 * plain-JSON routes answer the result or `{error, reason}`; the tRPC routes speak tRPC's wire format for single
 * calls (`{result: {data}}`, or `{error}` shaped by the router's own error formatter), so `@trpc/client` works
 * unchanged. tRPC's standard adapter turns every request into a Fetch Request and back, about 8x slower here
 * (shared TOOLCHAIN.md); it keeps serving everything else.
 */
export function createRuntimeHandler({ deps, guard, logger, metrics }: RuntimeHandlerOptions) {
  const latency = new Map([...RUNTIME_ROUTES.values()].map((route) => [route, metrics.requestSeconds.child({ route: routeLabel(route) })]));

  return async function handleRuntimeCall(req: IncomingMessage, res: ServerResponse, route: RuntimeRoute, address: string, started: number) {
    const { call, transport } = route;
    let raw: unknown;
    let outcome: string;
    try {
      raw = await (transport === "plain" ? readJsonBody(req) : readJsonBody(req).catch((error: unknown) => Promise.reject(unreadableBody(error))));
      guard.admit(address, call, raw);
      const result = await RUNTIME_CALLS[call].serve(deps, raw, req.headers.authorization, transport === "plain" ? parseInput : parseTrpcInput);
      sendJson(res, 200, transport === "plain" ? result : { result: { data: result } });
      outcome = "ok";
    } catch (cause) {
      outcome = transport === "plain" ? failPlain(res, cause, call) : failTrpc(res, cause, route, raw);
    }
    guard.settle(address, call, raw, outcome);
    latency.get(route)?.observe((performance.now() - started) / 1000);
  };

  function failPlain(res: ServerResponse, cause: unknown, call: RuntimeCall): string {
    const sent = sendError(res, cause instanceof RegistryError ? cause : new RegistryError("internal", PLAIN[call].internalMessage));
    if (sent.reason === "internal") logger.error("runtime_request_failed", { call, error: String(cause) });
    return sent.reason;
  }

  function failTrpc(res: ServerResponse, cause: unknown, route: RuntimeRoute, input: unknown): string {
    const error = asTRPCError(cause);
    if (error.code === "INTERNAL_SERVER_ERROR") logger.error("trpc_error", { path: route.path, error: String(error.cause ?? error) });
    const shape = getTRPCErrorShape({ config: appRouter._def._config, error, type: "mutation", path: RUNTIME_CALLS[route.call].procedure, input, ctx: undefined });
    // An unread oversized body must not stay on a keep-alive connection.
    sendJson(res, httpStatusOf(error), { error: shape }, error.code === "PAYLOAD_TOO_LARGE" ? { connection: "close" } : {});
    return errorReason(error);
  }
}

/** The route label of /metrics: the plain call name, or `trpc:<procedure>` (as every tRPC route is labelled). */
export function routeLabel(route: RuntimeRoute): string {
  return route.transport === "plain" ? route.call : `trpc:${RUNTIME_CALLS[route.call].procedure}`;
}
