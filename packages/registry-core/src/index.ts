export {
  createOperator,
  ensureFirstOperator,
  NewOperatorInput,
  OPERATOR_ROLES,
  sessionOperator,
  SESSION_TTL_MS,
  signIn,
  SignInInput,
  signOut,
  type AccountDeps,
  type AccountStore,
  type OperatorRecord,
  type OperatorRole,
  type SessionRecord,
  type SignedIn,
} from "./accounts/accounts.ts";
export { bearerToken } from "./auth/tokens.ts";
export type { RegistryDeps } from "./deps.ts";
export { ERROR_REASONS, ERROR_TABLE, isCredentialFailure, isErrorReason, RegistryError, type ErrorReason } from "./errors.ts";
export {
  agentCardUpdatedEvent,
  maintenanceEndedEvent,
  maintenanceStartedEvent,
  markerClearedEvent,
  markerSetEvent,
  operatorCreatedEvent,
  operatorLockedOutEvent,
  operatorSignedInEvent,
  operatorSignedOutEvent,
  restartContextDeliveredEvent,
  restartContextExpiredEvent,
  restartContextQueuedEvent,
  selfPreservationEnteredEvent,
  selfPreservationExitedEvent,
  statusChangeEvent,
  tokenIssuedEvent,
  tokenRotatedEvent,
  urlRevalidatedEvent,
  workspaceCreatedEvent,
  workspaceRegisteredEvent,
  type WorkspaceOrigin,
} from "./events/constructors.ts";
export {
  CONTRACT_VERSION,
  eventNotification,
  groupedNotification,
  NOTIFICATION_TYPES,
  NotificationBody,
  notificationBodyJsonSchema,
  testNotification,
  type EventNotification,
  type NotificationTestNotification,
  type NotificationType,
  type WorkspaceEventNotification,
  type WorkspacesChangedNotification,
} from "./events/contract.ts";
export {
  EVENT_TYPES,
  isStatusChange,
  isWorkspaceEvent,
  readEvent,
  STATUS_EVENT_TYPES,
  type EventContent,
  type EventPayload,
  type EventType,
  type NewEvent,
  type RegistryEvent,
  type StatusChangeType,
  type StatusEventType,
  type WorkspaceEventType,
} from "./events/event.ts";
export { EVENT_PAYLOADS } from "./events/payloads.ts";
export type { Marker, MarkerKind } from "./markers/marker.ts";
export { clearMarkerByOperator, removeWorkspace, restartWorkspace, rotateToken } from "./operator/actions.ts";
export { ClearMarkerInput, FleetInput, HeartbeatsInput, ListEventsInput, ListWorkspacesInput, ProvisionInput, WorkspaceIdInput } from "./operator/inputs.ts";
export { createOperatorGate, type GatedOperator, type OperatorCredentials, type OperatorGate } from "./operator/operator-gate.ts";
export { newWorkspaceRecord, provisionWorkspace } from "./operator/provision.ts";
export { countWorkspacesByStatus, getWorkspaceDetail, listEvents, listFleet, listHeartbeats, listWorkspaces, type FleetPage } from "./operator/queries.ts";
export type { EventLogEntry, EventView, MarkerView, WorkspaceView } from "./operator/views.ts";
export { INPUT_LIMITS } from "./limits/input-limits.ts";
export { enforceInputLimits, parseInput } from "./parse-input.ts";
export { RUNTIME_CALLS, type RuntimeCall } from "./runtime/calls.ts";
export { recordHeartbeat, type HeartbeatResult } from "./runtime/heartbeat.ts";
export { AgentCard, HeartbeatInput, RegisterInput, UpdateCardInput } from "./runtime/inputs.ts";
export { register, type RegisterResult } from "./runtime/register.ts";
export { updateCard } from "./runtime/update-card.ts";
export type { Decision, Health } from "./status/decide-status.ts";
export { DEFAULT_POLICY, PolicyEnv, policyFromEnv, timelineSlots, type RegistryPolicy } from "./status/policy.ts";
export { STATUS_REASONS, UP_STATUSES, WORKSPACE_STATUSES, type StatusReason, type WorkspaceStatus } from "./status/statuses.ts";
export { FLEET_SORTS } from "./store.ts";
export type * from "./store.ts";
export { sweep, type SweepReport } from "./sweeper/sweep.ts";
export { selfPreservationView } from "./sweeper/self-preservation.ts";
export type { LivenessCensus } from "./status/self-preservation.ts";
export { type AvailabilityDay, type Presence, type Tally } from "./availability/rollup.ts";
export { revalidateStoredUrls, type RevalidationReport } from "./url/revalidate-stored-urls.ts";
export { validateAgentUrl, type ResolveHost, type UrlPolicy } from "./url/validate-agent-url.ts";
export { systemResolver, UrlPolicyEnv, urlPolicyFromEnv } from "./url/policy-env.ts";
export {
  CreateEndpointInput,
  DEFAULT_NOTIFIED_TYPES,
  ENDPOINT_FORMATS,
  isWebhookSecret,
  NotificationFilter,
  type EndpointFormat,
  type EndpointRecord,
  type EndpointView,
} from "./notifications/endpoint.ts";
export { deliveryView, type DeliveryView } from "./notifications/endpoints.ts";
export { fanOut, type FanOutReport } from "./notifications/fan-out.ts";
export {
  attemptDelivery,
  claimDeliveries,
  DELIVERY_LEASE_MS,
  pruneDeliveryLog,
  type DeliveryOutcome,
  type Send,
  type SendRequest,
  type SendResult,
} from "./notifications/delivery.ts";
export type { AttemptRecord, DeliveryRecord, DeliveryState, GroupUpdate, NewDelivery, NotificationStore, Settlement } from "./notifications/store.ts";
