import { ERROR_TABLE } from "@rollcall/registry-core";
import { appRouter, asTRPCError, refusalOf, type Refusal } from "@rollcall/registry-core/trpc";
import { getTRPCErrorShape } from "@trpc/server";
import type { ServerResponse } from "node:http";
import { BodyTooLarge, sendJson } from "./json.ts";
import type { Transport } from "./routes.ts";

/** Which tRPC call failed, for the error shape tRPC's own formatter builds. */
export type TrpcCall = { path: string | undefined; type: "query" | "mutation" | "unknown"; input: unknown };

/**
 * Answers a failure in the route's encoding and returns what the caller was told: plain routes get
 * `{error, reason, issues?}`, tRPC routes tRPC's `{error: {message, code, data: {reason, httpStatus, issues}}}`.
 * The status always comes from the one error table.
 */
export function sendRefusal(res: ServerResponse, transport: Transport, error: unknown, call: TrpcCall, internalMessage?: string): Refusal {
  const refusal = refusalOf(error);
  if (internalMessage !== undefined && refusal.reason === "internal") refusal.message = internalMessage;
  const headers: Record<string, string> = {};
  if (refusal.reason === "rate_limited") headers["retry-after"] = "60";
  // An oversized body was drained (or cut short): the connection is not reused.
  if (error instanceof BodyTooLarge) headers.connection = "close";
  const { status } = ERROR_TABLE[refusal.reason];
  if (transport === "plain") {
    sendJson(res, status, { error: refusal.message, reason: refusal.reason, ...(refusal.issues ? { issues: refusal.issues } : {}) }, headers);
  } else {
    const shape = getTRPCErrorShape({
      config: appRouter._def._config,
      error: asTRPCError(error),
      type: call.type,
      path: call.path,
      input: call.input,
      ctx: undefined,
    });
    sendJson(res, status, { error: shape }, headers);
  }
  if (error instanceof BodyTooLarge && error.unread) res.once("finish", () => res.socket?.destroy());
  return refusal;
}
