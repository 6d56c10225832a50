import Sqlite from "better-sqlite3";
import { WORKSPACE_STATUSES } from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import pg from "pg";
import { Prisma } from "./generated/sqlite/client.ts";
import { migrate, migrationsFor } from "./migrate.ts";
import { testDatabases, type TestDatabase } from "./testing.ts";

type Columns = Record<string, string[]>;

/** Tables and columns the Prisma schema declares, read from the generated client. */
function declaredColumns(): Columns {
  const enums = Prisma as unknown as Record<string, Record<string, string>>;
  return Object.fromEntries(Object.values(Prisma.ModelName).map((model) => [model, Object.values(enums[`${model}ScalarFieldEnum`] ?? {}).sort()]));
}

async function actualColumns(db: TestDatabase): Promise<Columns> {
  const rows: { table_name: string; column_name: string }[] = [];
  if (db.provider === "sqlite") {
    const sqlite = new Sqlite(db.url.slice("file:".length), { readonly: true });
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    for (const { name } of tables) {
      for (const column of sqlite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]) {
        rows.push({ table_name: name, column_name: column.name });
      }
    }
    sqlite.close();
  } else {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const result = await client.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
    );
    rows.push(...result.rows);
    await client.end();
  }
  const columns: Columns = {};
  for (const row of rows) {
    if (row.table_name === "_rollcall_migrations") continue;
    (columns[row.table_name] ??= []).push(row.column_name);
  }
  for (const table of Object.keys(columns)) columns[table]?.sort();
  return columns;
}

async function rejectsStatus(db: TestDatabase, status: string): Promise<boolean> {
  const insert = `INSERT INTO "Workspace" (id, name, status, "statusChangedAt", "createdAt", "updatedAt") VALUES ('w-${status}', 'w', '${status}', 0, 0, 0)`;
  try {
    if (db.provider === "sqlite") {
      const sqlite = new Sqlite(db.url.slice("file:".length));
      try {
        sqlite.exec(insert);
      } finally {
        sqlite.close();
      }
    } else {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(insert);
      } finally {
        await client.end();
      }
    }
    return false;
  } catch {
    return true;
  }
}

for (const factory of testDatabases()) {
  describe(`migrations on ${factory.provider}`, () => {
    const dbs: TestDatabase[] = [];
    after(async () => Promise.all(dbs.map((db) => db.drop())));

    it("the migrated database has exactly the tables and columns the Prisma schema declares", async () => {
      const db = await factory.create();
      dbs.push(db);
      await migrate(db.url);
      assert.deepEqual(await actualColumns(db), declaredColumns());
    });

    it("is idempotent and records each migration once", async () => {
      const db = await factory.create();
      dbs.push(db);
      assert.deepEqual(
        await migrate(db.url),
        migrationsFor(factory.provider).map((m) => m.name),
      );
      assert.deepEqual(await migrate(db.url), []);
    });

    it("two migrators starting at once apply each migration exactly once", async () => {
      const db = await factory.create();
      dbs.push(db);
      const [first, second] = await Promise.all([migrate(db.url), migrate(db.url)]);
      assert.equal(first.length + second.length, migrationsFor(factory.provider).length);
      assert.deepEqual(await actualColumns(db), declaredColumns());
    });

    it("the status CHECK allows exactly the statuses the code knows (enum-drift guard)", async () => {
      const db = await factory.create();
      dbs.push(db);
      await migrate(db.url);
      for (const status of WORKSPACE_STATUSES) assert.equal(await rejectsStatus(db, status), false, status);
      for (const status of ["awaiting_agent", "paused", "hibernated", "ONLINE"]) assert.equal(await rejectsStatus(db, status), true, status);
    });
  });
}
