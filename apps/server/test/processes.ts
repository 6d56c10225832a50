import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Runs pnpm as the test command was started with it (`npm_execpath`), else the one on the PATH. pnpm 12 is a native
 * executable; an npx-installed pnpm may be a script for node.
 */
export function runPnpm(args: string[], cwd: string) {
  const execPath = process.env.npm_execpath;
  if (!execPath?.includes("pnpm")) return run("pnpm", args, { cwd });
  return /\.[cm]?js$/.test(execPath) ? run(process.execPath, [execPath, ...args], { cwd }) : run(execPath, args, { cwd });
}

/** SIGTERM, then its exit code; at once if it has already exited (an "exit" that already fired never fires again). */
export function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

/** A `src/main.ts` server process and the URL it listens on. */
export type ServerProcess = { child: ChildProcess; url: string };

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/**
 * Starts `src/main.ts` as its own OS process, with `env` over the test's own environment, and resolves once it logs
 * "listening". Its log lines go on being read, so a full pipe never blocks it.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], { env: { ...process.env, PORT: "0", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      const entry = parseLogLine(line);
      if (entry?.msg === "listening" && entry.url) resolve(entry.url);
    });
    child.once("exit", (code, signal) => reject(new Error(`server exited early with ${code ?? signal}`)));
  });
  return { child, url };
}

/** A JSON log line, or null for anything else on stdout (a runtime warning must not throw inside the reader). */
function parseLogLine(line: string): { msg?: string; url?: string } | null {
  try {
    return JSON.parse(line) as { msg?: string; url?: string };
  } catch {
    return null;
  }
}

/** SIGKILL, as a crash or the OOM killer ends a process: no shutdown code runs. Resolves once it has exited. */
export function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
