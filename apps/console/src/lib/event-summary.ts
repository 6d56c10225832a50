import { formatPercent, payloadSummary, readablePayload, truncate } from "./format.ts";
import { formatTimestamp } from "./time.ts";

/**
 * How the workspace page's event history reads: one sentence per event from its payload (what an operator scans
 * for), and the payload's fields as text (so a clear reason or a URL is read, not hidden in JSON).
 */

/**
 * `type` is any string: a newer registry may send a type this console does not know yet. The payload is typed as a
 * record, but an event from a newer or older registry is read defensively: nothing it holds may break the page.
 */
type SummarisedEvent = { type: string; payload: Record<string, unknown> };

const text = (payload: Record<string, unknown>, key: string): string | null => {
  const value = payload[key];
  return typeof value === "string" && value !== "" ? value : null;
};

const count = (payload: Record<string, unknown>, key: string): number | null => {
  const value = payload[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
};

const lookup = (table: Record<string, string>, key: string): string | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** "18 of 20", the census behind a self-preservation decision; null when the payload does not hold it. */
const silentOfLive = (payload: Record<string, unknown>) => {
  const silent = count(payload, "silent");
  const live = count(payload, "live");
  return silent === null || live === null ? null : `${silent} of ${live}`;
};

/** The rule that was crossed: "30% of at least 20 live". */
const threshold = (payload: Record<string, unknown>) => {
  const share = count(payload, "share");
  const minLive = count(payload, "min_live");
  return share === null || minLive === null ? "" : ` (the threshold: ${formatPercent(share)} of at least ${minLive} live)`;
};

const quoted = (value: string | null) => (value ? `: “${value}”` : "");

function selfPreservationHeadline(type: "SELF_PRESERVATION_ENTERED" | "SELF_PRESERVATION_EXITED", payload: Record<string, unknown>): string {
  const census = silentOfLive(payload);
  if (type === "SELF_PRESERVATION_ENTERED") {
    return `Self-preservation began: ${census ?? "many"} live workspaces went silent together${threshold(payload)}; they show as unknown, not offline`;
  }
  const by = text(payload, "by");
  if (by) return `Self-preservation ended by ${by}${quoted(text(payload, "reason"))}`;
  return `Self-preservation ended by itself: ${census ? `${census} live workspaces silent, ` : ""}under the threshold`;
}

function maintenanceHeadline(type: "MAINTENANCE_STARTED" | "MAINTENANCE_ENDED", payload: Record<string, unknown>): string {
  const until = text(payload, "until");
  const why = quoted(text(payload, "reason"));
  if (type === "MAINTENANCE_STARTED") return `Maintenance started by ${text(payload, "by") ?? "unknown"} until ${formatTimestamp(until)}${why}`;
  return payload.expired === true
    ? `Maintenance over: its time ran out at ${formatTimestamp(until)}${why}`
    : `Maintenance ended before ${formatTimestamp(until)}${why}`;
}

/** A token is named by its public prefix, never more. */
const tokenPrefix = (payload: Record<string, unknown>) => {
  const prefix = text(payload, "prefix");
  return prefix ? ` ${prefix}…` : "";
};

/** Where a card came from (AGENT_CARD_UPDATED's `source`, set in registry-core's runtime calls). */
const CARD_SOURCES: Record<string, string> = {
  register: "sent with the register call",
  update_card: "sent by the runtime",
  heartbeat_backfill: "filled in from a heartbeat",
};

const RESTART_CONTEXT: Record<string, string> = {
  RESTART_CONTEXT_QUEUED: "Restart context queued for the next runtime",
  RESTART_CONTEXT_DELIVERED: "Restart context delivered to the runtime",
  RESTART_CONTEXT_EXPIRED: "Restart context expired before a runtime took it",
};

/** One line saying what happened. An event type this console does not know still gets its payload's field names. */
export function eventHeadline(event: SummarisedEvent): string {
  const { type } = event;
  const payload = readablePayload(event.payload);
  switch (type) {
    case "MARKER_SET":
      return `Marker set: ${text(payload, "reason") ?? "unknown reason"} (${text(payload, "kind") ?? "unknown kind"})`;
    case "MARKER_CLEARED": {
      const marker = text(payload, "reason");
      const why = text(payload, "clear_reason");
      const before = text(payload, "status_before");
      const after = text(payload, "status_after");
      return (
        `${marker ? `Marker ${marker}` : "Marker"} cleared by ${text(payload, "by") ?? "unknown"}` +
        `${why ? `: “${why}”` : ""}${before && after ? `; status ${before} → ${after}` : ""}`
      );
    }
    case "WORKSPACE_REASONS_CHANGED": {
      const reasons = Array.isArray(payload.reasons) ? payload.reasons.join(", ") : "";
      return `Still ${text(payload, "to") ?? "unknown"}, now because of: ${reasons || "nothing"}`;
    }
    case "WORKSPACE_REGISTERED":
      return `Registered ${text(payload, "url") ?? "without a URL"} (${text(payload, "delivery_mode") ?? "unknown"} delivery)`;
    case "AGENT_CARD_UPDATED": {
      const source = text(payload, "source");
      return `Agent card updated${source ? `, ${lookup(CARD_SOURCES, source) ?? source}` : ""}`;
    }
    case "URL_REVALIDATED": {
      const refused = text(payload, "refused");
      return refused ? `Stored URL removed: it no longer passes the URL rules (${refused})` : "Stored URL rewritten to its canonical form";
    }
    case "TOKEN_ISSUED":
      return `Token${tokenPrefix(payload)} issued`;
    case "TOKEN_ROTATED":
      return `Token rotated: new token${tokenPrefix(payload)} issued, every older token revoked`;
    case "WORKSPACE_UNKNOWN":
      return `${payloadSummary(payload)}: silent while the registry suspects itself, so not declared offline`;
    case "SELF_PRESERVATION_ENTERED":
    case "SELF_PRESERVATION_EXITED":
      return selfPreservationHeadline(type, payload);
    case "MAINTENANCE_STARTED":
    case "MAINTENANCE_ENDED":
      return maintenanceHeadline(type, payload);
    default:
      return lookup(RESTART_CONTEXT, type) ?? payloadSummary(payload);
  }
}

export type PayloadField = { key: string; value: string; truncated: boolean };

/** Long enough for a URL or an error message; an agent card or a restart context is read in the raw JSON instead. */
export const PAYLOAD_VALUE_MAX = 160;

/** Every payload field as text: strings as they are, anything else as compact JSON, long values cut short. */
export function payloadFields(payload: Record<string, unknown>): PayloadField[] {
  return Object.entries(readablePayload(payload)).map(([key, raw]) => {
    const value = typeof raw === "string" ? raw : (JSON.stringify(raw) ?? String(raw));
    return { key, value: truncate(value, PAYLOAD_VALUE_MAX), truncated: value.length > PAYLOAD_VALUE_MAX };
  });
}
