import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { openSqlDriver, type SqlDriver, type SqliteSynchronous } from "./sql-driver.ts";

export type Provider = "sqlite" | "postgresql";

/**
 * Both generated clients come from the same schema (only the provider differs), so their model APIs are the
 * same; the store is written once against this type.
 */
export type Db = SqliteClient;

export type Database = {
  provider: Provider;
  /** The connection string, for the migrator and for processes that need their own connection. */
  url: string;
  prisma: Db;
  /** The raw connection writes go through (one multi-row statement per table per batch); the server's SQLite
   * writer thread opens its own on the same file. */
  sql: SqlDriver;
  /** SQLite's durability setting, for every connection opened on this database (the writer thread's too). */
  sqliteSynchronous: SqliteSynchronous;
  close(): Promise<void>;
};

export const DEFAULT_DATABASE_URL = "file:./data/rollcall.db";

export function providerOf(url: string): Provider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`unsupported DATABASE_URL scheme (use file:… or postgres://…): ${url.split(":")[0]}`);
}

/** One Prisma client per process, chosen by the URL: `file:` is SQLite (the default), `postgres://` PostgreSQL. */
export async function openDatabase(url: string = DEFAULT_DATABASE_URL, options: { sqliteSynchronous?: SqliteSynchronous } = {}): Promise<Database> {
  const provider = providerOf(url);
  if (provider === "sqlite") {
    const file = resolve(url.slice("file:".length));
    mkdirSync(dirname(file), { recursive: true });
    // `timeout` is better-sqlite3's busy timeout: the console and the server share the file.
    const sqliteSynchronous = options.sqliteSynchronous ?? "full";
    const sql = openSqlDriver(provider, `file:${file}`, sqliteSynchronous);
    // Prisma reads on its own connection; WAL lets it read beside the writer. `timeout` is the busy timeout.
    const prisma = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5_000 }) });
    return { provider, url: `file:${file}`, prisma, sql, sqliteSynchronous, close: async () => (await prisma.$disconnect(), await sql.close()) };
  }
  const sql = openSqlDriver(provider, url);
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
  const prisma = client as unknown as Db;
  return { provider, url, prisma, sql, sqliteSynchronous: "full", close: async () => (await client.$disconnect(), await sql.close()) };
}
