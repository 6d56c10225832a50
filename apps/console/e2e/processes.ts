import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** A child process of the harness, its output in a log file under e2e-artifacts. */
export type ManagedProcess = {
  name: string;
  pid: number;
  logFile: string;
  /** null while running; the exit code (or the signal's name) once it ended. */
  exitStatus(): string | null;
  /** Resolves when the process has ended, whatever the reason. */
  exited: Promise<void>;
  /** SIGTERM to its process group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

/** Every process group this harness started and has not seen end, for the last-resort kill on exit. */
const running = new Map<number, ManagedProcess>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the runner dies without running teardown, the servers must not outlive it holding ports and files.
  process.once("exit", () => {
    for (const pid of running.keys()) signalGroup(pid, "SIGKILL");
  });
}

/** Signals the whole group (a negative pid), so helpers a command forks die with it. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
}): ManagedProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, "w");
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      // Next's global types make NODE_ENV required in ProcessEnv; each child sets its own mode (next start: production).
      env: options.env as NodeJS.ProcessEnv,
      stdio: ["ignore", log, log],
      // Its own process group, so stop() reaches everything it starts.
      detached: true,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${options.command} (see ${options.logFile})`);

  let status: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      status = code !== null ? `exit code ${code}` : `signal ${signal ?? "unknown"}`;
      running.delete(pid);
      resolve();
    });
    child.once("error", (error) => {
      status = `spawn error: ${error.message}`;
      running.delete(pid);
      resolve();
    });
  });

  const managed: ManagedProcess = {
    name: options.name,
    pid,
    logFile: options.logFile,
    exitStatus: () => status,
    exited,
    async stop(graceMs = 5_000) {
      if (status !== null) return;
      signalGroup(pid, "SIGTERM");
      const ended = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!ended) {
        signalGroup(pid, "SIGKILL");
        await exited;
      }
      // The leader may have exited on SIGTERM before its children did.
      signalGroup(pid, "SIGKILL");
    },
  };
  installExitHook();
  running.set(pid, managed);
  return managed;
}

/** The last lines of a log, to put the cause of a failed start into the error message itself. */
export function tailOf(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** A port that was free a moment ago (the OS picks it); the process that gets it binds it right away. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
}

/**
 * Polls `url` until `accept` says yes. Fails at once if the process ends first, and on timeout, both times with the
 * tail of its log.
 */
export async function waitForHttp(child: ManagedProcess, url: string, accept: (response: Response) => boolean, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    const status = child.exitStatus();
    if (status !== null) {
      throw new Error(`${child.name} ended (${status}) before ${url} answered.\n--- ${child.logFile} ---\n${tailOf(child.logFile)}`);
    }
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      if (accept(response)) return response;
      last = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`${child.name}: ${url} not ready after ${timeoutMs} ms (last: ${last}).\n--- ${child.logFile} ---\n${tailOf(child.logFile)}`);
}

/** Runs a command to completion, output to its log file; rejects with the log's tail on a non-zero exit. */
export async function runToCompletion(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  timeoutMs: number;
}): Promise<void> {
  const child = startProcess(options);
  const finished = await Promise.race([child.exited.then(() => true), sleep(options.timeoutMs).then(() => false)]);
  if (!finished) {
    await child.stop(1_000);
    throw new Error(`${options.name} did not finish within ${options.timeoutMs} ms.\n--- ${options.logFile} ---\n${tailOf(options.logFile)}`);
  }
  const status = child.exitStatus();
  if (status !== "exit code 0") {
    throw new Error(`${options.name} failed (${status}).\n--- ${options.logFile} ---\n${tailOf(options.logFile)}`);
  }
}
