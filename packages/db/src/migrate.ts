import Sqlite from "better-sqlite3";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { providerOf, type Provider } from "./database.ts";

/** The SQL migrations: beside the source in this package, or copied into the server's build (apps/server/dist). */
const PRISMA_DIR = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "../prisma" : "./prisma", import.meta.url));
const MIGRATIONS_TABLE = "_rollcall_migrations";
/** Any constant works; it only has to be the same in every server process. */
const MIGRATION_LOCK_KEY = 727_390_001;

export type Migration = { name: string; sql: string; checksum: string };

/** Prisma's layout: `<dir>/<timestamp>_<name>/migration.sql`, applied in name order. */
export function migrationsFor(provider: Provider): Migration[] {
  const dir = provider === "sqlite" ? join(PRISMA_DIR, "migrations") : join(PRISMA_DIR, "postgres/migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Applies the pending migrations and records each one. Idempotent; on PostgreSQL it holds an advisory lock and
 * runs in one transaction, so several server processes starting at once apply each migration exactly once.
 * A recorded migration whose file changed is an error, not something to paper over.
 */
export async function migrate(url: string): Promise<string[]> {
  return providerOf(url) === "sqlite" ? migrateSqlite(url) : migratePostgres(url);
}

/**
 * Why a tool that works on an existing database (operator:add) must not use this one, or null when it is set up.
 * It creates nothing: a missing SQLite file stays missing, an empty PostgreSQL database stays empty. Only the server
 * creates and migrates a database.
 */
export async function unreadyReason(url: string): Promise<string | null> {
  const applied = providerOf(url) === "sqlite" ? appliedSqlite(url.slice("file:".length)) : await appliedPostgres(url);
  const where = withoutCredentials(url);
  if (applied === "missing") return `no Rollcall database at ${where}: start the server against it once (it creates and migrates it), or set DATABASE_URL`;
  const todo = pending(applied, migrationsFor(providerOf(url))).map((m) => m.name);
  return todo.length === 0 ? null : `the database at ${where} is missing migrations (${todo.join(", ")}): start the current server against it once`;
}

/** A database URL fit for a message: of a PostgreSQL URL only its host and database (credentials may also sit in its query). */
function withoutCredentials(url: string): string {
  if (providerOf(url) === "sqlite") return url;
  const { protocol, host, pathname } = new URL(url);
  return `${protocol}//${host}${pathname}`;
}

function appliedSqlite(file: string): Map<string, string> | "missing" {
  if (!existsSync(file)) return "missing";
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE);
    if (table === undefined) return "missing";
    const rows = db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[];
    return new Map(rows.map((r) => [r.name, r.checksum]));
  } finally {
    db.close();
  }
}

async function appliedPostgres(url: string): Promise<Map<string, string> | "missing"> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: exists } = await client.query<{ table: string | null }>(`SELECT to_regclass($1) AS table`, [`"${MIGRATIONS_TABLE}"`]);
    if (exists[0]?.table == null) return "missing";
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
    return new Map(rows.map((r) => [r.name, r.checksum]));
  } finally {
    await client.end();
  }
}

function pending(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new Error(`migration ${migration.name} was changed after it was applied`);
    }
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

function migrateSqlite(url: string): Promise<string[]> {
  const db = new Sqlite(url.slice("file:".length), { timeout: 10_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    // SQLite changes a constraint by rebuilding the table; with foreign keys on, dropping the old table would cascade
    // to every row that references it. Off for the migrations (it cannot change inside a transaction), checked after.
    db.pragma("foreign_keys = OFF");
    // IMMEDIATE takes the write lock up front, so a second process waits instead of racing.
    const run = db.transaction(() => {
      const rows = db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[];
      const todo = pending(new Map(rows.map((r) => [r.name, r.checksum])), migrationsFor("sqlite"));
      for (const migration of todo) {
        db.exec(migration.sql);
        db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`).run(
          migration.name,
          migration.checksum,
          new Date().toISOString(),
        );
      }
      const broken = db.pragma("foreign_key_check") as unknown[];
      if (broken.length > 0) throw new Error(`the migrations left ${broken.length} rows whose references are broken`);
      return todo.map((m) => m.name);
    });
    return Promise.resolve(run.immediate());
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
    const todo = pending(new Map(rows.map((r) => [r.name, r.checksum])), migrationsFor("postgresql"));
    for (const migration of todo) {
      await client.query(migration.sql);
      await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
    }
    await client.query("COMMIT");
    return todo.map((m) => m.name);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Code migrations hold this lock while they run, so one process applies each and the others wait for it. Distinct
 * from the migration lock above and from sql-writes' event-order lock (727_390_002), which a code migration's own
 * writes take. */
const CODE_MIGRATION_LOCK_KEY = 727_390_003;

/**
 * A migration written in code, because it needs the domain's rules (re-checking stored URLs with today's
 * validator): recorded in the same table as the SQL migrations and applied once, after them. On PostgreSQL one
 * process runs it under an advisory lock while the others wait; on SQLite a second process starting at the same
 * moment may run it too, so `run` must be idempotent (conditional writes make it so). True when it ran here.
 */
export async function applyCodeMigration(url: string, name: string, run: () => Promise<void>): Promise<boolean> {
  if (providerOf(url) === "sqlite") {
    const file = url.slice("file:".length);
    const recorded = () => withSqlite(file, (db) => db.prepare(`SELECT 1 FROM "${MIGRATIONS_TABLE}" WHERE name = ?`).get(name) !== undefined);
    if (recorded()) return false;
    await run();
    withSqlite(file, (db) =>
      db.prepare(`INSERT OR IGNORE INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, 'code', ?)`).run(name, new Date().toISOString()),
    );
    return true;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [CODE_MIGRATION_LOCK_KEY]);
    const { rowCount } = await client.query(`SELECT 1 FROM "${MIGRATIONS_TABLE}" WHERE name = $1`, [name]);
    if (rowCount) return false;
    await run();
    await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, 'code') ON CONFLICT DO NOTHING`, [name]);
    return true;
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end();
  }
}

function withSqlite<T>(file: string, use: (db: Sqlite.Database) => T): T {
  const db = new Sqlite(file, { timeout: 10_000 });
  try {
    return use(db);
  } finally {
    db.close();
  }
}
