import { WORKSPACE_STATUSES, type Marker, type RegistryStore, type WorkspaceChange, type WorkspaceStatus } from "@rollcall/registry-core";
import type { Database, Db } from "./database.ts";
import { createNotificationStore } from "./notification-store.ts";
import { createSqlReads, eventFromRow } from "./sql-reads.ts";
import { createSqlWrites, type SampleOptions, type SqlWrites } from "./sql-writes.ts";
import { startSqliteWriterThread } from "./sqlite-writer-thread.ts";
import type { Prisma } from "./generated/sqlite/client.ts";

type MarkerRow = Prisma.MarkerGetPayload<object>;

export type StoreOptions = SampleOptions & {
  /** SQLite: write on a thread of the store's own (sqlite-writer-thread.ts), so commits never stall requests. */
  writerThread?: boolean;
};

export function createPrismaStore(database: Database, options: StoreOptions): RegistryStore {
  const prisma: Db = database.prisma;
  // Reads go through Prisma (typed, explicit selects); every write is raw batched SQL on one connection.
  const writes: SqlWrites & { ping?(): Promise<void>; close?(): Promise<void> } =
    options.writerThread && database.provider === "sqlite"
      ? startSqliteWriterThread({ file: database.url.slice("file:".length), synchronous: database.sqliteSynchronous, samples: options })
      : createSqlWrites(database.sql, options);
  const reads = createSqlReads(database.sql, options);

  return {
    notifications: createNotificationStore(database.sql),
    getWorkspace: reads.getWorkspace,
    findRuntime: reads.findRuntime,
    fleetPage: reads.fleetPage,
    listWorkspaces: reads.listWorkspaces,
    listSamples: reads.listSamples,
    sweepCandidates: reads.sweepCandidates,
    sweepDeadlines: reads.sweepDeadlines,
    livenessCensus: reads.livenessCensus,
    oldestLiveHeartbeat: reads.oldestLiveHeartbeat,
    readRegistryState: reads.readRegistryState,
    presenceEvents: reads.presenceEvents,
    transitionCounts: reads.transitionCounts,
    availabilityDays: reads.availabilityDays,
    latestAvailabilityDays: reads.latestAvailabilityDays,
    workspacesByNamePattern: reads.workspacesByNamePattern,
    commitRegistryState: writes.commitRegistryState,
    commitRollup: writes.commitRollup,
    pruneAvailability: writes.pruneAvailability,

    async unclearedMarkers(workspaceId) {
      const rows = await prisma.marker.findMany({ where: { workspaceId, clearedAt: null }, orderBy: { setAt: "asc" } });
      return rows.map(markerRecord);
    },

    async activeMarkers(workspaceIds, now) {
      if (workspaceIds.length === 0) return [];
      const rows = await prisma.marker.findMany({
        where: { workspaceId: { in: workspaceIds }, clearedAt: null, expiresAt: { gt: now } },
        orderBy: { setAt: "asc" },
      });
      return rows.map(markerRecord);
    },

    async allMarkers(workspaceId) {
      const rows = await prisma.marker.findMany({ where: { workspaceId }, orderBy: { setAt: "desc" } });
      return rows.map(markerRecord);
    },

    createWorkspace: writes.createWorkspace,

    async commit(change: WorkspaceChange) {
      const [committed] = await writes.commitMany([change]);
      return committed ?? false;
    },

    commitMany: writes.commitMany,

    async countByStatus() {
      const groups = await prisma.workspace.groupBy({ by: ["status"], _count: { _all: true } });
      const counts = Object.fromEntries(WORKSPACE_STATUSES.map((s) => [s, 0])) as Record<WorkspaceStatus, number>;
      for (const group of groups) counts[group.status as WorkspaceStatus] = group._count._all;
      return counts;
    },

    async listEvents(filter) {
      const tailing = filter.after !== undefined;
      const rows = await prisma.event.findMany({
        where: {
          ...(filter.workspaceId ? { workspaceId: filter.workspaceId } : {}),
          ...(filter.type ? { type: filter.type } : {}),
          ...(filter.actor ? { actor: filter.actor } : {}),
          ...(tailing ? { id: { gt: filter.after } } : filter.before !== undefined ? { id: { lt: filter.before } } : {}),
        },
        orderBy: { id: tailing ? "asc" : "desc" },
        take: filter.limit,
      });
      // An event keeps its workspace id without a relation (schema.prisma), so the names are one more read: of the
      // page's workspaces only, by primary key.
      const workspaceIds = [...new Set(rows.flatMap((row) => (row.workspaceId === null ? [] : [row.workspaceId])))];
      const workspaces =
        workspaceIds.length === 0 ? [] : await prisma.workspace.findMany({ where: { id: { in: workspaceIds } }, select: { id: true, name: true } });
      const names = new Map(workspaces.map((workspace) => [workspace.id, workspace.name]));
      return rows.map((row) => ({ ...eventFromRow(row), workspaceName: row.workspaceId === null ? null : (names.get(row.workspaceId) ?? null) }));
    },

    pruneSamples: writes.pruneSamples,

    async ping() {
      await prisma.$queryRawUnsafe("SELECT 1");
      await writes.ping?.();
    },

    async close() {
      await writes.close?.();
      await database.close();
    },
  };
}

function markerRecord(row: MarkerRow): Marker {
  return { ...row, kind: row.kind as Marker["kind"] };
}
