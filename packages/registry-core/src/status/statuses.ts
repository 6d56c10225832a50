/**
 * `unknown`: the workspace missed its deadline while self-preservation holds (the registry suspects its own network,
 * clock or database before the fleet), so it is neither confirmed alive nor declared offline.
 */
export const WORKSPACE_STATUSES = ["provisioning", "online", "degraded", "unknown", "offline", "failed", "removed"] as const;
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

/** Why a workspace is in its status; persisted on the row so a page reload still explains it (W16). */
export const STATUS_REASONS = [
  "wedged",
  "error_rate",
  "register_failure",
  "heartbeat_timeout",
  "provision_timeout",
  "operator_restart",
  "flapping",
  "registry_suspect",
] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

/** The statuses a workspace is up in: availability counts their time as available. */
export const UP_STATUSES: readonly WorkspaceStatus[] = ["online", "degraded"];
