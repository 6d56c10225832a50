import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

type Notification = { type: string; data: { workspace_name?: string | null; to?: string; reasons?: string[]; count?: number } };

/** Every fifth notification's first attempt is refused, so the console's delivery log shows a retry at work. */
const REFUSE_EVERY = 5;

/**
 * The demo's webhook receiver, as a customer would write one: it verifies each request with the `standardwebhooks`
 * package, de-duplicates on `webhook-id`, and reports what it was told. Returns its URL once listening.
 */
export async function startDemoReceiver(secret: string, report: (line: string) => void): Promise<{ url: string; close(): void }> {
  const webhook = new Webhook(secret);
  const seen = new Set<string>();
  const refused = new Set<string>();
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const id = String(req.headers["webhook-id"]);
      let body: Notification;
      try {
        body = webhook.verify(Buffer.concat(chunks).toString("utf8"), req.headers as Record<string, string>) as Notification;
      } catch {
        report("a request with a bad signature: refused");
        return void res.writeHead(401).end();
      }
      const first = !seen.has(id);
      seen.add(id);
      if (first && ++count % REFUSE_EVERY === 0) {
        refused.add(id);
        report(`${body.type}: answered 503 on purpose, to show a retry`);
        return void res.writeHead(503).end();
      }
      res.writeHead(204).end();
      // A repeat of one already acted on: de-duplicated on its webhook-id.
      if (!first && !refused.delete(id)) return;
      const { data } = body;
      const what =
        body.type === "WORKSPACES_CHANGED"
          ? `${data.count} workspaces in one notification`
          : `${data.workspace_name ?? ""} → ${data.to ?? ""} ${data.reasons?.join(", ") ?? ""}`;
      report(`${first ? "" : "retry delivered: "}${body.type}: ${what.trim()}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rollcall`, close: () => server.close() };
}
