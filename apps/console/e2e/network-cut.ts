import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP relay in front of the console that a test can cut, like pulling the browser's cable.
 *
 * Needed because the browser's own switches do not end a connection that is already open: measured here with
 * Chromium 156, an EventSource kept receiving for seconds after `context.setOffline(true)`, and `page.route` only
 * sees new requests. Cutting the relay ends the open event stream at once and refuses reconnects until restored.
 */
export class NetworkCut {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private isCut = false;
  /** The console's address as the browser should use it in this test. */
  url = "";

  private constructor(private readonly target: URL) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(targetUrl: string): Promise<NetworkCut> {
    const relay = new NetworkCut(new URL(targetUrl));
    await new Promise<void>((resolve, reject) => {
      relay.server.once("error", reject);
      relay.server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = relay.server.address();
    if (!address || typeof address !== "object") throw new Error("the relay has no port");
    relay.url = `http://127.0.0.1:${address.port}`;
    return relay;
  }

  private accept(client: Socket): void {
    if (this.isCut) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: this.target.hostname, port: Number(this.target.port) });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      // A cut or a closing console resets sockets; that is the point, not a failure of the test.
      socket.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  }

  /** Drops every open connection (reset, no goodbye) and refuses new ones until restore(). */
  cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  restore(): void {
    this.isCut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
