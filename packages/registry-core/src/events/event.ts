import type { StatusReason, WorkspaceStatus } from "../status/statuses.ts";

export const EVENT_TYPES = [
  "WORKSPACE_PROVISIONING",
  "WORKSPACE_ONLINE",
  "WORKSPACE_DEGRADED",
  "WORKSPACE_UNKNOWN",
  "WORKSPACE_OFFLINE",
  "WORKSPACE_PROVISION_FAILED",
  "WORKSPACE_REMOVED",
  "WORKSPACE_REASONS_CHANGED",
  "WORKSPACE_REGISTERED",
  "AGENT_CARD_UPDATED",
  "URL_REVALIDATED",
  "MARKER_SET",
  "MARKER_CLEARED",
  "TOKEN_ISSUED",
  "TOKEN_ROTATED",
  "RESTART_CONTEXT_QUEUED",
  "RESTART_CONTEXT_DELIVERED",
  "RESTART_CONTEXT_EXPIRED",
  "OPERATOR_CREATED",
  "OPERATOR_SIGNED_IN",
  "OPERATOR_SIGNED_OUT",
  "OPERATOR_LOCKED_OUT",
  "SELF_PRESERVATION_ENTERED",
  "SELF_PRESERVATION_EXITED",
  "MAINTENANCE_STARTED",
  "MAINTENANCE_ENDED",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type NewEvent = {
  type: EventType;
  workspaceId: string | null;
  /** Who caused it: `runtime`, `sweeper`, `operator:<name>`. */
  actor: string;
  payload: Record<string, unknown>;
  at: number;
};

export type RegistryEvent = NewEvent & { id: number };

const EVENT_BY_STATUS: Record<WorkspaceStatus, EventType> = {
  provisioning: "WORKSPACE_PROVISIONING",
  online: "WORKSPACE_ONLINE",
  degraded: "WORKSPACE_DEGRADED",
  unknown: "WORKSPACE_UNKNOWN",
  offline: "WORKSPACE_OFFLINE",
  failed: "WORKSPACE_PROVISION_FAILED",
  removed: "WORKSPACE_REMOVED",
};

/** The events that record a change of status (WORKSPACE_REASONS_CHANGED records a change of reasons only). */
export const STATUS_EVENT_TYPES: readonly EventType[] = Object.values(EVENT_BY_STATUS);

/**
 * The one place a status change becomes an event: `{from, to, reasons}` plus the evidence that caused it. When
 * only the reasons change (degraded by a marker and an error rate, then by the error rate alone), the event is
 * WORKSPACE_REASONS_CHANGED, so a live view never shows reasons the row no longer has.
 */
export function statusChangeEvent(change: {
  workspaceId: string;
  from: WorkspaceStatus;
  to: WorkspaceStatus;
  reasons: readonly StatusReason[];
  /** The reasons before, when only they changed. */
  previousReasons?: readonly StatusReason[];
  actor: string;
  at: number;
  evidence?: Record<string, unknown>;
}): NewEvent {
  return {
    type: change.from === change.to ? "WORKSPACE_REASONS_CHANGED" : EVENT_BY_STATUS[change.to],
    workspaceId: change.workspaceId,
    actor: change.actor,
    at: change.at,
    payload: {
      ...change.evidence,
      from: change.from,
      to: change.to,
      reasons: [...change.reasons],
      ...(change.previousReasons ? { previous_reasons: [...change.previousReasons] } : {}),
    },
  };
}
