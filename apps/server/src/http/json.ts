import type { IncomingMessage, ServerResponse } from "node:http";
import { RegistryError } from "@rollcall/registry-core";

/** Runtime and operator bodies are small; 64 KiB leaves room for a large agent card. */
export const MAX_BODY_BYTES = 64 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new RegistryError("body_too_large", `request body exceeds ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RegistryError("body_too_large", `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RegistryError("invalid_body", "invalid request body: not valid JSON");
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(payload);
}

/** Every error body: `{error, reason}` (plus `issues` for invalid input). Unknown errors never leak their text. */
export function sendError(res: ServerResponse, error: unknown): RegistryError {
  const known = error instanceof RegistryError ? error : new RegistryError("internal", "internal error");
  const issues = (known.details as { issues?: unknown } | undefined)?.issues;
  const headers: Record<string, string> = known.reason === "rate_limited" ? { "retry-after": "60" } : {};
  if (known.reason === "body_too_large") headers.connection = "close";
  sendJson(res, known.httpStatus, { error: known.message, reason: known.reason, ...(issues ? { issues } : {}) }, headers);
  return known;
}
