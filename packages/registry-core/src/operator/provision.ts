import { issueToken } from "../auth/tokens.ts";
import type { RegistryDeps } from "../deps.ts";
import { tokenIssuedEvent, workspaceCreatedEvent } from "../events/constructors.ts";
import type { NewEvent } from "../events/event.ts";
import type { NewToken, WorkspaceRecord } from "../store.ts";

export function newWorkspaceRecord(id: string, name: string, now: number): WorkspaceRecord {
  return {
    id,
    name,
    url: null,
    deliveryMode: "push",
    agentCard: null,
    status: "provisioning",
    statusReasons: [],
    statusChangedAt: now,
    lastHeartbeatAt: null,
    lastErrorRate: 0,
    lastSampleError: "",
    activeTasks: 0,
    uptimeSeconds: 0,
    currentTask: "",
    runtimeState: "",
    statusManaged: false,
    pendingRestartContext: null,
    recentTransitions: [],
    maintenance: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
    removedAt: null,
  };
}

export function provisionEvents(workspace: WorkspaceRecord, token: NewToken, actor: string, at: number): NewEvent[] {
  return [workspaceCreatedEvent(workspace, actor, at), tokenIssuedEvent({ workspaceId: workspace.id, actor, at }, token)];
}

/** Creates a workspace in `provisioning` and returns its runtime token; the token is never readable again. */
export async function provisionWorkspace(deps: RegistryDeps, input: { name?: string | undefined }, actor: string): Promise<{ id: string; token: string }> {
  const now = deps.clock();
  const id = deps.newId();
  const { token, record } = issueToken(deps.newId(), now);
  const workspace = newWorkspaceRecord(id, input.name ?? `workspace-${id.slice(0, 8)}`, now);
  await deps.store.createWorkspace(workspace, record, provisionEvents(workspace, record, actor, now));
  return { id, token };
}
