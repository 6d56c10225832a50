/** Machine-readable reasons in every error body: `{ "error": <message>, "reason": <code> }`. */
export type ErrorReason =
  | "invalid_body"
  | "url_validate_failed"
  | "url_required_for_push"
  | "agent_card_invalid"
  | "invalid_credentials"
  | "missing_token"
  | "invalid_token"
  | "forbidden"
  | "unknown_workspace"
  | "workspace_removed"
  | "unknown_marker"
  | "marker_not_active"
  | "body_too_large"
  | "rate_limited"
  | "credentials_unavailable"
  | "conflict"
  | "not_found"
  | "internal";

const STATUS_BY_REASON: Record<ErrorReason, number> = {
  invalid_body: 400,
  url_validate_failed: 400,
  url_required_for_push: 400,
  agent_card_invalid: 400,
  invalid_credentials: 401,
  missing_token: 401,
  invalid_token: 401,
  forbidden: 403,
  unknown_workspace: 404,
  unknown_marker: 404,
  not_found: 404,
  marker_not_active: 409,
  conflict: 409,
  workspace_removed: 410,
  body_too_large: 413,
  rate_limited: 429,
  internal: 500,
  credentials_unavailable: 503,
};

/** A failure the caller can act on; its message is safe to show (never database text). */
export class RegistryError extends Error {
  readonly reason: ErrorReason;
  readonly httpStatus: number;
  readonly details: unknown;

  constructor(reason: ErrorReason, message: string, details?: unknown) {
    super(message);
    this.name = "RegistryError";
    this.reason = reason;
    this.httpStatus = STATUS_BY_REASON[reason];
    this.details = details;
  }
}
