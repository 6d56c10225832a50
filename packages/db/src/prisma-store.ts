import {
  RegistryError,
  WORKSPACE_STATUSES,
  type HeartbeatSample,
  type Marker,
  type NewEvent,
  type NewToken,
  type RegistryEvent,
  type RegistryStore,
  type WorkspaceChange,
  type WorkspacePatch,
  type WorkspaceRecord,
  type WorkspaceStatus,
} from "@rollcall/registry-core";
import type { Database, Db } from "./database.ts";
import type { Prisma } from "./generated/sqlite/client.ts";

type WorkspaceRow = Prisma.WorkspaceGetPayload<object>;
type MarkerRow = Prisma.MarkerGetPayload<object>;
type EventRow = Prisma.EventGetPayload<object>;
type Tx = Prisma.TransactionClient;

/** Serialises event inserts on PostgreSQL so event ids commit in id order; a tailing reader never skips one. */
const EVENT_ORDER_LOCK = 727_390_002;

export type StoreOptions = {
  /** Width of a timeline slot and how many slots a workspace's ring holds. */
  sampleSlotMs: number;
  sampleSlots: number;
};

export function createPrismaStore(database: Database, options: StoreOptions): RegistryStore {
  const prisma: Db = database.prisma;
  const isPostgres = database.provider === "postgresql";

  async function insertEvents(tx: Tx, events: NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (isPostgres) await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`);
    await tx.event.createMany({ data: events.map(eventRow) });
  }

  /**
   * Row updates go first and in workspace-id order, and the event-order lock is taken last, so concurrent batches
   * (from this or another server process) always lock in the same order and cannot deadlock.
   */
  async function commitMany(changes: WorkspaceChange[]): Promise<boolean[]> {
    if (changes.length === 0) return [];
    const order = changes.map((_, index) => index).sort((a, b) => changes[a]!.workspaceId.localeCompare(changes[b]!.workspaceId));
    return prisma.$transaction(
      async (tx) => {
        const committed = changes.map(() => false);
        // The conditional write comes first: a stale decision stops here with nothing written.
        for (const index of order) {
          const change = changes[index]!;
          const { count } = await tx.workspace.updateMany({
            where: { id: change.workspaceId, version: change.expectedVersion },
            data: { ...patchRow(change.patch), version: change.expectedVersion + 1, updatedAt: change.at },
          });
          committed[index] = count > 0;
        }
        for (const index of order) {
          if (committed[index]) await writeDependents(tx, changes[index]!);
        }
        await insertEvents(tx, changes.flatMap((change, index) => (committed[index] ? change.events : [])));
        return committed;
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
  }

  async function writeDependents(tx: Tx, change: WorkspaceChange): Promise<void> {
    for (const marker of change.upsertMarkers ?? []) {
      const data = markerRow(marker);
      await tx.marker.upsert({ where: { id: marker.id }, create: data, update: data });
    }
    if (change.tokens?.revokeAll) {
      await tx.workspaceToken.updateMany({
        where: { workspaceId: change.workspaceId, revokedAt: null },
        data: { revokedAt: change.at },
      });
    }
    if (change.tokens?.issue) {
      await tx.workspaceToken.create({ data: { ...tokenRow(change.tokens.issue), workspaceId: change.workspaceId } });
    }
    if (change.sample) {
      const slot = Math.floor(change.sample.at / options.sampleSlotMs) % options.sampleSlots;
      const data = { ...change.sample, workspaceId: change.workspaceId, slot };
      await tx.heartbeatSample.upsert({
        where: { workspaceId_slot: { workspaceId: change.workspaceId, slot } },
        create: data,
        update: data,
      });
    }
  }

  return {
    async getWorkspace(id) {
      const row = await prisma.workspace.findUnique({ where: { id } });
      return row ? workspaceRecord(row) : null;
    },

    async unclearedMarkers(workspaceId) {
      const rows = await prisma.marker.findMany({ where: { workspaceId, clearedAt: null }, orderBy: { setAt: "asc" } });
      return rows.map(markerRecord);
    },

    async allMarkers(workspaceId) {
      const rows = await prisma.marker.findMany({ where: { workspaceId }, orderBy: { setAt: "desc" } });
      return rows.map(markerRecord);
    },

    async findTokenByHash(tokenHash) {
      return prisma.workspaceToken.findUnique({
        where: { tokenHash },
        select: { id: true, workspaceId: true, revokedAt: true },
      });
    },

    async createWorkspace(workspace, token, events) {
      try {
        await prisma.$transaction(async (tx) => {
          const { id, name, statusChangedAt, version, createdAt, updatedAt, ...rest } = workspace;
          await tx.workspace.create({ data: { ...patchRow(rest), id, name, statusChangedAt, version, createdAt, updatedAt } });
          await tx.workspaceToken.create({ data: { ...tokenRow(token), workspaceId: workspace.id } });
          await insertEvents(tx, events);
        });
      } catch (error) {
        // Two first registers of one id under open registration: the loser learns it lost, not "internal error".
        if ((error as { code?: unknown }).code === "P2002") throw new RegistryError("conflict", "a workspace with this id already exists");
        throw error;
      }
    },

    async commit(change: WorkspaceChange) {
      const [committed] = await commitMany([change]);
      return committed ?? false;
    },

    commitMany,

    async listWorkspaces(filter) {
      const rows = await prisma.workspace.findMany({
        where: {
          ...(filter.status ? { status: filter.status } : { status: { not: "removed" } }),
          ...(filter.search ? { OR: [{ id: { contains: filter.search } }, { name: { contains: filter.search } }] } : {}),
          ...(filter.after ? { id: { gt: filter.after } } : {}),
        },
        orderBy: { id: "asc" },
        take: filter.limit,
      });
      return rows.map(workspaceRecord);
    },

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
      return rows.map(eventRecord);
    },

    async listSamples(workspaceId, since) {
      const rows = await prisma.heartbeatSample.findMany({
        where: { workspaceId, at: { gte: since } },
        orderBy: { at: "asc" },
        select: { at: true, errorRate: true, activeTasks: true, status: true },
      });
      return rows.map((row): HeartbeatSample => ({ ...row, status: row.status as WorkspaceStatus }));
    },

    async sweepCandidates(query) {
      const select = { id: true } as const;
      const take = query.limit;
      const groups = await Promise.all([
        prisma.workspace.findMany({
          where: { status: { in: ["online", "degraded"] }, lastHeartbeatAt: { lte: query.silentSince } },
          select,
          take,
        }),
        prisma.workspace.findMany({
          where: { status: "provisioning", statusChangedAt: { lte: query.provisioningSince } },
          select,
          take,
        }),
        prisma.workspace.findMany({
          where: {
            status: "degraded",
            statusReasons: { contains: "register_failure" },
            markers: { none: { clearedAt: null, expiresAt: { gt: query.markersExpiredBy } } },
          },
          select,
          take,
        }),
        prisma.workspace.findMany({ where: { pendingRestartContext: { not: null }, status: { not: "removed" } }, select, take }),
      ]);
      return [...new Set(groups.flat().map((row) => row.id))].slice(0, query.limit);
    },

    async pruneSamples(olderThan) {
      const { count } = await prisma.heartbeatSample.deleteMany({ where: { at: { lt: olderThan } } });
      return count;
    },

    async ping() {
      await prisma.$queryRawUnsafe("SELECT 1");
    },

    close: () => database.close(),
  };
}

function workspaceRecord(row: WorkspaceRow): WorkspaceRecord {
  return {
    ...row,
    deliveryMode: row.deliveryMode as WorkspaceRecord["deliveryMode"],
    agentCard: row.agentCard === null ? null : (JSON.parse(row.agentCard) as WorkspaceRecord["agentCard"]),
    status: row.status as WorkspaceStatus,
    statusReasons: JSON.parse(row.statusReasons) as WorkspaceRecord["statusReasons"],
    runtimeState: row.runtimeState as WorkspaceRecord["runtimeState"],
    pendingRestartContext:
      row.pendingRestartContext === null ? null : (JSON.parse(row.pendingRestartContext) as WorkspaceRecord["pendingRestartContext"]),
  };
}

/** Only the fields present in the patch are written; JSON documents become text. */
function patchRow(patch: WorkspacePatch) {
  const { agentCard, statusReasons, pendingRestartContext, ...plain } = patch;
  return {
    ...plain,
    ...(agentCard !== undefined ? { agentCard: agentCard === null ? null : JSON.stringify(agentCard) } : {}),
    ...(statusReasons !== undefined ? { statusReasons: JSON.stringify(statusReasons) } : {}),
    ...(pendingRestartContext !== undefined
      ? { pendingRestartContext: pendingRestartContext === null ? null : JSON.stringify(pendingRestartContext) }
      : {}),
  };
}

function markerRecord(row: MarkerRow): Marker {
  return { ...row, kind: row.kind as Marker["kind"] };
}

function markerRow(marker: Marker): MarkerRow {
  return { ...marker };
}

function tokenRow(token: NewToken) {
  return { id: token.id, tokenHash: token.tokenHash, prefix: token.prefix, createdAt: token.createdAt };
}

function eventRow(event: NewEvent) {
  return { type: event.type, workspaceId: event.workspaceId, actor: event.actor, payload: JSON.stringify(event.payload), at: event.at };
}

function eventRecord(row: EventRow): RegistryEvent {
  return { ...row, type: row.type as RegistryEvent["type"], payload: JSON.parse(row.payload) as Record<string, unknown> };
}
