import { validateAgentUrl, type ResolveHost, type Send, type UrlPolicy } from "@rollcall/registry-core";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";

/** An attempt's whole budget, connect to last byte read (the issue's 5 s): a slow receiver cannot hold a slot longer. */
export const SEND_TIMEOUT_MS = 5_000;
/** Bytes of an answer read at most: only the status counts, and a receiver must not make Rollcall buffer its body. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Characters of an error answer kept in the delivery log. */
const LOGGED_ANSWER_CHARS = 200;

/** A lookup that answers only the address the URL validator passed, so DNS cannot change between check and connect. */
function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  return (_hostname, options, callback) => {
    // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily): one, the validated one.
    if (options.all) (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function describeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `timed out after ${SEND_TIMEOUT_MS} ms`;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET") return "connection reset";
  return error instanceof Error ? `${code ? `${code}: ` : ""}${error.message}` : String(error);
}

/**
 * The outbound HTTP of notifications: the endpoint's URL is judged again by the one URL validator at every attempt
 * (an address that became private is refused, never connected to), the connection goes to the address it validated
 * and nowhere else, redirects are not followed (a 3xx is a failed attempt), and the attempt ends after 5 s.
 */
export function createSender(options: { urlPolicy: UrlPolicy; resolveHost: ResolveHost }): Send {
  // Kept-alive connections: each was opened to a validated address, and a reused one goes nowhere else.
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };
  return async ({ url, headers, body }) => {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const check = await validateAgentUrl(url, options.urlPolicy, options.resolveHost);
    if (!check.ok) return { statusCode: null, latencyMs: elapsed(), error: `not sent: ${check.message}` };
    // A localhost name is loopback by definition (RFC 6761) and is never resolved; the validator allowed it.
    const address = check.addresses[0] ?? "127.0.0.1";
    const target = new URL(check.url);
    const https = target.protocol === "https:";
    const hostname = target.hostname.replace(/^\[|\]$/g, "");
    try {
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = (https ? httpsRequest : httpRequest)(
          {
            hostname,
            port: target.port || (https ? 443 : 80),
            path: `${target.pathname}${target.search}`,
            method: "POST",
            agent: https ? agents.https : agents.http,
            lookup: pinnedLookup(address),
            ...(https && isIP(hostname) === 0 ? { servername: hostname } : {}),
            signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
            headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Rollcall-Notifications/1" },
          },
          (response: IncomingMessage) => {
            const chunks: Buffer[] = [];
            let size = 0;
            const done = () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
            response.on("data", (chunk: Buffer) => {
              size += chunk.length;
              if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
              else {
                response.destroy();
                done();
              }
            });
            response.on("end", done);
            response.on("error", reject);
          },
        );
        request.on("error", reject);
        request.end(body);
      });
      const latencyMs = elapsed();
      if (answer.status >= 200 && answer.status < 300) return { statusCode: answer.status, latencyMs, error: null };
      if (answer.status >= 300 && answer.status < 400)
        return { statusCode: answer.status, latencyMs, error: `HTTP ${answer.status}: redirects are not followed` };
      const excerpt = answer.text.trim().slice(0, LOGGED_ANSWER_CHARS);
      return { statusCode: answer.status, latencyMs, error: `HTTP ${answer.status}${excerpt ? `: ${excerpt}` : ""}` };
    } catch (error) {
      return { statusCode: null, latencyMs: elapsed(), error: describeFailure(error) };
    }
  };
}
