import { authenticateRuntime } from "../auth/authenticate-runtime.ts";
import type { RegistryDeps } from "../deps.ts";
import { agentCardUpdatedEvent, markerClearedEvent } from "../events/constructors.ts";
import type { NewEvent } from "../events/event.ts";
import { activeRegisterFailures, clearMarker } from "../markers/marker.ts";
import type { Health } from "../status/decide-status.ts";
import { planStatus } from "../status/plan-status.ts";
import type { WorkspaceStatus } from "../status/statuses.ts";
import type { AgentCard, RestartContext, WorkspacePatch } from "../store.ts";
import { checkAgentCard } from "./card-check.ts";
import type { HeartbeatInput } from "./inputs.ts";
import { settleRestartContext } from "./restart-context.ts";
import { decideAndCommit } from "./write-loop.ts";

export type HeartbeatResult = {
  status: "ok";
  workspace_status: WorkspaceStatus;
  restart_context?: RestartContext;
};

export async function recordHeartbeat(deps: RegistryDeps, input: HeartbeatInput, authorization: string | undefined): Promise<HeartbeatResult> {
  const authenticated = await authenticateRuntime(deps, input.workspace_id, authorization);
  const health: Health = {
    errorRate: input.error_rate,
    runtimeState: input.runtime_state,
    statusManaged: input.runtime_metadata?.capabilities?.status_mgmt === true,
  };
  let usableCard: Promise<AgentCard | null> | undefined;
  const cardIfUsable = () => (usableCard ??= checkAgentCard(deps, input.agent_card).then((check) => (check.ok ? check.card : null)));

  const reauthenticate = (id: string) => authenticateRuntime(deps, id, authorization);
  return decideAndCommit(
    deps,
    authenticated,
    async (workspace, markers) => {
      const now = deps.clock();
      const activeFailures = activeRegisterFailures(markers, now);
      // The card matters only if it can clear a marker or fill a missing card; only then pay for its URL check.
      const card = input.agent_card !== undefined && (activeFailures.length > 0 || workspace.agentCard === null) ? await cardIfUsable() : null;
      const events: NewEvent[] = [];

      // Incident #2739: the clear must not depend on the backfill, and must happen before the status decision,
      // so the workspace recovers on this same heartbeat.
      const cleared = card ? activeFailures.map((m) => clearMarker(m, now, "runtime", "card-bearing heartbeat")) : [];
      events.push(...cleared.map((marker) => markerClearedEvent(marker)));
      const markersAfter = markers.map((m) => cleared.find((c) => c.id === m.id) ?? m);

      const patch: WorkspacePatch = {
        lastHeartbeatAt: now,
        lastErrorRate: input.error_rate,
        lastSampleError: input.sample_error,
        activeTasks: input.active_tasks,
        uptimeSeconds: input.uptime_seconds,
        currentTask: input.current_task,
        runtimeState: input.runtime_state,
        statusManaged: health.statusManaged,
      };
      // The heartbeat only fills a missing card; it never overwrites one that register or update-card wrote.
      if (card && workspace.agentCard === null) {
        patch.agentCard = card;
        events.push(agentCardUpdatedEvent({ workspaceId: workspace.id, actor: "runtime", at: now }, "heartbeat_backfill", card));
      }

      const plan = planStatus({
        workspace,
        markers: markersAfter,
        alive: health,
        now,
        policy: deps.policy,
        actor: "runtime",
        evidence: {
          error_rate: input.error_rate,
          sample_error: input.sample_error,
          runtime_state: input.runtime_state,
          register_failure: activeRegisterFailures(markersAfter, now).length > 0,
        },
      });
      const restart = settleRestartContext({
        workspace,
        runtime: { registering: false, uptimeSeconds: input.uptime_seconds },
        nextStatus: plan.decision.status,
        now,
        policy: deps.policy,
      });
      return {
        change: {
          workspaceId: workspace.id,
          expectedVersion: workspace.version,
          at: now,
          patch: { ...patch, ...plan.patch, ...restart.patch },
          upsertMarkers: cleared,
          events: [...events, ...plan.events, ...restart.events],
          sample: { at: now, errorRate: input.error_rate, activeTasks: input.active_tasks, status: plan.decision.status },
        },
        result: {
          status: "ok",
          workspace_status: plan.decision.status,
          ...(restart.delivered ? { restart_context: restart.delivered } : {}),
        },
      };
    },
    reauthenticate,
  );
}
