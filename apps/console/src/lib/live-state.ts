/** What the live indicator tells an operator about the event stream. */
export type LiveState = "live" | "connecting" | "reconnecting" | "offline";

export type SubscriptionStatus = "idle" | "connecting" | "pending" | "error";

/**
 * `pending` is tRPC's "connected, waiting for data". A stream that drops while connected shows "reconnecting"
 * (the link retries and resumes from the last event id); a browser without network, or a stream that failed for
 * good (the session ended), shows "offline".
 */
export function liveState(input: { status: SubscriptionStatus; browserOnline: boolean; everConnected: boolean }): LiveState {
  if (!input.browserOnline || input.status === "error" || input.status === "idle") return "offline";
  if (input.status === "pending") return "live";
  return input.everConnected ? "reconnecting" : "connecting";
}

export const LIVE_STATE_LABEL: Record<LiveState, string> = {
  live: "Live",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  offline: "Offline: updates paused",
};
