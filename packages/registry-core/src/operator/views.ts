import type { RegistryEvent } from "../events/event.ts";
import { isMarkerActive, type Marker } from "../markers/marker.ts";
import type { HeartbeatSample, ListedEvent, WorkspaceRecord } from "../store.ts";
import { maintenanceView } from "./maintenance.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The operator API's shape of a workspace (REST and tRPC alike); explicit, so no new column leaks. */
export function workspaceView(workspace: WorkspaceRecord) {
  return {
    id: workspace.id,
    name: workspace.name,
    status: workspace.status,
    status_reasons: workspace.statusReasons,
    flapping: workspace.statusReasons.includes("flapping"),
    maintenance: maintenanceView(workspace.maintenance),
    status_changed_at: iso(workspace.statusChangedAt),
    last_heartbeat_at: iso(workspace.lastHeartbeatAt),
    last_error_rate: workspace.lastErrorRate,
    last_sample_error: workspace.lastSampleError,
    active_tasks: workspace.activeTasks,
    current_task: workspace.currentTask,
    uptime_seconds: workspace.uptimeSeconds,
    runtime_state: workspace.runtimeState,
    url: workspace.url,
    delivery_mode: workspace.deliveryMode,
    agent_card: workspace.agentCard,
    restart_context_pending: workspace.pendingRestartContext !== null,
    created_at: iso(workspace.createdAt),
  };
}
export type WorkspaceView = ReturnType<typeof workspaceView>;

export function markerView(marker: Marker, now: number) {
  return {
    id: marker.id,
    kind: marker.kind,
    reason: marker.reason,
    detail: marker.detail,
    active: isMarkerActive(marker, now),
    set_at: iso(marker.setAt),
    expires_at: iso(marker.expiresAt),
    cleared_at: iso(marker.clearedAt),
    cleared_by: marker.clearedBy,
    clear_reason: marker.clearReason,
  };
}
export type MarkerView = ReturnType<typeof markerView>;

type EventViewOf<E extends RegistryEvent> = E extends RegistryEvent
  ? { id: number; type: E["type"]; workspace_id: string | null; actor: string; payload: E["payload"]; at: string | null }
  : never;
/** Discriminated on `type`, like RegistryEvent: narrowing the type types the payload. */
export type EventView = EventViewOf<RegistryEvent>;

export function eventView(event: RegistryEvent): EventView {
  const view = { id: event.id, type: event.type, workspace_id: event.workspaceId, actor: event.actor, payload: event.payload, at: iso(event.at) };
  // The type and the payload are copied from one event; TypeScript cannot tie the two together through the copy.
  return view as EventView;
}

/**
 * An event of the whole log (the events page, GET /api/events, the event stream), named by its workspace's name.
 * A workspace's own events (GET /api/workspaces/:id/events) are plain EventViews: their page names the workspace.
 */
export function eventLogEntry(event: ListedEvent) {
  return { ...eventView(event), workspace_name: event.workspaceName };
}
export type EventLogEntry = ReturnType<typeof eventLogEntry>;

export function sampleView(sample: HeartbeatSample) {
  return { at: iso(sample.at), error_rate: sample.errorRate, active_tasks: sample.activeTasks, status: sample.status };
}
