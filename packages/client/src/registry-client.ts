import { createTRPCClient, httpLink } from "@trpc/client";
// Type-only, erased from the build: the published types are contract.ts's, proven equal to the router's.
import type { AppRouter } from "@rollcall/registry-core/trpc";
import { backoffDelay, REGISTER_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import type { AgentCard, DeliveryMode, HeartbeatReport, HeartbeatResult, RegisterResult, RestartContext, UpdateCardResult } from "./contract.ts";
import { HeartbeatLoop, type HeartbeatLoopOptions } from "./heartbeat-loop.ts";
import { TokenUnavailableError, toRegistryClientError, UnexpectedResponseError, type RegistryClientError } from "./registry-client-error.ts";
import { systemTiming, type Timing } from "./timing.ts";

export type Registration = {
  /** Where the registry delivers work in push mode; defaults to `agentCard.url` on the server. */
  url?: string;
  agentCard: AgentCard;
  deliveryMode?: DeliveryMode;
};

/** A fixed token, or a function the client calls again whenever the registry rejects the one it holds. */
export type TokenSource = string | (() => string | Promise<string>);

export type RegistryClientOptions = {
  /** The registry's base URL, e.g. `http://127.0.0.1:8080`; calls go to `${url}/trpc`. */
  url: string;
  token: TokenSource;
  workspaceId: string;
  fetch?: typeof globalThis.fetch;
  /** Per request; the Python runtime used 10 s. */
  timeoutMs?: number;
  /**
   * Called with the restart context whichever response carries it (a register's or a heartbeat's): the registry
   * hands it over once, so this is the one place a runtime receives it.
   */
  onRestartContext?: (context: RestartContext) => void;
} & Partial<Timing>;

export type RegisterRetryOptions = {
  /** Including the first. The default, 8, waits at most about two minutes in all (one on average) before giving up. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Called before each wait, with the server's reason, so the runtime can log why it is retrying. */
  onRetry?: (retry: { attempt: number; delayMs: number; error: RegistryClientError }) => void;
  /** Aborting stops waiting; the last failure is then thrown. */
  signal?: AbortSignal;
};

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_REGISTER_ATTEMPTS = 8;

export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return new RegistryClient(options);
}

/** A runtime's typed connection to the registry: every call checks the HTTP status and fails with a RegistryClientError. */
export class RegistryClient {
  readonly workspaceId: string;
  readonly timing: Timing;
  /** When this client was created: the runtime's boot, which `uptime_seconds` counts from. */
  readonly startedAt: number;
  readonly #tokenSource: TokenSource;
  readonly #timeoutMs: number;
  readonly #onRestartContext: ((context: RestartContext) => void) | undefined;
  readonly #trpc;
  #token: Promise<string> | null = null;
  #agentCard: AgentCard | null = null;
  #registration: Registration | null = null;

  constructor(options: RegistryClientOptions) {
    this.workspaceId = options.workspaceId;
    this.timing = {
      sleep: options.sleep ?? systemTiming.sleep,
      random: options.random ?? systemTiming.random,
      now: options.now ?? systemTiming.now,
    };
    this.startedAt = this.timing.now();
    this.#tokenSource = options.token;
    this.#onRestartContext = options.onRestartContext;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#trpc = createTRPCClient<AppRouter>({
      links: [
        // One request per call, never batched: a heartbeat must not wait on, or fail with, another call.
        httpLink({
          url: `${options.url.replace(/\/+$/, "")}/trpc`,
          fetch: checkStatus(options.fetch ?? globalThis.fetch),
          headers: async () => ({ authorization: `Bearer ${await this.#currentToken()}` }),
        }),
      ],
    });
  }

  /** The card this runtime last sent with register or update-card; heartbeats carry it. */
  get agentCard(): AgentCard | null {
    return this.#agentCard;
  }

  /** The last registration the registry accepted; the heartbeat loop repeats it after a 401. */
  get lastRegistration(): Registration | null {
    return this.#registration;
  }

  async register(registration: Registration): Promise<RegisterResult> {
    // The card is the runtime's own even when the registry rejects the URL: the next heartbeat carries it,
    // which is what clears the register-failure marker (incident #2739).
    this.#agentCard = registration.agentCard;
    const result = await this.#call((signal) =>
      this.#trpc.runtime.register.mutate(
        {
          id: this.workspaceId,
          agent_card: registration.agentCard,
          ...(registration.url !== undefined ? { url: registration.url } : {}),
          ...(registration.deliveryMode !== undefined ? { delivery_mode: registration.deliveryMode } : {}),
        },
        { signal },
      ),
    );
    this.#registration = registration;
    if (result.restart_context) this.#onRestartContext?.(result.restart_context);
    return result;
  }

  /**
   * Registers, retrying with exponential backoff and full jitter while the failure may pass: retryable ones
   * (5xx, 429, no response) and also `url_validate_failed`, because the name in the URL may simply not
   * resolve yet (the Docker container id of incident #2739). Anything else is thrown at once.
   */
  async registerWithRetry(registration: Registration, options: RegisterRetryOptions = {}): Promise<RegisterResult> {
    const maxAttempts = options.maxAttempts ?? DEFAULT_REGISTER_ATTEMPTS;
    const policy = options.backoff ?? REGISTER_BACKOFF;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.register(registration);
      } catch (caught) {
        const error = toRegistryClientError(caught);
        const worthRetrying = error.retryable || error.reason === "url_validate_failed";
        if (!worthRetrying || attempt >= maxAttempts || options.signal?.aborted) throw error;
        const delayMs = backoffDelay(attempt, policy, this.timing.random);
        options.onRetry?.({ attempt, delayMs, error });
        await this.timing.sleep(delayMs, options.signal);
        if (options.signal?.aborted) throw error;
      }
    }
  }

  async heartbeat(report: HeartbeatReport = {}): Promise<HeartbeatResult> {
    const result = await this.#call((signal) => this.#trpc.runtime.heartbeat.mutate({ ...report, workspace_id: this.workspaceId }, { signal }));
    if (result.restart_context) this.#onRestartContext?.(result.restart_context);
    return result;
  }

  async updateCard(agentCard: AgentCard): Promise<UpdateCardResult> {
    const result = await this.#call((signal) => this.#trpc.runtime.updateCard.mutate({ workspace_id: this.workspaceId, agent_card: agentCard }, { signal }));
    this.#agentCard = agentCard;
    return result;
  }

  /** Beats until stopped or the workspace is removed; see HeartbeatLoopOptions. */
  startHeartbeats(options: HeartbeatLoopOptions = {}): HeartbeatLoop {
    return new HeartbeatLoop(this, options);
  }

  async #call<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await run(AbortSignal.timeout(this.#timeoutMs));
    } catch (caught) {
      const error = toRegistryClientError(caught);
      // Forget the rejected token, so the next call reads the source again (an operator may have rotated it).
      if (error.unauthorized) this.#token = null;
      throw error;
    }
  }

  #currentToken(): Promise<string> {
    if (this.#token) return this.#token;
    const source = this.#tokenSource;
    const read = (async () => {
      let token: string;
      try {
        token = typeof source === "string" ? source : await source();
      } catch (error) {
        throw new TokenUnavailableError(error);
      }
      if (typeof token !== "string" || token === "") throw new TokenUnavailableError(new Error("the token source returned no token"));
      return token;
    })();
    this.#token = read;
    // A failed read is not cached: the next call tries the source again.
    read.catch(() => {
      if (this.#token === read) this.#token = null;
    });
    return read;
  }
}

/**
 * Wraps fetch so that every non-2xx answer fails. tRPC error envelopes pass through (tRPC turns them into
 * errors with the server's reason); anything else, such as a proxy's 502 page or the plain-JSON 429 the
 * server's rate limiter sends, becomes an UnexpectedResponseError carrying the status. The Python runtime
 * never checked the status, so 401 and 500 counted as success (reference §7).
 */
function checkStatus(fetchImpl: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.ok) return response;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (isTrpcErrorEnvelope(body)) return response;
    const fields = typeof body === "object" && body !== null ? (body as { error?: unknown; reason?: unknown }) : {};
    const message = typeof fields.error === "string" ? fields.error : `the registry answered HTTP ${response.status}`;
    throw new UnexpectedResponseError(response.status, typeof fields.reason === "string" ? fields.reason : undefined, message);
  };
}

function isTrpcErrorEnvelope(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "number";
}
