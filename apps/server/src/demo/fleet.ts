/**
 * A fleet of simulated runtimes talking to a real Rollcall server over HTTP through @rollcall/client, so a
 * newcomer can watch the status rules at work (and the console fill up). Run it next to a server:
 *
 *   ROLLCALL_URL=http://127.0.0.1:8080 ROLLCALL_ADMIN_TOKEN=… pnpm --filter @rollcall/server demo-fleet
 *
 * The server must run with ROLLCALL_DEV_MODE=1: the simulated agents advertise http://127.0.0.1:<port> URLs.
 *
 * Roles: most runtimes are healthy; "flaky" ones see their tasks fail for a while (degraded, then back);
 * "silent" ones stall for ~2 minutes (offline, then online with a restart context); one replays incident #2739.
 * Each line it prints is one thing a runtime did, or one status change it (or the registry) observed.
 */
import {
  createRegistryClient,
  ErrorRateWindow,
  RegistryClientError,
  sleep,
  type AgentCard,
  type HeartbeatLoop,
  type RegistryClient,
  type RestartContext,
} from "@rollcall/client";
import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { z } from "zod";
import { startDemoReceiver } from "./receiver.ts";

// The demo reads its own few settings; it is a client of the server, not part of it, so it has no share in env.ts.
const Config = z.object({
  ROLLCALL_URL: z
    .url()
    .default("http://127.0.0.1:8080")
    .transform((url) => url.replace(/\/+$/, "")),
  ROLLCALL_ADMIN_TOKEN: z.string({ error: "is required: the server's admin token" }).min(16, "must be at least 16 characters"),
  FLEET_SIZE: z.coerce.number().int().min(1).max(500).default(12),
  /** Heartbeat interval; 5 s rather than the production 30 s so that a demo is lively. */
  FLEET_INTERVAL_MS: z.coerce.number().int().min(250).default(5_000),
});
type Config = z.infer<typeof Config>;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/** Each up runtime finishes (or fails) one simulated task this often. */
const TASK_TICK_MS = 250;
/** The rolling window its error rate is computed over: short, so a failure burst shows within a beat or two. */
const ERROR_WINDOW_SECONDS = 30;
const HEALTHY_FAILURE_RATE = 0.02;
/** Far above the registry's 0.5 degrade threshold once the window fills with failures. */
const FLAKY_FAILURE_RATE = 0.85;
/** The hostname of incident #2739: a Docker container id that no DNS server resolves. */
const INCIDENT_URL = "http://212851b5693d:8000";
/** Simulated agents "listen" on loopback ports from here (nothing really listens; the server runs in dev mode). */
const FIRST_AGENT_PORT = 9_100;
/** Every demo workspace's name starts with this and its run's tag (fleet-k3x9q-flaky-01). */
const RUN_TAG_PREFIX = "fleet-";
const TASKS = ["summarise ticket", "index repository", "answer question", "draft reply", "triage alert"];

type Role = "healthy" | "flaky" | "silent" | "incident";
type Source = "register" | "heartbeat" | "operator" | "registry";

const stamp = () => new Date().toISOString().slice(11, 19);
let nameWidth = 12;
function log(who: string, message: string): void {
  console.log(`${stamp()}  ${who.padEnd(nameWidth)}  ${message}`);
}
const seconds = (ms: number) => `${Math.round(ms / SECOND)} s`;
const between = (min: number, max: number) => min + Math.random() * (max - min);
const describeError = (error: unknown) =>
  error instanceof RegistryClientError ? `${error.status} ${error.reason}: ${error.message}` : error instanceof Error ? error.message : String(error);

// ---------------------------------------------------------------------------------------------------------------
// The operator REST API: provisioning, the incident's restart, and a poll of what the registry itself thinks.

const Provisioned = z.object({ id: z.string(), token: z.string() });
const WorkspaceList = z.object({
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), status_reasons: z.array(z.string()) })),
});
const WorkspaceDetail = z.object({
  status: z.string(),
  status_reasons: z.array(z.string()),
  markers: z.array(z.object({ kind: z.string(), reason: z.string(), active: z.boolean(), expires_at: z.string().nullable() })),
});

function operatorApi(config: Config) {
  return async function call<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${config.ROLLCALL_URL}${path}`, {
      method,
      headers: { authorization: `Bearer ${config.ROLLCALL_ADMIN_TOKEN}`, "content-type": "application/json", "x-operator-name": "fleet-demo" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: unknown) => {
      throw new Error(`cannot reach ${config.ROLLCALL_URL} (${error instanceof Error ? error.message : String(error)}); is the server running?`);
    });
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const { error, reason } = (payload ?? {}) as { error?: string; reason?: string };
      throw new Error(`${method} ${path} answered ${response.status} ${reason ?? ""}: ${error ?? ""}`);
    }
    return schema.parse(payload);
  };
}
type OperatorApi = ReturnType<typeof operatorApi>;

// ---------------------------------------------------------------------------------------------------------------
// One simulated runtime: a process that boots (new SDK client, register), works, beats, and may stall or restart.

class SimulatedRuntime {
  readonly agentUrl: string;
  up = false;
  failureRate = HEALTHY_FAILURE_RATE;
  #loop: HeartbeatLoop | null = null;
  #window = new ErrorRateWindow({ windowSeconds: ERROR_WINDOW_SECONDS });
  #activeTasks = 0;
  #currentTask = "";
  #status: string | null = null;
  #observedAt = 0;
  #failing = 0;
  /** Set by the incident replay, so the first beat after it can say what it proved. */
  #replayPending = false;

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly workspace: { id: string; token: string; name: string },
    port: number,
    private readonly config: Config,
    private readonly signal: AbortSignal,
  ) {
    this.agentUrl = `http://127.0.0.1:${port}`;
  }

  get card(): AgentCard {
    return {
      name: this.workspace.name,
      description: `simulated ${this.role} runtime`,
      version: "1.0.0",
      url: this.agentUrl,
      skills: [{ id: "chat", name: "Chat", description: "answers questions", tags: ["demo"] }],
      capabilities: { streaming: false, pushNotifications: false },
    };
  }

  /** A fresh process: new client (so uptime restarts at 0), register with retries, then heartbeats. */
  async boot(): Promise<void> {
    this.#window = new ErrorRateWindow({ windowSeconds: ERROR_WINDOW_SECONDS });
    const client = this.#newClient();
    while (!this.signal.aborted) {
      try {
        const result = await client.registerWithRetry(
          { url: this.agentUrl, agentCard: this.card },
          {
            signal: this.signal,
            onRetry: ({ error, delayMs }) => log(this.name, `register failed (${describeError(error)}); retrying in ${seconds(delayMs)}`),
          },
        );
        this.observe(result.workspace_status, "register");
        this.#startBeating(client);
        return;
      } catch (error) {
        if (this.signal.aborted) return;
        log(this.name, `gave up registering (${describeError(error)}); trying again in 30 s`);
        await sleep(30 * SECOND, this.signal);
      }
    }
  }

  /** The process stalls: no work, no heartbeats. */
  async halt(): Promise<void> {
    this.up = false;
    await this.#loop?.stop();
    this.#loop = null;
  }

  /**
   * Incident #2739, replayed: the operator restarts the workspace; the new process registers with its
   * container id as URL (rejected, and the registry marks the workspace); its first heartbeat carries the
   * agent card, whose URL is fine, and that clears the marker and brings it online in the same request.
   */
  async replayIncident(api: OperatorApi): Promise<void> {
    log(this.name, "── replaying incident #2739 ──");
    await this.halt();
    await api(z.unknown(), "POST", `/api/workspaces/${this.workspace.id}/restart`);
    this.observe("provisioning", "operator", "operator restart");

    const client = this.#newClient();
    this.#window = new ErrorRateWindow({ windowSeconds: ERROR_WINDOW_SECONDS });
    try {
      // One attempt, as the runtime of the incident made: this replays what it did, not what the SDK would retry.
      await client.register({ url: INCIDENT_URL, agentCard: this.card });
      log(this.name, `unexpected: ${INCIDENT_URL} was accepted`);
    } catch (error) {
      log(this.name, `register with ${INCIDENT_URL} rejected: ${describeError(error)}`);
    }
    const polledAt = Date.now();
    const detail = await api(WorkspaceDetail, "GET", `/api/workspaces/${this.workspace.id}`);
    const marker = detail.markers.find((m) => m.kind === "register_failure" && m.active);
    log(
      this.name,
      marker ? `registry set a ${marker.kind} marker (${marker.reason}), active until ${marker.expires_at?.slice(11, 19) ?? "?"}` : "no active marker?",
    );
    // The marker degrades the workspace at once; say so, as the event log does, before the heartbeat that clears it.
    this.observe(detail.status, "registry", detail.status_reasons.join(", "), polledAt);

    log(this.name, `heartbeats resume, each carrying the agent card (url ${this.agentUrl})`);
    this.#replayPending = true;
    this.#startBeating(client);
  }

  /** One simulated task finished: a failure or a success, fed to the rolling error-rate window. */
  work(): void {
    if (!this.up) return;
    this.#activeTasks = Math.floor(Math.random() * 4);
    this.#currentTask = this.#activeTasks > 0 ? (TASKS[Math.floor(Math.random() * TASKS.length)] ?? "") : "";
    if (Math.random() < this.failureRate) this.#window.recordError(`${this.#currentTask || "task"} failed: upstream returned 502`);
    else this.#window.recordSuccess();
  }

  /**
   * Logs a status change, once. The newest observation wins, so a slow registry poll cannot undo a heartbeat's
   * answer. The first observation (provisioning) is only recorded: the fleet summarises it in one line.
   */
  observe(status: string, source: Source, detail = "", observedAt = Date.now()): void {
    if (observedAt < this.#observedAt) return;
    this.#observedAt = observedAt;
    if (status === this.#status) return;
    if (this.#status !== null) log(this.name, `${this.#status.padEnd(12)} → ${status.padEnd(12)} seen by ${source}${detail ? `: ${detail}` : ""}`);
    this.#status = status;
  }

  #newClient(): RegistryClient {
    return createRegistryClient({
      url: this.config.ROLLCALL_URL,
      token: this.workspace.token,
      workspaceId: this.workspace.id,
      onRestartContext: (context) => this.#logRestartContext(context),
    });
  }

  #startBeating(client: RegistryClient): void {
    this.up = true;
    this.#loop = client.startHeartbeats({
      intervalMs: this.config.FLEET_INTERVAL_MS,
      errorRate: this.#window,
      report: () => ({ active_tasks: this.#activeTasks, current_task: this.#currentTask }),
      onHeartbeat: (result) => {
        if (this.#failing > 0) log(this.name, `heartbeats get through again after ${this.#failing} failure(s)`);
        this.#failing = 0;
        this.observe(result.workspace_status, "heartbeat", `error rate ${this.#window.rate().toFixed(2)}`);
        if (this.#replayPending) {
          this.#replayPending = false;
          log(
            this.name,
            result.workspace_status === "online"
              ? "first card-bearing heartbeat cleared the marker: online again (#2739 fixed)"
              : `first card-bearing heartbeat left it ${result.workspace_status}`,
          );
        }
      },
      onError: (error, retry) => {
        this.#failing = retry.consecutiveFailures;
        if (retry.consecutiveFailures === 1) log(this.name, `heartbeat failed (${describeError(error)}); backing off`);
      },
      onReregistered: (result) => log(this.name, `token re-read and registered again: ${result.workspace_status}`),
      onRemoved: () => {
        this.up = false;
        log(this.name, "workspace was removed by an operator; this runtime stops for good");
      },
    });
  }

  #logRestartContext(context: RestartContext): void {
    const gap = context.gap_seconds === null ? "first session" : `${context.gap_seconds} s gap since ${context.previous_session_end?.slice(11, 19) ?? "?"}`;
    log(this.name, `restart context received (${gap})`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What each role does over time. Every wait ends early on Ctrl-C.

async function runHealthy(runtime: SimulatedRuntime): Promise<void> {
  await runtime.boot();
}

/** Degraded then back: failures push the rolling error rate past 0.5, then age out of the window below 0.1. */
async function runFlaky(runtime: SimulatedRuntime, signal: AbortSignal): Promise<void> {
  await runtime.boot();
  await sleep(between(30, 90) * SECOND, signal);
  while (!signal.aborted) {
    runtime.failureRate = FLAKY_FAILURE_RATE;
    log(runtime.name, `tasks start failing (${FLAKY_FAILURE_RATE * 100} % of them)`);
    await sleep(75 * SECOND, signal);
    if (signal.aborted) return;
    runtime.failureRate = HEALTHY_FAILURE_RATE;
    log(runtime.name, `tasks succeed again; the failures age out of the ${ERROR_WINDOW_SECONDS} s window`);
    await sleep(between(120, 180) * SECOND, signal);
  }
}

/** Offline then online: the process stalls past the offline threshold, then a new one boots and registers. */
async function runSilent(runtime: SimulatedRuntime, signal: AbortSignal): Promise<void> {
  await runtime.boot();
  while (!signal.aborted) {
    await sleep(between(60, 120) * SECOND, signal);
    if (signal.aborted) return;
    log(runtime.name, "process stalls: no heartbeats for ~2 minutes");
    await runtime.halt();
    await sleep(2 * MINUTE, signal);
    if (signal.aborted) return;
    log(runtime.name, "a new process boots and registers");
    await runtime.boot();
  }
}

/** Incident #2739, replayed every few minutes. */
async function runIncident(runtime: SimulatedRuntime, signal: AbortSignal, api: OperatorApi): Promise<void> {
  await runtime.boot();
  await sleep(45 * SECOND, signal);
  while (!signal.aborted) {
    try {
      await runtime.replayIncident(api);
    } catch (error) {
      log(runtime.name, `replay failed (${describeError(error)}); booting normally, next replay in 3 minutes`);
      await runtime.boot();
    }
    await sleep(3 * MINUTE, signal);
  }
}

async function runScenario(runtime: SimulatedRuntime, api: OperatorApi, signal: AbortSignal): Promise<void> {
  // Boots spread over two seconds, as a real fleet's would be.
  await sleep(between(0, 2) * SECOND, signal);
  if (signal.aborted) return;
  if (runtime.role === "flaky") return runFlaky(runtime, signal);
  if (runtime.role === "silent") return runSilent(runtime, signal);
  if (runtime.role === "incident") return runIncident(runtime, signal, api);
  return runHealthy(runtime);
}

function summarise(roles: Role[]): string {
  const counts = new Map<Role, number>();
  for (const role of roles) counts.set(role, (counts.get(role) ?? 0) + 1);
  return [...counts].map(([role, count]) => `${count} ${role}`).join(", ");
}

function roleFor(index: number): Role {
  if (index === 0) return "incident";
  if (index % 6 === 1) return "flaky";
  if (index % 6 === 4) return "silent";
  return "healthy";
}

/**
 * Polls the registry's own view, for what no runtime can see about itself (a silent one going offline). The
 * observation is stamped with the poll's start, so it never overrides a heartbeat answer that came later.
 */
async function watchRegistry(
  api: OperatorApi,
  runtimes: Map<string, SimulatedRuntime>,
  search: string,
  intervalMs: number,
  signal: AbortSignal,
): Promise<void> {
  let failing = false;
  while (!signal.aborted) {
    const startedAt = Date.now();
    try {
      const { workspaces } = await api(WorkspaceList, "GET", `/api/workspaces?limit=1000&search=${encodeURIComponent(search)}`);
      for (const workspace of workspaces) runtimes.get(workspace.id)?.observe(workspace.status, "registry", workspace.status_reasons.join(", "), startedAt);
      if (failing) log("registry", "reachable again");
      failing = false;
    } catch (error) {
      if (!failing) log("registry", `poll failed: ${describeError(error)}`);
      failing = true;
    }
    await sleep(intervalMs, signal);
  }
}

/**
 * An earlier demo run's workspaces have no runtime behind them any more: left alone they would sit at the top of the
 * fleet as offline. They are removed (tombstoned, audited as the fleet-demo operator), so the console shows this run.
 */
async function retireEarlierRuns(api: OperatorApi): Promise<void> {
  const { workspaces } = await api(WorkspaceList, "GET", `/api/workspaces?limit=1000&search=${encodeURIComponent(RUN_TAG_PREFIX)}`);
  const earlier = workspaces.filter((workspace) => workspace.name.startsWith(RUN_TAG_PREFIX));
  for (const workspace of earlier) await api(z.unknown(), "DELETE", `/api/workspaces/${workspace.id}`);
  if (earlier.length > 0) log("fleet", `removed ${earlier.length} workspaces of earlier demo runs (npm run demo -- --reset starts from an empty database)`);
}

const DEMO_ENDPOINT = "demo receiver";
const EndpointList = z.object({ endpoints: z.array(z.object({ id: z.string(), name: z.string() })) });

/**
 * A notification endpoint for this run, pointing at the demo's own receiver (an earlier run's is replaced), so the
 * console's Notifications page has a delivery log to show: signed deliveries, a storm grouped, a retry.
 */
async function subscribeDemoReceiver(api: OperatorApi) {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const receiver = await startDemoReceiver(secret, (line) => log("notified", line));
  const { endpoints } = await api(EndpointList, "GET", "/api/notifications/endpoints");
  for (const endpoint of endpoints.filter((e) => e.name === DEMO_ENDPOINT)) await api(z.unknown(), "DELETE", `/api/notifications/endpoints/${endpoint.id}`);
  await api(z.unknown(), "POST", "/api/notifications/endpoints", { name: DEMO_ENDPOINT, url: receiver.url, secret });
  log("fleet", `notifications go to ${receiver.url} (console → Notifications shows the delivery log)`);
  return receiver;
}

async function main(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- the fleet is a separate program; Config is its env module
  const parsed = Config.safeParse(process.env);
  if (!parsed.success) {
    console.error(`fleet: invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    process.exitCode = 1;
    return;
  }
  const config = parsed.data;
  const api = operatorApi(config);
  const stop = new AbortController();
  // Every runtime's waits listen on this one signal; more than Node's default 10 listeners is expected here.
  setMaxListeners(0, stop.signal);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());

  // One tag per run, so this run's workspaces are easy to find in the console (and to tell from earlier runs).
  const tag = `${RUN_TAG_PREFIX}${Date.now().toString(36).slice(-5)}`;
  const roles = Array.from({ length: config.FLEET_SIZE }, (_, i) => roleFor(i));
  const names = roles.map((role, i) => (role === "incident" ? "incident-2739" : `${role}-${String(i).padStart(2, "0")}`));
  nameWidth = Math.max(...names.map((n) => n.length), "registry".length, "notified".length);

  await retireEarlierRuns(api);
  const receiver = await subscribeDemoReceiver(api);
  log("fleet", `provisioning ${config.FLEET_SIZE} workspaces on ${config.ROLLCALL_URL} as ${tag}-*; heartbeat every ${seconds(config.FLEET_INTERVAL_MS)}`);
  const runtimes = new Map<string, SimulatedRuntime>();
  for (const [i, role] of roles.entries()) {
    if (stop.signal.aborted) return;
    const name = names[i]!;
    const workspaceName = `${tag}-${name}`;
    const provisioned = await api(Provisioned, "POST", "/api/workspaces", { name: workspaceName });
    const runtime = new SimulatedRuntime(name, role, { ...provisioned, name: workspaceName }, FIRST_AGENT_PORT + i, config, stop.signal);
    runtimes.set(provisioned.id, runtime);
    runtime.observe("provisioning", "operator");
  }
  log("fleet", `provisioned: ${summarise(roles)}`);

  const tasks = setInterval(() => {
    for (const runtime of runtimes.values()) runtime.work();
  }, TASK_TICK_MS);
  const scenarios = [...runtimes.values()].map((runtime) =>
    runScenario(runtime, api, stop.signal).catch((error: unknown) => log(runtime.name, `scenario stopped: ${describeError(error)}`)),
  );
  const watcher = watchRegistry(api, runtimes, tag, Math.max(config.FLEET_INTERVAL_MS, 2 * SECOND), stop.signal);
  log("fleet", "running; Ctrl-C stops it");

  if (!stop.signal.aborted) await new Promise<void>((resolve) => stop.signal.addEventListener("abort", () => resolve(), { once: true }));
  log("fleet", "stopping: letting heartbeats in flight finish");
  clearInterval(tasks);
  await Promise.allSettled([...scenarios, watcher]);
  await Promise.all([...runtimes.values()].map((runtime) => runtime.halt()));
  receiver.close();
  log("fleet", `stopped; the ${runtimes.size} workspaces stay registered and will go offline`);
}

await main().catch((error: unknown) => {
  console.error(`fleet: ${describeError(error)}`);
  process.exitCode = 1;
});
