import type { RegistryStore, TokenRecord, WorkspaceChange, WorkspaceRecord } from "@rollcall/registry-core";

/**
 * Keeps the runtime hot path's read (workspace + token) in memory. Safe without any invalidation feed because every
 * write is conditional on the row version: a runtime call that decided on a stale entry (another process swept,
 * rotated a token, removed the workspace) fails its commit, the entry is dropped, and the call decides again on a
 * fresh read. So a rotation or removal made anywhere takes effect on the very next call, cached or not.
 * Only `findRuntime` reads from it; operator and sweeper reads always go to the database.
 */
export function withHotPathCache(store: RegistryStore, maxEntries: number): RegistryStore {
  if (maxEntries <= 0) return store;
  const workspaces = new Map<string, WorkspaceRecord>();
  const tokens = new Map<string, TokenRecord>();
  const tokensOf = new Map<string, Set<string>>();

  const forget = (workspaceId: string) => {
    workspaces.delete(workspaceId);
    for (const hash of tokensOf.get(workspaceId) ?? []) tokens.delete(hash);
    tokensOf.delete(workspaceId);
  };
  const remember = (workspace: WorkspaceRecord, tokenHash: string | null, token: TokenRecord | null) => {
    const cached = workspaces.get(workspace.id);
    // A commit that settled while this read was in flight already holds a newer version.
    if (cached && cached.version > workspace.version) return;
    // Map keeps insertion order: re-inserting moves an entry to the end, and the first key is the least recently loaded.
    workspaces.delete(workspace.id);
    if (workspaces.size >= maxEntries) forget(workspaces.keys().next().value!);
    workspaces.set(workspace.id, workspace);
    if (tokenHash && token && token.workspaceId === workspace.id) {
      tokens.set(tokenHash, token);
      tokensOf.set(workspace.id, (tokensOf.get(workspace.id) ?? new Set()).add(tokenHash));
    }
  };
  const settle = (change: WorkspaceChange, committed: boolean) => {
    const cached = workspaces.get(change.workspaceId);
    if (!committed || !cached || cached.version !== change.expectedVersion || change.tokens) return forget(change.workspaceId);
    workspaces.set(change.workspaceId, { ...cached, ...change.patch, version: change.expectedVersion + 1, updatedAt: change.at });
  };

  return {
    ...store,
    async findRuntime(workspaceId, tokenHash) {
      const workspace = workspaces.get(workspaceId);
      const token = tokenHash === null ? null : tokens.get(tokenHash);
      if (workspace && token !== undefined) return { workspace, token };
      const found = await store.findRuntime(workspaceId, tokenHash);
      if (found.workspace && found.workspace.status !== "removed") remember(found.workspace, tokenHash, found.token);
      return found;
    },
    async commit(change) {
      const committed = await store.commit(change);
      settle(change, committed);
      return committed;
    },
    async commitMany(changes) {
      const results = await store.commitMany(changes);
      changes.forEach((change, index) => settle(change, results[index] ?? false));
      return results;
    },
  };
}
