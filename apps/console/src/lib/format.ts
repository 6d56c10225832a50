import { isStatusChange, readEvent } from "@rollcall/registry-core/vocabulary";

/** An error rate (0..1) as a percentage: "0%", "12.5%", "100%". */
export function formatPercent(rate: number): string {
  if (!Number.isFinite(rate)) return "—";
  const percent = Math.round(rate * 1000) / 10;
  return `${percent}%`;
}

/** Shortens text for a table cell; the full text goes in a title attribute beside it. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export type CardEntry = { key: string; value: string };

/**
 * An agent card's top-level fields as readable rows: strings as they are, lists of strings joined with commas,
 * everything else (numbers, objects, lists of objects) as compact JSON. The raw card is shown beside this.
 */
export function agentCardEntries(card: Record<string, unknown> | null): CardEntry[] {
  if (card === null) return [];
  return Object.entries(card).map(([key, value]) => ({ key, value: readableValue(value) }));
}

function readableValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return value.length === 0 ? "(none)" : value.join(", ");
  }
  return JSON.stringify(value) ?? String(value);
}

/** A payload that is not a plain object (null, a list, a string) is read as an empty one rather than crash the page. */
export function readablePayload(payload: unknown): Record<string, unknown> {
  return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
}

/**
 * A one-line gist of an event for the collapsed row: a status change reads "offline → online (reasons)" (a creation
 * "new → provisioning"); anything else, and a payload this console cannot read, lists its field names. The full
 * payload is one click away.
 */
export function payloadSummary(event: { type: string; payload: unknown }): string {
  const known = readEvent(event);
  if (known !== null && isStatusChange(known)) {
    const { from, to, reasons } = known.payload;
    const because = reasons.length > 0 ? ` (${reasons.join(", ")})` : "";
    return `${from ?? "new"} → ${to}${because}`;
  }
  const keys = Object.keys(readablePayload(event.payload));
  return keys.length === 0 ? "no payload" : keys.join(", ");
}
