import { ageMs } from "./time.js";
/**
 * Runtimes beat every 30 s. One beat late (under 45 s) is normal jitter; under 90 s a beat was missed; at 90 s the
 * registry's default `offlineAfterMs` is reached (three missed beats), so the age is shown as stale.
 */
export const FRESH_UNDER_MS = 45_000;
export const LATE_UNDER_MS = 90_000;
export function heartbeatFreshness(lastHeartbeatAt, now) {
    const age = ageMs(lastHeartbeatAt, now);
    if (age === null)
        return "never";
    if (age < FRESH_UNDER_MS)
        return "fresh";
    if (age < LATE_UNDER_MS)
        return "late";
    return "stale";
}
