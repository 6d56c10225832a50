import { z } from "zod";
import { INPUT_LIMITS } from "../limits/input-limits.ts";

/**
 * A non-empty JSON object; `null` and `{}` count as "no card" (reference R10, W5). A card that is stored is bounded
 * in size and skills, each with its own reason.
 */
export const AgentCard = z
  .record(z.string(), z.unknown())
  .refine((card) => Object.keys(card).length > 0, "agent_card must be a non-empty object")
  .refine((card) => card.url === undefined || typeof card.url === "string", "agent_card.url must be a string")
  .check((ctx) => {
    const card = ctx.value;
    if (Array.isArray(card.skills) && card.skills.length > INPUT_LIMITS.maxSkills) {
      ctx.issues.push({
        code: "custom",
        input: card.skills,
        path: ["skills"],
        message: `agent_card has ${card.skills.length} skills, more than ${INPUT_LIMITS.maxSkills}`,
        params: { reason: "too_many_skills" },
      });
    }
    const bytes = Buffer.byteLength(JSON.stringify(card));
    if (bytes > INPUT_LIMITS.maxCardBytes) {
      ctx.issues.push({
        code: "custom",
        input: card,
        message: `agent_card is ${bytes} bytes as JSON, more than ${INPUT_LIMITS.maxCardBytes}`,
        params: { reason: "agent_card_too_large" },
      });
    }
  });

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
  runtime_metadata: z.object({ capabilities: z.record(z.string(), z.boolean()).optional() }).optional(),
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
