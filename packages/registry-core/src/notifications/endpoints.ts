import { notificationEndpointChangedEvent } from "../events/constructors.ts";
import { testNotification } from "../events/contract.ts";
import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { validateAgentUrl } from "../url/validate-agent-url.ts";
import {
  endpointView,
  generateWebhookSecret,
  type CreateEndpointInput,
  type EndpointRecord,
  type ListDeliveriesInput,
  type RedeliverInput,
  type UpdateEndpointInput,
} from "./endpoint.ts";
import type { AttemptRecord, DeliveryRecord } from "./store.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function attemptView(deliveryId: string, attempt: AttemptRecord) {
  return {
    event_id: deliveryId,
    attempt: attempt.attempt,
    at: iso(attempt.at)!,
    status_code: attempt.statusCode,
    latency_ms: Math.round(attempt.latencyMs * 10) / 10,
    error: attempt.error,
  };
}

export function deliveryView(delivery: DeliveryRecord & { attemptLog: AttemptRecord[] }) {
  return {
    event_id: delivery.id,
    seq: delivery.seq,
    type: delivery.type,
    state: delivery.state,
    attempts: delivery.attempts,
    created_at: iso(delivery.createdAt)!,
    next_attempt_at: delivery.state === "pending" || delivery.state === "gathering" ? iso(delivery.nextAttemptAt) : null,
    settled_at: iso(delivery.settledAt),
    attempt_log: delivery.attemptLog.map((attempt) => attemptView(delivery.id, attempt)),
  };
}
export type DeliveryView = ReturnType<typeof deliveryView>;

/** The one URL validator judges an endpoint's URL as it judges a runtime's; only its canonical form is stored. */
async function checkedUrl(deps: RegistryDeps, url: string): Promise<string> {
  const check = await validateAgentUrl(url, deps.urlPolicy, deps.resolveHost);
  if (!check.ok) throw new RegistryError(check.reason, check.message);
  return check.url;
}

async function existing(deps: RegistryDeps, id: string): Promise<EndpointRecord> {
  const endpoint = await deps.store.notifications.getEndpoint(id);
  if (!endpoint) throw new RegistryError("unknown_endpoint", "no such notification endpoint");
  return endpoint;
}

/** A new endpoint; its secret, given or generated, is in this answer and never again. */
export async function createEndpoint(deps: RegistryDeps, input: CreateEndpointInput, operator: string) {
  const url = await checkedUrl(deps, input.url);
  const now = deps.clock();
  const endpoint: EndpointRecord = {
    id: `nep_${deps.newId().replace(/-/g, "")}`,
    name: input.name,
    url,
    secret: input.secret ?? generateWebhookSecret(),
    format: input.format,
    filter: input.filter,
    enabled: input.enabled,
    createdBy: operator,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.notifications.createEndpoint(endpoint, [notificationEndpointChangedEvent("created", endpoint, `operator:${operator}`, now)]);
  return { ...endpointView(endpoint), secret: endpoint.secret };
}

export async function updateEndpoint(deps: RegistryDeps, input: UpdateEndpointInput, operator: string) {
  const current = await existing(deps, input.id);
  const url = input.url === undefined ? current.url : await checkedUrl(deps, input.url);
  const updated: EndpointRecord = {
    ...current,
    url,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.format !== undefined ? { format: input.format } : {}),
    ...(input.filter !== undefined ? { filter: input.filter } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    updatedAt: deps.clock(),
  };
  const audit = notificationEndpointChangedEvent("updated", updated, `operator:${operator}`, updated.updatedAt);
  if (!(await deps.store.notifications.updateEndpoint(updated, [audit]))) throw new RegistryError("unknown_endpoint", "no such notification endpoint");
  return endpointView(updated);
}

export async function deleteEndpoint(deps: RegistryDeps, id: string, operator: string) {
  const endpoint = await existing(deps, id);
  const audit = notificationEndpointChangedEvent("deleted", endpoint, `operator:${operator}`, deps.clock());
  if (!(await deps.store.notifications.deleteEndpoint(id, [audit]))) throw new RegistryError("unknown_endpoint", "no such notification endpoint");
  return { id, deleted: true };
}

export async function listEndpoints(deps: RegistryDeps) {
  const endpoints = await deps.store.notifications.listEndpoints();
  return { endpoints: endpoints.map(endpointView) };
}

export async function getEndpoint(deps: RegistryDeps, id: string) {
  return endpointView(await existing(deps, id));
}

export async function listDeliveries(deps: RegistryDeps, input: ListDeliveriesInput) {
  await existing(deps, input.id);
  const deliveries = await deps.store.notifications.listDeliveries(input.id, { limit: input.limit, ...(input.before ? { before: input.before } : {}) });
  return {
    endpoint_id: input.id,
    deliveries: deliveries.map(deliveryView),
    next_before: deliveries.length === input.limit ? (deliveries.at(-1)?.seq ?? null) : null,
  };
}

/** How long "send test" waits for its first attempt before answering with the delivery still pending. */
const TEST_WAIT_MS = 7_000;
const TEST_POLL_MS = 100;

/** Whatever settles a delivery's first attempt: a server process's delivery loop (the console only enqueues). */
async function firstAttempt(deps: RegistryDeps, endpointId: string, id: string) {
  const deadline = Date.now() + TEST_WAIT_MS;
  for (;;) {
    const delivery = await deps.store.notifications.findDelivery(endpointId, id);
    if (!delivery || delivery.attempts > 0 || Date.now() >= deadline) return delivery;
    await new Promise((resolve) => setTimeout(resolve, TEST_POLL_MS));
  }
}

/** A NOTIFICATION_TEST through the same outbox, signing and log as every notification; answers with its first attempt. */
export async function sendTest(deps: RegistryDeps, id: string) {
  const endpoint = await existing(deps, id);
  const now = deps.clock();
  const deliveryId = `msg_t${deps.newId().replace(/-/g, "")}`;
  const body = testNotification({ endpointId: endpoint.id, endpointName: endpoint.name, at: now });
  await deps.store.notifications.enqueue({
    id: deliveryId,
    endpointId: endpoint.id,
    lane: "test",
    type: "NOTIFICATION_TEST",
    body: JSON.stringify(body),
    state: "pending",
    createdAt: now,
    nextAttemptAt: now,
    giveUpAt: now + deps.policy.notifyRetryWindowMs,
  });
  const delivery = await firstAttempt(deps, endpoint.id, deliveryId);
  return deliveryView(delivery!);
}

/**
 * Sends a delivery again, with its webhook id and body unchanged (a receiver that had it already de-duplicates it):
 * as a new delivery at the end of its lane, so it holds back nothing that was queued after the original.
 */
export async function redeliver(deps: RegistryDeps, input: RedeliverInput) {
  await existing(deps, input.id);
  const original = await deps.store.notifications.findDelivery(input.id, input.eventId);
  if (!original) throw new RegistryError("unknown_delivery", "no such delivery for this endpoint");
  if (original.state === "pending" || original.state === "gathering")
    throw new RegistryError("conflict", "the delivery is still queued; it is retried on its own");
  const now = deps.clock();
  await deps.store.notifications.enqueue({
    id: original.id,
    endpointId: original.endpointId,
    lane: original.lane,
    type: original.type,
    body: original.body,
    state: "pending",
    createdAt: now,
    nextAttemptAt: now,
    giveUpAt: now + deps.policy.notifyRetryWindowMs,
  });
  return deliveryView((await deps.store.notifications.findDelivery(input.id, input.eventId))!);
}
