import type { AttemptRecord, DeliveryRecord, EndpointRecord, Maintenance, NewDelivery, NotificationStore } from "@rollcall/registry-core";
import type { Query, SqlDriver } from "./sql-driver.ts";
import { insertEvents, setRegistryState } from "./sql-writes.ts";

/** Rows per multi-row statement and ids per IN list: well under both databases' bound-parameter limits. */
const CHUNK = 200;

const chunks = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
const marks = (count: number) => Array.from({ length: count }, () => "?").join(", ");

type EndpointRow = Omit<EndpointRecord, "filter" | "enabled" | "format"> & { filter: string; enabled: boolean | number; format: string };
type DeliveryRow = Omit<DeliveryRecord, "state"> & { state: string };

const endpointRecord = (row: EndpointRow): EndpointRecord => ({
  ...row,
  format: row.format as EndpointRecord["format"],
  filter: JSON.parse(row.filter) as EndpointRecord["filter"],
  enabled: Boolean(row.enabled),
});
const deliveryRecord = (row: DeliveryRow): DeliveryRecord => ({ ...row, state: row.state as DeliveryRecord["state"] });

const DELIVERY_COLUMNS = `"seq", "id", "endpointId", "lane", "type", "body", "state", "attempts", "createdAt", "nextAttemptAt", "giveUpAt", "leaseOwner", "leaseUntil", "settledAt"`;
/** The partial index's own condition, written the same way so both databases use it. */
const UNDELIVERED = `"state" IN ('pending', 'gathering')`;

async function insertDeliveries(query: Query, deliveries: NewDelivery[]): Promise<void> {
  for (const chunk of chunks(deliveries)) {
    await query(
      `INSERT INTO "NotificationDelivery" ("id", "endpointId", "lane", "type", "body", "state", "createdAt", "nextAttemptAt", "giveUpAt")
       VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      chunk.flatMap((d) => [d.id, d.endpointId, d.lane, d.type, d.body, d.state, d.createdAt, d.nextAttemptAt, d.giveUpAt]),
    );
  }
}

/**
 * The notification outbox on the raw connection, the same SQL on both databases. Claims are leases (an owner and an
 * expiry on the row), so each delivery is in flight from one process at a time on SQLite and PostgreSQL alike; on
 * PostgreSQL the claim also skips rows another process is claiming at that moment (FOR UPDATE SKIP LOCKED).
 */
export function createNotificationStore(driver: SqlDriver): NotificationStore {
  const skipLocked = driver.provider === "postgresql" ? "FOR UPDATE OF d SKIP LOCKED" : "";
  /**
   * The deliveries that may go now (parameters: now, now), oldest first: due, not leased, of an enabled endpoint, and
   * nothing before them undelivered in their lane, nor any storm group before them (a group names many workspaces,
   * so it orders against every lane); a group waits for everything before it.
   */
  const claimable = `SELECT d."seq" FROM "NotificationDelivery" d JOIN "NotificationEndpoint" p ON p."id" = d."endpointId"
    WHERE d."state" = 'pending' AND d."nextAttemptAt" <= ? AND (d."leaseUntil" IS NULL OR d."leaseUntil" < ?) AND p."enabled"
      AND NOT EXISTS (SELECT 1 FROM "NotificationDelivery" e WHERE e."endpointId" = d."endpointId" AND e."lane" = d."lane" AND e."seq" < d."seq" AND e.${UNDELIVERED})
      AND NOT EXISTS (SELECT 1 FROM "NotificationDelivery" e WHERE e."endpointId" = d."endpointId" AND e."lane" = '*' AND e."seq" < d."seq" AND e.${UNDELIVERED})
      AND (d."lane" <> '*' OR NOT EXISTS (SELECT 1 FROM "NotificationDelivery" e WHERE e."endpointId" = d."endpointId" AND e."seq" < d."seq" AND e.${UNDELIVERED}))
    ORDER BY d."seq"`;

  async function attemptsOf(seqs: number[]): Promise<Map<number, AttemptRecord[]>> {
    const bySeq = new Map<number, AttemptRecord[]>();
    for (const chunk of chunks(seqs)) {
      const rows = await driver.query<AttemptRecord>(
        `SELECT "deliverySeq", "endpointId", "attempt", "at", "statusCode", "latencyMs", "error" FROM "NotificationAttempt"
         WHERE "deliverySeq" IN (${marks(chunk.length)}) ORDER BY "id"`,
        chunk,
      );
      for (const attempt of rows) {
        const list = bySeq.get(attempt.deliverySeq) ?? [];
        list.push(attempt);
        bySeq.set(attempt.deliverySeq, list);
      }
    }
    return bySeq;
  }

  const withAttempts = async (rows: DeliveryRow[]) => {
    const attempts = await attemptsOf(rows.map((row) => row.seq));
    return rows.map((row) => ({ ...deliveryRecord(row), attemptLog: attempts.get(row.seq) ?? [] }));
  };

  return {
    async listEndpoints() {
      const rows = await driver.query<EndpointRow>(`SELECT * FROM "NotificationEndpoint" ORDER BY "createdAt", "id"`);
      return rows.map(endpointRecord);
    },

    async getEndpoint(id) {
      const [row] = await driver.query<EndpointRow>(`SELECT * FROM "NotificationEndpoint" WHERE "id" = ?`, [id]);
      return row ? endpointRecord(row) : null;
    },

    async createEndpoint(e, events) {
      await driver.transaction(async (query) => {
        await query(
          `INSERT INTO "NotificationEndpoint" ("id", "name", "url", "secret", "format", "filter", "enabled", "createdBy", "createdAt", "updatedAt")
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [e.id, e.name, e.url, e.secret, e.format, JSON.stringify(e.filter), e.enabled, e.createdBy, e.createdAt, e.updatedAt],
        );
        await insertEvents(driver.provider, query, events);
      });
    },

    async updateEndpoint(e, events) {
      return driver.transaction(async (query) => {
        const rows = await query(
          `UPDATE "NotificationEndpoint" SET "name" = ?, "url" = ?, "format" = ?, "filter" = ?, "enabled" = ?, "updatedAt" = ? WHERE "id" = ? RETURNING "id"`,
          [e.name, e.url, e.format, JSON.stringify(e.filter), e.enabled, e.updatedAt, e.id],
        );
        if (rows.length === 0) return false;
        await insertEvents(driver.provider, query, events);
        return true;
      });
    },

    async deleteEndpoint(id, events) {
      return driver.transaction(async (query) => {
        const rows = await query(`DELETE FROM "NotificationEndpoint" WHERE "id" = ? RETURNING "id"`, [id]);
        if (rows.length === 0) return false;
        await insertEvents(driver.provider, query, events);
        return true;
      });
    },

    async latestEventId() {
      const [row] = await driver.query<{ id: number | null }>(`SELECT MAX("id") AS "id" FROM "Event"`);
      return Number(row?.id ?? 0);
    },

    async maintenanceOf(workspaceIds) {
      const windows = new Map<string, Maintenance>();
      for (const chunk of chunks(workspaceIds)) {
        const rows = await driver.query<{ id: string; maintenance: string }>(
          `SELECT "id", "maintenance" FROM "Workspace" WHERE "maintenance" IS NOT NULL AND "id" IN (${marks(chunk.length)})`,
          chunk,
        );
        for (const row of rows) windows.set(row.id, JSON.parse(row.maintenance) as Maintenance);
      }
      return windows;
    },

    async gatheringGroups(ids) {
      if (ids.length === 0) return [];
      const rows = await driver.query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM "NotificationDelivery" WHERE "state" = 'gathering' AND "id" IN (${marks(ids.length)})`,
        ids,
      );
      return rows.map(deliveryRecord);
    },

    async commitFanOut(step) {
      return driver.transaction(async (query) => {
        if (!(await setRegistryState(query, step.key, step.expectedVersion, step.state))) return false;
        await insertDeliveries(query, step.create);
        for (const group of step.groups) {
          await query(
            `UPDATE "NotificationDelivery" SET "body" = ?, "state" = ?, "nextAttemptAt" = ? WHERE "id" = ? AND "endpointId" = ? AND "state" = 'gathering'`,
            [group.body, group.seal ? "pending" : "gathering", group.nextAttemptAt, group.id, group.endpointId],
          );
        }
        return true;
      });
    },

    async enqueue(delivery) {
      return driver.transaction(async (query) => {
        await insertDeliveries(query, [delivery]);
        const [row] = await query<{ seq: number }>(`SELECT MAX("seq") AS "seq" FROM "NotificationDelivery" WHERE "id" = ?`, [delivery.id]);
        return Number(row!.seq);
      });
    },

    async claimDue({ now, owner, leaseUntil, limit }) {
      // Most polls find nothing claimable: the same choice as a read answers that without the write lock a claim takes.
      if ((await driver.query(`${claimable} LIMIT 1`, [now, now])).length === 0) return [];
      const rows = await driver.transaction((query) =>
        query<DeliveryRow>(
          `UPDATE "NotificationDelivery" SET "leaseOwner" = ?, "leaseUntil" = ?
           WHERE ("leaseUntil" IS NULL OR "leaseUntil" < ?) AND "seq" IN (${claimable} LIMIT ? ${skipLocked})
           RETURNING ${DELIVERY_COLUMNS}`,
          [owner, leaseUntil, now, now, now, limit],
        ),
      );
      return rows.map(deliveryRecord).sort((a, b) => a.seq - b.seq);
    },

    async settleAttempts(settlements) {
      return driver.transaction(async (query) => {
        const settled: boolean[] = [];
        for (const { seq, owner, attempt, state, nextAttemptAt } of settlements) {
          // The attempt happened whoever holds the lease now: the log keeps it either way, unless the endpoint and its
          // log were deleted meanwhile.
          const [exists] = await query(`SELECT 1 AS "exists" FROM "NotificationDelivery" WHERE "seq" = ?`, [seq]);
          if (exists === undefined) {
            settled.push(false);
            continue;
          }
          await query(
            `INSERT INTO "NotificationAttempt" ("deliverySeq", "endpointId", "attempt", "at", "statusCode", "latencyMs", "error") VALUES (?, ?, ?, ?, ?, ?, ?)`,
            [seq, attempt.endpointId, attempt.attempt, attempt.at, attempt.statusCode, attempt.latencyMs, attempt.error],
          );
          const final = state === "delivered" || state === "failed";
          const changed = await driver.execute(
            query,
            `UPDATE "NotificationDelivery" SET "state" = ?, "attempts" = "attempts" + 1, "nextAttemptAt" = ?, "leaseOwner" = NULL, "leaseUntil" = NULL, "settledAt" = ?
             WHERE "seq" = ? AND "leaseOwner" = ?`,
            [state, nextAttemptAt, final ? attempt.at + attempt.latencyMs : null, seq, owner],
          );
          settled.push(changed === 1);
        }
        return settled;
      });
    },

    async listDeliveries(endpointId, page) {
      const rows = await driver.query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM "NotificationDelivery" WHERE "endpointId" = ? ${page.before ? `AND "seq" < ?` : ""} ORDER BY "seq" DESC LIMIT ?`,
        page.before ? [endpointId, page.before, page.limit] : [endpointId, page.limit],
      );
      return withAttempts(rows);
    },

    async findDelivery(endpointId, id) {
      const rows = await driver.query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM "NotificationDelivery" WHERE "id" = ? AND "endpointId" = ? ORDER BY "seq" DESC LIMIT 1`,
        [id, endpointId],
      );
      return (await withAttempts(rows))[0] ?? null;
    },

    async pruneSettled(olderThan) {
      return driver.transaction((query) =>
        driver.execute(query, `DELETE FROM "NotificationDelivery" WHERE "state" IN ('delivered', 'failed') AND "settledAt" < ?`, [olderThan]),
      );
    },

    async queueStats() {
      const [row] = await driver.query<{ depth: number | string; oldest: number | null }>(
        `SELECT COUNT(*) AS "depth", MIN("createdAt") AS "oldest" FROM "NotificationDelivery" WHERE ${UNDELIVERED}`,
      );
      return { depth: Number(row?.depth ?? 0), oldestCreatedAt: row?.oldest ?? null };
    },
  };
}
