import type { RegistryDeps } from "../deps.ts";
import type { AgentCard } from "../store.ts";
import { validateAgentUrl } from "../url/validate-agent-url.ts";
import { AgentCard as AgentCardSchema } from "./inputs.ts";

/** A card is usable when it is a non-empty object within the card limits and its `url`, if any, passes the one URL
 * validator; the usable card carries the canonical form of that URL. */
export async function checkAgentCard(
  deps: RegistryDeps,
  raw: unknown,
): Promise<{ ok: true; card: AgentCard } | { ok: false; reason: "agent_card_invalid" | "url_validate_failed"; message: string }> {
  const parsed = AgentCardSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: "agent_card_invalid", message: parsed.error.issues[0]?.message ?? "invalid agent_card" };
  }
  const card = parsed.data;
  if (typeof card.url !== "string") return { ok: true, card };
  const check = await validateAgentUrl(card.url, deps.urlPolicy, deps.resolveHost);
  if (!check.ok) return { ok: false, reason: "url_validate_failed", message: `agent_card.url: ${check.message}` };
  return { ok: true, card: { ...card, url: check.url } };
}

/** Two cards are the same document whatever the order of their keys. */
export function sameCard(a: AgentCard | null, b: AgentCard | null): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
