/** Every threshold and window the registry uses; the only place their defaults live. */
export type RegistryPolicy = {
  /** Error rate at or above which a healthy workspace degrades (reference §5.2). */
  degradeErrorRate: number;
  /** Error rate below which an error-rate degradation recovers; values in between keep the current state. */
  recoverErrorRate: number;
  /** No heartbeat for this long means offline: three missed 30 s beats. */
  offlineAfterMs: number;
  /** Provisioning for longer than this means failed. */
  provisionTimeoutMs: number;
  /** How long a register-failure marker counts (reference §5.4: 5 min). */
  markerWindowMs: number;
  /** A queued restart context is dropped after this long undelivered. */
  restartContextTtlMs: number;
  /** How long heartbeat samples are kept for timelines. */
  sampleRetentionMs: number;
  /** Width of one timeline slot: half the default 30 s interval, so a jittered beat still gets its own slot. */
  sampleSlotMs: number;
};

export const DEFAULT_POLICY: RegistryPolicy = {
  degradeErrorRate: 0.5,
  recoverErrorRate: 0.1,
  offlineAfterMs: 90_000,
  provisionTimeoutMs: 10 * 60_000,
  markerWindowMs: 5 * 60_000,
  restartContextTtlMs: 30 * 60_000,
  sampleRetentionMs: 24 * 60 * 60_000,
  sampleSlotMs: 15_000,
};

/** Slots a workspace's timeline ring can hold: the storage bound per workspace, whatever its uptime. */
export function timelineSlots(policy: RegistryPolicy): number {
  return Math.ceil(policy.sampleRetentionMs / policy.sampleSlotMs);
}
