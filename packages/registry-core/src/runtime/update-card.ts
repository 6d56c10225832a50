import { authenticateRuntime } from "../auth/authenticate-runtime.ts";
import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { agentCardUpdatedEvent } from "../events/constructors.ts";
import { checkAgentCard, sameCard } from "./card-check.ts";
import type { UpdateCardInput } from "./inputs.ts";
import { decideAndCommit } from "./write-loop.ts";

export async function updateCard(deps: RegistryDeps, input: UpdateCardInput, authorization: string | undefined): Promise<{ status: "updated" }> {
  const authenticated = await authenticateRuntime(deps, input.workspace_id, authorization);
  const check = await checkAgentCard(deps, input.agent_card);
  if (!check.ok) throw new RegistryError(check.reason, check.message);
  return decideAndCommit(
    deps,
    authenticated,
    async (workspace) => {
      const now = deps.clock();
      // An identical card emits nothing, but is still a conditional write: its version check is what refuses a token
      // rotated, or a workspace removed, by another process since this one cached them.
      const changed = !sameCard(check.card, workspace.agentCard);
      return {
        change: {
          workspaceId: workspace.id,
          expectedVersion: workspace.version,
          at: now,
          patch: changed ? { agentCard: check.card } : {},
          events: changed ? [agentCardUpdatedEvent({ workspaceId: workspace.id, actor: "runtime", at: now }, "update_card", check.card)] : [],
        },
        result: { status: "updated" },
      };
    },
    (id) => authenticateRuntime(deps, id, authorization),
  );
}
