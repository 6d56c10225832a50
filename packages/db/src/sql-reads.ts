import type {
  AvailabilityDay,
  FleetQuery,
  LivenessCensus,
  Maintenance,
  RegistryEvent,
  RegistryStateRecord,
  FleetSort,
  HeartbeatSample,
  SweepCandidates,
  SweepDeadlines,
  TokenRecord,
  WorkspaceFilter,
  WorkspaceRecord,
} from "@rollcall/registry-core";
import { STATUS_EVENT_TYPES } from "@rollcall/registry-core";
import type { SqlDriver } from "./sql-driver.ts";
import type { SampleOptions } from "./sql-writes.ts";

const WORKSPACE_SELECT = `w."id", w."name", w."url", w."deliveryMode", w."agentCard", w."status", w."statusReasons",
  w."statusChangedAt", w."lastHeartbeatAt", w."lastErrorRate", w."lastSampleError", w."activeTasks", w."uptimeSeconds",
  w."currentTask", w."runtimeState", w."statusManaged", w."pendingRestartContext", w."recentTransitions", w."maintenance",
  w."version", w."createdAt", w."updatedAt", w."removedAt"`;

/** A Workspace row as either database returns it: text where the record has unions or JSON. */
type WorkspaceRow = Omit<
  WorkspaceRecord,
  "deliveryMode" | "status" | "runtimeState" | "agentCard" | "statusReasons" | "pendingRestartContext" | "statusManaged" | "recentTransitions" | "maintenance"
> & {
  deliveryMode: string;
  status: string;
  runtimeState: string;
  agentCard: string | null;
  statusReasons: string;
  pendingRestartContext: string | null;
  statusManaged: boolean | number;
  recentTransitions: string;
  maintenance: string | null;
};

export function workspaceFromRow(row: WorkspaceRow): WorkspaceRecord {
  return {
    ...row,
    // The CHECK constraints and the writers keep these columns within their unions.
    deliveryMode: row.deliveryMode as WorkspaceRecord["deliveryMode"],
    status: row.status as WorkspaceRecord["status"],
    runtimeState: row.runtimeState as WorkspaceRecord["runtimeState"],
    agentCard: row.agentCard === null ? null : (JSON.parse(row.agentCard) as WorkspaceRecord["agentCard"]),
    statusReasons: JSON.parse(row.statusReasons) as WorkspaceRecord["statusReasons"],
    pendingRestartContext: row.pendingRestartContext === null ? null : (JSON.parse(row.pendingRestartContext) as WorkspaceRecord["pendingRestartContext"]),
    // SQLite has no boolean type: 0 and 1 come back.
    statusManaged: Boolean(row.statusManaged),
    recentTransitions: JSON.parse(row.recentTransitions) as number[],
    maintenance: row.maintenance === null ? null : (JSON.parse(row.maintenance) as Maintenance),
  };
}

/** Worst first: what an operator must look at comes to the top. */
const STATUS_SEVERITY = ["failed", "offline", "unknown", "degraded", "provisioning", "online", "removed"];

const FLEET_ORDER: Record<FleetSort, string> = {
  status: `CASE w."status" ${STATUS_SEVERITY.map((status, rank) => `WHEN '${status}' THEN ${rank}`).join(" ")} ELSE ${STATUS_SEVERITY.length} END`,
  name: `LOWER(w."name")`,
  since: `w."statusChangedAt"`,
  // Never-seen workspaces sort as the oldest heartbeat.
  heartbeat: `COALESCE(w."lastHeartbeatAt", 0)`,
  error_rate: `w."lastErrorRate"`,
};

/** `LIKE` text for a literal string: its own wildcards and the escape character taken literally. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The one filter of the workspace lists: a status (none: every workspace but the removed ones), and a search, a
 * case-insensitive substring of the id or the name, the same on both databases, with LIKE's wildcards (`%`, `_`) and
 * the escape character taken literally.
 */
function listCondition(filter: { status?: string; search?: string }): { where: string[]; params: unknown[] } {
  const where = [filter.status ? `w."status" = ?` : `w."status" <> 'removed'`];
  const params: unknown[] = filter.status ? [filter.status] : [];
  if (filter.search) {
    const pattern = `%${likeLiteral(filter.search.toLowerCase())}%`;
    where.push(`(LOWER(w."id") LIKE ? ESCAPE '\\' OR LOWER(w."name") LIKE ? ESCAPE '\\')`);
    params.push(pattern, pattern);
  }
  return { where, params };
}

/** The event types that say where a workspace stood (availability reads and rollups fold them). */
const PRESENCE_TYPES = [...STATUS_EVENT_TYPES, "MAINTENANCE_STARTED", "MAINTENANCE_ENDED"].map((type) => `'${type}'`).join(", ");
const STATUS_TYPES = STATUS_EVENT_TYPES.map((type) => `'${type}'`).join(", ");

type EventRow = Omit<RegistryEvent, "payload" | "type"> & { type: string; payload: string };
/** A stored event as the contract's union: the registry wrote it through the contract's constructors. */
export const eventFromRow = (row: EventRow): RegistryEvent =>
  ({ ...row, id: Number(row.id), type: row.type, payload: JSON.parse(row.payload) as unknown }) as RegistryEvent;

type AvailabilityRow = { workspaceId: string; day: number; start: string | null; hours: string; end: string | null; through: number };
const availabilityFromRow = (row: AvailabilityRow): AvailabilityDay => ({
  workspaceId: row.workspaceId,
  day: Number(row.day),
  start: JSON.parse(row.start ?? "null") as AvailabilityDay["start"],
  hours: JSON.parse(row.hours) as AvailabilityDay["hours"],
  end: JSON.parse(row.end ?? "null") as AvailabilityDay["end"],
  through: Number(row.through),
});

const inList = (count: number) => Array.from({ length: count }, () => "?").join(", ");

/** The hot path's reads, and those Prisma cannot express: one indexed statement each, on the raw connection. */
export function createSqlReads(driver: SqlDriver, options: SampleOptions) {
  // Fields of the JSON columns the sweep compares: a flapping row's last status change, a maintenance window's end.
  const isPostgres = driver.provider === "postgresql";
  const lastTransition = isPostgres ? `(w."recentTransitions"::jsonb ->> -1)::float8` : `json_extract(w."recentTransitions", '$[#-1]')`;
  const maintenanceUntil = isPostgres ? `(w."maintenance"::jsonb ->> 'until')::float8` : `json_extract(w."maintenance", '$.until')`;
  return {
    async getWorkspace(id: string): Promise<WorkspaceRecord | null> {
      const [row] = await driver.query<WorkspaceRow>(`SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."id" = ?`, [id]);
      return row ? workspaceFromRow(row) : null;
    },

    /**
     * One fleet page. Raw SQL because the status order is a CASE expression; ties fall back to the time in status
     * and the id, so pages never overlap or skip rows. Search is case-insensitive on both databases.
     */
    async fleetPage(query: FleetQuery): Promise<{ rows: WorkspaceRecord[]; total: number }> {
      const { where, params } = listCondition(query);
      const direction = query.descending ? "DESC" : "ASC";
      const filter = where.join(" AND ");
      const [rows, [count]] = await Promise.all([
        driver.query<WorkspaceRow>(
          `SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE ${filter}
           ORDER BY ${FLEET_ORDER[query.sort]} ${direction}, w."statusChangedAt" ASC, w."id" ASC LIMIT ? OFFSET ?`,
          [...params, query.limit, query.offset],
        ),
        driver.query<{ total: number | string }>(`SELECT COUNT(*) AS "total" FROM "Workspace" w WHERE ${filter}`, params),
      ]);
      return { rows: rows.map(workspaceFromRow), total: Number(count?.total ?? 0) };
    },

    /** The operator API's list: ordered by id and paged after one, so a script can walk a fleet of any size. */
    async listWorkspaces(filter: WorkspaceFilter): Promise<WorkspaceRecord[]> {
      const { where, params } = listCondition(filter);
      if (filter.after !== undefined) {
        where.push(`w."id" > ?`);
        params.push(filter.after);
      }
      const rows = await driver.query<WorkspaceRow>(`SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE ${where.join(" AND ")} ORDER BY w."id" ASC LIMIT ?`, [
        ...params,
        filter.limit,
      ]);
      return rows.map(workspaceFromRow);
    },

    /**
     * One workspace's timeline: samples are keyed slot-first, so this seeks each slot from `since` to the newest
     * one (a recursive count, the same SQL on both databases) instead of reading every workspace's samples.
     * CROSS JOIN keeps the slots as the outer loop on SQLite, whose planner would otherwise scan the samples.
     */
    async listSamples(workspaceId: string, since: number): Promise<HeartbeatSample[]> {
      const rows = await driver.query<HeartbeatSample>(
        `WITH RECURSIVE slots ("slot") AS (
           SELECT CAST(? AS INTEGER) UNION ALL SELECT "slot" + 1 FROM slots WHERE "slot" < (SELECT MAX("slot") FROM "HeartbeatSample"))
         SELECT h."at", h."errorRate", h."activeTasks", h."status" FROM slots CROSS JOIN "HeartbeatSample" h
         WHERE h."slot" = slots."slot" AND h."workspaceId" = ? AND h."at" >= ? ORDER BY h."slot"`,
        [Math.floor(since / options.sampleSlotMs), workspaceId, since],
      );
      return rows.map((row) => ({ ...row, status: row.status }));
    },

    /**
     * The sweep's candidates, whole rows, each group on its index: silent live workspaces on (status, lastHeartbeatAt),
     * queued restart contexts on their partial index; provisioning and marker-degraded workspaces are few.
     */
    async sweepCandidates(query: SweepCandidates): Promise<WorkspaceRecord[]> {
      // While self-preservation holds, unknown workspaces stay as they are; after it, the still silent ones go offline.
      const awaited = query.registrySuspect ? `'online', 'degraded'` : `'online', 'degraded', 'unknown'`;
      const groups = await Promise.all([
        driver.query<WorkspaceRow>(`SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."status" IN (${awaited}) AND w."lastHeartbeatAt" <= ? LIMIT ?`, [
          query.silentSince,
          query.limit,
        ]),
        // Flapping workspaces whose quiet period is over, and maintenance windows that ended.
        driver.query<WorkspaceRow>(
          `SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."statusReasons" LIKE '%"flapping"%' AND w."status" <> 'removed'
           AND ${lastTransition} <= ? LIMIT ?`,
          [query.flapQuietSince, query.limit],
        ),
        driver.query<WorkspaceRow>(`SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."maintenance" IS NOT NULL AND ${maintenanceUntil} <= ? LIMIT ?`, [
          query.markersExpiredBy,
          query.limit,
        ]),
        driver.query<WorkspaceRow>(`SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."status" = 'provisioning' AND w."statusChangedAt" <= ? LIMIT ?`, [
          query.provisioningSince,
          query.limit,
        ]),
        driver.query<WorkspaceRow>(
          `SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."status" = 'degraded' AND w."statusReasons" LIKE '%register_failure%'
           AND NOT EXISTS (SELECT 1 FROM "Marker" m WHERE m."workspaceId" = w."id" AND m."clearedAt" IS NULL AND m."expiresAt" > ?) LIMIT ?`,
          [query.markersExpiredBy, query.limit],
        ),
        driver.query<WorkspaceRow>(
          `SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."pendingRestartContext" IS NOT NULL AND w."status" <> 'removed' LIMIT ?`,
          [query.limit],
        ),
      ]);
      const byId = new Map(groups.flat().map((row) => [row.id, row]));
      return [...byId.values()].slice(0, query.limit).map(workspaceFromRow);
    },

    async sweepDeadlines(now: number): Promise<SweepDeadlines> {
      const minimum = async (sql: string, params: unknown[] = []) => {
        const [row] = await driver.query<{ at: number | null }>(sql, params);
        return row?.at === null || row?.at === undefined ? null : Number(row.at);
      };
      const [lastHeartbeatAt, provisioningSince, markerExpiresAt, flapping, maintained] = await Promise.all([
        // Two index seeks on (status, lastHeartbeatAt), however large the fleet.
        minimum(`SELECT MIN(w."lastHeartbeatAt") AS "at" FROM "Workspace" w WHERE w."status" IN ('online', 'degraded')`),
        minimum(`SELECT MIN(w."statusChangedAt") AS "at" FROM "Workspace" w WHERE w."status" = 'provisioning'`),
        // Only the markers that degrade a workspace: expired ones stay uncleared for good, so the whole table would grow.
        minimum(
          `SELECT MIN(m."expiresAt") AS "at" FROM "Workspace" w JOIN "Marker" m ON m."workspaceId" = w."id"
           WHERE w."status" = 'degraded' AND w."statusReasons" LIKE '%register_failure%' AND m."clearedAt" IS NULL AND m."expiresAt" > ?`,
          [now],
        ),
        minimum(`SELECT MIN(${lastTransition}) AS "at" FROM "Workspace" w WHERE w."statusReasons" LIKE '%"flapping"%' AND w."status" <> 'removed'`),
        minimum(`SELECT MIN(${maintenanceUntil}) AS "at" FROM "Workspace" w WHERE w."maintenance" IS NOT NULL`),
      ]);
      return { lastHeartbeatAt, provisioningSince, markerExpiresAt, flappingSince: flapping, maintenanceUntil: maintained };
    },

    /** Two index seeks on (status, lastHeartbeatAt). */
    async livenessCensus(silentSince: number): Promise<LivenessCensus> {
      const [[live], [silent]] = await Promise.all([
        driver.query<{ n: number | string }>(`SELECT COUNT(*) AS "n" FROM "Workspace" w WHERE w."status" IN ('online', 'degraded', 'unknown')`),
        driver.query<{ n: number | string }>(
          `SELECT COUNT(*) AS "n" FROM "Workspace" w WHERE w."status" IN ('online', 'degraded', 'unknown') AND w."lastHeartbeatAt" <= ?`,
          [silentSince],
        ),
      ]);
      return { live: Number(live?.n ?? 0), silent: Number(silent?.n ?? 0) };
    },

    /** One index seek per status on (status, lastHeartbeatAt). */
    async oldestLiveHeartbeat(): Promise<number | null> {
      const [row] = await driver.query<{ at: number | null }>(
        `SELECT MIN(w."lastHeartbeatAt") AS "at" FROM "Workspace" w WHERE w."status" IN ('online', 'degraded', 'unknown')`,
      );
      return row?.at === null || row?.at === undefined ? null : Number(row.at);
    },

    async readRegistryState<T>(key: string): Promise<RegistryStateRecord<T> | null> {
      const [row] = await driver.query<{ value: string; version: number }>(`SELECT "value", "version" FROM "RegistryState" WHERE "key" = ?`, [key]);
      return row ? { value: JSON.parse(row.value) as T, version: Number(row.version) } : null;
    },

    /** On the (at) index, or on (workspaceId, id) for given workspaces. */
    async presenceEvents(query: { workspaceIds?: string[]; from: number; to?: number; limit?: number }): Promise<RegistryEvent[]> {
      const where = [`e."type" IN (${PRESENCE_TYPES})`, `e."at" >= ?`];
      const params: unknown[] = [query.from];
      if (query.to !== undefined) {
        where.push(`e."at" < ?`);
        params.push(query.to);
      }
      if (query.workspaceIds) {
        where.push(`e."workspaceId" IN (${inList(query.workspaceIds.length)})`);
        params.push(...query.workspaceIds);
      }
      const limit = query.limit === undefined ? "" : ` LIMIT ${Math.trunc(query.limit)}`;
      const rows = await driver.query<EventRow>(
        `SELECT e."id", e."type", e."workspaceId", e."actor", e."payload", e."at" FROM "Event" e WHERE ${where.join(" AND ")} ORDER BY e."id"${limit}`,
        params,
      );
      return rows.map(eventFromRow);
    },

    /** Changes from one status to another: a workspace's creation (`from: null`, provision.ts) is none. */
    async transitionCounts(workspaceIds: string[], since: number): Promise<Map<string, number>> {
      if (workspaceIds.length === 0) return new Map();
      const rows = await driver.query<{ workspaceId: string; n: number | string }>(
        `SELECT e."workspaceId", COUNT(*) AS "n" FROM "Event" e
         WHERE e."workspaceId" IN (${inList(workspaceIds.length)}) AND e."type" IN (${STATUS_TYPES}) AND e."at" >= ?
           AND e."payload" NOT LIKE '%"from":null%' GROUP BY e."workspaceId"`,
        [...workspaceIds, since],
      );
      return new Map(rows.map((row) => [row.workspaceId, Number(row.n)]));
    },

    async availabilityDays(workspaceIds: string[], fromDay: number): Promise<AvailabilityDay[]> {
      if (workspaceIds.length === 0) return [];
      const rows = await driver.query<AvailabilityRow>(
        `SELECT * FROM "AvailabilityDay" WHERE "workspaceId" IN (${inList(workspaceIds.length)}) AND "day" >= ? ORDER BY "workspaceId", "day"`,
        [...workspaceIds, fromDay],
      );
      return rows.map(availabilityFromRow);
    },

    async latestAvailabilityDays(workspaceIds: string[], day: number): Promise<AvailabilityDay[]> {
      const found: AvailabilityDay[] = [];
      for (let start = 0; start < workspaceIds.length; start += 500) {
        const chunk = workspaceIds.slice(start, start + 500);
        const rows = await driver.query<AvailabilityRow>(
          `SELECT a.* FROM "AvailabilityDay" a WHERE a."workspaceId" IN (${inList(chunk.length)})
           AND a."day" = (SELECT MAX(b."day") FROM "AvailabilityDay" b WHERE b."workspaceId" = a."workspaceId" AND b."day" <= ?)`,
          [...chunk, day],
        );
        found.push(...rows.map(availabilityFromRow));
      }
      return found;
    },

    async workspacesByNamePattern(pattern: string, limit: number): Promise<WorkspaceRecord[]> {
      const like = pattern.toLowerCase().split("*").map(likeLiteral).join("%");
      const rows = await driver.query<WorkspaceRow>(
        `SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."status" <> 'removed' AND LOWER(w."name") LIKE ? ESCAPE '\\' ORDER BY w."id" LIMIT ?`,
        [like, limit],
      );
      return rows.map(workspaceFromRow);
    },

    async findRuntime(workspaceId: string, tokenHash: string | null): Promise<{ workspace: WorkspaceRecord | null; token: TokenRecord | null }> {
      const [row] = await driver.query<WorkspaceRow & { tokenId: string | null; tokenWorkspaceId: string | null; tokenRevokedAt: number | null }>(
        `SELECT ${WORKSPACE_SELECT}, t."id" AS "tokenId", t."workspaceId" AS "tokenWorkspaceId", t."revokedAt" AS "tokenRevokedAt"
         FROM "Workspace" w LEFT JOIN "WorkspaceToken" t ON t."tokenHash" = ? WHERE w."id" = ?`,
        [tokenHash ?? "", workspaceId],
      );
      if (!row) return { workspace: null, token: null };
      const { tokenId, tokenWorkspaceId, tokenRevokedAt, ...workspace } = row;
      return {
        workspace: workspaceFromRow(workspace),
        token: tokenId === null || tokenWorkspaceId === null ? null : { id: tokenId, workspaceId: tokenWorkspaceId, revokedAt: tokenRevokedAt },
      };
    },
  };
}
