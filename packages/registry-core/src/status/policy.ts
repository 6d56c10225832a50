import { z } from "zod";

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
  /** Flap damping: this many status changes within `flapWindowMs` flag a workspace as flapping (README). */
  flapTransitions: number;
  flapWindowMs: number;
  /** The flag clears after this long without a status change. */
  flapQuietMs: number;
  /** Self-preservation: at least this share of the live workspaces silent together, and at least `selfPreservationMinLive` live (README). */
  selfPreservationShare: number;
  selfPreservationMinLive: number;
  /** The longest maintenance an operator may set. */
  maintenanceMaxMs: number;
  /** How long availability rollups are kept. */
  availabilityRetentionMs: number;
  /** Notifications: more than 5 workspaces changing within this reach an endpoint in 3 notifications at most. */
  notifyStormWindowMs: number;
  /** How long a failing delivery is retried before it is marked failed. */
  notifyRetryWindowMs: number;
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
  flapTransitions: 6,
  flapWindowMs: 10 * 60_000,
  flapQuietMs: 10 * 60_000,
  selfPreservationShare: 0.3,
  selfPreservationMinLive: 20,
  maintenanceMaxMs: 7 * 24 * 60 * 60_000,
  availabilityRetentionMs: 90 * 24 * 60 * 60_000,
  notifyStormWindowMs: 10_000,
  notifyRetryWindowMs: 24 * 60 * 60_000,
};

/** Samples a workspace's timeline holds at most, one per slot over the retention: its storage bound, whatever its uptime. */
export function timelineSlots(policy: RegistryPolicy): number {
  return Math.ceil(policy.sampleRetentionMs / policy.sampleSlotMs);
}

/** A duration setting in seconds whose default is the policy's. */
const seconds = (fallbackMs: number) =>
  z.coerce
    .number()
    .positive()
    .default(fallbackMs / 1000);

/**
 * The policy's settings as environment variables. The server and the console both read them, so a decision the
 * console makes (an operator's clear) uses the same thresholds as the server's.
 */
export const PolicyEnv = z.object({
  ROLLCALL_OFFLINE_AFTER_SECONDS: seconds(DEFAULT_POLICY.offlineAfterMs),
  ROLLCALL_PROVISION_TIMEOUT_SECONDS: seconds(DEFAULT_POLICY.provisionTimeoutMs),
  ROLLCALL_MARKER_WINDOW_SECONDS: seconds(DEFAULT_POLICY.markerWindowMs),
  ROLLCALL_RESTART_CONTEXT_TTL_SECONDS: seconds(DEFAULT_POLICY.restartContextTtlMs),
  ROLLCALL_SAMPLE_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .default(DEFAULT_POLICY.sampleRetentionMs / 3_600_000),
  ROLLCALL_FLAP_TRANSITIONS: z.coerce.number().int().min(5).default(DEFAULT_POLICY.flapTransitions),
  ROLLCALL_FLAP_WINDOW_SECONDS: seconds(DEFAULT_POLICY.flapWindowMs),
  ROLLCALL_FLAP_QUIET_SECONDS: seconds(DEFAULT_POLICY.flapQuietMs),
  ROLLCALL_SELF_PRESERVATION_SHARE: z.coerce.number().gt(0).lte(1).default(DEFAULT_POLICY.selfPreservationShare),
  ROLLCALL_SELF_PRESERVATION_MIN_LIVE: z.coerce.number().int().min(1).default(DEFAULT_POLICY.selfPreservationMinLive),
  ROLLCALL_MAINTENANCE_MAX_DAYS: z.coerce
    .number()
    .positive()
    .default(DEFAULT_POLICY.maintenanceMaxMs / 86_400_000),
  ROLLCALL_NOTIFY_STORM_WINDOW_SECONDS: seconds(DEFAULT_POLICY.notifyStormWindowMs),
  ROLLCALL_NOTIFY_RETRY_HOURS: z.coerce
    .number()
    .positive()
    .default(DEFAULT_POLICY.notifyRetryWindowMs / 3_600_000),
});
export type PolicyEnv = z.infer<typeof PolicyEnv>;

export function policyFromEnv(env: PolicyEnv): RegistryPolicy {
  return {
    ...DEFAULT_POLICY,
    offlineAfterMs: env.ROLLCALL_OFFLINE_AFTER_SECONDS * 1000,
    provisionTimeoutMs: env.ROLLCALL_PROVISION_TIMEOUT_SECONDS * 1000,
    markerWindowMs: env.ROLLCALL_MARKER_WINDOW_SECONDS * 1000,
    restartContextTtlMs: env.ROLLCALL_RESTART_CONTEXT_TTL_SECONDS * 1000,
    sampleRetentionMs: env.ROLLCALL_SAMPLE_RETENTION_HOURS * 3_600_000,
    flapTransitions: env.ROLLCALL_FLAP_TRANSITIONS,
    flapWindowMs: env.ROLLCALL_FLAP_WINDOW_SECONDS * 1000,
    flapQuietMs: env.ROLLCALL_FLAP_QUIET_SECONDS * 1000,
    selfPreservationShare: env.ROLLCALL_SELF_PRESERVATION_SHARE,
    selfPreservationMinLive: env.ROLLCALL_SELF_PRESERVATION_MIN_LIVE,
    maintenanceMaxMs: env.ROLLCALL_MAINTENANCE_MAX_DAYS * 86_400_000,
    notifyStormWindowMs: env.ROLLCALL_NOTIFY_STORM_WINDOW_SECONDS * 1000,
    notifyRetryWindowMs: env.ROLLCALL_NOTIFY_RETRY_HOURS * 3_600_000,
  };
}
