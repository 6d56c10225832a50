import type { NewEvent, RegistryEvent } from "./events/event.ts";
import type { AvailabilityDay } from "./availability/rollup.ts";
import type { Marker } from "./markers/marker.ts";
import type { NotificationStore } from "./notifications/store.ts";
import type { LivenessCensus } from "./status/self-preservation.ts";
import type { RuntimeState } from "./status/decide-status.ts";
import type { StatusReason, WorkspaceStatus } from "./status/statuses.ts";

export type AgentCard = Record<string, unknown>;
export type DeliveryMode = "push" | "poll";

/** What a restarted runtime is told about the gap it left (reference §6). */
export type RestartContext = {
  restart_at: string;
  previous_session_end: string | null;
  gap_seconds: number | null;
  expires_at: string;
};

/** An operator's maintenance window on a workspace. */
export type Maintenance = { reason: string; until: number; by: string; since: number };

/** A restart context waiting on the row for the runtime it belongs to. */
export type PendingRestartContext = { context: RestartContext; awaitingRegister: boolean };

export type WorkspaceRecord = {
  id: string;
  name: string;
  url: string | null;
  deliveryMode: DeliveryMode;
  agentCard: AgentCard | null;
  status: WorkspaceStatus;
  statusReasons: StatusReason[];
  statusChangedAt: number;
  lastHeartbeatAt: number | null;
  lastErrorRate: number;
  lastSampleError: string;
  activeTasks: number;
  uptimeSeconds: number;
  currentTask: string;
  runtimeState: RuntimeState;
  statusManaged: boolean;
  pendingRestartContext: PendingRestartContext | null;
  /** Times of its last status changes, oldest first, as many as flap damping looks at (policy.flapTransitions). */
  recentTransitions: number[];
  maintenance: Maintenance | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  removedAt: number | null;
};

/** The columns a change may write; `version` and `updatedAt` are managed by the store. */
export type WorkspacePatch = Partial<Omit<WorkspaceRecord, "id" | "version" | "createdAt" | "updatedAt">>;

export type HeartbeatSample = { at: number; errorRate: number; activeTasks: number; status: WorkspaceStatus };

export type TokenRecord = { id: string; workspaceId: string; revokedAt: number | null };
export type NewToken = { id: string; tokenHash: string; prefix: string; createdAt: number };

/**
 * One atomic write: the row patch, marker writes, token changes, events and the timeline sample commit together
 * or not at all, and only if the row still has `expectedVersion` (so a decision made on stale state is retried,
 * never applied, and its events never written).
 */
export type WorkspaceChange = {
  workspaceId: string;
  expectedVersion: number;
  at: number;
  patch: WorkspacePatch;
  upsertMarkers?: Marker[];
  tokens?: { revokeAll?: boolean; issue?: NewToken };
  events: NewEvent[];
  sample?: HeartbeatSample;
};

export type WorkspaceFilter = {
  status?: WorkspaceStatus;
  search?: string;
  limit: number;
  /** Id to continue after (ordered by id). */
  after?: string;
};

/** Fleet orderings; "status" puts the worst first (failed, offline, degraded, provisioning, online, removed). */
export const FLEET_SORTS = ["status", "name", "since", "heartbeat", "error_rate"] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

/** One page of the console's fleet table: any ordering, so pages are by offset. */
export type FleetQuery = {
  status?: WorkspaceStatus;
  /** Case-insensitive substring of the id or the name. */
  search?: string;
  sort: FleetSort;
  descending: boolean;
  offset: number;
  limit: number;
};

/** An event as the store lists it: with the name of the workspace it is about (null when it is about none). */
export type ListedEvent = RegistryEvent & { workspaceName: string | null };

export type EventFilter = {
  workspaceId?: string;
  type?: string;
  actor?: string;
  /** Return events with id greater than this (tailing, oldest first). */
  after?: number;
  /** Return events with id less than this (paging back, newest first). */
  before?: number;
  limit: number;
};

export type SweepCandidates = {
  /** online/degraded whose last heartbeat is at or before the cutoff. */
  silentSince: number;
  /** provisioning whose status changed at or before the cutoff. */
  provisioningSince: number;
  /** degraded by a register-failure marker that may have expired by now; in maintenance that ended by now. */
  markersExpiredBy: number;
  /** flapping, with its last status change at or before this (its quiet period is over). */
  flapQuietSince: number;
  /** Self-preservation holds: `unknown` workspaces stay as they are, so they are no candidates. */
  registrySuspect: boolean;
  limit: number;
};

/** The earliest times on which a live, provisioning or marker-degraded workspace's sweep decision depends. */
export type SweepDeadlines = {
  /** Oldest last heartbeat of an online or degraded workspace. */
  lastHeartbeatAt: number | null;
  /** Oldest status change of a provisioning workspace. */
  provisioningSince: number | null;
  /** Soonest expiry of a marker that degrades a workspace and still counts at `now`. */
  markerExpiresAt: number | null;
  /** Oldest last status change of a flapping workspace. */
  flappingSince: number | null;
  /** Soonest end of a maintenance window. */
  maintenanceUntil: number | null;
};

/** A registry-wide record shared by every server process, written only by compare-and-set on its version. */
export type RegistryStateRecord<T> = { value: T; version: number };

export interface RegistryStore {
  /** Notification endpoints and the delivery outbox. */
  notifications: NotificationStore;
  getWorkspace(id: string): Promise<WorkspaceRecord | null>;
  /** Markers not yet cleared (they may have expired; callers judge with the clock). */
  unclearedMarkers(workspaceId: string): Promise<Marker[]>;
  allMarkers(workspaceId: string): Promise<Marker[]>;
  /** The workspace and, if given, the token with that hash (whichever workspace it belongs to), in one read: the
   * runtime hot path's only read. */
  findRuntime(workspaceId: string, tokenHash: string | null): Promise<{ workspace: WorkspaceRecord | null; token: TokenRecord | null }>;
  createWorkspace(workspace: WorkspaceRecord, token: NewToken, events: NewEvent[]): Promise<void>;
  commit(change: WorkspaceChange): Promise<boolean>;
  /** Several changes in one transaction (group commit); each is still conditional on its own version. */
  commitMany(changes: WorkspaceChange[]): Promise<boolean[]>;
  listWorkspaces(filter: WorkspaceFilter): Promise<WorkspaceRecord[]>;
  countByStatus(): Promise<Record<WorkspaceStatus, number>>;
  /** The page's rows and how many match in all. Without a status filter, removed workspaces are left out. */
  fleetPage(query: FleetQuery): Promise<{ rows: WorkspaceRecord[]; total: number }>;
  /** Uncleared markers of these workspaces that have not expired by `now`. */
  activeMarkers(workspaceIds: string[], now: number): Promise<Marker[]>;
  listEvents(filter: EventFilter): Promise<ListedEvent[]>;
  listSamples(workspaceId: string, since: number): Promise<HeartbeatSample[]>;
  /** The rows the sweep must re-evaluate now (read with the candidates, so the sweep reads each row once). */
  sweepCandidates(query: SweepCandidates): Promise<WorkspaceRecord[]>;
  /** The raw times the next sweep candidates appear at; the sweep adds the policy's windows. */
  sweepDeadlines(now: number): Promise<SweepDeadlines>;
  /** Drops the timeline slots that ended before `olderThan` (a sample may outlive it by less than one slot). */
  pruneSamples(olderThan: number): Promise<number>;
  /** The live workspaces (online, degraded, unknown), and those of them whose last heartbeat is at or before the cutoff. */
  livenessCensus(silentSince: number): Promise<LivenessCensus>;
  /** The oldest last heartbeat of a live workspace (online, degraded, unknown), or null when none is live. */
  oldestLiveHeartbeat(): Promise<number | null>;
  readRegistryState<T>(key: string): Promise<RegistryStateRecord<T> | null>;
  /** Writes the record if its version is still `expectedVersion` (0: absent), with its events, in one transaction. */
  commitRegistryState<T>(key: string, expectedVersion: number, value: T, events: NewEvent[]): Promise<boolean>;
  /** Status, maintenance and other events of these workspaces (all when omitted) in [from, to), oldest first. */
  presenceEvents(query: { workspaceIds?: string[]; from: number; to?: number; limit?: number }): Promise<RegistryEvent[]>;
  /** Status-change events per workspace since `since`. */
  transitionCounts(workspaceIds: string[], since: number): Promise<Map<string, number>>;
  /** Rollup rows of these workspaces from `fromDay` on. */
  availabilityDays(workspaceIds: string[], fromDay: number): Promise<AvailabilityDay[]>;
  /** Each workspace's latest rollup row on or before `day`. */
  latestAvailabilityDays(workspaceIds: string[], day: number): Promise<AvailabilityDay[]>;
  /** Advances the rollup watermark (compare-and-set, as commitRegistryState) and writes its rows, in one transaction. */
  commitRollup(watermark: { key: string; expectedVersion: number; value: unknown }, rows: AvailabilityDay[]): Promise<boolean>;
  /** Drops rollup rows of days before `day`. */
  pruneAvailability(beforeDay: number): Promise<number>;
  /** The workspaces (not removed) whose name matches the pattern: `*` stands for any run of characters. */
  workspacesByNamePattern(pattern: string, limit: number): Promise<WorkspaceRecord[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
