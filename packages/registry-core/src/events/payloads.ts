import { z } from "zod";
import { OPERATOR_ROLES } from "../accounts/roles.ts";
import { MARKER_KINDS, REGISTER_FAILURE_REASONS } from "../markers/marker.ts";
import type { RuntimeState } from "../status/decide-status.ts";
import { STATUS_REASONS, WORKSPACE_STATUSES } from "../status/statuses.ts";
import type { DeliveryMode, RestartContext } from "../store.ts";
import type { EventType } from "./event.ts";

/**
 * One schema per event type for its payload: what the events table stores (as JSON), what the webhook body carries
 * and what the console reads. The keys are snake_case and must stay as they are: stored rows are read with these
 * schemas. A field may be added (optional, so older rows still parse); renaming or removing one is a new contract
 * version.
 */

/**
 * Names shared parts of the contract and says what they mean, for the published JSON Schema: a part with an id is
 * written once under `$defs`. Kept apart from zod's global registry, which every schema in the process shares.
 */
export const contractMetadata = z.registry<{ id: string; description: string }>();

/** Times are ISO 8601 in UTC, as `Date.prototype.toISOString` writes them. */
export const Timestamp = z.iso.datetime();
contractMetadata.add(Timestamp, { id: "Timestamp", description: "A time in UTC, ISO 8601 (`2026-12-01T12:00:00.000Z`)." });
const WorkspaceStatusSchema = z.enum(WORKSPACE_STATUSES);
contractMetadata.add(WorkspaceStatusSchema, { id: "WorkspaceStatus", description: "A workspace's status." });
const StatusReason = z.enum(STATUS_REASONS);
contractMetadata.add(StatusReason, { id: "StatusReason", description: "Why a workspace is in its status." });
const StatusReasons = z.array(StatusReason);
const DeliveryModeSchema = z.enum(["push", "poll"]) satisfies z.ZodType<DeliveryMode>;
const RuntimeStateSchema = z.enum(["", "wedged"]) satisfies z.ZodType<RuntimeState>;

/**
 * What led to a status change, as the caller that decided it saw it. Each caller gives its own few fields: a
 * heartbeat its health (`error_rate`, `sample_error`, `runtime_state`, `register_failure`), a refused register the
 * failure (`register_failure`, `failure_reason`, `sample_error`), a register its `url` and `delivery_mode`, the sweeper
 * the `last_heartbeat_at` it judged, an operator's marker clear the `marker_id` and `clear_reason`, an operator
 * restart (and a creation) the workspace's `name`.
 */
export const StatusEvidence = z.object({
  error_rate: z.number().optional(),
  sample_error: z.string().optional(),
  runtime_state: RuntimeStateSchema.optional(),
  register_failure: z.boolean().optional(),
  failure_reason: z.enum(REGISTER_FAILURE_REASONS).optional(),
  url: z.string().nullable().optional(),
  delivery_mode: DeliveryModeSchema.optional(),
  marker_id: z.string().optional(),
  clear_reason: z.string().optional(),
  last_heartbeat_at: Timestamp.nullable().optional(),
  name: z.string().optional(),
});
export type StatusEvidence = z.infer<typeof StatusEvidence>;

const StatusChangePayload = StatusEvidence.extend({
  from: WorkspaceStatusSchema,
  to: WorkspaceStatusSchema,
  reasons: StatusReasons,
  /** The reasons the workspace had before. Always written now; absent in events stored before it was. */
  previous_reasons: StatusReasons.optional(),
});

/** A workspace's creation is the one status change from nothing: `from` is null. */
const ProvisioningPayload = StatusChangePayload.extend({ from: WorkspaceStatusSchema.nullable() });

const MarkerFields = { marker_id: z.string(), kind: z.enum(MARKER_KINDS), reason: z.string() };

const TokenPayload = z.object({ token_id: z.string(), prefix: z.string() });

const RestartContextPayload = z.object({
  restart_at: Timestamp,
  previous_session_end: Timestamp.nullable(),
  gap_seconds: z.number().int().nullable(),
  expires_at: Timestamp,
}) satisfies z.ZodType<RestartContext>;

const SelfPreservationCensus = z.object({ silent: z.number().int(), live: z.number().int(), share: z.number(), min_live: z.number().int() });

const MaintenanceTerms = z.object({ reason: z.string(), until: Timestamp, by: z.string(), since: Timestamp });

export const EVENT_PAYLOADS = {
  WORKSPACE_PROVISIONING: ProvisioningPayload,
  WORKSPACE_ONLINE: StatusChangePayload,
  WORKSPACE_DEGRADED: StatusChangePayload,
  WORKSPACE_UNKNOWN: StatusChangePayload,
  WORKSPACE_OFFLINE: StatusChangePayload,
  WORKSPACE_PROVISION_FAILED: StatusChangePayload,
  WORKSPACE_REMOVED: StatusChangePayload,
  WORKSPACE_REASONS_CHANGED: StatusChangePayload,
  WORKSPACE_REGISTERED: z.object({ url: z.string().nullable(), delivery_mode: DeliveryModeSchema }),
  AGENT_CARD_UPDATED: z.object({ source: z.enum(["register", "update_card", "heartbeat_backfill"]), agent_card: z.record(z.string(), z.unknown()) }),
  URL_REVALIDATED: z.object({
    url_before: z.string().nullable(),
    url_after: z.string().nullable(),
    card_url_before: z.string().nullable(),
    card_url_after: z.string().nullable(),
    /** Why a URL was removed; absent when every URL passed and was only rewritten to its canonical form. */
    refused: z.string().optional(),
  }),
  MARKER_SET: z.object({ ...MarkerFields, detail: z.string(), expires_at: Timestamp }),
  MARKER_CLEARED: z.object({
    /** Only on an operator's clear: the status before and after it. */
    status_before: WorkspaceStatusSchema.optional(),
    status_after: WorkspaceStatusSchema.optional(),
    ...MarkerFields,
    by: z.string(),
    clear_reason: z.string(),
  }),
  TOKEN_ISSUED: TokenPayload,
  TOKEN_ROTATED: TokenPayload,
  RESTART_CONTEXT_QUEUED: RestartContextPayload,
  RESTART_CONTEXT_DELIVERED: RestartContextPayload,
  RESTART_CONTEXT_EXPIRED: RestartContextPayload,
  OPERATOR_CREATED: z.object({ name: z.string(), role: z.enum(OPERATOR_ROLES) }),
  OPERATOR_SIGNED_IN: z.object({ role: z.enum(OPERATOR_ROLES) }),
  OPERATOR_SIGNED_OUT: z.object({}),
  OPERATOR_LOCKED_OUT: z.object({ name: z.string(), failed_sign_ins: z.number().int(), locked_until: Timestamp }),
  SELF_PRESERVATION_ENTERED: SelfPreservationCensus,
  /** `by` and `reason` only when an operator ended it. */
  SELF_PRESERVATION_EXITED: SelfPreservationCensus.extend({ since: Timestamp, by: z.string().optional(), reason: z.string().optional() }),
  /** `replaced`: the workspace was in maintenance already and this window replaces that one. */
  MAINTENANCE_STARTED: MaintenanceTerms.extend({ replaced: z.boolean() }),
  /** `expired`: its time ran out (the sweeper), rather than an operator ending it. */
  MAINTENANCE_ENDED: MaintenanceTerms.extend({ expired: z.boolean() }),
  /** The endpoint as it is after the change (as it was, for a deletion); never its secret. */
  NOTIFICATION_ENDPOINT_CHANGED: z.object({
    change: z.enum(["created", "updated", "deleted"]),
    endpoint_id: z.string(),
    name: z.string(),
    url: z.string(),
    format: z.string(),
    enabled: z.boolean(),
    filter: z.record(z.string(), z.unknown()),
  }),
} satisfies { [T in EventType]: z.ZodObject };

/** What each type means, for whoever reads the published JSON Schema. */
export const EVENT_DESCRIPTIONS: { [T in EventType]: string } = {
  WORKSPACE_PROVISIONING: "The workspace was created (`from` is null), or an operator restarted it: it waits for its runtime to register.",
  WORKSPACE_ONLINE: "The workspace's status became online.",
  WORKSPACE_DEGRADED: "The workspace's status became degraded: its runtime is alive but unhealthy (`reasons` says why).",
  WORKSPACE_UNKNOWN: "The workspace went silent while the registry suspects itself (self-preservation), so it is not declared offline.",
  WORKSPACE_OFFLINE: "The workspace's status became offline: its heartbeats stopped.",
  WORKSPACE_PROVISION_FAILED: "The workspace's runtime never registered in time.",
  WORKSPACE_REMOVED: "An operator removed the workspace; its tokens are revoked.",
  WORKSPACE_REASONS_CHANGED: "The status stayed the same (`from` equals `to`) but the reasons for it changed.",
  WORKSPACE_REGISTERED: "The workspace's runtime registered.",
  AGENT_CARD_UPDATED: "The workspace's agent card changed.",
  URL_REVALIDATED: "A stored URL was judged again by the current URL rules: rewritten to its canonical form, or removed (`refused`).",
  MARKER_SET: "A register-failure marker was set (or refreshed) on the workspace.",
  MARKER_CLEARED: "A register-failure marker was cleared, by a successful register, a card-bearing heartbeat or an operator.",
  TOKEN_ISSUED: "A runtime token was issued to a new workspace.",
  TOKEN_ROTATED: "An operator rotated the workspace's token: every older token is revoked.",
  RESTART_CONTEXT_QUEUED: "A restart was noticed; its context waits for the runtime.",
  RESTART_CONTEXT_DELIVERED: "The restart context was handed to the runtime.",
  RESTART_CONTEXT_EXPIRED: "The restart context expired before a runtime took it.",
  OPERATOR_CREATED: "A console operator account was created.",
  OPERATOR_SIGNED_IN: "An operator signed in to the console.",
  OPERATOR_SIGNED_OUT: "An operator signed out of the console.",
  OPERATOR_LOCKED_OUT: "An operator account was locked after repeated failed sign-ins.",
  SELF_PRESERVATION_ENTERED: "Many live workspaces went silent together: the registry suspects itself and shows them as unknown, not offline.",
  SELF_PRESERVATION_EXITED: "Self-preservation ended, by itself or by an operator (`by`).",
  MAINTENANCE_STARTED: "An operator put the workspace in maintenance until `until`.",
  MAINTENANCE_ENDED: "The workspace's maintenance ended.",
  NOTIFICATION_ENDPOINT_CHANGED: "An operator created, changed or deleted a notification endpoint (`change`).",
};
