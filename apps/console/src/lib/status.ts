/**
 * How a status looks in the console. Colours and labels follow reference §8 (the canvas's STATUS_CONFIG), with three
 * exceptions. A status this console does not know is shown as itself in a neutral style: rendering it as "Offline"
 * hid real states there (W27). Offline is orange with a hollow dot, not the canvas's zinc: zinc and removed's slate
 * are both grey, and a runtime that went silent needs a look of its own, not the look of a workspace nobody needs any
 * more. The registry's own `unknown` (silent while the registry suspects itself) is a grey-purple with a dashed ring:
 * it must not read as offline, which it is not known to be, nor as removed.
 */
export type Tone = "emerald" | "orange" | "amber" | "red" | "sky" | "violet" | "slate" | "mauve" | "blue" | "neutral";

export type StatusStyle = {
  label: string;
  tone: Tone;
  /** Extra emphasis on the dot: degraded glows, provisioning pulses (reference §8), offline's is an empty ring, unknown's a dashed one. */
  dot: "plain" | "glow" | "pulse" | "hollow" | "dashed";
  known: boolean;
};

const STATUS_STYLES: Record<string, StatusStyle> = {
  online: { label: "Online", tone: "emerald", dot: "plain", known: true },
  offline: { label: "Offline", tone: "orange", dot: "hollow", known: true },
  degraded: { label: "Degraded", tone: "amber", dot: "glow", known: true },
  unknown: { label: "Unknown", tone: "mauve", dot: "dashed", known: true },
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
 * Whether what the runtime reported (error rate, tasks, current task, uptime) is only what it said last: an offline,
 * unknown (silent, whatever the cause) or removed workspace's runtime is not heard from, so those figures are history.
 */
export function reportsAreLastKnown(status: string): boolean {
  return status === "offline" || status === "unknown" || status === "removed";
}

/** The order the fleet page lists statuses in: the ones that need attention first. */
export const STATUS_DISPLAY_ORDER = ["online", "degraded", "unknown", "failed", "provisioning", "offline", "removed"] as const;

/** How maintenance looks wherever it is shown (badge, fleet row, the availability strip): planned, so not a status colour. */
export const MAINTENANCE_TONE: Tone = "blue";

const REASON_LABELS: Record<string, string> = {
  wedged: "Wedged",
  error_rate: "Error rate",
  register_failure: "Register failure",
  heartbeat_timeout: "Heartbeat timeout",
  provision_timeout: "Provision timeout",
  operator_restart: "Operator restart",
  flapping: "Flapping",
  registry_suspect: "Registry suspect",
};

/** A status reason as a chip label; an unknown reason is shown as its raw code rather than dropped. */
export function reasonLabel(reason: string): string {
  return Object.hasOwn(REASON_LABELS, reason) ? (REASON_LABELS[reason] as string) : reason;
}

/** The registry settings some explanations quote, so the console says what this registry does, not the defaults. */
export type ReasonPolicy = { flapTransitions: number };

const REASON_EXPLANATIONS: Record<string, (policy: ReasonPolicy) => string> = {
  wedged: () => "Wedged: the runtime says it is stuck",
  error_rate: () => "Error rate: the runtime reports too high an error rate",
  register_failure: () => "Register failure: an active marker from a failed register call",
  heartbeat_timeout: () => "Heartbeat timeout: no heartbeat within the deadline",
  provision_timeout: () => "Provision timeout: never registered after it was provisioned",
  operator_restart: () => "Operator restart: an operator restarted it; waiting for the runtime to register",
  flapping: ({ flapTransitions }) => `Flapping: changed status ${flapTransitions}+ times recently; held at degraded until it is quiet`,
  registry_suspect: () => "Registry suspect: silent while many workspaces went silent together, so the registry suspects itself, not the workspace",
};

/** A reason in a sentence, for a chip's tooltip; null for a reason this console cannot explain. */
export function reasonExplanation(reason: string, policy: ReasonPolicy): string | null {
  return Object.hasOwn(REASON_EXPLANATIONS, reason) ? (REASON_EXPLANATIONS[reason] as (policy: ReasonPolicy) => string)(policy) : null;
}

const EVENT_TONES: Record<string, Tone> = {
  WORKSPACE_ONLINE: "emerald",
  WORKSPACE_OFFLINE: "orange",
  WORKSPACE_DEGRADED: "amber",
  WORKSPACE_UNKNOWN: "mauve",
  WORKSPACE_PROVISIONING: "sky",
  WORKSPACE_REMOVED: "red",
  WORKSPACE_PROVISION_FAILED: "red",
  AGENT_CARD_UPDATED: "violet",
  SELF_PRESERVATION_ENTERED: "mauve",
  SELF_PRESERVATION_EXITED: "mauve",
  MAINTENANCE_STARTED: MAINTENANCE_TONE,
  MAINTENANCE_ENDED: MAINTENANCE_TONE,
};

/** Event colours from the canvas's Events tab (reference §8); every other type is neutral. */
export function eventTone(type: string): Tone {
  return Object.hasOwn(EVENT_TONES, type) ? (EVENT_TONES[type] as Tone) : "neutral";
}
