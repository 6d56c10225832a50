import { readEvent, type EventContent, type EventPayload } from "@rollcall/registry-core/vocabulary";
import { formatPercent, payloadSummary, readablePayload, truncate } from "./format.ts";
import { formatTimestamp } from "./time.ts";

/**
 * How the workspace page's event history reads: one sentence per event from its payload (what an operator scans
 * for), and the payload's fields as text (so a clear reason or a URL is read, not hidden in JSON).
 */

/**
 * `type` is any string and `payload` anything: the events table is shared with other registry versions, so a type
 * this console does not know, or a payload shaped unlike its type's, may arrive. readEvent checks it against the
 * contract; what does not fit is summarised by its field names, never guessed at.
 */
type SummarisedEvent = { type: string; payload: unknown };

const quoted = (value: string | undefined) => (value ? `: “${value}”` : "");

type SelfPreservationEvent = EventContent<"SELF_PRESERVATION_ENTERED" | "SELF_PRESERVATION_EXITED">;

function selfPreservationHeadline({ type, payload }: SelfPreservationEvent): string {
  const census = `${payload.silent} of ${payload.live}`;
  if (type === "SELF_PRESERVATION_ENTERED") {
    return (
      `Self-preservation began: ${census} live workspaces went silent together ` +
      `(the threshold: ${formatPercent(payload.share)} of at least ${payload.min_live} live); they show as unknown, not offline`
    );
  }
  if (payload.by) return `Self-preservation ended by ${payload.by}${quoted(payload.reason)}`;
  return `Self-preservation ended by itself: ${census} live workspaces silent, under the threshold`;
}

function maintenanceHeadline(event: EventContent<"MAINTENANCE_STARTED" | "MAINTENANCE_ENDED">): string {
  const { until, reason } = event.payload;
  if (event.type === "MAINTENANCE_STARTED") return `Maintenance started by ${event.payload.by} until ${formatTimestamp(until)}${quoted(reason)}`;
  return event.payload.expired
    ? `Maintenance over: its time ran out at ${formatTimestamp(until)}${quoted(reason)}`
    : `Maintenance ended before ${formatTimestamp(until)}${quoted(reason)}`;
}

/** A token is named by its public prefix, never more. */
const tokenPrefix = (prefix: string) => (prefix ? ` ${prefix}…` : "");

/** Where a card came from (set in registry-core's runtime calls). */
const CARD_SOURCES: Record<EventPayload<"AGENT_CARD_UPDATED">["source"], string> = {
  register: "sent with the register call",
  update_card: "sent by the runtime",
  heartbeat_backfill: "filled in from a heartbeat",
};

const RESTART_CONTEXT: Record<"RESTART_CONTEXT_QUEUED" | "RESTART_CONTEXT_DELIVERED" | "RESTART_CONTEXT_EXPIRED", string> = {
  RESTART_CONTEXT_QUEUED: "Restart context queued for the next runtime",
  RESTART_CONTEXT_DELIVERED: "Restart context delivered to the runtime",
  RESTART_CONTEXT_EXPIRED: "Restart context expired before a runtime took it",
};

/** One line saying what happened. An event this console cannot read still gets its payload's field names. */
export function eventHeadline(event: SummarisedEvent): string {
  const known = readEvent(event);
  return known === null ? payloadSummary(event) : knownEventHeadline(known);
}

function knownEventHeadline(event: EventContent): string {
  switch (event.type) {
    case "MARKER_SET":
      return `Marker set: ${event.payload.reason} (${event.payload.kind})`;
    case "MARKER_CLEARED": {
      const { reason, by, clear_reason, status_before, status_after } = event.payload;
      const status = status_before && status_after ? `; status ${status_before} → ${status_after}` : "";
      return `${reason ? `Marker ${reason}` : "Marker"} cleared by ${by}${quoted(clear_reason)}${status}`;
    }
    case "WORKSPACE_REASONS_CHANGED":
      return `Still ${event.payload.to}, now because of: ${event.payload.reasons.join(", ") || "nothing"}`;
    case "WORKSPACE_REGISTERED":
      return `Registered ${event.payload.url || "without a URL"} (${event.payload.delivery_mode} delivery)`;
    case "AGENT_CARD_UPDATED":
      return `Agent card updated, ${CARD_SOURCES[event.payload.source]}`;
    case "URL_REVALIDATED":
      return event.payload.refused
        ? `Stored URL removed: it no longer passes the URL rules (${event.payload.refused})`
        : "Stored URL rewritten to its canonical form";
    case "TOKEN_ISSUED":
      return `Token${tokenPrefix(event.payload.prefix)} issued`;
    case "TOKEN_ROTATED":
      return `Token rotated: new token${tokenPrefix(event.payload.prefix)} issued, every older token revoked`;
    case "WORKSPACE_UNKNOWN":
      return `${payloadSummary(event)}: silent while the registry suspects itself, so not declared offline`;
    case "SELF_PRESERVATION_ENTERED":
    case "SELF_PRESERVATION_EXITED":
      return selfPreservationHeadline(event);
    case "MAINTENANCE_STARTED":
    case "MAINTENANCE_ENDED":
      return maintenanceHeadline(event);
    case "NOTIFICATION_ENDPOINT_CHANGED":
      return `Notification endpoint ${event.payload.name} ${event.payload.change} (${event.payload.format}, ${event.payload.enabled ? "enabled" : "disabled"})`;
    case "RESTART_CONTEXT_QUEUED":
    case "RESTART_CONTEXT_DELIVERED":
    case "RESTART_CONTEXT_EXPIRED":
      return RESTART_CONTEXT[event.type];
    default:
      return payloadSummary(event);
  }
}

export type PayloadField = { key: string; value: string; truncated: boolean };

/** Long enough for a URL or an error message; an agent card or a restart context is read in the raw JSON instead. */
export const PAYLOAD_VALUE_MAX = 160;

/** Every payload field as text: strings as they are, anything else as compact JSON, long values cut short. */
export function payloadFields(payload: unknown): PayloadField[] {
  return Object.entries(readablePayload(payload)).map(([key, raw]) => {
    const value = typeof raw === "string" ? raw : (JSON.stringify(raw) ?? String(raw));
    return { key, value: truncate(value, PAYLOAD_VALUE_MAX), truncated: value.length > PAYLOAD_VALUE_MAX };
  });
}
