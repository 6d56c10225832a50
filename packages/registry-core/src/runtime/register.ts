import { authenticateRuntime } from "../auth/authenticate-runtime.ts";
import { bearerToken, issueToken } from "../auth/tokens.ts";
import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { agentCardUpdatedEvent, markerClearedEvent, markerSetEvent, workspaceRegisteredEvent } from "../events/constructors.ts";
import type { NewEvent } from "../events/event.ts";
import { activeRegisterFailures, clearMarker, registerFailureMarker, type Marker, type RegisterFailureReason } from "../markers/marker.ts";
import { WorkspaceName } from "../operator/inputs.ts";
import { newWorkspaceRecord, provisionEvents } from "../operator/provision.ts";
import type { Health } from "../status/decide-status.ts";
import { healthOf, planStatus } from "../status/plan-status.ts";
import type { WorkspaceStatus } from "../status/statuses.ts";
import type { AgentCard, DeliveryMode, RestartContext, WorkspaceRecord } from "../store.ts";
import { validateAgentUrl } from "../url/validate-agent-url.ts";
import { sameCard } from "./card-check.ts";
import type { RegisterInput } from "./inputs.ts";
import { settleRestartContext } from "./restart-context.ts";
import { decideAndCommit } from "./write-loop.ts";

export type RegisterResult = {
  status: "registered";
  delivery_mode: DeliveryMode;
  workspace_status: WorkspaceStatus;
  restart_context?: RestartContext;
  /** Only when open registration created the workspace: its token, shown this once. */
  auth_token?: string;
};

type Registration = { url: string | null; card: AgentCard; deliveryMode: DeliveryMode };
type RegistrationFailure = { reason: RegisterFailureReason; message: string };

/** A register attempt, successful or not, means a runtime (re)started: its session and uptime begin now. */
const REGISTERING = { registering: true, uptimeSeconds: null } as const;

export async function register(deps: RegistryDeps, input: RegisterInput, authorization: string | undefined): Promise<RegisterResult> {
  if (deps.openRegistration && !bearerToken(authorization) && !(await deps.store.getWorkspace(input.id))) {
    return registerNewWorkspace(deps, input);
  }

  const workspace = await authenticateRuntime(deps, input.id, authorization);
  // From here on the caller holds a verified bearer, so a failure marks the workspace (reference §5.4, W3).
  const checked = await checkRegistration(deps, input, input.delivery_mode ?? workspace.deliveryMode);
  if ("reason" in checked) {
    // The validator's 400 is the answer even if recording the marker fails (it tells the runtime what to fix),
    // unless the caller turned out to have lost its token or workspace meanwhile: that answer comes first.
    await stampRegisterFailure(deps, workspace, checked, authorization).catch(rethrowIfRefused);
    throw new RegistryError(checked.reason, checked.message);
  }
  try {
    return await completeRegistration(deps, workspace, checked, authorization);
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    // A server fault after authentication marks the workspace too; the original error still decides the answer.
    await stampRegisterFailure(deps, workspace, { reason: "internal", message: "registration failed" }, authorization).catch(rethrowIfRefused);
    throw error;
  }
}

function rethrowIfRefused(error: unknown): void {
  if (error instanceof RegistryError && ["invalid_token", "missing_token", "workspace_removed", "unknown_workspace"].includes(error.reason)) throw error;
}

/** ROLLCALL_OPEN_REGISTRATION: an unknown id is created by its first valid register, and gets its token. */
async function registerNewWorkspace(deps: RegistryDeps, input: RegisterInput): Promise<RegisterResult> {
  const checked = await checkRegistration(deps, input, input.delivery_mode ?? "push");
  if ("reason" in checked) throw new RegistryError(checked.reason, checked.message);
  const now = deps.clock();
  const { token, record } = issueToken(deps.newId(), now);
  const cardName = WorkspaceName.safeParse(input.agent_card.name);
  const fresh = newWorkspaceRecord(input.id, cardName.success ? cardName.data : input.id, now);
  // Created and registered in one write: a failure leaves no workspace whose token nobody received.
  const { change, result } = registrationChange(deps, fresh, [], checked, now);
  await deps.store.createWorkspace({ ...fresh, ...change.patch }, record, [...provisionEvents(fresh, record, "runtime", now), ...change.events]);
  return { ...result, auth_token: token };
}

/**
 * Push mode needs a reachable URL; every URL given, the card's included, passes the one validator, and only its
 * canonical form is stored, so whoever reads the registry sees the URL that was judged.
 */
async function checkRegistration(deps: RegistryDeps, input: RegisterInput, deliveryMode: DeliveryMode): Promise<Registration | RegistrationFailure> {
  const cardUrl = typeof input.agent_card.url === "string" ? input.agent_card.url : undefined;
  const given = input.url || cardUrl || null;
  if (deliveryMode === "push" && !given) {
    return { reason: "url_required_for_push", message: "url is required for push-mode workspaces" };
  }
  let url: string | null = null;
  if (given) {
    const check = await validateAgentUrl(given, deps.urlPolicy, deps.resolveHost);
    if (!check.ok) return { reason: "url_validate_failed", message: check.message };
    url = check.url;
  }
  if (cardUrl === undefined) return { url, card: input.agent_card, deliveryMode };
  if (cardUrl === given) return { url, card: { ...input.agent_card, url }, deliveryMode };
  const check = await validateAgentUrl(cardUrl, deps.urlPolicy, deps.resolveHost);
  if (!check.ok) return { reason: "url_validate_failed", message: `agent_card.url: ${check.message}` };
  return { url, card: { ...input.agent_card, url: check.url }, deliveryMode };
}

async function stampRegisterFailure(
  deps: RegistryDeps,
  authenticated: WorkspaceRecord,
  failure: RegistrationFailure,
  authorization: string | undefined,
): Promise<void> {
  await decideAndCommit(
    deps,
    authenticated,
    async (workspace, markers) => {
      const now = deps.clock();
      // The caller proved its token, so the runtime is up: a rejected register is proof of life, and the workspace
      // shows as degraded by the register failure rather than hiding behind "Starting" (incident #2739).
      const { marker, plan } = markRegisterFailure(deps, { workspace, markers, failure, now, alive: healthOf(workspace) });
      const restart = settleRestartContext({ workspace, runtime: REGISTERING, nextStatus: plan.decision.status, now, policy: deps.policy });
      return {
        change: {
          workspaceId: workspace.id,
          expectedVersion: workspace.version,
          at: now,
          patch: { lastHeartbeatAt: now, uptimeSeconds: 0, ...plan.patch, ...restart.patch },
          upsertMarkers: [marker],
          events: [markerSetEvent(marker), ...plan.events, ...restart.events],
        },
        result: undefined,
      };
    },
    (id) => authenticateRuntime(deps, id, authorization),
  );
}

async function completeRegistration(
  deps: RegistryDeps,
  authenticated: WorkspaceRecord,
  registration: Registration,
  authorization: string | undefined,
): Promise<RegisterResult> {
  return decideAndCommit(
    deps,
    authenticated,
    async (workspace, markers) => {
      const now = deps.clock();
      const { change, result } = registrationChange(deps, workspace, markers, registration, now);
      return { change: { workspaceId: workspace.id, expectedVersion: workspace.version, at: now, ...change }, result };
    },
    (id) => authenticateRuntime(deps, id, authorization),
  );
}

/**
 * A register-failure marker stamped now, and the status rule's verdict with it: the one way a refused URL marks a
 * workspace, whether a runtime's register was refused (proof of life: `alive` is its last health) or a stored URL no
 * longer passes (`alive` null).
 */
export function markRegisterFailure(
  deps: RegistryDeps,
  args: { workspace: WorkspaceRecord; markers: Marker[]; failure: RegistrationFailure; now: number; alive: Health | null },
) {
  const { workspace, markers, failure, now } = args;
  const marker = registerFailureMarker({
    markers,
    workspaceId: workspace.id,
    reason: failure.reason,
    detail: failure.message,
    now,
    windowMs: deps.policy.markerWindowMs,
    newId: deps.newId,
  });
  const plan = planStatus({
    workspace,
    markers: [...markers.filter((m) => m.id !== marker.id), marker],
    alive: args.alive,
    now,
    policy: deps.policy,
    actor: "registry",
    evidence: { register_failure: true, failure_reason: failure.reason, sample_error: failure.message },
  });
  return { marker, plan };
}

/** What a successful register writes: URL and card, cleared markers, the status rule's verdict, the restart context. */
function registrationChange(deps: RegistryDeps, workspace: WorkspaceRecord, markers: Marker[], registration: Registration, now: number) {
  const cleared = activeRegisterFailures(markers, now).map((m) => clearMarker(m, now, "runtime", "successful register"));
  const events: NewEvent[] = cleared.map((marker) => markerClearedEvent(marker));
  // Identity gaps in the card are filled from the row (reference §3.1 step 8).
  const card = { ...registration.card };
  if (!card.name || card.name === workspace.id) card.name = workspace.name;
  const origin = { workspaceId: workspace.id, actor: "runtime", at: now };
  events.push(workspaceRegisteredEvent(origin, registration));
  if (!sameCard(card, workspace.agentCard)) events.push(agentCardUpdatedEvent(origin, "register", card));
  const plan = planStatus({
    workspace,
    markers: markers.map((m) => cleared.find((c) => c.id === m.id) ?? m),
    alive: healthOf(workspace),
    now,
    policy: deps.policy,
    actor: "runtime",
    evidence: { url: registration.url, delivery_mode: registration.deliveryMode },
  });
  const restart = settleRestartContext({ workspace, runtime: REGISTERING, nextStatus: plan.decision.status, now, policy: deps.policy });
  const result: RegisterResult = {
    status: "registered",
    delivery_mode: registration.deliveryMode,
    workspace_status: plan.decision.status,
    ...(restart.delivered ? { restart_context: restart.delivered } : {}),
  };
  return {
    change: {
      patch: {
        url: registration.url,
        agentCard: card,
        deliveryMode: registration.deliveryMode,
        lastHeartbeatAt: now,
        uptimeSeconds: 0,
        ...plan.patch,
        ...restart.patch,
      },
      upsertMarkers: cleared,
      events: [...events, ...plan.events, ...restart.events],
    },
    result,
  };
}
