/**
 * How a status looks in the console. Colours and labels follow reference §8 (the canvas's STATUS_CONFIG), except
 * that an unknown status is shown as itself in a neutral style: rendering it as "Offline" hid real states there (W27).
 */
export type Tone = "emerald" | "zinc" | "amber" | "red" | "sky" | "violet" | "slate" | "neutral";

export type StatusStyle = {
  label: string;
  tone: Tone;
  /** Extra emphasis on the dot: degraded glows, provisioning pulses (reference §8). */
  dot: "plain" | "glow" | "pulse";
  known: boolean;
};

const STATUS_STYLES: Record<string, StatusStyle> = {
  online: { label: "Online", tone: "emerald", dot: "plain", known: true },
  offline: { label: "Offline", tone: "zinc", dot: "plain", known: true },
  degraded: { label: "Degraded", tone: "amber", dot: "glow", known: true },
  failed: { label: "Failed", tone: "red", dot: "plain", known: true },
  provisioning: { label: "Starting", tone: "sky", dot: "pulse", known: true },
  removed: { label: "Removed", tone: "slate", dot: "plain", known: true },
};

export function statusStyle(status: string): StatusStyle {
  return Object.hasOwn(STATUS_STYLES, status)
    ? (STATUS_STYLES[status] as StatusStyle)
    : { label: status || "(none)", tone: "neutral", dot: "plain", known: false };
}

/** The order the fleet page lists statuses in: the ones that need attention first. */
export const STATUS_DISPLAY_ORDER = ["online", "degraded", "failed", "provisioning", "offline", "removed"] as const;

const REASON_LABELS: Record<string, string> = {
  wedged: "Wedged",
  error_rate: "Error rate",
  register_failure: "Register failure",
  heartbeat_timeout: "Heartbeat timeout",
  provision_timeout: "Provision timeout",
  operator_restart: "Operator restart",
};

/** A status reason as a chip label; an unknown reason is shown as its raw code rather than dropped. */
export function reasonLabel(reason: string): string {
  return Object.hasOwn(REASON_LABELS, reason) ? (REASON_LABELS[reason] as string) : reason;
}

const EVENT_TONES: Record<string, Tone> = {
  WORKSPACE_ONLINE: "emerald",
  WORKSPACE_OFFLINE: "zinc",
  WORKSPACE_DEGRADED: "amber",
  WORKSPACE_PROVISIONING: "sky",
  WORKSPACE_REMOVED: "red",
  WORKSPACE_PROVISION_FAILED: "red",
  AGENT_CARD_UPDATED: "violet",
};

/** Event colours from the canvas's Events tab (reference §8); every other type is neutral. */
export function eventTone(type: string): Tone {
  return Object.hasOwn(EVENT_TONES, type) ? (EVENT_TONES[type] as Tone) : "neutral";
}
