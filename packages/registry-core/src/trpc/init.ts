import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import type { RegistryDeps } from "../deps.ts";
import type { OperatorRole } from "../accounts/accounts.ts";
import { RegistryError } from "../errors.ts";
import { RUNTIME_CALLS, type RuntimeCall } from "../runtime/calls.ts";

export type { OperatorRole, RuntimeCall };
export type Operator = { name: string; role: OperatorRole };

/**
 * Per-process protection and accounting of runtime calls, supplied by the HTTP layer (rate limits and metrics are
 * about the process, not the domain). The plain-JSON routes use the same guard.
 */
export type RuntimeGuard = {
  /** Throws RegistryError `rate_limited` when this caller failed authentication too often for this workspace. */
  admit(call: RuntimeCall, rawInput: unknown): void;
  /** Sees every call's outcome: "ok" or the error's reason. */
  settle(call: RuntimeCall, rawInput: unknown, outcome: string): void;
};

export type Context = {
  deps: RegistryDeps;
  runtimeGuard: RuntimeGuard | null;
  /** The raw `Authorization` header: runtime procedures prove their token with it. */
  authorization: string | undefined;
  /** The signed-in operator, if any (admin token on the server, a session in the console). */
  operator: Operator | null;
  /** How often a live event stream looks for new rows. */
  eventPollMs: number;
};

/** Context without a request: tests and in-process callers build it directly. */
export function createContextInner(context: Context): Context {
  return context;
}

const CODE_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  // tRPC has no 410; the `reason` (workspace_removed) in the error data is what clients act on.
  410: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<Context>().create({
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const reason = errorReason(error);
    return {
      ...shape,
      // Never leak internal error text (database messages) to callers.
      message: shape.code === -32603 && !(cause instanceof RegistryError) ? "internal error" : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        reason,
        issues: cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : undefined,
      },
    };
  },
});

/** A domain error as a tRPC error with the matching code, keeping the reason for the formatter. */
export function domainTRPCError(cause: RegistryError): TRPCError {
  return new TRPCError({ code: CODE_BY_STATUS[cause.httpStatus] ?? "INTERNAL_SERVER_ERROR", message: cause.message, cause });
}

const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof RegistryError) return { ...result, error: domainTRPCError(result.error.cause) };
  return result;
});

const CALL_BY_PROCEDURE = new Map(Object.entries(RUNTIME_CALLS).map(([call, spec]) => [spec.procedure, call as RuntimeCall]));

export function errorReason(error: TRPCError): string {
  if (error.cause instanceof RegistryError) return error.cause.reason;
  if (error.cause instanceof ZodError || error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR") return "invalid_body";
  return error.code === "INTERNAL_SERVER_ERROR" ? "internal" : error.code.toLowerCase();
}

const guarded = t.middleware(async ({ ctx, path, getRawInput, next }) => {
  const call = CALL_BY_PROCEDURE.get(path);
  if (!call || !ctx.runtimeGuard) return next();
  const raw = await getRawInput().catch(() => undefined);
  ctx.runtimeGuard.admit(call, raw);
  const result = await next();
  ctx.runtimeGuard.settle(call, raw, result.ok ? "ok" : errorReason(result.error));
  return result;
});

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.operator) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in required" });
  return next({ ctx: { operator: ctx.operator } });
});

const mayAct = t.middleware(({ ctx, next }) => {
  if (ctx.operator?.role !== "operator") {
    throw new TRPCError({ code: "FORBIDDEN", message: "the operator role is required for this action" });
  }
  return next({ ctx: { operator: ctx.operator } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);
/** Runtime calls: the token gate runs inside each registry function, before anything changes. */
export const runtimeProcedure = publicProcedure.use(guarded);
export const viewerProcedure = publicProcedure.use(signedIn);
export const operatorProcedure = viewerProcedure.use(mayAct);
