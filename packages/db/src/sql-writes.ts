import {
  RegistryError,
  type AvailabilityDay,
  type Marker,
  type NewEvent,
  type NewToken,
  type WorkspaceChange,
  type WorkspacePatch,
  type WorkspaceRecord,
} from "@rollcall/registry-core";
import type { Provider } from "./database.ts";
import type { Query, SqlDriver } from "./sql-driver.ts";

/** Serialises event inserts on PostgreSQL so event ids commit in id order; a tailing reader never skips one. */
const EVENT_ORDER_LOCK = 727_390_002;
/** Rows per multi-row statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 200;

type ColumnType = "text" | "json" | "float8" | "int4" | "bool";

/** Every column a change may write, with its type (PostgreSQL needs casts on VALUES; JSON is stored as text). */
const WORKSPACE_COLUMNS = {
  name: "text",
  url: "text",
  deliveryMode: "text",
  agentCard: "json",
  status: "text",
  statusReasons: "json",
  statusChangedAt: "float8",
  lastHeartbeatAt: "float8",
  lastErrorRate: "float8",
  lastSampleError: "text",
  activeTasks: "int4",
  uptimeSeconds: "float8",
  currentTask: "text",
  runtimeState: "text",
  statusManaged: "bool",
  pendingRestartContext: "json",
  recentTransitions: "json",
  maintenance: "json",
  removedAt: "float8",
} as const satisfies Record<keyof WorkspacePatch, ColumnType>;
type PatchColumn = keyof typeof WORKSPACE_COLUMNS;

const q = (name: string) => `"${name}"`;

function encode(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return type === "json" ? JSON.stringify(value) : value;
}

/** One VALUES tuple of `?` placeholders; PostgreSQL gets casts, because VALUES rows carry no column types. */
function valuesTuple(provider: Provider, types: ColumnType[]): string {
  const cast = (type: ColumnType) => (provider === "postgresql" ? `::${type === "json" ? "text" : type}` : "");
  return `(${types.map((t) => `?${cast(t)}`).join(", ")})`;
}

/** Appends events inside the caller's transaction; every writer of the change feed goes through here. */
export async function insertEvents(provider: Provider, query: Query, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (provider === "postgresql") await query(`SELECT pg_advisory_xact_lock(${EVENT_ORDER_LOCK})::text`);
  for (let start = 0; start < events.length; start += CHUNK) {
    const chunk = events.slice(start, start + CHUNK);
    await query(
      `INSERT INTO "Event" ("type", "workspaceId", "actor", "payload", "at") VALUES ${chunk.map(() => valuesTuple(provider, ["text", "text", "text", "text", "float8"])).join(", ")}`,
      chunk.flatMap((e) => [e.type, e.workspaceId, e.actor, JSON.stringify(e.payload), e.at]),
    );
  }
}

/**
 * Compare-and-set of one registry-wide record inside the caller's transaction: version 0 means absent. False when
 * another writer got there first (the insert conflicts, or the version moved on).
 */
export async function setRegistryState(query: Query, key: string, expectedVersion: number, value: unknown): Promise<boolean> {
  const json = JSON.stringify(value);
  const rows =
    expectedVersion === 0
      ? await query(`INSERT INTO "RegistryState" ("key", "value", "version") VALUES (?, ?, 1) ON CONFLICT ("key") DO NOTHING RETURNING "key"`, [key, json])
      : await query(`UPDATE "RegistryState" SET "value" = ?, "version" = "version" + 1 WHERE "key" = ? AND "version" = ? RETURNING "key"`, [
          json,
          key,
          expectedVersion,
        ]);
  return rows.length === 1;
}

/** Width of one timeline slot: a workspace keeps one sample per slot, the newest. */
export type SampleOptions = { sampleSlotMs: number };
export type SqlWrites = ReturnType<typeof createSqlWrites>;

export function createSqlWrites(driver: SqlDriver, options: SampleOptions) {
  const isPostgres = driver.provider === "postgresql";
  const placeholders = (types: ColumnType[]) => valuesTuple(driver.provider, types);

  /**
   * The columns a change writes: the key of its UPDATE statement. PostgreSQL groups a batch by it (one multi-row
   * UPDATE per column set), so there the order must not split a group; SQLite prepares one statement per patch
   * shape, and a code path builds its patches alike, so it skips the sort.
   */
  const columnSetOf = (change: WorkspaceChange) => (isPostgres ? Object.keys(change.patch).sort() : Object.keys(change.patch)).join(",");
  const columnsOf = (columnSet: string) => (columnSet ? columnSet.split(",") : []) as PatchColumn[];

  /** What a conditional row update sets: the patch's columns (each from `valueOf`), the version bumped, `updatedAt`. */
  const setClause = (columns: PatchColumn[], valueOf: (column: string) => string, at: string) =>
    [...columns.map((c) => `${q(c)} = ${valueOf(q(c))}`), `"version" = "version" + 1`, `"updatedAt" = ${at}`].join(", ");

  // Statement texts by shape (statement, column set, row count), built once: the drivers' statement caches are keyed
  // by the text, and a string already built and hashed is found at once.
  const texts = new Map<string, string>();
  const statementText = (shape: string, build: () => string) => {
    let text = texts.get(shape);
    if (text === undefined) {
      if (texts.size >= 2_000) texts.clear();
      texts.set(shape, (text = build()));
    }
    return text;
  };

  /** The conditional UPDATE of `count` rows of one column set: `v` holds the rows, the UPDATE returns the ids whose version matched. */
  function rowUpdate(columnSet: string, count: number, from = "v") {
    const columns = columnsOf(columnSet);
    const types: ColumnType[] = ["text", "int4", "float8", ...columns.map((c) => WORKSPACE_COLUMNS[c])];
    return {
      // The CTE form of VALUES works on both databases (SQLite rejects a column list after `AS v`).
      rows: `v ("id", "expected", "at"${columns.map((c) => `, ${q(c)}`).join("")}) AS (VALUES ${Array.from({ length: count }, () => placeholders(types)).join(", ")})`,
      update: `UPDATE "Workspace" SET ${setClause(columns, (c) => `v.${c}`, `v."at"`)} FROM ${from}
        WHERE "Workspace"."id" = v."id" AND "Workspace"."version" = v."expected" RETURNING "Workspace"."id" AS "id"`,
    };
  }

  const rowParams = (columnSet: string, chunk: WorkspaceChange[]) => {
    const columns = columnsOf(columnSet);
    return chunk.flatMap((change) => [
      change.workspaceId,
      change.expectedVersion,
      change.at,
      ...columns.map((column) => encode(WORKSPACE_COLUMNS[column], change.patch[column])),
    ]);
  };

  /**
   * SQLite: each row's conditional UPDATE and its sample, as prepared statements run at once. With no round trips to
   * save, the multi-row statements only added work: a VALUES table joined to the rows, a promise per statement, and a
   * statement to prepare for every batch size. Writer CPU per heartbeat under load went from about 19 to 16 µs
   * (BENCHMARKS.md). Returns the changes whose version matched.
   */
  function writeRowsNow(runNow: NonNullable<SqlDriver["runNow"]>, changes: WorkspaceChange[]): Set<WorkspaceChange> {
    const won = new Set<WorkspaceChange>();
    for (const change of changes) {
      const columnSet = columnSetOf(change);
      const columns = columnsOf(columnSet);
      const sql = statementText(
        `update-row|${columnSet}`,
        () => `UPDATE "Workspace" SET ${setClause(columns, () => "?", "?")} WHERE "id" = ? AND "version" = ?`,
      );
      const params = columns.map((column) => encode(WORKSPACE_COLUMNS[column], change.patch[column]));
      params.push(change.at, change.workspaceId, change.expectedVersion);
      if (runNow(sql, params) !== 1) continue;
      won.add(change);
      if (change.sample) runNow(SAMPLE_UPSERT_ONE, sampleParams([change]));
    }
    return won;
  }

  /** PostgreSQL: one conditional UPDATE for every change with the same set of columns, returning the rows whose version
   * still matched. */
  async function updateRows(query: Query, changes: WorkspaceChange[]): Promise<Set<string>> {
    const committed = new Set<string>();
    const groups = new Map<string, WorkspaceChange[]>();
    for (const change of changes) {
      const key = columnSetOf(change);
      groups.set(key, [...(groups.get(key) ?? []), change]);
    }
    for (const [key, group] of groups) {
      for (let start = 0; start < group.length; start += CHUNK) {
        const chunk = group.slice(start, start + CHUNK);
        const sql = statementText(`update|${key}|${chunk.length}`, () => {
          const { rows, update } = rowUpdate(key, chunk.length);
          return `WITH ${rows} ${update}`;
        });
        for (const row of await query<{ id: string }>(sql, rowParams(key, chunk))) committed.add(row.id);
      }
    }
    return committed;
  }

  async function upsertMarkers(query: Query, markers: Marker[]): Promise<void> {
    for (const m of markers) {
      await query(
        `INSERT INTO "Marker" ("id", "workspaceId", "kind", "reason", "detail", "setAt", "expiresAt", "clearedAt", "clearedBy", "clearReason")
         VALUES ${placeholders(["text", "text", "text", "text", "text", "float8", "float8", "float8", "text", "text"])}
         ON CONFLICT ("id") DO UPDATE SET "reason" = excluded."reason", "detail" = excluded."detail", "setAt" = excluded."setAt",
           "expiresAt" = excluded."expiresAt", "clearedAt" = excluded."clearedAt", "clearedBy" = excluded."clearedBy", "clearReason" = excluded."clearReason"`,
        [m.id, m.workspaceId, m.kind, m.reason, m.detail, m.setAt, m.expiresAt, m.clearedAt, m.clearedBy, m.clearReason],
      );
    }
  }

  async function insertToken(query: Query, workspaceId: string, token: NewToken): Promise<void> {
    await query(
      `INSERT INTO "WorkspaceToken" ("id", "workspaceId", "tokenHash", "prefix", "createdAt") VALUES ${placeholders(["text", "text", "text", "text", "float8"])}`,
      [token.id, workspaceId, token.tokenHash, token.prefix, token.createdAt],
    );
  }

  const slotOf = (at: number) => Math.floor(at / options.sampleSlotMs);
  const SAMPLE_TYPES: ColumnType[] = ["int4", "text", "float8", "float8", "int4", "text"];
  const SAMPLE_UPSERT = `ON CONFLICT ("slot", "workspaceId") DO UPDATE SET "at" = excluded."at", "errorRate" = excluded."errorRate",
    "activeTasks" = excluded."activeTasks", "status" = excluded."status"`;
  const SAMPLE_INSERT = `INSERT INTO "HeartbeatSample" ("slot", "workspaceId", "at", "errorRate", "activeTasks", "status")`;
  const SAMPLE_UPSERT_ONE = `${SAMPLE_INSERT} VALUES ${placeholders(SAMPLE_TYPES)} ${SAMPLE_UPSERT}`;
  const sampleParams = (changes: WorkspaceChange[]) =>
    changes.flatMap((c) => (c.sample ? [slotOf(c.sample.at), c.workspaceId, c.sample.at, c.sample.errorRate, c.sample.activeTasks, c.sample.status] : []));

  async function upsertSamples(query: Query, changes: WorkspaceChange[]): Promise<void> {
    const sampled = changes.filter((c) => c.sample);
    for (let start = 0; start < sampled.length; start += CHUNK) {
      const chunk = sampled.slice(start, start + CHUNK);
      const sql = statementText(
        `samples|${chunk.length}`,
        () => `${SAMPLE_INSERT} VALUES ${chunk.map(() => placeholders(SAMPLE_TYPES)).join(", ")} ${SAMPLE_UPSERT}`,
      );
      await query(sql, sampleParams(chunk));
    }
  }

  /**
   * PostgreSQL, a batch of row patches and samples only (a steady fleet's heartbeats): one statement, so one round
   * trip and one implicit transaction instead of five. `locked` takes the row locks in id order before the UPDATE
   * touches a row (the UPDATE joins it), as the transaction's first statement does; samples are written only for
   * the rows whose version matched.
   */
  async function commitRowsAndSamples(columnSet: string, sorted: WorkspaceChange[]): Promise<Set<string>> {
    const sampled = sorted.filter((c) => c.sample);
    const sql = statementText(`rows-and-samples|${columnSet}|${sorted.length}|${sampled.length}`, () => {
      const { rows, update } = rowUpdate(columnSet, sorted.length, `v JOIN locked ON locked."id" = v."id"`);
      const samples =
        sampled.length === 0
          ? ""
          : `,
        s ("slot", "workspaceId", "at", "errorRate", "activeTasks", "status") AS (VALUES ${sampled.map(() => placeholders(SAMPLE_TYPES)).join(", ")}),
        samples AS (${SAMPLE_INSERT}
          SELECT s."slot", s."workspaceId", s."at", s."errorRate", s."activeTasks", s."status" FROM s JOIN updated ON updated."id" = s."workspaceId"
          ${SAMPLE_UPSERT})`;
      return `WITH ${rows},
        locked AS (SELECT w."id" FROM "Workspace" w JOIN v ON w."id" = v."id" ORDER BY w."id" FOR UPDATE OF w),
        updated AS (${update})${samples}
       SELECT "id" FROM updated`;
    });
    const updated = await driver.autocommit<{ id: string }>(sql, [...rowParams(columnSet, sorted), ...sampleParams(sampled)]);
    return new Set(updated.map((row) => row.id));
  }

  return {
    /**
     * Group commit in one transaction. On PostgreSQL row updates go first, in workspace-id order, and the event-order
     * lock last, so concurrent batches (from this or another server process) always lock in the same order and cannot
     * deadlock; SQLite writes one transaction at a time, so there the rows keep their order.
     */
    async commitMany(changes: WorkspaceChange[]): Promise<boolean[]> {
      if (changes.length === 0) return [];
      // One change per workspace per batch: a second one was decided on the same snapshot (or must see the first's
      // result), so it reports a lost race and its caller decides again.
      const firstPerWorkspace = new Map<string, WorkspaceChange>();
      for (const change of changes) if (!firstPerWorkspace.has(change.workspaceId)) firstPerWorkspace.set(change.workspaceId, change);
      const rows = [...firstPerWorkspace.values()];
      if (isPostgres) rows.sort((a, b) => (a.workspaceId < b.workspaceId ? -1 : a.workspaceId > b.workspaceId ? 1 : 0));
      if (isPostgres && rows.length <= CHUNK) {
        const columnSet = columnSetOf(rows[0]!);
        if (rows.every((c) => c.events.length === 0 && !c.upsertMarkers?.length && !c.tokens && columnSetOf(c) === columnSet)) {
          const ids = await commitRowsAndSamples(columnSet, rows);
          return changes.map((change) => firstPerWorkspace.get(change.workspaceId) === change && ids.has(change.workspaceId));
        }
      }
      const committed = await driver.transaction(async (query) => {
        // PostgreSQL: lock the rows in id order first, so concurrent batches (several statements each, grouped by
        // column set) always wait for each other in the same order and cannot deadlock.
        if (isPostgres) {
          await query(
            `SELECT 1 FROM "Workspace" WHERE "id" IN (${rows.map(() => "?").join(", ")}) ORDER BY "id" FOR UPDATE`,
            rows.map((c) => c.workspaceId),
          );
        }
        let won: Set<WorkspaceChange>;
        if (driver.runNow) won = writeRowsNow(driver.runNow, rows);
        else {
          const ids = await updateRows(query, rows);
          won = new Set(rows.filter((change) => ids.has(change.workspaceId)));
          await upsertSamples(
            query,
            rows.filter((c) => won.has(c)),
          );
        }
        for (const change of rows) {
          if (!won.has(change)) continue;
          await upsertMarkers(query, change.upsertMarkers ?? []);
          if (change.tokens?.revokeAll) {
            await query(`UPDATE "WorkspaceToken" SET "revokedAt" = ? WHERE "workspaceId" = ? AND "revokedAt" IS NULL`, [change.at, change.workspaceId]);
          }
          if (change.tokens?.issue) await insertToken(query, change.workspaceId, change.tokens.issue);
        }
        await insertEvents(
          driver.provider,
          query,
          changes.filter((c) => won.has(c)).flatMap((c) => c.events),
        );
        return won;
      });
      return changes.map((change) => committed.has(change));
    },

    async createWorkspace(workspace: WorkspaceRecord, token: NewToken, events: NewEvent[]): Promise<void> {
      const columns = Object.keys(WORKSPACE_COLUMNS) as PatchColumn[];
      const all: [string, ColumnType, unknown][] = [
        ["id", "text", workspace.id],
        ["version", "int4", workspace.version],
        ["createdAt", "float8", workspace.createdAt],
        ["updatedAt", "float8", workspace.updatedAt],
        ...columns.map((c): [string, ColumnType, unknown] => [c, WORKSPACE_COLUMNS[c], encode(WORKSPACE_COLUMNS[c], workspace[c])]),
      ];
      try {
        await driver.transaction(async (query) => {
          await query(
            `INSERT INTO "Workspace" (${all.map(([c]) => q(c)).join(", ")}) VALUES ${placeholders(all.map(([, t]) => t))}`,
            all.map(([, , v]) => v),
          );
          await insertToken(query, workspace.id, token);
          await insertEvents(driver.provider, query, events);
        });
      } catch (error) {
        // Two first registers of one id under open registration: the loser learns it lost, not "internal error".
        const { constraint, message } = error as { constraint?: unknown; message?: unknown };
        if (constraint === "Workspace_pkey" || (typeof message === "string" && message.includes("Workspace.id"))) {
          throw new RegistryError("conflict", "a workspace with this id already exists");
        }
        throw error;
      }
    },

    async commitRegistryState(key: string, expectedVersion: number, value: unknown, events: NewEvent[]): Promise<boolean> {
      return driver.transaction(async (query) => {
        if (!(await setRegistryState(query, key, expectedVersion, value))) return false;
        await insertEvents(driver.provider, query, events);
        return true;
      });
    },

    async commitRollup(watermark: { key: string; expectedVersion: number; value: unknown }, rows: AvailabilityDay[]): Promise<boolean> {
      return driver.transaction(async (query) => {
        if (!(await setRegistryState(query, watermark.key, watermark.expectedVersion, watermark.value))) return false;
        const types: ColumnType[] = ["text", "int4", "text", "text", "text", "float8"];
        for (let start = 0; start < rows.length; start += CHUNK) {
          const chunk = rows.slice(start, start + CHUNK);
          await query(
            `INSERT INTO "AvailabilityDay" ("workspaceId", "day", "start", "hours", "end", "through") VALUES ${chunk.map(() => placeholders(types)).join(", ")}
             ON CONFLICT ("workspaceId", "day") DO UPDATE SET "start" = excluded."start", "hours" = excluded."hours", "end" = excluded."end", "through" = excluded."through"`,
            chunk.flatMap((row) => [row.workspaceId, row.day, JSON.stringify(row.start), JSON.stringify(row.hours), JSON.stringify(row.end), row.through]),
          );
        }
        return true;
      });
    },

    async pruneAvailability(beforeDay: number): Promise<number> {
      return driver.transaction((query) => driver.execute(query, `DELETE FROM "AvailabilityDay" WHERE "day" < ?`, [beforeDay]));
    },

    /** Drops the slots that ended before `olderThan`: one range at the start of the slot-first key. */
    async pruneSamples(olderThan: number): Promise<number> {
      return driver.transaction((query) => driver.execute(query, `DELETE FROM "HeartbeatSample" WHERE "slot" < ?`, [slotOf(olderThan)]));
    },
  };
}
