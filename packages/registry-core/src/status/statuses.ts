// The one list of statuses. The database CHECK constraint is generated from the same literal list
// (packages/db migrations are tested against it), so code and schema cannot drift apart (reference §1.2, W20).
export const WORKSPACE_STATUSES = ["provisioning", "online", "degraded", "offline", "failed", "removed"] as const;
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

/** Why a workspace is in its status; persisted on the row so a page reload still explains it (W16). */
export const STATUS_REASONS = [
  "wedged",
  "error_rate",
  "register_failure",
  "heartbeat_timeout",
  "provision_timeout",
  "operator_restart",
] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

export function isStatus(value: string): value is WorkspaceStatus {
  return (WORKSPACE_STATUSES as readonly string[]).includes(value);
}
