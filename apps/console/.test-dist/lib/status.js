const STATUS_STYLES = {
    online: { label: "Online", tone: "emerald", dot: "plain", known: true },
    offline: { label: "Offline", tone: "zinc", dot: "plain", known: true },
    degraded: { label: "Degraded", tone: "amber", dot: "glow", known: true },
    failed: { label: "Failed", tone: "red", dot: "plain", known: true },
    provisioning: { label: "Starting", tone: "sky", dot: "pulse", known: true },
    removed: { label: "Removed", tone: "slate", dot: "plain", known: true },
};
export function statusStyle(status) {
    return Object.hasOwn(STATUS_STYLES, status)
        ? STATUS_STYLES[status]
        : { label: status || "(none)", tone: "neutral", dot: "plain", known: false };
}
/** The order the fleet page lists statuses in: the ones that need attention first. */
export const STATUS_DISPLAY_ORDER = ["online", "degraded", "failed", "provisioning", "offline", "removed"];
const REASON_LABELS = {
    wedged: "Wedged",
    error_rate: "Error rate",
    register_failure: "Register failure",
    heartbeat_timeout: "Heartbeat timeout",
    provision_timeout: "Provision timeout",
    operator_restart: "Operator restart",
};
/** A status reason as a chip label; an unknown reason is shown as its raw code rather than dropped. */
export function reasonLabel(reason) {
    return Object.hasOwn(REASON_LABELS, reason) ? REASON_LABELS[reason] : reason;
}
const EVENT_TONES = {
    WORKSPACE_ONLINE: "emerald",
    WORKSPACE_OFFLINE: "zinc",
    WORKSPACE_DEGRADED: "amber",
    WORKSPACE_PROVISIONING: "sky",
    WORKSPACE_REMOVED: "red",
    WORKSPACE_PROVISION_FAILED: "red",
    AGENT_CARD_UPDATED: "violet",
};
/** Event colours from the canvas's Events tab (reference §8); every other type is neutral. */
export function eventTone(type) {
    return Object.hasOwn(EVENT_TONES, type) ? EVENT_TONES[type] : "neutral";
}
