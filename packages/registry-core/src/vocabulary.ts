/**
 * The registry's names that browser code needs too (the console's client views): constants only, no Node APIs,
 * so bundling this entry never pulls the domain's server code into a browser bundle.
 */
export { EVENT_TYPES, type EventType } from "./events/event.ts";
export { WORKSPACE_STATUSES, type StatusReason, type WorkspaceStatus } from "./status/statuses.ts";
export { FLEET_SORTS, type FleetSort } from "./store.ts";
