import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FromGenerator, LatencySummary, ToGenerator } from "./protocol.ts";

const ENTRY = fileURLToPath(new URL("./load-generator.ts", import.meta.url));

export type GeneratorOptions = { port: number; fleetFile: string; connections: number; intervalMs: number; jitter: number };

/** The parent's handle on the load generator process (load-generator.ts). */
export async function startGenerator(options: GeneratorOptions) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", ENTRY], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting = new Map<number, (message: FromGenerator) => void>();
  let seq = 0;
  let onReady: (() => void) | null = null;
  child.on("message", (message: FromGenerator) => {
    if (message.type === "ready") onReady?.();
    else if (message.type !== "stopped") {
      waiting.get(message.seq)?.(message);
      waiting.delete(message.seq);
    }
  });
  const post = (message: ToGenerator) => child.send(message);
  const ask = <T extends FromGenerator>(build: (seq: number) => ToGenerator) =>
    new Promise<T>((resolve) => {
      const id = ++seq;
      waiting.set(id, (message) => resolve(message as T));
      post(build(id));
    });

  await new Promise<void>((resolve, reject) => {
    onReady = resolve;
    child.once("exit", (code) => reject(new Error(`load generator exited with ${code}`)));
    post({ type: "load", ...options });
  });

  return {
    pid: child.pid!,
    /** Starts the fleet beating; returns the start time (epoch ms). */
    go(delayMs = 500): number {
      const startAt = Date.now() + delayMs;
      post({ type: "go", startAt });
      return startAt;
    },
    /** The given runtimes send one last beat at once and fall silent; resolves when every last beat is answered. */
    silence: (indices: number[]) => ask<Extract<FromGenerator, { type: "silenced" }>>((id) => ({ type: "silence", seq: id, indices })),
    summary: async (from: number, to: number): Promise<LatencySummary> =>
      (await ask<Extract<FromGenerator, { type: "summary" }>>((id) => ({ type: "summary", seq: id, from, to }))).summary,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        post({ type: "stop" });
      }),
  };
}
export type Generator = Awaited<ReturnType<typeof startGenerator>>;
