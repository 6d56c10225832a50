import { initTRPC } from "@trpc/server";
import type { OperatorRole } from "../accounts/accounts.ts";
import type { RegistryDeps } from "../deps.ts";
import { ERROR_TABLE, RegistryError } from "../errors.ts";
import { enforceInputLimits } from "../parse-input.ts";
import type { RuntimeCall } from "../runtime/calls.ts";
import { asTRPCError, refusalOf } from "./refusal.ts";

export type { OperatorRole, RuntimeCall };
export type Operator = { name: string; role: OperatorRole };

/**
 * Where a procedure is also served as plain REST under /api (the operator API for scripts): its method, its path
 * with `{param}` segments filled from the input, and the status of a success. The server's route table and its
 * OpenAPI document are built from these, so REST and tRPC cannot drift apart.
 */
export type RestRoute = { method: "GET" | "POST" | "DELETE"; path: `/api/${string}`; status?: 200 | 201; summary: string };
export type Meta = { rest?: RestRoute };

export type Context = {
  deps: RegistryDeps;
  /** The raw `Authorization` header: runtime procedures prove their token with it. */
  authorization: string | undefined;
  /** The operator the edge's operator gate let in (admin token or console session), if any. */
  operator: Operator | null;
  /** How often a live event stream looks for new rows. */
  eventPollMs: number;
};

/** Context without a request: tests and in-process callers build it directly. */
export function createContextInner(context: Context): Context {
  return context;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
    // Every refusal carries the registry's reason and status (errors.ts) and, for a bad input, its issues. Internal
    // errors never leak their text (database messages) to callers.
    errorFormatter({ shape, error }) {
      const { reason, message, issues } = refusalOf(error);
      return {
        ...shape,
        message,
        data: { code: shape.data.code, httpStatus: ERROR_TABLE[reason].status, path: shape.data.path, reason, issues },
      };
    },
  });

/** Domain refusals as tRPC errors with the code of the one error table. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  return result.ok ? result : { ...result, error: asTRPCError(result.error) };
});

/** The input limits (input-limits.ts), before the input's schema or the procedure runs. */
const inputLimits = t.middleware(async ({ getRawInput, next }) => {
  enforceInputLimits(await getRawInput());
  return next();
});

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.operator) throw new RegistryError("missing_token", "sign in required");
  return next({ ctx: { operator: ctx.operator } });
});

const mayAct = t.middleware(({ ctx, next }) => {
  if (ctx.operator?.role !== "operator") throw new RegistryError("forbidden", "the operator role is required for this action");
  return next({ ctx: { operator: ctx.operator } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
const publicProcedure = t.procedure.use(domainErrors);
/** Runtime calls: the token gate runs inside each registry function, before anything changes. */
export const runtimeProcedure = publicProcedure.use(inputLimits);
export const viewerProcedure = publicProcedure.use(signedIn).use(inputLimits);
export const operatorProcedure = publicProcedure.use(signedIn).use(mayAct).use(inputLimits);
