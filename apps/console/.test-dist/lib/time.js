const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A span in its largest whole unit: "12s", "3m", "2h", "4d". Negative spans count as zero. */
export function formatDuration(ms) {
    const span = Math.max(0, ms);
    if (span < MINUTE)
        return `${Math.floor(span / SECOND)}s`;
    if (span < HOUR)
        return `${Math.floor(span / MINUTE)}m`;
    if (span < DAY)
        return `${Math.floor(span / HOUR)}h`;
    return `${Math.floor(span / DAY)}d`;
}
/**
 * How long ago (or, for a future time such as a marker's expiry, how soon) an ISO time is, seen from `now`:
 * "12s ago", "3m ago", "2h ago", "in 4m". Under a second either way reads "just now".
 */
export function formatRelative(iso, now) {
    if (iso === null)
        return "never";
    const at = Date.parse(iso);
    if (Number.isNaN(at))
        return "unknown";
    const delta = now - at;
    if (Math.abs(delta) < SECOND)
        return "just now";
    return delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}
/** Milliseconds from an ISO time to `now`, or null when there is no time. */
export function ageMs(iso, now) {
    if (iso === null)
        return null;
    const at = Date.parse(iso);
    return Number.isNaN(at) ? null : now - at;
}
/** An absolute time, always in UTC so the server's time zone never changes what an operator reads. */
export function formatTimestamp(iso) {
    if (iso === null)
        return "—";
    const at = new Date(iso);
    if (Number.isNaN(at.getTime()))
        return iso;
    return `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
