import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { ClearedMarker, Marker } from "../markers/marker.ts";
import {
  agentCardUpdatedEvent,
  maintenanceEndedEvent,
  notificationEndpointChangedEvent,
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
} from "./constructors.ts";
import {
  eventNotification,
  groupedNotification,
  NOTIFICATION_BODY_SCHEMA_FILE,
  NOTIFICATION_TYPES,
  NotificationBody,
  notificationBodySchemaText,
  testNotification,
  type WorkspaceEventNotification,
} from "./contract.ts";
import { EVENT_TYPES, isWorkspaceEvent, readEvent, type NewEvent } from "./event.ts";
import { EVENT_PAYLOADS } from "./payloads.ts";

const AT = Date.parse("2026-12-01T12:00:00.000Z");
const HOUR = 3_600_000;
const origin = { workspaceId: "w1", actor: "runtime", at: AT };
const marker: Marker = {
  id: "m1",
  workspaceId: "w1",
  kind: "register_failure",
  reason: "url_validate_failed",
  detail: "host did not resolve",
  setAt: AT,
  expiresAt: AT + HOUR,
  clearedAt: null,
  clearedBy: null,
  clearReason: null,
};
const cleared: ClearedMarker = { ...marker, clearedAt: AT + 60_000, clearedBy: "operator:alice", clearReason: "DNS fixed" };
const context = { restart_at: "2026-12-01T12:00:00.000Z", previous_session_end: null, gap_seconds: null, expires_at: "2026-12-01T13:00:00.000Z" };
const judgement = { census: { silent: 18, live: 20 }, share: 0.3, minLive: 20, actor: "sweeper", at: AT };
const maintenance = { reason: "kernel upgrade", until: AT + HOUR, by: "alice", since: AT };

/** Every constructor, with every optional part given and left out, as the producers call them. */
const EXAMPLES: NewEvent[] = [
  workspaceCreatedEvent({ id: "w1", name: "demo" }, "operator:alice", AT),
  statusChangeEvent({ workspaceId: "w1", from: "provisioning", to: "online", reasons: [], previousReasons: [], actor: "runtime", at: AT }),
  statusChangeEvent({
    workspaceId: "w1",
    from: "online",
    to: "degraded",
    reasons: ["error_rate", "wedged"],
    previousReasons: [],
    actor: "runtime",
    at: AT,
    evidence: { error_rate: 0.6, sample_error: "timeout", runtime_state: "wedged", register_failure: false },
  }),
  statusChangeEvent({
    workspaceId: "w1",
    from: "degraded",
    to: "degraded",
    reasons: ["register_failure"],
    previousReasons: ["error_rate"],
    actor: "registry",
    at: AT,
    evidence: { register_failure: true, failure_reason: "url_validate_failed", sample_error: "host did not resolve" },
  }),
  statusChangeEvent({
    workspaceId: "w1",
    from: "offline",
    to: "online",
    reasons: [],
    previousReasons: ["heartbeat_timeout"],
    actor: "runtime",
    at: AT,
    evidence: { url: null, delivery_mode: "poll" },
  }),
  statusChangeEvent({
    workspaceId: "w1",
    from: "online",
    to: "offline",
    reasons: ["heartbeat_timeout"],
    previousReasons: [],
    actor: "sweeper",
    at: AT,
    evidence: { last_heartbeat_at: "2026-12-01T11:58:00.000Z" },
  }),
  statusChangeEvent({ workspaceId: "w1", from: "provisioning", to: "failed", reasons: ["provision_timeout"], previousReasons: [], actor: "sweeper", at: AT }),
  statusChangeEvent({ workspaceId: "w1", from: "online", to: "unknown", reasons: ["registry_suspect"], previousReasons: [], actor: "sweeper", at: AT }),
  statusChangeEvent({
    workspaceId: "w1",
    from: "degraded",
    to: "online",
    reasons: [],
    previousReasons: ["register_failure"],
    actor: "operator:alice",
    at: AT,
    evidence: { marker_id: "m1", clear_reason: "DNS fixed" },
  }),
  statusChangeEvent({
    workspaceId: "w1",
    from: "online",
    to: "provisioning",
    reasons: ["operator_restart"],
    previousReasons: [],
    actor: "operator:alice",
    at: AT,
    evidence: { name: "demo" },
  }),
  statusChangeEvent({ workspaceId: "w1", from: "online", to: "removed", reasons: [], previousReasons: ["flapping"], actor: "operator:alice", at: AT }),
  workspaceRegisteredEvent(origin, { url: "https://agent.example/", deliveryMode: "push" }),
  agentCardUpdatedEvent(origin, "register", { name: "demo", url: "https://agent.example/", skills: [] }),
  urlRevalidatedEvent(origin, { before: { url: "HTTP://A", cardUrl: null }, after: { url: "http://a/", cardUrl: null }, refused: [] }),
  urlRevalidatedEvent(origin, {
    before: { url: "http://a\\@b/", cardUrl: "http://a\\@b/" },
    after: { url: null, cardUrl: null },
    refused: ["url: url contains a backslash", "agent_card.url: url contains a backslash"],
  }),
  markerSetEvent(marker),
  markerClearedEvent(cleared),
  markerClearedEvent(cleared, { before: "degraded", after: "online" }),
  tokenIssuedEvent(origin, { id: "t1", prefix: "rc_ab12" }),
  tokenRotatedEvent(origin, { id: "t2", prefix: "rc_cd34" }),
  restartContextQueuedEvent("w1", context, AT),
  restartContextDeliveredEvent("w1", { ...context, previous_session_end: "2026-12-01T11:00:00.000Z", gap_seconds: 3600 }, AT),
  restartContextExpiredEvent("w1", context, AT),
  operatorCreatedEvent({ name: "alice", role: "operator" }, "system:first-run", AT),
  operatorSignedInEvent({ name: "alice", role: "viewer" }, AT),
  operatorSignedOutEvent({ name: "alice" }, AT),
  operatorLockedOutEvent({ name: "alice" }, 5, AT + 15 * 60_000, AT),
  selfPreservationEnteredEvent(judgement),
  selfPreservationExitedEvent(judgement, AT - HOUR),
  selfPreservationExitedEvent({ ...judgement, actor: "operator:alice" }, AT - HOUR, { operator: "alice", reason: "the rack really is down" }),
  maintenanceStartedEvent({ ...origin, actor: "operator:alice" }, maintenance, false),
  maintenanceEndedEvent({ ...origin, actor: "sweeper" }, maintenance, true),
  notificationEndpointChangedEvent(
    "created",
    { id: "nep_1", name: "ops", url: "https://hooks.example.com/", format: "webhook", enabled: true, filter: { types: ["WORKSPACE_OFFLINE"] } },
    "operator:alice",
    AT,
  ),
];

describe("event constructors", () => {
  it("make every event type", () => {
    assert.deepEqual(new Set(EXAMPLES.map((event) => event.type)), new Set(EVENT_TYPES));
  });

  it("make payloads their type's schema accepts as they are, nothing stripped", () => {
    for (const event of EXAMPLES) {
      const parsed = EVENT_PAYLOADS[event.type].safeParse(event.payload);
      assert.ok(parsed.success, `${event.type}: ${parsed.error?.message}`);
      assert.deepEqual(parsed.data, event.payload, event.type);
    }
  });

  it("make payloads that read back the same after a trip through the events table's JSON", () => {
    for (const event of EXAMPLES) {
      const stored = { type: event.type, payload: JSON.parse(JSON.stringify(event.payload)) as unknown };
      assert.deepEqual(readEvent(stored), { type: event.type, payload: event.payload }, event.type);
    }
  });

  it("give every status change the reasons the workspace had before, whether its status or only its reasons changed", () => {
    const changes = EXAMPLES.filter((event) => "reasons" in event.payload);
    assert.ok(changes.length >= 8);
    for (const change of changes) assert.ok("previous_reasons" in change.payload, change.type);
  });

  it("name a change of reasons alone WORKSPACE_REASONS_CHANGED, and a change of status by the status it reached", () => {
    const change = { workspaceId: "w1", reasons: [], previousReasons: [], actor: "sweeper", at: AT } as const;
    assert.equal(statusChangeEvent({ ...change, from: "degraded", to: "degraded" }).type, "WORKSPACE_REASONS_CHANGED");
    assert.equal(statusChangeEvent({ ...change, from: "provisioning", to: "failed" }).type, "WORKSPACE_PROVISION_FAILED");
  });
});

describe("readEvent", () => {
  it("reads status changes stored before previous_reasons was always written, and a creation from nothing", () => {
    const older = readEvent({ type: "WORKSPACE_OFFLINE", payload: { last_heartbeat_at: null, from: "online", to: "offline", reasons: ["heartbeat_timeout"] } });
    assert.equal(older?.type, "WORKSPACE_OFFLINE");
    const created = readEvent({ type: "WORKSPACE_PROVISIONING", payload: { from: null, to: "provisioning", reasons: [], name: "demo" } });
    assert.equal(created?.type, "WORKSPACE_PROVISIONING");
  });

  it("refuses a type it does not know and a payload that does not fit its type", () => {
    assert.equal(readEvent({ type: "SOMETHING_NEW", payload: {} }), null);
    assert.equal(readEvent({ type: "__proto__", payload: {} }), null);
    assert.equal(readEvent({ type: "WORKSPACE_ONLINE", payload: null }), null);
    assert.equal(readEvent({ type: "WORKSPACE_ONLINE", payload: { from: null, to: "online", reasons: [] } }), null);
    assert.equal(readEvent({ type: "MARKER_SET", payload: { marker_id: "m1", kind: "register_failure", reason: "x", detail: "y" } }), null);
  });
});

describe("notification bodies", () => {
  const stored = EXAMPLES.map((event, index) => ({ ...event, id: index + 1 }));

  it("carry an event's payload fields in `data` after its id and workspace, and its time as ISO 8601", () => {
    const body = eventNotification({ ...markerSetEvent(marker), id: 42 }, "demo");
    assert.deepEqual(body, {
      type: "MARKER_SET",
      timestamp: "2026-12-01T12:00:00.000Z",
      data: {
        event_id: 42,
        workspace_id: "w1",
        workspace_name: "demo",
        marker_id: "m1",
        kind: "register_failure",
        reason: "url_validate_failed",
        detail: "host did not resolve",
        expires_at: "2026-12-01T13:00:00.000Z",
      },
    });
  });

  it("validate against the contract for every event type, with or without a workspace name", () => {
    for (const event of stored) {
      for (const name of ["demo", null]) {
        const parsed = NotificationBody.safeParse(eventNotification(event, name));
        assert.ok(parsed.success, `${event.type}: ${parsed.error?.message}`);
      }
    }
  });

  it("group a storm's workspace changes with their window and the number of distinct workspaces", () => {
    const changes: WorkspaceEventNotification[] = stored
      .filter(isWorkspaceEvent)
      .map((event, index) => eventNotification({ ...event, workspaceId: `w${index % 3}` }, `workspace ${index % 3}`));
    const grouped = groupedNotification({ windowStart: AT, windowEnd: AT + 60_000, changes });
    assert.equal(grouped.type, "WORKSPACES_CHANGED");
    assert.equal(grouped.timestamp, "2026-12-01T12:01:00.000Z");
    assert.equal(grouped.data.window_start, "2026-12-01T12:00:00.000Z");
    assert.equal(grouped.data.count, 3);
    assert.equal(grouped.data.changes.length, changes.length);
    const parsed = NotificationBody.safeParse(grouped);
    assert.ok(parsed.success, parsed.error?.message);
  });

  it("refuse a registry-wide event among a storm's workspace changes", () => {
    const signIn = eventNotification({ ...operatorSignedInEvent({ name: "alice", role: "viewer" }, AT), id: 7 }, null);
    const grouped = groupedNotification({ windowStart: AT, windowEnd: AT + 60_000, changes: [signIn as never] });
    assert.equal(NotificationBody.safeParse(grouped).success, false);
  });

  it("send a test notification that names the endpoint", () => {
    const body = testNotification({ endpointId: "e1", endpointName: "pager", at: AT });
    assert.equal(body.type, "NOTIFICATION_TEST");
    assert.deepEqual({ id: body.data.endpoint_id, name: body.data.endpoint_name }, { id: "e1", name: "pager" });
    assert.match(body.data.message, /"pager"/);
    assert.ok(NotificationBody.safeParse(body).success);
  });

  it("has a type for every event type, the storm and the test", () => {
    assert.deepEqual(NOTIFICATION_TYPES, [...EVENT_TYPES, "WORKSPACES_CHANGED", "NOTIFICATION_TEST"]);
  });
});

describe("the published JSON Schema", () => {
  it("is committed as the contract's schemas generate it (run `pnpm --filter @rollcall/registry-core contract:schema`)", () => {
    const committed = readFileSync(new URL(`../../contract/${NOTIFICATION_BODY_SCHEMA_FILE}`, import.meta.url), "utf8");
    assert.equal(committed, notificationBodySchemaText());
  });
});
