import {
  eventNotification,
  groupedNotification,
  type NotificationBody,
  type WorkspaceEventNotification,
  type WorkspacesChangedNotification,
} from "../events/contract.ts";
import type { RegistryDeps } from "../deps.ts";
import { isWorkspaceEvent } from "../events/event.ts";
import type { RegistryPolicy } from "../status/policy.ts";
import type { ListedEvent } from "../store.ts";
import type { EndpointRecord } from "./endpoint.ts";
import { filterAdmits, heldBack, routeChange, type StormWindow } from "./rules.ts";
import type { GroupUpdate, NewDelivery } from "./store.ts";

/** Events read per fan-out step: a 10,000-workspace outage is fanned out in ten steps. */
const FAN_OUT_BATCH = 1_000;
/**
 * A storm group is sealed this long after its window ends: an event is stamped before its transaction commits, so one
 * stamped inside the window may become readable a little after it.
 */
const SEAL_DELAY_MS = 1_000;

const FAN_OUT_KEY = "notification_fanout";

/** Where the fan-out stands, shared by every server process (RegistryState, written by compare-and-set). */
type FanOutState = {
  /** Every event up to this id has been fanned out. */
  after: number;
  /** Each endpoint's storm window, while it may still gather changes or its group is not yet sealed. */
  windows: Record<string, StormWindow>;
};

export type FanOutReport = { events: number; deliveries: number; caughtUp: boolean };

const suffix = (endpointId: string) => endpointId.slice("nep_".length);

/**
 * One step of turning the event table into deliveries: reads the events after the watermark, holds what the status
 * rules say to hold, and for every enabled endpoint whose filter admits an event writes one delivery (one by one, or
 * into the endpoint's storm group); then advances the watermark, in the same transaction. The write is a
 * compare-and-set, so with several server processes each event is fanned out once. Delivery ids are derived from
 * the event and the endpoint, so the same notification always has the same `webhook-id`.
 */
export async function fanOut(deps: RegistryDeps): Promise<FanOutReport> {
  const { policy } = deps;
  const notifications = deps.store.notifications;
  const record = await deps.store.readRegistryState<FanOutState>(FAN_OUT_KEY);
  if (record === null) {
    // A new outbox starts at the head: the history before it is not news.
    const state: FanOutState = { after: await notifications.latestEventId(), windows: {} };
    await notifications.commitFanOut({ key: FAN_OUT_KEY, expectedVersion: 0, state, create: [], groups: [] });
    return { events: 0, deliveries: 0, caughtUp: true };
  }
  const now = deps.clock();
  const events = await deps.store.listEvents({ after: record.value.after, limit: FAN_OUT_BATCH });
  const caughtUp = events.length < FAN_OUT_BATCH;
  const endpoints = (await notifications.listEndpoints()).filter((endpoint) => endpoint.enabled);
  const windows = { ...record.value.windows };
  const create: NewDelivery[] = [];
  /**
   * The storm groups this step touches: their changes so far, if they are sealed now, and the row a new one takes in
   * this step's outbox order (null for one written already).
   */
  const groups = new Map<string, { endpointId: string; start: number; changes: WorkspaceEventNotification[]; seal: boolean; row: NewDelivery | null }>();

  const groupOf = async (endpointId: string, window: StormWindow) => {
    const id = window.group!;
    let group = groups.get(id);
    if (!group) {
      const [stored] = await notifications.gatheringGroups([id]);
      const changes = stored ? (JSON.parse(stored.body) as WorkspacesChangedNotification).data.changes : [];
      // A new group takes its place in the outbox now, before the singles of later changes: a workspace's later single
      // must wait for the group that holds its earlier change (claimDue orders by seq).
      const row: NewDelivery | null = stored
        ? null
        : { id, endpointId, lane: "*", type: "WORKSPACES_CHANGED", body: "", state: "gathering", createdAt: now, nextAttemptAt: 0, giveUpAt: 0 };
      if (row) create.push(row);
      group = { endpointId, start: window.start, changes, seal: false, row };
      groups.set(id, group);
    }
    return group;
  };

  if (endpoints.length > 0 && events.length > 0) {
    const workspaceIds = [...new Set(events.flatMap((event) => (event.workspaceId === null ? [] : [event.workspaceId])))];
    const maintenance = await notifications.maintenanceOf(workspaceIds);
    for (const event of events) {
      if (heldBack(event, (event.workspaceId && maintenance.get(event.workspaceId)) || null) !== null) continue;
      // A workspace's change may go into a storm group; the registry's own events always go alone.
      const change = isWorkspaceEvent(event) && event.workspaceId !== null ? eventNotification(event, event.workspaceName) : null;
      const body = change ?? eventNotification(event, event.workspaceName);
      for (const endpoint of endpoints) {
        // An endpoint hears what happened since it was created, not the history before it.
        if (event.at < endpoint.createdAt || !filterAdmits(endpoint.filter, event, event.workspaceName)) continue;
        if (change === null || event.workspaceId === null) {
          create.push(single(event, body, endpoint, "registry", now, policy));
          continue;
        }
        const routed = routeChange(windows[endpoint.id], event.at, policy.notifyStormWindowMs);
        if (routed.closed?.group) (await groupOf(endpoint.id, routed.closed)).seal = true;
        if (routed.route === "single") {
          windows[endpoint.id] = routed.window;
          create.push(single(event, body, endpoint, event.workspaceId, now, policy));
          continue;
        }
        const window = (windows[endpoint.id] = routed.window.group ? routed.window : { ...routed.window, group: `msg_g${event.id}_${suffix(endpoint.id)}` });
        (await groupOf(endpoint.id, window)).changes.push(change);
      }
    }
  }

  // Windows that are over: their groups are sealed once every event stamped inside them can have been read.
  for (const [endpointId, window] of Object.entries(windows)) {
    const end = window.start + policy.notifyStormWindowMs;
    if (window.group === null ? end <= now : caughtUp && end + SEAL_DELAY_MS <= now) {
      if (window.group !== null) (await groupOf(endpointId, window)).seal = true;
      delete windows[endpointId];
    }
  }

  const updates: GroupUpdate[] = [];
  for (const [id, group] of groups) {
    // The group of an endpoint deleted meanwhile: gone with it.
    if (group.row && group.changes.length === 0) {
      create.splice(create.indexOf(group.row), 1);
      continue;
    }
    const windowEnd = group.start + policy.notifyStormWindowMs;
    const body = JSON.stringify(groupedNotification({ windowStart: group.start, windowEnd, changes: group.changes }));
    // A sealed group goes now; one still gathering waits for its window's end.
    const nextAttemptAt = group.seal ? now : windowEnd;
    if (group.row === null) {
      updates.push({ id, endpointId: group.endpointId, body, seal: group.seal, nextAttemptAt });
      continue;
    }
    Object.assign(group.row, { body, state: group.seal ? "pending" : "gathering", nextAttemptAt, giveUpAt: windowEnd + policy.notifyRetryWindowMs });
  }
  const last = events.at(-1);
  if (last === undefined && groups.size === 0 && Object.keys(windows).length === Object.keys(record.value.windows).length) {
    return { events: 0, deliveries: 0, caughtUp };
  }
  const state: FanOutState = { after: last?.id ?? record.value.after, windows };
  const committed = await notifications.commitFanOut({
    key: FAN_OUT_KEY,
    expectedVersion: record.version,
    state,
    create,
    groups: updates,
  });
  return committed ? { events: events.length, deliveries: create.length, caughtUp } : { events: 0, deliveries: 0, caughtUp: false };
}

function single(event: ListedEvent, body: NotificationBody, endpoint: EndpointRecord, lane: string, now: number, policy: RegistryPolicy): NewDelivery {
  return {
    id: `msg_e${event.id}_${suffix(endpoint.id)}`,
    endpointId: endpoint.id,
    lane,
    type: event.type,
    body: JSON.stringify(body),
    state: "pending",
    createdAt: now,
    nextAttemptAt: now,
    giveUpAt: now + policy.notifyRetryWindowMs,
  };
}
