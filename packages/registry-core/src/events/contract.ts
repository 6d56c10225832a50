import { z } from "zod";
import { EVENT_TYPES, WORKSPACE_EVENT_TYPES, type EventPayload, type EventType, type RegistryEvent, type WorkspaceEventType } from "./event.ts";
import { contractMetadata, EVENT_DESCRIPTIONS, EVENT_PAYLOADS, Timestamp } from "./payloads.ts";

/**
 * The webhook body contract, what receivers see: `{type, timestamp, data}`, one body per event (its payload's fields
 * in `data`), a storm of workspace changes grouped into one WORKSPACES_CHANGED, and NOTIFICATION_TEST. Published as
 * JSON Schema (contract/notification-body.v1.schema.json, generated from these schemas).
 */

/**
 * Goes up when a receiver written for the old contract could misread a body: a field renamed, removed or retyped. A
 * new type or a new optional field does not change it; receivers ignore what they do not know.
 */
export const CONTRACT_VERSION = 1;

export const NOTIFICATION_TYPES = [...EVENT_TYPES, "WORKSPACES_CHANGED", "NOTIFICATION_TEST"] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

const iso = (ms: number) => new Date(ms).toISOString();

/** A single event's `data` begins with these; the event's payload fields follow. */
const EventHeader = z.object({ event_id: z.number().int(), workspace_id: z.string().nullable(), workspace_name: z.string().nullable() });
type EventHeader = z.infer<typeof EventHeader>;

export type EventNotification<T extends EventType = EventType> = { [K in T]: { type: K; timestamp: string; data: EventHeader & EventPayload<K> } }[T];
export type WorkspaceEventNotification = EventNotification<WorkspaceEventType>;

const eventBodies = EVENT_TYPES.map((type) => {
  const body = z.object({ type: z.literal(type), timestamp: Timestamp, data: EventHeader.extend(EVENT_PAYLOADS[type].shape) });
  contractMetadata.add(body, { id: type, description: EVENT_DESCRIPTIONS[type] });
  return body;
});

/**
 * A union discriminated on `type`. The bodies are built per type in a loop, which TypeScript cannot follow type by
 * type: the caller names the type the union validates, mapped over the same payload schemas (EventNotification), and
 * the contract's tests check constructed bodies against these schemas.
 */
function unionOf<Body>(bodies: readonly z.ZodObject<{ type: z.ZodLiteral<string> }>[]) {
  const [first, ...rest] = bodies;
  if (first === undefined) throw new Error("a union of no bodies");
  return z.discriminatedUnion("type", [first, ...rest]) as unknown as z.ZodType<Body>;
}

const workspaceEventBodies = eventBodies.filter((body) => (WORKSPACE_EVENT_TYPES as readonly string[]).includes(body.shape.type.value));

const WorkspacesChanged = z.object({
  type: z.literal("WORKSPACES_CHANGED"),
  timestamp: Timestamp,
  data: z.object({
    window_start: Timestamp,
    window_end: Timestamp,
    /** Distinct workspaces among the changes. */
    count: z.number().int(),
    changes: z.array(unionOf<WorkspaceEventNotification>(workspaceEventBodies)),
  }),
});
contractMetadata.add(WorkspacesChanged, {
  id: "WORKSPACES_CHANGED",
  description: "Many workspaces changed within one window (a storm): every change is in `changes`, as its own single-event body would have been.",
});
export type WorkspacesChangedNotification = z.infer<typeof WorkspacesChanged>;

const NotificationTest = z.object({
  type: z.literal("NOTIFICATION_TEST"),
  timestamp: Timestamp,
  data: z.object({ endpoint_id: z.string(), endpoint_name: z.string(), message: z.string() }),
});
contractMetadata.add(NotificationTest, { id: "NOTIFICATION_TEST", description: "Sent when an operator tests the endpoint; nothing happened." });
export type NotificationTestNotification = z.infer<typeof NotificationTest>;

export type NotificationBody = EventNotification | WorkspacesChangedNotification | NotificationTestNotification;
export const NotificationBody = unionOf<NotificationBody>([...eventBodies, WorkspacesChanged, NotificationTest]);

/** The body of one event. `workspaceName` is the workspace's name now (null once its row is gone). */
export function eventNotification<E extends RegistryEvent>(event: E, workspaceName: string | null): EventNotification<E["type"]> {
  const body = {
    type: event.type,
    timestamp: iso(event.at),
    data: { event_id: event.id, workspace_id: event.workspaceId, workspace_name: workspaceName, ...event.payload },
  };
  // The type and the payload come from one event; TypeScript cannot tie the two together through the spread.
  return body as EventNotification<E["type"]>;
}

/** A storm of workspace changes as one notification, stamped with the end of its window. */
export function groupedNotification(group: {
  windowStart: number;
  windowEnd: number;
  changes: readonly WorkspaceEventNotification[];
}): WorkspacesChangedNotification {
  const workspaces = new Set(group.changes.map((change) => change.data.workspace_id));
  return {
    type: "WORKSPACES_CHANGED",
    timestamp: iso(group.windowEnd),
    data: { window_start: iso(group.windowStart), window_end: iso(group.windowEnd), count: workspaces.size, changes: [...group.changes] },
  };
}

export function testNotification(test: { endpointId: string; endpointName: string; at: number }): NotificationTestNotification {
  return {
    type: "NOTIFICATION_TEST",
    timestamp: iso(test.at),
    data: {
      endpoint_id: test.endpointId,
      endpoint_name: test.endpointName,
      message: `A test notification from Rollcall: the endpoint "${test.endpointName}" receives notifications.`,
    },
  };
}

export const NOTIFICATION_BODY_SCHEMA_FILE = `notification-body.v${CONTRACT_VERSION}.schema.json`;

/**
 * The JSON Schema receivers validate against, generated from the zod schemas above. Objects stay open (no
 * `additionalProperties: false`): a field added later must not make an older receiver reject a body.
 */
export function notificationBodyJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(NotificationBody, { io: "input", metadata: contractMetadata });
  return {
    $schema,
    $id: `urn:rollcall:contract:${NOTIFICATION_BODY_SCHEMA_FILE}`,
    title: `Rollcall notification body, contract version ${CONTRACT_VERSION}`,
    description: "The JSON body of every webhook notification: `type`, `timestamp` (ISO 8601) and `data`, whose fields depend on `type`.",
    ...schema,
  };
}

/** The published file's text: what `contract:schema` writes, and what its test compares the committed file with. */
export function notificationBodySchemaText(): string {
  return `${JSON.stringify(notificationBodyJsonSchema(), null, 2)}\n`;
}
