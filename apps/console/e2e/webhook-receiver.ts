import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** One request the receiver got, with the Standard Webhooks headers and what it answered. */
export type ReceivedWebhook = { webhookId: string; timestamp: string; signature: string; body: string; answeredWith: number };

/**
 * A webhook receiver on loopback that keeps every request. By default it fails once and then recovers: it answers 500
 * to the first request of each `webhook-id` and 200 to every later one, so each notification's first attempt fails
 * and its retry (the registry's first comes about 2 s later) is delivered. With `failFirst: false` it answers 200 always.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Where an endpoint should point. */
  url = "";

  private constructor(
    private readonly server: Server,
    private readonly failFirst: boolean,
  ) {}

  static async start({ failFirst = true }: { failFirst?: boolean } = {}): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server, failFirst);
    server.on("request", (request: IncomingMessage, response: ServerResponse) => receiver.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (!address || typeof address !== "object") throw new Error("the receiver has no port");
    receiver.url = `http://127.0.0.1:${address.port}/hook`;
    return receiver;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const webhookId = String(request.headers["webhook-id"]);
      const status = this.failFirst && this.requestsFor(webhookId).length === 0 ? 500 : 200;
      this.received.push({
        webhookId,
        timestamp: String(request.headers["webhook-timestamp"]),
        signature: String(request.headers["webhook-signature"]),
        body: Buffer.concat(chunks).toString("utf8"),
        answeredWith: status,
      });
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(status === 200 ? "ok" : "receiver failing once");
    });
  }

  requestsFor(webhookId: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.webhookId === webhookId);
  }

  /**
   * Whether the request carries a Standard Webhooks signature made with `secret`: `v1,` and the base64 HMAC-SHA256,
   * keyed with the secret's bytes after `whsec_`, of `id.timestamp.body`.
   */
  static signedWith(request: ReceivedWebhook, secret: string): boolean {
    const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
    const expected = createHmac("sha256", key).update(`${request.webhookId}.${request.timestamp}.${request.body}`).digest();
    return request.signature.split(" ").some((signature) => {
      const [version, value] = signature.split(",");
      const given = Buffer.from(value ?? "", "base64");
      return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
    });
  }

  async close(): Promise<void> {
    // The registry keeps its connections alive; they must not hold the port open after the test.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
