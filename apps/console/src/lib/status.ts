/**
 * How a status looks in the console. Colours and labels follow reference §8 (the canvas's STATUS_CONFIG), with two
 * exceptions. An unknown status is shown as itself in a neutral style: rendering it as "Offline" hid real states
 * there (W27). Offline is orange with a hollow dot, not the canvas's zinc: zinc and removed's slate are both grey,
 * and a runtime that went silent needs a look of its own, not the look of a workspace nobody needs any more.
 */
export type Tone = "emerald" | "orange" | "amber" | "red" | "sky" | "violet" | "slate" | "neutral";

export type StatusStyle = {
  label: string;
  tone: Tone;
  /** Extra emphasis on the dot: degraded glows, provisioning pulses (reference §8), offline's is an empty ring. */
  dot: "plain" | "glow" | "pulse" | "hollow";
  known: boolean;
};

const STATUS_STYLES: Record<string, StatusStyle> = {
  online: { label: "Online", tone: "emerald", dot: "plain", known: true },
  offline: { label: "Offline", tone: "orange", dot: "hollow", known: true },
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

/**
 * Whether what the runtime reported (error rate, tasks, current task, uptime) is only what it said last: an offline
 * or removed workspace's runtime no longer heartbeats, so those figures are history, not the present.
 */
export function reportsAreLastKnown(status: string): boolean {
  return status === "offline" || status === "removed";
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
  WORKSPACE_OFFLINE: "orange",
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
