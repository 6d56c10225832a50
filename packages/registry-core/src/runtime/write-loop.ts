import { setTimeout as sleep } from "node:timers/promises";
import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import type { Marker } from "../markers/marker.ts";
import type { WorkspaceChange, WorkspaceRecord } from "../store.ts";

const MAX_ATTEMPTS = 5;

/**
 * Decide on a snapshot, then commit conditionally on its version; if another request or server process changed
 * the row meanwhile, decide again on the fresh row. A decision is never applied to state it did not see.
 * `reload` fetches the fresh row; runtime calls pass their token check, so a token rotated or a workspace removed
 * meanwhile is refused rather than decided on again.
 */
export async function decideAndCommit<T>(
  deps: RegistryDeps,
  first: WorkspaceRecord | null,
  attempt: (workspace: WorkspaceRecord, markers: Marker[]) => Promise<{ change: WorkspaceChange | null; result: T }>,
  reload: (id: string) => Promise<WorkspaceRecord | null> = (id) => deps.store.getWorkspace(id),
): Promise<T> {
  let workspace = first;
  for (let tries = 0; tries < MAX_ATTEMPTS; tries++) {
    if (!workspace) throw new RegistryError("unknown_workspace", "workspace not found");
    if (workspace.status === "removed") throw new RegistryError("workspace_removed", "workspace removed");
    // An online workspace has no active marker: every stamp runs the status rule, which degrades a live
    // workspace at once. So the hot path skips the marker read for the common case.
    const markers = workspace.status === "online" ? [] : await deps.store.unclearedMarkers(workspace.id);
    const { change, result } = await attempt(workspace, markers);
    if (!change || (await deps.store.commit(change))) return result;
    // Lost a race: back off a little (jittered, growing) so concurrent writers of one row stop colliding.
    await sleep(Math.random() * 2 ** tries * 2);
    workspace = await reload(workspace.id);
  }
  throw new RegistryError("conflict", "workspace is changing too fast; retry");
}
