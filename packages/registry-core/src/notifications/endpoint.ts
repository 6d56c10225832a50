import { randomBytes } from "node:crypto";
import { z } from "zod";
import { EVENT_TYPES, STATUS_EVENT_TYPES, type EventType } from "../events/event.ts";
import { STATUS_REASONS, WORKSPACE_STATUSES } from "../status/statuses.ts";

export const ENDPOINT_FORMATS = ["webhook", "slack"] as const;
export type EndpointFormat = (typeof ENDPOINT_FORMATS)[number];

/**
 * What an endpoint hears when its filter names no types: every status change, a refused register (its marker) and
 * the registry suspecting itself. Sign-ins, tokens and card updates are the audit trail's, not a pager's.
 */
export const DEFAULT_NOTIFIED_TYPES: readonly EventType[] = [
  ...STATUS_EVENT_TYPES,
  "WORKSPACE_REASONS_CHANGED",
  "MARKER_SET",
  "SELF_PRESERVATION_ENTERED",
  "SELF_PRESERVATION_EXITED",
];

const FILTER_KEYS = ["types", "statuses", "reasons", "workspaces"] as const;

/**
 * An endpoint's filter; every key narrows. `statuses` and `reasons` judge status changes only (by the status changed
 * to, and by any of its reasons); `workspaces` is a name pattern where `*` stands for any run of characters.
 */
export const NotificationFilter = z
  .object({
    types: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length).optional(),
    statuses: z.array(z.enum(WORKSPACE_STATUSES)).min(1).optional(),
    reasons: z.array(z.enum(STATUS_REASONS)).min(1).optional(),
    workspaces: z.string().trim().min(1).max(200).optional(),
  })
  .catchall(z.unknown())
  .superRefine((filter, ctx) => {
    for (const key of Object.keys(filter)) {
      if (!(FILTER_KEYS as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `unknown filter key; use ${FILTER_KEYS.join(", ")}`, params: { reason: "unknown_filter_key" } });
      }
    }
  })
  .transform(({ types, statuses, reasons, workspaces }) => ({
    ...(types ? { types } : {}),
    ...(statuses ? { statuses } : {}),
    ...(reasons ? { reasons } : {}),
    ...(workspaces ? { workspaces } : {}),
  }));
export type NotificationFilter = z.output<typeof NotificationFilter>;

/** Standard Webhooks' secret form: `whsec_` and the base64 of the key; 24 to 64 bytes, so a guess is out of reach. */
const SECRET_FORM = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

export function isWebhookSecret(secret: string): boolean {
  const encoded = SECRET_FORM.exec(secret)?.[1];
  if (encoded === undefined) return false;
  const key = Buffer.from(encoded, "base64");
  // Canonical base64 only: the key signs, so two spellings of one secret must not both pass.
  return key.toString("base64") === encoded && key.length >= 24 && key.length <= 64;
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

const WebhookSecret = z.string().refine(isWebhookSecret, {
  message: "must be whsec_ followed by the base64 of 24 to 64 bytes",
  params: { reason: "invalid_secret" },
});

const EndpointName = z.string().trim().min(1).max(100);
/** The URL's form and address are the URL validator's to judge; the schema only bounds it. */
const EndpointUrl = z.string().max(2048);

export const CreateEndpointInput = z.strictObject({
  name: EndpointName,
  url: EndpointUrl,
  secret: WebhookSecret.optional(),
  format: z.enum(ENDPOINT_FORMATS).default("webhook"),
  filter: NotificationFilter.default({}),
  enabled: z.boolean().default(true),
});
export type CreateEndpointInput = z.output<typeof CreateEndpointInput>;

export const EndpointIdInput = z.object({ id: z.string().regex(/^nep_[A-Za-z0-9_-]{1,64}$/, "must be an endpoint id (nep_…)") });

export const UpdateEndpointInput = z.strictObject({
  id: EndpointIdInput.shape.id,
  name: EndpointName.optional(),
  url: EndpointUrl.optional(),
  format: z.enum(ENDPOINT_FORMATS).optional(),
  filter: NotificationFilter.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateEndpointInput = z.output<typeof UpdateEndpointInput>;

export const ListDeliveriesInput = z.object({
  id: EndpointIdInput.shape.id,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** A delivery's `seq` to page back from. */
  before: z.coerce.number().int().positive().optional(),
});
export type ListDeliveriesInput = z.infer<typeof ListDeliveriesInput>;

export const RedeliverInput = z.object({
  id: EndpointIdInput.shape.id,
  eventId: z.string().regex(/^msg_[A-Za-z0-9_-]{1,100}$/, "must be a delivery's event id (msg_…)"),
});
export type RedeliverInput = z.infer<typeof RedeliverInput>;

export type EndpointRecord = {
  id: string;
  name: string;
  url: string;
  secret: string;
  format: EndpointFormat;
  filter: NotificationFilter;
  enabled: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** An endpoint as the API shows it: never its secret (it is shown once, in the answer that created it). */
export function endpointView(endpoint: EndpointRecord) {
  return {
    id: endpoint.id,
    name: endpoint.name,
    url: endpoint.url,
    format: endpoint.format,
    filter: endpoint.filter,
    enabled: endpoint.enabled,
    created_by: endpoint.createdBy,
    created_at: iso(endpoint.createdAt),
    updated_at: iso(endpoint.updatedAt),
  };
}
export type EndpointView = ReturnType<typeof endpointView>;
