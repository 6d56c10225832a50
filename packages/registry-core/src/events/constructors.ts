import type { OperatorRole } from "../accounts/roles.ts";
import type { ClearedMarker, Marker } from "../markers/marker.ts";
import type { LivenessCensus } from "../status/self-preservation.ts";
import type { StatusReason, WorkspaceStatus } from "../status/statuses.ts";
import type { AgentCard, DeliveryMode, Maintenance, RestartContext } from "../store.ts";
import { EVENT_BY_STATUS, type EventPayload, type NewEvent, type StatusChangeType } from "./event.ts";
import type { StatusEvidence } from "./payloads.ts";

/**
 * The only way registry-core makes an event: one constructor per event type (statusChangeEvent for every change of
 * status or reasons), each building the payload its schema describes from the domain's own values, so no producer
 * writes a payload key by hand.
 */

/** Who caused a workspace's event, and when. */
export type WorkspaceOrigin = { workspaceId: string; actor: string; at: number };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The one place a status change becomes an event: `{from, to, reasons, previous_reasons}` plus the evidence that
 * caused it. When only the reasons change (degraded by a marker and an error rate, then by the error rate alone), the
 * event is WORKSPACE_REASONS_CHANGED, so a live view never shows reasons the row no longer has. `previous_reasons` is
 * always there: a notification rule tells a workspace that starts flapping from one that already was.
 */
export function statusChangeEvent(change: {
  workspaceId: string;
  from: WorkspaceStatus;
  to: WorkspaceStatus;
  reasons: readonly StatusReason[];
  previousReasons: readonly StatusReason[];
  actor: string;
  at: number;
  evidence?: StatusEvidence;
}): NewEvent<StatusChangeType> {
  return {
    type: change.from === change.to ? "WORKSPACE_REASONS_CHANGED" : EVENT_BY_STATUS[change.to],
    workspaceId: change.workspaceId,
    actor: change.actor,
    at: change.at,
    payload: { ...change.evidence, from: change.from, to: change.to, reasons: [...change.reasons], previous_reasons: [...change.previousReasons] },
  };
}

/** A new workspace's first status: provisioning, from nothing. */
export function workspaceCreatedEvent(workspace: { id: string; name: string }, actor: string, at: number): NewEvent<"WORKSPACE_PROVISIONING"> {
  return {
    type: "WORKSPACE_PROVISIONING",
    workspaceId: workspace.id,
    actor,
    at,
    payload: { from: null, to: "provisioning", reasons: [], previous_reasons: [], name: workspace.name },
  };
}

export function workspaceRegisteredEvent(
  origin: WorkspaceOrigin,
  registration: { url: string | null; deliveryMode: DeliveryMode },
): NewEvent<"WORKSPACE_REGISTERED"> {
  return { type: "WORKSPACE_REGISTERED", ...origin, payload: { url: registration.url, delivery_mode: registration.deliveryMode } };
}

export function agentCardUpdatedEvent(
  origin: WorkspaceOrigin,
  source: EventPayload<"AGENT_CARD_UPDATED">["source"],
  card: AgentCard,
): NewEvent<"AGENT_CARD_UPDATED"> {
  return { type: "AGENT_CARD_UPDATED", ...origin, payload: { source, agent_card: card } };
}

type StoredUrls = { url: string | null; cardUrl: string | null };

export function urlRevalidatedEvent(
  origin: WorkspaceOrigin,
  change: { before: StoredUrls; after: StoredUrls; refused: readonly string[] },
): NewEvent<"URL_REVALIDATED"> {
  return {
    type: "URL_REVALIDATED",
    ...origin,
    payload: {
      url_before: change.before.url,
      url_after: change.after.url,
      card_url_before: change.before.cardUrl,
      card_url_after: change.after.cardUrl,
      ...(change.refused.length > 0 ? { refused: change.refused.join("; ") } : {}),
    },
  };
}

export function markerSetEvent(marker: Marker): NewEvent<"MARKER_SET"> {
  return {
    type: "MARKER_SET",
    workspaceId: marker.workspaceId,
    actor: "registry",
    at: marker.setAt,
    payload: { marker_id: marker.id, kind: marker.kind, reason: marker.reason, detail: marker.detail, expires_at: iso(marker.expiresAt) },
  };
}

/** The audit record of a clear: which marker, why it was set, who cleared it and why; an operator's also the status it left. */
export function markerClearedEvent(cleared: ClearedMarker, status?: { before: WorkspaceStatus; after: WorkspaceStatus }): NewEvent<"MARKER_CLEARED"> {
  return {
    type: "MARKER_CLEARED",
    workspaceId: cleared.workspaceId,
    actor: cleared.clearedBy,
    at: cleared.clearedAt,
    payload: {
      ...(status ? { status_before: status.before, status_after: status.after } : {}),
      marker_id: cleared.id,
      kind: cleared.kind,
      reason: cleared.reason,
      by: cleared.clearedBy,
      clear_reason: cleared.clearReason,
    },
  };
}

/** A token is named by its id and public prefix, never more. */
type IssuedToken = { id: string; prefix: string };

export function tokenIssuedEvent(origin: WorkspaceOrigin, token: IssuedToken): NewEvent<"TOKEN_ISSUED"> {
  return { type: "TOKEN_ISSUED", ...origin, payload: { token_id: token.id, prefix: token.prefix } };
}

export function tokenRotatedEvent(origin: WorkspaceOrigin, token: IssuedToken): NewEvent<"TOKEN_ROTATED"> {
  return { type: "TOKEN_ROTATED", ...origin, payload: { token_id: token.id, prefix: token.prefix } };
}

/** Restart contexts are the registry's own doing, whoever caused the restart. */
const restartOrigin = (workspaceId: string, at: number) => ({ workspaceId, actor: "registry", at });

export function restartContextQueuedEvent(workspaceId: string, context: RestartContext, at: number): NewEvent<"RESTART_CONTEXT_QUEUED"> {
  return { type: "RESTART_CONTEXT_QUEUED", ...restartOrigin(workspaceId, at), payload: { ...context } };
}

export function restartContextDeliveredEvent(workspaceId: string, context: RestartContext, at: number): NewEvent<"RESTART_CONTEXT_DELIVERED"> {
  return { type: "RESTART_CONTEXT_DELIVERED", ...restartOrigin(workspaceId, at), payload: { ...context } };
}

export function restartContextExpiredEvent(workspaceId: string, context: RestartContext, at: number): NewEvent<"RESTART_CONTEXT_EXPIRED"> {
  return { type: "RESTART_CONTEXT_EXPIRED", ...restartOrigin(workspaceId, at), payload: { ...context } };
}

type Operator = { name: string; role: OperatorRole };

export function operatorCreatedEvent(operator: Operator, actor: string, at: number): NewEvent<"OPERATOR_CREATED"> {
  return { type: "OPERATOR_CREATED", workspaceId: null, actor, at, payload: { name: operator.name, role: operator.role } };
}

export function operatorSignedInEvent(operator: Operator, at: number): NewEvent<"OPERATOR_SIGNED_IN"> {
  return { type: "OPERATOR_SIGNED_IN", workspaceId: null, actor: `operator:${operator.name}`, at, payload: { role: operator.role } };
}

export function operatorSignedOutEvent(operator: Pick<Operator, "name">, at: number): NewEvent<"OPERATOR_SIGNED_OUT"> {
  return { type: "OPERATOR_SIGNED_OUT", workspaceId: null, actor: `operator:${operator.name}`, at, payload: {} };
}

export function operatorLockedOutEvent(
  operator: Pick<Operator, "name">,
  failedSignIns: number,
  lockedUntil: number,
  at: number,
): NewEvent<"OPERATOR_LOCKED_OUT"> {
  return {
    type: "OPERATOR_LOCKED_OUT",
    workspaceId: null,
    actor: "system",
    at,
    payload: { name: operator.name, failed_sign_ins: failedSignIns, locked_until: iso(lockedUntil) },
  };
}

/** The census behind a self-preservation decision and the threshold it was judged by (the policy's). */
type SelfPreservationJudgement = { census: LivenessCensus; share: number; minLive: number; actor: string; at: number };

const censusPayload = ({ census, share, minLive }: SelfPreservationJudgement) => ({ silent: census.silent, live: census.live, share, min_live: minLive });

export function selfPreservationEnteredEvent(judgement: SelfPreservationJudgement): NewEvent<"SELF_PRESERVATION_ENTERED"> {
  return { type: "SELF_PRESERVATION_ENTERED", workspaceId: null, actor: judgement.actor, at: judgement.at, payload: censusPayload(judgement) };
}

/** `endedBy`: the operator who ended it, and why; absent when the census fell under the threshold by itself. */
export function selfPreservationExitedEvent(
  judgement: SelfPreservationJudgement,
  since: number,
  endedBy?: { operator: string; reason: string },
): NewEvent<"SELF_PRESERVATION_EXITED"> {
  return {
    type: "SELF_PRESERVATION_EXITED",
    workspaceId: null,
    actor: judgement.actor,
    at: judgement.at,
    payload: { ...censusPayload(judgement), since: iso(since), ...(endedBy ? { by: endedBy.operator, reason: endedBy.reason } : {}) },
  };
}

const maintenanceTerms = (maintenance: Maintenance) => ({
  reason: maintenance.reason,
  until: iso(maintenance.until),
  by: maintenance.by,
  since: iso(maintenance.since),
});

/** `replaced`: the workspace was in maintenance already, and this window replaces that one (the rollup needs to know). */
export function maintenanceStartedEvent(origin: WorkspaceOrigin, maintenance: Maintenance, replaced: boolean): NewEvent<"MAINTENANCE_STARTED"> {
  return { type: "MAINTENANCE_STARTED", ...origin, payload: { ...maintenanceTerms(maintenance), replaced } };
}

/** `expired`: its time ran out (the sweeper ended it), rather than an operator ending it early. */
export function maintenanceEndedEvent(origin: WorkspaceOrigin, maintenance: Maintenance, expired: boolean): NewEvent<"MAINTENANCE_ENDED"> {
  return { type: "MAINTENANCE_ENDED", ...origin, payload: { ...maintenanceTerms(maintenance), expired } };
}

/** An operator's change to a notification endpoint, for the audit trail; the secret is never in it. */
export function notificationEndpointChangedEvent(
  change: "created" | "updated" | "deleted",
  endpoint: { id: string; name: string; url: string; format: string; enabled: boolean; filter: Record<string, unknown> },
  actor: string,
  at: number,
): NewEvent<"NOTIFICATION_ENDPOINT_CHANGED"> {
  const { id, name, url, format, enabled, filter } = endpoint;
  return { type: "NOTIFICATION_ENDPOINT_CHANGED", workspaceId: null, actor, at, payload: { change, endpoint_id: id, name, url, format, enabled, filter } };
}
