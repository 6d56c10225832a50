import type { NewEvent } from "../events/event.ts";
import type { Maintenance } from "../store.ts";
import type { EndpointRecord } from "./endpoint.ts";

/** `gathering`: a storm group still collecting its window's changes; it is not sent until sealed (`pending`). */
export type DeliveryState = "gathering" | "pending" | "delivered" | "failed";

export type NewDelivery = {
  /** The `webhook-id`. */
  id: string;
  endpointId: string;
  lane: string;
  type: string;
  /** The notification body's JSON, exactly as it is signed and sent (a Slack endpoint gets it rendered). */
  body: string;
  state: "gathering" | "pending";
  createdAt: number;
  nextAttemptAt: number;
  giveUpAt: number;
};

export type DeliveryRecord = Omit<NewDelivery, "state"> & {
  seq: number;
  state: DeliveryState;
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  settledAt: number | null;
};

export type AttemptRecord = {
  deliverySeq: number;
  endpointId: string;
  attempt: number;
  at: number;
  /** Null when there was no answer (refused, timed out, not allowed to connect). */
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
};

/** An attempt's outcome for its delivery: the attempt for the log and the state it leaves the delivery in. */
export type Settlement = { seq: number; owner: string; attempt: AttemptRecord; state: DeliveryState; nextAttemptAt: number };

/** A storm group's new body, and whether it is sealed now (then it is sent from `nextAttemptAt`). */
export type GroupUpdate = { id: string; endpointId: string; body: string; seal: boolean; nextAttemptAt: number };

export interface NotificationStore {
  listEndpoints(): Promise<EndpointRecord[]>;
  getEndpoint(id: string): Promise<EndpointRecord | null>;
  /** Each change to an endpoint commits with its audit events, or not at all. */
  createEndpoint(endpoint: EndpointRecord, events: NewEvent[]): Promise<void>;
  /** Writes every field but the id, secret and creation; false (and no event) when it no longer exists. */
  updateEndpoint(endpoint: EndpointRecord, events: NewEvent[]): Promise<boolean>;
  /** Deletes it with its deliveries and their attempts; false (and no event) when it no longer exists. */
  deleteEndpoint(id: string, events: NewEvent[]): Promise<boolean>;
  /** The id of the newest event, 0 when there is none: where a fresh outbox starts. */
  latestEventId(): Promise<number>;
  /** The maintenance windows of those of these workspaces that have one. */
  maintenanceOf(workspaceIds: string[]): Promise<Map<string, Maintenance>>;
  /** Gathering storm groups by webhook id. */
  gatheringGroups(ids: string[]): Promise<DeliveryRecord[]>;
  /**
   * One fan-out step, atomically: the fan-out state moves on by compare-and-set (as commitRegistryState), its new
   * deliveries are written and its storm groups updated. False, and nothing written, when another process moved first.
   */
  commitFanOut(step: { key: string; expectedVersion: number; state: unknown; create: NewDelivery[]; groups: GroupUpdate[] }): Promise<boolean>;
  /** A delivery outside the fan-out (a test, a redelivery); its seq. */
  enqueue(delivery: NewDelivery): Promise<number>;
  /**
   * Leases up to `limit` due pending deliveries of enabled endpoints to `owner` until `leaseUntil`, oldest first, each
   * only if nothing older in its lane (or any older storm group, which orders against every lane) is still undelivered.
   */
  claimDue(claim: { now: number; owner: string; leaseUntil: number; limit: number }): Promise<DeliveryRecord[]>;
  /**
   * Records attempts and each delivery's next state, in one transaction: a state only if its `owner` still holds the
   * lease (false where it does not), an attempt whoever holds it.
   */
  settleAttempts(settlements: Settlement[]): Promise<boolean[]>;
  /** An endpoint's deliveries, newest first, each with its attempts (oldest first). */
  listDeliveries(endpointId: string, page: { limit: number; before?: number }): Promise<(DeliveryRecord & { attemptLog: AttemptRecord[] })[]>;
  /** The newest delivery with this webhook id. */
  findDelivery(endpointId: string, id: string): Promise<(DeliveryRecord & { attemptLog: AttemptRecord[] }) | null>;
  /** Drops delivered and failed deliveries, with their attempts, settled before `olderThan`; how many. */
  pruneSettled(olderThan: number): Promise<number>;
  /** Undelivered (gathering or pending) deliveries, and the creation time of the oldest. */
  queueStats(): Promise<{ depth: number; oldestCreatedAt: number | null }>;
}
