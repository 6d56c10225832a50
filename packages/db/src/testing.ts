import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Provider } from "./database.ts";

/** A throwaway database for one test file: a SQLite file in a temp dir, or a fresh PostgreSQL database. */
export type TestDatabase = { provider: Provider; url: string; drop(): Promise<void> };
export type TestDatabaseFactory = { provider: Provider; create(): Promise<TestDatabase> };

/**
 * The databases every storage test runs on. PostgreSQL comes from ROLLCALL_TEST_POSTGRES_URL (a role allowed to
 * create databases); the README's test command and CI always set it, and under CI its absence is an error.
 */
export function testDatabases(): TestDatabaseFactory[] {
  const factories: TestDatabaseFactory[] = [{ provider: "sqlite", create: createSqlite }];
  const adminUrl = process.env.ROLLCALL_TEST_POSTGRES_URL;
  if (adminUrl) factories.push({ provider: "postgresql", create: () => createPostgres(adminUrl) });
  else if (process.env.CI) throw new Error("ROLLCALL_TEST_POSTGRES_URL must be set in CI: tests run on PostgreSQL too");
  else console.warn("ROLLCALL_TEST_POSTGRES_URL is not set: skipping PostgreSQL (npm run test:all sets it up)");
  return factories;
}

async function createSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "rollcall-test-"));
  return {
    provider: "sqlite",
    url: `file:${join(dir, "rollcall.db")}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function createPostgres(adminUrl: string): Promise<TestDatabase> {
  const name = `rollcall_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    provider: "postgresql",
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } catch (error) {
        // FORCE may not terminate an autovacuum worker (it belongs to no role the test role may signal: 42501); a
        // plain drop asks autovacuum to step aside by itself, and no session of ours is left by now.
        if ((error as { code?: string }).code !== "42501") throw error;
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await client.end();
      }
    },
  };
}
