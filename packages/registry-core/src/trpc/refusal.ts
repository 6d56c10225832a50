import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { ERROR_TABLE, RegistryError, type ErrorReason } from "../errors.ts";
import { zodRefusal, type InputIssue } from "../parse-input.ts";

/** What a caller is told about a failed request, whatever threw: the body of every error on every route. */
export type Refusal = { reason: ErrorReason; message: string; issues?: InputIssue[] };

/** tRPC's own refusals (an unknown procedure, a malformed `input`), in the registry's reasons. */
const REASON_BY_TRPC_CODE: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorReason>> = {
  PARSE_ERROR: "invalid_body",
  BAD_REQUEST: "invalid_body",
  UNAUTHORIZED: "missing_token",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "not_found",
  METHOD_NOT_SUPPORTED: "method_not_allowed",
  TIMEOUT: "request_timeout",
  CONFLICT: "conflict",
  PAYLOAD_TOO_LARGE: "body_too_large",
  TOO_MANY_REQUESTS: "rate_limited",
  SERVICE_UNAVAILABLE: "credentials_unavailable",
};

/**
 * The one reading of a failure: a RegistryError speaks for itself, a schema's refusal names the first bad field,
 * and anything else is `internal` with a message that never leaks its text (database errors, stack overflows).
 */
export function refusalOf(error: unknown): Refusal {
  const cause = error instanceof TRPCError && error.cause !== undefined ? error.cause : error;
  if (cause instanceof RegistryError) {
    const issues = (cause.details as { issues?: InputIssue[] } | undefined)?.issues;
    return { reason: cause.reason, message: cause.message, ...(issues ? { issues } : {}) };
  }
  if (cause instanceof ZodError) return zodRefusal(cause);
  if (error instanceof TRPCError) {
    const reason = REASON_BY_TRPC_CODE[error.code];
    if (reason) return { reason, message: error.message };
  }
  return { reason: "internal", message: "internal error" };
}

/** The HTTP status of a failure, from the one error table. */
export function httpStatusOf(error: unknown): number {
  return ERROR_TABLE[refusalOf(error).reason].status;
}

/** A failure as the tRPC error its wire carries: the code from the one error table, the cause kept for the formatter. */
export function asTRPCError(error: unknown): TRPCError {
  const refusal = refusalOf(error);
  const code = ERROR_TABLE[refusal.reason].trpc;
  if (error instanceof TRPCError && error.code === code) return error;
  return new TRPCError({ code, message: refusal.message, cause: error instanceof TRPCError ? (error.cause ?? error) : error });
}
