/**
 * The registry's names and rules that browser code needs too (the console's client views): no Node APIs,
 * so bundling this entry never pulls the domain's server code into a browser bundle.
 */
export { EVENT_TYPES, isStatusChange, readEvent, type EventContent, type EventPayload, type EventType } from "./events/event.ts";
export { isMarkerActive } from "./markers/marker.ts";
export { ClearMarkerInput, ListEventsInput } from "./operator/inputs.ts";
export { STATUS_REASONS, UP_STATUSES, WORKSPACE_STATUSES, type StatusReason, type WorkspaceStatus } from "./status/statuses.ts";
export { FLEET_SORTS, type FleetSort } from "./store.ts";
