import { backoffDelay, jitterInterval, type BackoffPolicy } from "./backoff.ts";
import type { ErrorRateWindow } from "./error-rate-window.ts";
import { RegistryClientError } from "./registry-client-error.ts";
import type { AgentCard, HeartbeatReport, HeartbeatResult, RegisterResult } from "./contract.ts";
import type { RegistryClient } from "./registry-client.ts";

export type HeartbeatLoopOptions = {
  /** Between successful beats, before jitter. 30 s matches the registry's offline rule (90 s = three missed beats). */
  intervalMs?: number;
  /** The runtime's current state: active_tasks, current_task, runtime_state, ... Called before every beat. */
  report?: () => HeartbeatReport | Promise<HeartbeatReport>;
  /** Fills `error_rate` and `sample_error` from real outcomes, unless `report` sets them itself. */
  errorRate?: ErrorRateWindow;
  /** Sent with every beat; defaults to the card of the client's last register or update-card call. */
  agentCard?: AgentCard;
  /** Retry delays after failed beats; the cap is never above the interval (see DEFAULT_BACKOFF_MS). */
  backoff?: Partial<BackoffPolicy>;
  onHeartbeat?: (result: HeartbeatResult) => void;
  /** A beat failed and will be retried after `retryInMs` (also a 401 the loop could not recover from). */
  onError?: (error: RegistryClientError, retry: { consecutiveFailures: number; retryInMs: number }) => void;
  /** After a 401 the loop re-read the token and registered again successfully. */
  onReregistered?: (result: RegisterResult) => void;
  /** The workspace was removed; the loop has stopped for good. */
  onRemoved?: (error: RegistryClientError) => void;
};

const DEFAULT_INTERVAL_MS = 30_000;
/** ±10 %, so runtimes started together drift apart instead of beating in lock-step. */
const INTERVAL_JITTER = 0.1;
/**
 * Failed beats back off from 1 s, doubling, with full jitter. The cap is min(60 s, interval): a retry is never
 * later than the next regular beat would have been, so one dropped request costs no extra silence toward the
 * offline threshold (three intervals). Through a long outage the fleet's retries settle at about twice its normal
 * rate, spread out rather than synchronised.
 */
const DEFAULT_BACKOFF_MS: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

type Outcome<T> = { ok: true; value: T } | { ok: false; error: RegistryClientError };

/**
 * Heartbeats on a timer: the first at once, then every interval ±10 %. Each beat carries the agent card (so a
 * card-bearing beat can clear a register-failure marker, incident #2739). On 401 the client forgets its token;
 * the loop registers again once (reading the token source afresh), and surfaces the error if that fails too.
 * A removed workspace (reason `workspace_removed`) ends the loop. Start it with `client.startHeartbeats()`.
 */
export class HeartbeatLoop {
  readonly intervalMs: number;
  /** Settles once the loop has stopped: after `stop()`, or on removal. Rejects only if one of the runtime's own callbacks threw. */
  readonly done: Promise<void>;
  readonly #client: RegistryClient;
  readonly #options: HeartbeatLoopOptions;
  readonly #backoff: BackoffPolicy;
  readonly #abort = new AbortController();
  #running = true;

  constructor(client: RegistryClient, options: HeartbeatLoopOptions) {
    this.#client = client;
    this.#options = options;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    if (!(this.intervalMs > 0)) throw new RangeError("intervalMs must be positive");
    const baseMs = options.backoff?.baseMs ?? DEFAULT_BACKOFF_MS.baseMs;
    this.#backoff = { baseMs, capMs: Math.min(options.backoff?.capMs ?? DEFAULT_BACKOFF_MS.capMs, this.intervalMs) };
    this.done = this.#run().finally(() => {
      this.#running = false;
    });
  }

  get running(): boolean {
    return this.#running;
  }

  /** Sends no further beat; resolves once a beat in flight has finished and the loop is idle. */
  stop(): Promise<void> {
    this.#abort.abort();
    return this.done;
  }

  async #run(): Promise<void> {
    const { signal } = this.#abort;
    const { sleep, random } = this.#client.timing;
    let failures = 0;
    // One re-register per run of 401s: if the fresh token fails too, retrying register on every beat is noise.
    let reregisterTried = false;

    while (!signal.aborted) {
      let outcome: Outcome<HeartbeatResult> = await attempt(async () => this.#client.heartbeat(await this.#body()));
      let reregistered: RegisterResult | null = null;
      const registration = this.#client.lastRegistration;
      if (!outcome.ok && outcome.error.unauthorized && !reregisterTried && registration) {
        reregisterTried = true;
        const again = await attempt(() => this.#client.register(registration));
        if (again.ok) reregistered = again.value;
        else outcome = again;
      }

      let delayMs: number;
      if (reregistered) {
        failures = 0;
        this.#options.onReregistered?.(reregistered);
        delayMs = jitterInterval(this.intervalMs, INTERVAL_JITTER, random);
      } else if (outcome.ok) {
        failures = 0;
        reregisterTried = false;
        this.#options.onHeartbeat?.(outcome.value);
        delayMs = jitterInterval(this.intervalMs, INTERVAL_JITTER, random);
      } else if (outcome.error.removed) {
        this.#options.onRemoved?.(outcome.error);
        return;
      } else {
        failures++;
        delayMs = backoffDelay(failures, this.#backoff, random);
        this.#options.onError?.(outcome.error, { consecutiveFailures: failures, retryInMs: delayMs });
      }
      await sleep(delayMs, signal);
    }
  }

  async #body(): Promise<HeartbeatReport> {
    const window = this.#options.errorRate;
    const report = (await this.#options.report?.()) ?? {};
    const card = report.agent_card ?? this.#options.agentCard ?? this.#client.agentCard;
    return {
      uptime_seconds: Math.max(0, (this.#client.timing.now() - this.#client.startedAt) / 1000),
      ...(window ? { error_rate: window.rate(), sample_error: window.sampleError() } : {}),
      ...report,
      ...(card ? { agent_card: card } : {}),
    };
  }
}

/**
 * Runs one registry call and captures its failure as a value, so the loop's decisions stay in one place.
 * Only registry failures are captured: a bug in the runtime's own `report` callback is not a registry failure,
 * so it propagates and ends the loop visibly.
 */
async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (!(error instanceof RegistryClientError)) throw error;
    return { ok: false, error };
  }
}
