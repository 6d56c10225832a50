import { randomBytes } from "node:crypto";
import { describeAnswer, type ApiAnswer, type RegistryApi, type WorkspaceCredentials } from "./registry-api.ts";

/** A loopback agent URL: accepted because the registry runs with ROLLCALL_DEV_MODE=1. Nothing ever connects to it. */
export const GOOD_AGENT_URL = "http://127.0.0.1:8000";

/**
 * A hostname that can never resolve (RFC 6761 reserves .invalid), standing in for the Docker container id of
 * incident #2739: the registry's URL check fails with reason url_validate_failed and stamps the marker.
 */
export function unresolvableAgentUrl(workspaceId: string): string {
  return `http://ws-${workspaceId.slice(0, 6)}.invalid:8000`;
}

export function agentCard(name: string, url: string = GOOD_AGENT_URL): Record<string, unknown> {
  return { name, url, version: "1" };
}

/** A name no other test uses, so a search for it finds one workspace. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export type RuntimeOptions = {
  /** The workspace's name; a unique one is made from `e2e` when omitted. */
  name?: string;
  /** Time between heartbeats. The stack calls a workspace offline after 4 s of silence. */
  intervalMs?: number;
  /** The error rate each heartbeat reports (0..1); the registry degrades at 0.5 and recovers below 0.1. */
  errorRate?: number;
  /** The task each heartbeat reports the runtime is working on; none when omitted. */
  currentTask?: string;
  /**
   * Whether heartbeats carry the agent card. A card-bearing heartbeat clears a register-failure marker (the #2739
   * fix), so a test that needs a marker to stay, until the operator or one chosen heartbeat clears it, turns this off.
   */
  cardOnHeartbeat?: boolean;
};

/**
 * A workspace runtime simulated over real HTTP: provisioned through the operator API, registered with its
 * token, then heartbeating on a timer until stop(). What it reports can be changed while it runs.
 */
export class SimulatedRuntime {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  private errorRate: number;
  private readonly currentTask: string | undefined;
  private cardOnHeartbeat: boolean;
  private readonly intervalMs: number;
  private readonly startedAt = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | null = null;
  private running = false;
  /** The last answer of a timer heartbeat that was not a 200 (or the error it threw), for diagnosing a test. */
  lastFailure: string | null = null;
  /** Heartbeats the timer sent. */
  beats = 0;

  private constructor(
    private readonly api: RegistryApi,
    workspace: WorkspaceCredentials,
    name: string,
    options: RuntimeOptions,
  ) {
    this.id = workspace.id;
    this.token = workspace.token;
    this.name = name;
    this.errorRate = options.errorRate ?? 0;
    this.currentTask = options.currentTask;
    this.cardOnHeartbeat = options.cardOnHeartbeat ?? true;
    this.intervalMs = options.intervalMs ?? 1_000;
  }

  /** Provisions a workspace, registers it with a good URL and card (so it is online), and starts heartbeating. */
  static async start(api: RegistryApi, options: RuntimeOptions = {}): Promise<SimulatedRuntime> {
    const name = options.name ?? uniqueName("e2e");
    const runtime = new SimulatedRuntime(api, await api.provision(name), name, options);
    const registered = await runtime.register();
    if (registered.status !== 200) throw new Error(`runtime ${name}: register failed: ${describeAnswer(registered)}`);
    runtime.running = true;
    runtime.schedule();
    return runtime;
  }

  /** POST /registry/register with the token, a URL and the agent card. */
  register(url: string = GOOD_AGENT_URL): Promise<ApiAnswer> {
    return this.api.runtime("/registry/register", { id: this.id, url, agent_card: agentCard(this.name, url) }, this.token);
  }

  /**
   * Incident #2739's failed register: authenticated, advertising a hostname that does not resolve. Expect 400
   * with reason url_validate_failed, a register-failure marker, and the workspace degraded.
   */
  registerWithUnresolvableHost(): Promise<ApiAnswer> {
    return this.register(unresolvableAgentUrl(this.id));
  }

  /** One heartbeat now, besides the timer's; `card` overrides whether it carries the agent card (with a good URL). */
  heartbeat(options: { card?: boolean } = {}): Promise<ApiAnswer> {
    const card = options.card ?? this.cardOnHeartbeat;
    return this.api.runtime(
      "/registry/heartbeat",
      {
        workspace_id: this.id,
        error_rate: this.errorRate,
        active_tasks: 0,
        uptime_seconds: Math.floor((Date.now() - this.startedAt) / 1000),
        ...(this.currentTask ? { current_task: this.currentTask } : {}),
        ...(card ? { agent_card: agentCard(this.name) } : {}),
      },
      this.token,
    );
  }

  /** From the next heartbeat on. */
  setErrorRate(rate: number): void {
    if (!(rate >= 0 && rate <= 1)) throw new Error(`error rate must be within 0..1, got ${rate}`);
    this.errorRate = rate;
  }

  setCardOnHeartbeat(on: boolean): void {
    this.cardOnHeartbeat = on;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Stops heartbeating (the runtime "dies"); waits for a heartbeat in flight, so none arrives after this resolves. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  /** Heartbeats again on the timer after stop() (the runtime "comes back"); the first one goes out at once. */
  async resume(): Promise<ApiAnswer> {
    const answer = await this.heartbeat();
    this.running = true;
    this.schedule();
    return answer;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.inFlight = this.beat().finally(() => {
        this.inFlight = null;
        this.schedule();
      });
    }, this.intervalMs);
  }

  private async beat(): Promise<void> {
    try {
      const answer = await this.heartbeat();
      this.beats++;
      if (answer.status !== 200) this.lastFailure = describeAnswer(answer);
    } catch (error) {
      // Keep beating: a test that stops the registry on purpose decides what a failed beat means.
      this.lastFailure = error instanceof Error ? error.message : String(error);
    }
  }
}

/** The runtimes one test started; the fixture stops them all when the test ends, passed or failed. */
export class RuntimeFleet {
  private readonly runtimes: SimulatedRuntime[] = [];

  constructor(readonly api: RegistryApi) {}

  async start(options: RuntimeOptions = {}): Promise<SimulatedRuntime> {
    const runtime = await SimulatedRuntime.start(this.api, options);
    this.runtimes.push(runtime);
    return runtime;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.runtimes.map((runtime) => runtime.stop()));
  }
}
