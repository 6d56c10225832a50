import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/**
 * The one table of refusals: every machine-readable reason in an error body (`{"error": <message>, "reason": <code>}`),
 * with the HTTP status it answers on every route and the tRPC code it carries on the tRPC wire. Nothing else maps a
 * reason to a status.
 */
export const ERROR_TABLE = {
  invalid_body: { status: 400, trpc: "BAD_REQUEST" },
  json_too_deep: { status: 400, trpc: "BAD_REQUEST" },
  string_too_long: { status: 400, trpc: "BAD_REQUEST" },
  nul_character: { status: 400, trpc: "BAD_REQUEST" },
  invalid_unicode: { status: 400, trpc: "BAD_REQUEST" },
  agent_card_too_large: { status: 400, trpc: "BAD_REQUEST" },
  too_many_skills: { status: 400, trpc: "BAD_REQUEST" },
  invalid_operator_name: { status: 400, trpc: "BAD_REQUEST" },
  malformed_request: { status: 400, trpc: "BAD_REQUEST" },
  url_validate_failed: { status: 400, trpc: "BAD_REQUEST" },
  url_required_for_push: { status: 400, trpc: "BAD_REQUEST" },
  agent_card_invalid: { status: 400, trpc: "BAD_REQUEST" },
  maintenance_until_past: { status: 400, trpc: "BAD_REQUEST" },
  maintenance_too_long: { status: 400, trpc: "BAD_REQUEST" },
  invalid_secret: { status: 400, trpc: "BAD_REQUEST" },
  unknown_filter_key: { status: 400, trpc: "BAD_REQUEST" },
  invalid_credentials: { status: 401, trpc: "UNAUTHORIZED" },
  missing_token: { status: 401, trpc: "UNAUTHORIZED" },
  invalid_token: { status: 401, trpc: "UNAUTHORIZED" },
  forbidden: { status: 403, trpc: "FORBIDDEN" },
  not_found: { status: 404, trpc: "NOT_FOUND" },
  unknown_workspace: { status: 404, trpc: "NOT_FOUND" },
  unknown_marker: { status: 404, trpc: "NOT_FOUND" },
  unknown_endpoint: { status: 404, trpc: "NOT_FOUND" },
  unknown_delivery: { status: 404, trpc: "NOT_FOUND" },
  method_not_allowed: { status: 405, trpc: "METHOD_NOT_SUPPORTED" },
  request_timeout: { status: 408, trpc: "TIMEOUT" },
  marker_not_active: { status: 409, trpc: "CONFLICT" },
  conflict: { status: 409, trpc: "CONFLICT" },
  // tRPC has no 410: its wire says NOT_FOUND with this reason, and the HTTP status is still 410.
  workspace_removed: { status: 410, trpc: "NOT_FOUND" },
  body_too_large: { status: 413, trpc: "PAYLOAD_TOO_LARGE" },
  expectation_failed: { status: 417, trpc: "BAD_REQUEST" },
  rate_limited: { status: 429, trpc: "TOO_MANY_REQUESTS" },
  headers_too_large: { status: 431, trpc: "BAD_REQUEST" },
  internal: { status: 500, trpc: "INTERNAL_SERVER_ERROR" },
  credentials_unavailable: { status: 503, trpc: "SERVICE_UNAVAILABLE" },
} as const satisfies Record<string, { status: number; trpc: TRPC_ERROR_CODE_KEY }>;

/** Machine-readable reasons in every error body. */
export type ErrorReason = keyof typeof ERROR_TABLE;

export const ERROR_REASONS = Object.keys(ERROR_TABLE) as ErrorReason[];

/** The refusals of credentials: what the edge's limiter counts, on every authenticated path. */
export function isCredentialFailure(reason: string): boolean {
  return reason === "missing_token" || reason === "invalid_token";
}

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === "string" && Object.hasOwn(ERROR_TABLE, value);
}

/** A failure the caller can act on; its message is safe to show (never database text). */
export class RegistryError extends Error {
  readonly reason: ErrorReason;
  readonly httpStatus: number;
  readonly details: unknown;

  constructor(reason: ErrorReason, message: string, details?: unknown) {
    super(message);
    this.name = "RegistryError";
    this.reason = reason;
    this.httpStatus = ERROR_TABLE[reason].status;
    this.details = details;
  }
}
