// The one list of statuses. The migrations' CHECK constraints spell the same list, and a test on both databases
// (packages/db/src/schema.test.ts) proves they accept exactly these, so code and schema cannot drift (W20).
export const WORKSPACE_STATUSES = ["provisioning", "online", "degraded", "offline", "failed", "removed"] as const;
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

/** Why a workspace is in its status; persisted on the row so a page reload still explains it (W16). */
export const STATUS_REASONS = ["wedged", "error_rate", "register_failure", "heartbeat_timeout", "provision_timeout", "operator_restart"] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];
