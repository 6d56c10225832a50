import type { NotificationBody } from "../events/contract.ts";
import type { RegistryDeps } from "../deps.ts";
import type { EndpointRecord } from "./endpoint.ts";
import { retryDelayMs } from "./retry.ts";
import { signedHeaders } from "./signing.ts";
import { slackMessage } from "./slack.ts";
import type { DeliveryRecord, DeliveryState, Settlement } from "./store.ts";

export type SendRequest = { url: string; headers: Record<string, string>; body: string };
/** What came back: a status code, or null and why there was none (refused, timed out, not allowed to connect). */
export type SendResult = { statusCode: number | null; latencyMs: number; error: string | null };
/** The outbound HTTP call, passed in like the DNS resolver: the server's pins the validated address. */
export type Send = (request: SendRequest) => Promise<SendResult>;

/**
 * How long a claimed delivery is held by its process: more than an attempt's 5 s timeout and the writes around it, so a
 * live holder never loses it, and short enough that a crashed holder's deliveries are taken over within a minute.
 */
export const DELIVERY_LEASE_MS = 30_000;

export type DeliveryOutcome = "delivered" | "retrying" | "failed" | "lost_lease";

/** The body an endpoint receives: the contract's JSON for a webhook, a readable text for Slack. */
export function renderedBody(endpoint: EndpointRecord, delivery: Pick<DeliveryRecord, "body">): string {
  return endpoint.format === "slack" ? slackMessage(JSON.parse(delivery.body) as NotificationBody) : delivery.body;
}

/**
 * One attempt at one claimed delivery: signed, sent, and settled with its outcome. A 2xx delivers it; anything else
 * (no answer, a redirect, an error status) is retried after retryDelayMs until the delivery's retry window is over,
 * and then it is failed. Each endpoint's deliveries fail alone: a dead endpoint only holds back its own lanes.
 */
export async function attemptDelivery(
  deps: RegistryDeps,
  args: {
    delivery: DeliveryRecord;
    endpoint: EndpointRecord;
    owner: string;
    send: Send;
    /** Records the outcome (the notifier commits those that finish together in one transaction); false: lease lost. */
    settle: (settlement: Settlement) => Promise<boolean>;
    random: () => number;
  },
): Promise<DeliveryOutcome> {
  const { delivery, endpoint } = args;
  const body = renderedBody(endpoint, delivery);
  const sentAt = deps.clock();
  const result = await args.send({ url: endpoint.url, headers: signedHeaders(endpoint.secret, delivery.id, sentAt, body), body });
  const now = deps.clock();
  const attempt = delivery.attempts + 1;
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const state: DeliveryState = ok ? "delivered" : now >= delivery.giveUpAt ? "failed" : "pending";
  const settled = await args.settle({
    seq: delivery.seq,
    owner: args.owner,
    attempt: {
      deliverySeq: delivery.seq,
      endpointId: endpoint.id,
      attempt,
      at: sentAt,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: ok ? null : result.error,
    },
    state,
    nextAttemptAt: state === "pending" ? now + retryDelayMs(attempt, args.random()) : now,
  });
  if (!settled) return "lost_lease";
  return state === "delivered" ? "delivered" : state === "failed" ? "failed" : "retrying";
}

/** Claims what is due for this process (up to `limit`, the free places in its flight) with the endpoints it goes to. */
export async function claimDeliveries(deps: RegistryDeps, owner: string, limit: number) {
  const now = deps.clock();
  const claimed = await deps.store.notifications.claimDue({ now, owner, leaseUntil: now + DELIVERY_LEASE_MS, limit });
  if (claimed.length === 0) return [];
  const endpoints = new Map((await deps.store.notifications.listEndpoints()).map((endpoint) => [endpoint.id, endpoint]));
  return claimed.flatMap((delivery) => {
    const endpoint = endpoints.get(delivery.endpointId);
    return endpoint ? [{ delivery, endpoint }] : [];
  });
}

/** How long the delivery log keeps what was delivered or given up: a month of history to explain a missed page. */
export const DELIVERY_LOG_RETENTION_MS = 30 * 24 * 3_600_000;

export function pruneDeliveryLog(deps: RegistryDeps): Promise<number> {
  return deps.store.notifications.pruneSettled(deps.clock() - DELIVERY_LOG_RETENTION_MS);
}
