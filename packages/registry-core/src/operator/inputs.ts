import { z } from "zod";
import { EVENT_TYPES } from "../events/event.ts";
import { WORKSPACE_STATUSES } from "../status/statuses.ts";
import { FLEET_SORTS } from "../store.ts";

export const WorkspaceIdInput = z.object({ workspaceId: z.uuid({ error: "must be a workspace id (UUID)" }) });

export type WorkspaceIdInput = z.infer<typeof WorkspaceIdInput>;

/** A workspace's name, however it is given: by an operator, or by the card of an open-registration register. */
export const WorkspaceName = z.string().trim().min(1).max(200);
export const ProvisionInput = z.object({ name: WorkspaceName.optional() });

export const ClearMarkerInput = z.object({
  workspaceId: z.uuid({ error: "must be a workspace id (UUID)" }),
  markerId: z.uuid({ error: "must be a marker id (UUID)" }),
  reason: z.string().trim().min(3, "a reason of at least 3 characters is required").max(500),
});
export type ClearMarkerInput = z.infer<typeof ClearMarkerInput>;

export const ListWorkspacesInput = z.object({
  status: z.enum(WORKSPACE_STATUSES).optional(),
  search: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().max(100).optional(),
});
export type ListWorkspacesInput = z.infer<typeof ListWorkspacesInput>;

export const FleetInput = z.object({
  status: z.enum(WORKSPACE_STATUSES).optional(),
  search: z.string().trim().max(200).optional(),
  sort: z.enum(FLEET_SORTS).default("status"),
  descending: z.boolean().default(false),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(10).max(500).default(100),
});
export type FleetInput = z.infer<typeof FleetInput>;

export const ListEventsInput = z.object({
  workspaceId: z.uuid().optional(),
  type: z.enum(EVENT_TYPES).optional(),
  actor: z.string().max(200).optional(),
  after: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListEventsInput = z.infer<typeof ListEventsInput>;

export const HeartbeatsInput = z.object({
  workspaceId: z.uuid({ error: "must be a workspace id (UUID)" }),
  /** How far back, in minutes; the console shows 15, 60, 360 and 1440. */
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
});
export type HeartbeatsInput = z.infer<typeof HeartbeatsInput>;

const MaintenanceTerms = {
  reason: z.string().trim().min(3, "a reason of at least 3 characters is required").max(500),
  until: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-12-05T18:00:00Z" }),
};

export const StartMaintenanceInput = z.object({ workspaceId: WorkspaceIdInput.shape.workspaceId, ...MaintenanceTerms });
export type StartMaintenanceInput = z.infer<typeof StartMaintenanceInput>;

/** A name glob: `*` stands for any run of characters; at least one other character, so `*` alone is not a typo away. */
export const NamePattern = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((pattern) => pattern.replaceAll("*", "").length > 0, "a pattern needs at least one character besides *");

export const BulkMaintenanceInput = z.object({ pattern: NamePattern, ...MaintenanceTerms });
export type BulkMaintenanceInput = z.infer<typeof BulkMaintenanceInput>;
export const BulkEndMaintenanceInput = z.object({ pattern: NamePattern });

export const EndSelfPreservationInput = z.object({
  reason: z.string().trim().min(3, "a reason of at least 3 characters is required").max(500),
});
