import type { IncomingMessage, ServerResponse } from "node:http";
import { RegistryError } from "@rollcall/registry-core";

/** Runtime and operator bodies are small; 64 KiB leaves room for a large agent card. */
const MAX_BODY_BYTES = 64 * 1024;
/**
 * An oversized body is read to its end and dropped before the 413 is sent: a client that sends its whole body
 * (Node's fetch does) reads the answer only after writing, and a server that answers and closes first resets it
 * (EPIPE) before it ever sees the 413. Past this much, the connection is cut instead.
 */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

export class BodyTooLarge extends RegistryError {
  constructor(
    /** The rest of the body was not read: the connection must close after the answer. */
    readonly unread: boolean,
  ) {
    super("body_too_large", `request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
}

/** The body as JSON; an empty body is `{}`. Event-driven rather than an async iterator: this runs on every heartbeat. */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAINED_BYTES) {
        req.off("data", onData).off("end", onEnd);
        return reject(new BodyTooLarge(true));
      }
      if (tooLarge || size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (tooLarge) return reject(new BodyTooLarge(false));
      const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "") return resolve({});
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(new RegistryError("invalid_body", "invalid request body: not valid JSON"));
      }
    };
    // The client went away mid-body: a refusal of its request, never a server fault (it is not there to read it).
    req
      .on("data", onData)
      .on("end", onEnd)
      .on("error", () => reject(new RegistryError("malformed_request", "the request body was cut short")));
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
