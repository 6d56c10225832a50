import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Webhook } from "standardwebhooks";

/** What the receiver does with one request: answer with a status, never answer (the sender's timeout ends it), or drop the connection. */
export type Behaviour = number | "hang" | "drop";

export type Received = {
  id: string;
  timestamp: string;
  body: string;
  /** The parsed body, once its signature verified with the standardwebhooks package; null when it did not. */
  verified: any;
  answeredWith: Behaviour;
  at: number;
};

/**
 * The standardwebhooks package's verification, which also refuses a timestamp more than 5 minutes from its clock. A
 * server under test may run on a moved clock (harness.ts TestClock); the receiver then reads time from the same one.
 */
function verifier(now: (() => number) | undefined) {
  return (secret: string, body: string, headers: Record<string, string>): unknown => {
    const realNow = Date.now;
    if (now) {
      const at = now();
      Date.now = () => at;
    }
    try {
      return new Webhook(secret).verify(body, headers);
    } catch {
      return null;
    } finally {
      Date.now = realNow;
    }
  };
}

/**
 * A real webhook receiver on loopback, as a customer would write one: it verifies every request's signature with the
 * `standardwebhooks` package and keeps what came. `behave` picks each answer (200 unless told otherwise).
 */
export async function startReceiver(secret: string | null = null, options: { now?: () => number } = {}) {
  const received: Received[] = [];
  const verify = verifier(options.now);
  const sockets = new Set<Socket>();
  let behave: (request: { id: string; count: number; body: string }) => Behaviour = () => 200;
  let secretKey = secret;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const id = String(req.headers["webhook-id"]);
      let verified: any = null;
      verified = secretKey ? verify(secretKey, body, req.headers as Record<string, string>) : null;
      const answer = behave({ id, count: received.filter((r) => r.id === id).length, body });
      received.push({ id, timestamp: String(req.headers["webhook-timestamp"]), body, verified, answeredWith: answer, at: Date.now() });
      if (answer === "hang") return;
      if (answer === "drop") return void req.socket.destroy();
      res.writeHead(answer, { "content-type": "text/plain" });
      res.end(answer >= 400 ? `failure ${answer}` : "ok");
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    setSecret(value: string) {
      secretKey = value;
    },
    behave(rule: typeof behave) {
      behave = rule;
    },
    /** Bodies that verified and were accepted (2xx), in arrival order, once per webhook-id: what a de-duplicating receiver acts on. */
    unique(): any[] {
      const seen = new Set<string>();
      const accepted = (r: Received) => typeof r.answeredWith === "number" && r.answeredWith < 300;
      return received.filter((r) => r.verified !== null && accepted(r) && !seen.has(r.id) && seen.add(r.id)).map((r) => r.verified);
    },
    async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(
            `receiver: condition not met in ${timeoutMs} ms; received ${JSON.stringify(received.map((r) => r.verified?.type ?? r.body.slice(0, 80)))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
