import Sqlite from "better-sqlite3";
import pg from "pg";
import type { Provider } from "./database.ts";

export type Query = <Row = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<Row[]>;

/**
 * The raw connection every write goes through. Statements use `?` placeholders; the PostgreSQL driver numbers
 * them. On SQLite this is the process's only writing connection and its transactions are serialised, so a write
 * lock is never held while another write on the same process waits for it.
 */
export type SqlDriver = {
  provider: Provider;
  /** Reads committed data only (on SQLite: its own connection, never inside a write transaction). */
  query: Query;
  /** One statement, atomic on its own: on PostgreSQL one round trip, where a transaction costs three more. */
  autocommit: Query;
  /** A statement's affected-row count, inside a transaction. */
  execute(run: Query, sql: string, params?: unknown[]): Promise<number>;
  /** SQLite only: a write statement run at once inside the current transaction, its affected-row count returned
   * without a promise (the heartbeat batch runs two per row). */
  runNow?(sql: string, params: unknown[]): number;
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/**
 * SQLite durability: "full" (the default) fsyncs every commit, so an answered heartbeat survives a power cut;
 * "normal" (WAL) survives a crash of the process but may lose the last commits to a power cut, and skips the fsync
 * that dominates a commit's cost on small disks.
 */
export type SqliteSynchronous = "full" | "normal";

export function openSqlDriver(provider: Provider, url: string, synchronous: SqliteSynchronous = "full"): SqlDriver {
  return provider === "sqlite" ? sqliteDriver(url.slice("file:".length), synchronous) : postgresDriver(url);
}

/** Prepared statements per connection; cleared when full (multi-row statements, such as a batch's events, vary with
 * their row count). */
const STATEMENT_CACHE = 500;

function sqliteDriver(file: string, synchronous: SqliteSynchronous): SqlDriver {
  // Each connection opens on first use: the server's request thread only reads, its writer thread only writes.
  let writer: Sqlite.Database | undefined;
  let reader: Sqlite.Database | undefined;
  const writerConnection = () => {
    if (!writer) {
      writer = new Sqlite(file, { timeout: 5_000 });
      writer.pragma("journal_mode = WAL");
      writer.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
      writer.pragma("foreign_keys = ON");
    }
    return writer;
  };
  // A second connection for reads: WAL shows it only committed data, even while the writer is mid-transaction.
  const readerConnection = () => (reader ??= new Sqlite(file, { timeout: 5_000 }));
  // better-sqlite3 binds no booleans: store them as SQLite does, 0 and 1.
  const bind = (params: unknown[]) => params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p));
  const preparer = (connection: () => Sqlite.Database) => {
    const statements = new Map<string, Sqlite.Statement>();
    return (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE) statements.clear();
        statements.set(sql, (statement = connection().prepare(sql)));
      }
      return statement;
    };
  };
  const queryOn =
    (prepare: (sql: string) => Sqlite.Statement): Query =>
    async <Row>(sql: string, params: unknown[] = []) => {
      const statement = prepare(sql);
      if (statement.reader) return statement.all(...bind(params)) as Row[];
      statement.run(...bind(params));
      return [];
    };
  const prepareWrite = preparer(writerConnection);
  const write = queryOn(prepareWrite);
  const runNow = (sql: string, params: unknown[]) => prepareWrite(sql).run(...bind(params)).changes;
  let tail: Promise<unknown> = Promise.resolve();
  const driver: SqlDriver = {
    provider: "sqlite",
    query: queryOn(preparer(readerConnection)),
    autocommit: (sql, params) => driver.transaction((run) => run(sql, params)),
    execute: async (_run, sql, params = []) => runNow(sql, params),
    runNow,
    transaction<T>(work: (q: Query) => Promise<T>): Promise<T> {
      const run = async () => {
        // IMMEDIATE takes the write lock up front (waiting out another process's writer), so the transaction
        // never fails halfway on a lock upgrade.
        const connection = writerConnection();
        connection.exec("BEGIN IMMEDIATE");
        try {
          const result = await work(write);
          connection.exec("COMMIT");
          return result;
        } catch (error) {
          if (connection.inTransaction) connection.exec("ROLLBACK");
          throw error;
        }
      };
      const result = tail.then(run, run);
      tail = result.catch(() => undefined);
      return result;
    },
    close: async () => {
      reader?.close();
      writer?.close();
    },
  };
  return driver;
}

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * PostgreSQL statements run as named prepared statements, so each connection parses and plans a statement once
 * instead of on every batch (half of PostgreSQL's CPU per heartbeat batch was parse and plan, BENCHMARKS.md).
 * Multi-row statements vary with the batch size; past the bound the rest run unprepared, so a connection never
 * holds more than STATEMENT_CACHE plans.
 */
function preparedStatements() {
  const prepared = new Map<string, { name: string; text: string }>();
  return (sql: string, values: unknown[]): pg.QueryConfig => {
    let statement = prepared.get(sql);
    if (!statement && prepared.size < STATEMENT_CACHE) prepared.set(sql, (statement = { name: `rollcall_${prepared.size}`, text: numbered(sql) }));
    return statement ? { ...statement, values } : { text: numbered(sql), values };
  };
}

function postgresDriver(url: string): SqlDriver {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that PostgreSQL ends (a restart, an administrator, a dropped database) leaves the pool and the
  // next query opens another; without a listener pg raises it as an uncaught exception, which stops the process.
  pool.on("error", () => undefined);
  const statement = preparedStatements();
  const on =
    (client: pg.Pool | pg.PoolClient): Query =>
    async <Row>(sql: string, params: unknown[] = []) =>
      (await client.query(statement(sql, params))).rows as Row[];
  const clients = new WeakMap<Query, pg.PoolClient>();
  return {
    provider: "postgresql",
    query: on(pool),
    autocommit: on(pool),
    execute: async (run, sql, params = []) => (await clients.get(run)!.query(statement(sql, params))).rowCount ?? 0,
    async transaction<T>(work: (q: Query) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const query = on(client);
        clients.set(query, client);
        const result = await work(query);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
