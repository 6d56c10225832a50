import type { z } from "zod";
import type { WorkspaceStatus } from "../status/statuses.ts";
import { EVENT_PAYLOADS } from "./payloads.ts";

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
  "NOTIFICATION_ENDPOINT_CHANGED",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The event that records a change to each status. */
export const EVENT_BY_STATUS = {
  provisioning: "WORKSPACE_PROVISIONING",
  online: "WORKSPACE_ONLINE",
  degraded: "WORKSPACE_DEGRADED",
  unknown: "WORKSPACE_UNKNOWN",
  offline: "WORKSPACE_OFFLINE",
  failed: "WORKSPACE_PROVISION_FAILED",
  removed: "WORKSPACE_REMOVED",
} as const satisfies Record<WorkspaceStatus, EventType>;
export type StatusEventType = (typeof EVENT_BY_STATUS)[WorkspaceStatus];

/** The events that record a change of status (WORKSPACE_REASONS_CHANGED records a change of reasons only). */
export const STATUS_EVENT_TYPES: readonly EventType[] = Object.values(EVENT_BY_STATUS);

/** Every event statusChangeEvent makes: `{from, to, reasons, previous_reasons}` and the evidence. */
export type StatusChangeType = StatusEventType | "WORKSPACE_REASONS_CHANGED";

/** The events about the registry or its operators rather than one workspace: their workspaceId is null. */
const REGISTRY_EVENT_TYPES = [
  "OPERATOR_CREATED",
  "OPERATOR_SIGNED_IN",
  "OPERATOR_SIGNED_OUT",
  "OPERATOR_LOCKED_OUT",
  "SELF_PRESERVATION_ENTERED",
  "SELF_PRESERVATION_EXITED",
  "NOTIFICATION_ENDPOINT_CHANGED",
] as const satisfies readonly EventType[];
export type WorkspaceEventType = Exclude<EventType, (typeof REGISTRY_EVENT_TYPES)[number]>;
export const WORKSPACE_EVENT_TYPES: readonly WorkspaceEventType[] = EVENT_TYPES.filter(
  (type): type is WorkspaceEventType => !(REGISTRY_EVENT_TYPES as readonly string[]).includes(type),
);

export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

/** An event's type with its payload: a union discriminated on `type`, so narrowing the type types the payload. */
export type EventContent<T extends EventType = EventType> = { [K in T]: { type: K; payload: EventPayload<K> } }[T];

export type NewEvent<T extends EventType = EventType> = EventContent<T> & {
  workspaceId: string | null;
  /** Who caused it: `runtime`, `registry`, `sweeper`, `system`, `operator:<name>`. */
  actor: string;
  at: number;
};

export type RegistryEvent<T extends EventType = EventType> = NewEvent<T> & { id: number };

export function isEventType(type: string): type is EventType {
  return (EVENT_TYPES as readonly string[]).includes(type);
}

export function isStatusChange<E extends EventContent>(event: E): event is Extract<E, { type: StatusChangeType }> {
  return event.type === "WORKSPACE_REASONS_CHANGED" || STATUS_EVENT_TYPES.includes(event.type);
}

export function isWorkspaceEvent<E extends EventContent>(event: E): event is Extract<E, { type: WorkspaceEventType }> {
  return (WORKSPACE_EVENT_TYPES as readonly EventType[]).includes(event.type);
}

/**
 * An event's type and payload checked against this contract, or null for a type it does not know or a payload that
 * does not fit. For readers that meet events written by another version of the registry (the console, a receiver):
 * the events table is shared by every server process, old and new, during a rolling upgrade.
 */
export function readEvent(event: { type: string; payload: unknown }): EventContent | null {
  if (!isEventType(event.type)) return null;
  const parsed = EVENT_PAYLOADS[event.type].safeParse(event.payload);
  // TypeScript cannot tie the payload's type to the type it was parsed for; the schema lookup above does.
  return parsed.success ? ({ type: event.type, payload: parsed.data } as EventContent) : null;
}
