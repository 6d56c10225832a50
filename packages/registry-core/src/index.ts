export { bearerToken, generateToken, hashToken } from "./auth/tokens.ts";
export { authenticateRuntime } from "./auth/authenticate-runtime.ts";
export type { RegistryDeps } from "./deps.ts";
export { RegistryError, type ErrorReason } from "./errors.ts";
export { EVENT_TYPES, statusChangeEvent, type EventType, type NewEvent, type RegistryEvent } from "./events/event.ts";
export { isMarkerActive, MARKER_KINDS, type Marker, type MarkerKind } from "./markers/marker.ts";
export { clearMarkerByOperator, removeWorkspace, restartWorkspace, rotateToken } from "./operator/actions.ts";
export {
  ClearMarkerInput,
  HeartbeatsInput,
  ListEventsInput,
  ListWorkspacesInput,
  ProvisionInput,
  WorkspaceIdInput,
} from "./operator/inputs.ts";
export { provisionWorkspace } from "./operator/provision.ts";
export { countWorkspacesByStatus, getWorkspaceDetail, listEvents, listHeartbeats, listWorkspaces } from "./operator/queries.ts";
export type { EventView, MarkerView, WorkspaceView } from "./operator/views.ts";
export { parseInput } from "./parse-input.ts";
export { recordHeartbeat, type HeartbeatResult } from "./runtime/heartbeat.ts";
export { AgentCard, HeartbeatInput, RegisterInput, UpdateCardInput } from "./runtime/inputs.ts";
export { register, type RegisterResult } from "./runtime/register.ts";
export { updateCard } from "./runtime/update-card.ts";
export { decideStatus, type Decision, type Health } from "./status/decide-status.ts";
export { DEFAULT_POLICY, timelineSlots, type RegistryPolicy } from "./status/policy.ts";
export { STATUS_REASONS, WORKSPACE_STATUSES, type StatusReason, type WorkspaceStatus } from "./status/statuses.ts";
export type * from "./store.ts";
export { reevaluate, sweep, type SweepReport } from "./sweeper/sweep.ts";
export { validateAgentUrl, type ResolveHost, type UrlPolicy } from "./url/validate-agent-url.ts";
