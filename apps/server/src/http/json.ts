import type { IncomingMessage, ServerResponse } from "node:http";
import { RegistryError } from "@rollcall/registry-core";

/** Runtime and operator bodies are small; 64 KiB leaves room for a large agent card. */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () => new RegistryError("body_too_large", `request body exceeds ${MAX_BODY_BYTES} bytes`);

/** The body as JSON; an empty body is `{}`. Event-driven rather than an async iterator: this runs on every heartbeat. */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Drain and drop the rest, so the 413 can be answered before the connection closes.
      req.off("data", onData).off("end", onEnd).resume();
      reject(tooLarge());
    };
    const onEnd = () => {
      const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "") return resolve({});
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(new RegistryError("invalid_body", "invalid request body: not valid JSON"));
      }
    };
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
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
