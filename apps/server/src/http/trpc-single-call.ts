import { RegistryError } from "@rollcall/registry-core";
import { appRouter, type Context } from "@rollcall/registry-core/trpc";
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readJsonBody, sendJson } from "./json.ts";

/**
 * The runtime procedures runtimes call every 30 s, served on tRPC's wire format for single (non-batched) calls
 * without the standard adapter, which turns every Node request into a Fetch Request and back (about 8x slower
 * here: shared TOOLCHAIN.md). Same router, same middlewares, same error formatter; only the transport is leaner.
 */
export const SINGLE_CALL_PROCEDURES = new Set(["runtime.register", "runtime.heartbeat", "runtime.updateCard"]);

/** tRPC has no 410; a removed workspace still answers HTTP 410, as on the plain-JSON routes. */
export function httpStatusOf(error: TRPCError): number {
  return error.cause instanceof RegistryError && error.cause.reason === "workspace_removed" ? 410 : getHTTPStatusCodeFromError(error);
}

export async function handleSingleCall(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ctx: Context,
  onError: (error: TRPCError) => void,
): Promise<void> {
  let input: unknown;
  try {
    try {
      input = await readJsonBody(req);
    } catch (error) {
      const tooLarge = error instanceof RegistryError && error.reason === "body_too_large";
      throw new TRPCError({ code: tooLarge ? "PAYLOAD_TOO_LARGE" : "PARSE_ERROR", message: (error as Error).message, cause: error });
    }
    const data: unknown = await callTRPCProcedure({
      router: appRouter,
      path,
      type: "mutation",
      ctx,
      getRawInput: async () => input,
      signal: undefined,
      batchIndex: 0,
    });
    sendJson(res, 200, { result: { data } });
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    onError(error);
    const shape = getTRPCErrorShape({ config: appRouter._def._config, error, type: "mutation", path, input, ctx });
    // An unread oversized body must not stay on a keep-alive connection.
    sendJson(res, httpStatusOf(error), { error: shape }, error.code === "PAYLOAD_TOO_LARGE" ? { connection: "close" } : {});
  }
}
