import type {
  FleetQuery,
  FleetSort,
  HeartbeatSample,
  SweepCandidates,
  SweepDeadlines,
  TokenRecord,
  WorkspaceFilter,
  WorkspaceRecord,
} from "@rollcall/registry-core";
import type { SqlDriver } from "./sql-driver.ts";
import type { SampleOptions } from "./sql-writes.ts";

const WORKSPACE_SELECT = `w."id", w."name", w."url", w."deliveryMode", w."agentCard", w."status", w."statusReasons",
  w."statusChangedAt", w."lastHeartbeatAt", w."lastErrorRate", w."lastSampleError", w."activeTasks", w."uptimeSeconds",
  w."currentTask", w."runtimeState", w."statusManaged", w."pendingRestartContext", w."version", w."createdAt",
  w."updatedAt", w."removedAt"`;

/** A Workspace row as either database returns it: text where the record has unions or JSON. */
type WorkspaceRow = Omit<
  WorkspaceRecord,
  "deliveryMode" | "status" | "runtimeState" | "agentCard" | "statusReasons" | "pendingRestartContext" | "statusManaged"
> & {
  deliveryMode: string;
  status: string;
  runtimeState: string;
  agentCard: string | null;
  statusReasons: string;
  pendingRestartContext: string | null;
  statusManaged: boolean | number;
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
  };
}

/** Worst first: what an operator must look at comes to the top. */
const STATUS_SEVERITY = ["failed", "offline", "degraded", "provisioning", "online", "removed"];

const FLEET_ORDER: Record<FleetSort, string> = {
  status: `CASE w."status" ${STATUS_SEVERITY.map((status, rank) => `WHEN '${status}' THEN ${rank}`).join(" ")} ELSE ${STATUS_SEVERITY.length} END`,
  name: `LOWER(w."name")`,
  since: `w."statusChangedAt"`,
  // Never-seen workspaces sort as the oldest heartbeat.
  heartbeat: `COALESCE(w."lastHeartbeatAt", 0)`,
  error_rate: `w."lastErrorRate"`,
};

/**
 * The one filter of the workspace lists: a status (none: every workspace but the removed ones), and a search, a
 * case-insensitive substring of the id or the name, the same on both databases, with LIKE's wildcards (`%`, `_`) and
 * the escape character taken literally.
 */
function listCondition(filter: { status?: string; search?: string }): { where: string[]; params: unknown[] } {
  const where = [filter.status ? `w."status" = ?` : `w."status" <> 'removed'`];
  const params: unknown[] = filter.status ? [filter.status] : [];
  if (filter.search) {
    const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(LOWER(w."id") LIKE ? ESCAPE '\\' OR LOWER(w."name") LIKE ? ESCAPE '\\')`);
    params.push(pattern, pattern);
  }
  return { where, params };
}

/** The hot path's reads, and those Prisma cannot express: one indexed statement each, on the raw connection. */
export function createSqlReads(driver: SqlDriver, options: SampleOptions) {
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
      const groups = await Promise.all([
        driver.query<WorkspaceRow>(
          `SELECT ${WORKSPACE_SELECT} FROM "Workspace" w WHERE w."status" IN ('online', 'degraded') AND w."lastHeartbeatAt" <= ? LIMIT ?`,
          [query.silentSince, query.limit],
        ),
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
      const [lastHeartbeatAt, provisioningSince, markerExpiresAt] = await Promise.all([
        // Two index seeks on (status, lastHeartbeatAt), however large the fleet.
        minimum(`SELECT MIN(w."lastHeartbeatAt") AS "at" FROM "Workspace" w WHERE w."status" IN ('online', 'degraded')`),
        minimum(`SELECT MIN(w."statusChangedAt") AS "at" FROM "Workspace" w WHERE w."status" = 'provisioning'`),
        // Only the markers that degrade a workspace: expired ones stay uncleared for good, so the whole table would grow.
        minimum(
          `SELECT MIN(m."expiresAt") AS "at" FROM "Workspace" w JOIN "Marker" m ON m."workspaceId" = w."id"
           WHERE w."status" = 'degraded' AND w."statusReasons" LIKE '%register_failure%' AND m."clearedAt" IS NULL AND m."expiresAt" > ?`,
          [now],
        ),
      ]);
      return { lastHeartbeatAt, provisioningSince, markerExpiresAt };
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
