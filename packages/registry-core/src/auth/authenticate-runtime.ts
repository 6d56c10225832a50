import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import type { WorkspaceRecord } from "../store.ts";
import { bearerToken, hashToken } from "./tokens.ts";

/**
 * The runtime token gate, run before anything changes. It fails closed: if the credentials cannot be read,
 * the answer is a retryable 503, never a pass (reference §2.1, W2). Every token failure is one opaque 401.
 */
export async function authenticateRuntime(deps: RegistryDeps, workspaceId: string, authorization: string | undefined): Promise<WorkspaceRecord> {
  const token = bearerToken(authorization);
  let found: Awaited<ReturnType<RegistryDeps["store"]["findRuntime"]>>;
  try {
    found = await deps.store.findRuntime(workspaceId, token ? hashToken(token) : null);
  } catch {
    throw new RegistryError("credentials_unavailable", "cannot verify workspace credentials");
  }
  const { workspace, token: tokenRecord } = found;
  if (!workspace) throw new RegistryError("unknown_workspace", "workspace not found");
  if (workspace.status === "removed") throw new RegistryError("workspace_removed", "workspace removed");
  if (!token) throw new RegistryError("missing_token", "missing workspace auth token");
  if (!tokenRecord || tokenRecord.revokedAt !== null || tokenRecord.workspaceId !== workspace.id) {
    throw new RegistryError("invalid_token", "invalid workspace auth token");
  }
  return workspace;
}
