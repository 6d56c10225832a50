import { z } from "zod";

/** A non-empty JSON object; `null` and `{}` count as "no card" (reference R10, W5). */
export const AgentCard = z
  .record(z.string(), z.unknown())
  .refine((card) => Object.keys(card).length > 0, "agent_card must be a non-empty object")
  .refine((card) => card.url === undefined || typeof card.url === "string", "agent_card.url must be a string");

const WorkspaceId = z.uuid({ error: "must be a workspace id (UUID)" });

export const RegisterInput = z.object({
  id: WorkspaceId,
  url: z.string().max(2048).optional(),
  agent_card: AgentCard,
  delivery_mode: z.enum(["push", "poll"], { error: "delivery_mode must be 'push' or 'poll'" }).optional(),
});
export type RegisterInput = z.infer<typeof RegisterInput>;

export const HeartbeatInput = z.object({
  workspace_id: WorkspaceId,
  error_rate: z.number().min(0).max(1).default(0),
  sample_error: z.string().max(4096).default(""),
  active_tasks: z.number().int().min(0).max(1_000_000).default(0),
  uptime_seconds: z.number().min(0).max(1e10).default(0),
  current_task: z.string().max(1024).default(""),
  runtime_state: z.enum(["", "wedged"]).default(""),
  runtime_metadata: z
    .object({ capabilities: z.record(z.string(), z.boolean()).optional() })
    .optional(),
  // Validated in the service: an invalid card is ignored (no backfill, no marker clear), never a 400,
  // so a runtime with a bad card still proves it is alive.
  agent_card: z.unknown().optional(),
});
export type HeartbeatInput = z.infer<typeof HeartbeatInput>;

export const UpdateCardInput = z.object({
  workspace_id: WorkspaceId,
  agent_card: AgentCard,
});
export type UpdateCardInput = z.infer<typeof UpdateCardInput>;
