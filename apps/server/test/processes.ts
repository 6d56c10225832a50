import { execFile, type ChildProcess } from "node:child_process";
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
