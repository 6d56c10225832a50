import { TRPCClientError } from "@trpc/client";
import type { ServerReason } from "./contract.ts";

/** Failures that happen on the runtime's side of the wire, so the server never named them. */
export type ClientFailureReason =
  /** No response: connection refused, reset, DNS failure of the registry itself. */
  | "network_error"
  /** No response within the request timeout. */
  | "timeout"
  /** The token source threw or returned nothing usable. */
  | "token_unavailable"
  /** A non-2xx response that carried no reason we could read (a proxy's HTML error page, say). */
  | "unexpected_response";

/** The server's reasons and ours; any other string is a reason a newer server added, kept rather than hidden. */
export type FailureReason = ServerReason | ClientFailureReason | (string & {});

/** Statuses worth retrying: the server or something in front of it may answer differently in a moment. */
const RETRYABLE_STATUS = (status: number) => status === 0 || status === 429 || status >= 500;

/**
 * Every failed registry call, whatever went wrong. `status` is the HTTP status observed (0 when no response
 * arrived); `reason` is the server's machine-readable reason, or one of ours when it could not say.
 */
export class RegistryClientError extends Error {
  readonly status: number;
  readonly reason: FailureReason;
  /** 5xx (including 503 credentials_unavailable), 429 and every failure without a response. */
  readonly retryable: boolean;

  constructor(message: string, status: number, reason: FailureReason, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RegistryClientError";
    this.status = status;
    this.reason = reason;
    this.retryable = RETRYABLE_STATUS(status) || reason === "credentials_unavailable" || reason === "rate_limited";
  }

  /**
   * The workspace was removed, so nothing this runtime sends will be accepted again. Keyed on the reason:
   * the REST routes answer 410, but tRPC has no 410 code and the tRPC route answers 404 with the same reason.
   */
  get removed(): boolean {
    return this.reason === "workspace_removed" || this.status === 410;
  }

  /** The registry rejected the token (rotated, revoked, or never sent). */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** Thrown by our fetch wrapper for a non-2xx answer that is not a tRPC error envelope. */
export class UnexpectedResponseError extends Error {
  readonly status: number;
  readonly reason: string | undefined;

  constructor(status: number, reason: string | undefined, message: string) {
    super(message);
    this.name = "UnexpectedResponseError";
    this.status = status;
    this.reason = reason;
  }
}

/** Thrown by the headers callback when the token source fails; the request is then never sent. */
export class TokenUnavailableError extends Error {
  constructor(cause: unknown) {
    super("the token source failed", { cause });
    this.name = "TokenUnavailableError";
  }
}

const isTimeout = (error: unknown) => error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");

/** Reduces whatever a tRPC call threw to one RegistryClientError. */
export function toRegistryClientError(error: unknown): RegistryClientError {
  if (error instanceof RegistryClientError) return error;
  const cause = error instanceof TRPCClientError ? (error.cause as unknown) : error;
  const message = error instanceof Error ? error.message : String(error);

  if (cause instanceof UnexpectedResponseError) {
    return new RegistryClientError(cause.message, cause.status, knownReason(cause.reason) ?? "unexpected_response", { cause: error });
  }
  if (cause instanceof TokenUnavailableError) return new RegistryClientError(cause.message, 0, "token_unavailable", { cause: error });
  if (error instanceof TRPCClientError) {
    const response = (error.meta as { response?: { status?: unknown } } | undefined)?.response;
    if (typeof response?.status === "number") {
      const data = error.data as { reason?: unknown } | null | undefined;
      return new RegistryClientError(message, response.status, knownReason(data?.reason) ?? "unexpected_response", { cause: error });
    }
  }
  if (isTimeout(cause)) return new RegistryClientError("the registry did not answer in time", 0, "timeout", { cause: error });
  return new RegistryClientError(message, 0, "network_error", { cause: error });
}

function knownReason(reason: unknown): FailureReason | undefined {
  return typeof reason === "string" && reason !== "" ? reason : undefined;
}
