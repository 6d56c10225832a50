import type { AccountStore, OperatorRecord, OperatorRole } from "@rollcall/registry-core";
import type { Database } from "./database.ts";
import { insertEvents } from "./sql-writes.ts";

const OPERATOR_SELECT = `o."id", o."name", o."role", o."passwordHash", o."failedSignIns", o."lockedUntil", o."createdAt"`;

type OperatorRow = Omit<OperatorRecord, "role"> & { role: string };

// The CHECK constraint keeps `role` within OPERATOR_ROLES.
const operatorFromRow = (row: OperatorRow): OperatorRecord => ({ ...row, role: row.role as OperatorRole });

/** Console accounts and sessions, on the same raw connection as every other write (one writer per SQLite file). */
export function createAccountStore(database: Database): AccountStore {
  const { sql } = database;
  return {
    async countOperators() {
      const [row] = await sql.query<{ count: number | string }>(`SELECT COUNT(*) AS "count" FROM "Operator"`);
      return Number(row?.count ?? 0);
    },

    async findOperatorByName(name) {
      const [row] = await sql.query<OperatorRow>(`SELECT ${OPERATOR_SELECT} FROM "Operator" o WHERE o."name" = ?`, [name]);
      return row ? operatorFromRow(row) : null;
    },

    async insertOperator(operator, events) {
      return sql.transaction(async (query) => {
        const inserted = await sql.execute(
          query,
          `INSERT INTO "Operator" ("id", "name", "role", "passwordHash", "failedSignIns", "lockedUntil", "createdAt")
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("name") DO NOTHING`,
          [operator.id, operator.name, operator.role, operator.passwordHash, operator.failedSignIns, operator.lockedUntil, operator.createdAt],
        );
        if (inserted === 0) return false;
        await insertEvents(sql.provider, query, events);
        return true;
      });
    },

    async recordSignIn({ operatorId, failedSignIns, lockedUntil, session, events }) {
      await sql.transaction(async (query) => {
        await query(`UPDATE "Operator" SET "failedSignIns" = ?, "lockedUntil" = ? WHERE "id" = ?`, [failedSignIns, lockedUntil, operatorId]);
        if (session) {
          await query(`DELETE FROM "OperatorSession" WHERE "operatorId" = ? AND "expiresAt" <= ?`, [operatorId, session.createdAt]);
          await query(`INSERT INTO "OperatorSession" ("tokenHash", "operatorId", "createdAt", "expiresAt") VALUES (?, ?, ?, ?)`, [
            session.tokenHash,
            session.operatorId,
            session.createdAt,
            session.expiresAt,
          ]);
        }
        await insertEvents(sql.provider, query, events);
      });
    },

    async findSession(tokenHash, now) {
      const [row] = await sql.query<OperatorRow>(
        `SELECT ${OPERATOR_SELECT} FROM "OperatorSession" s JOIN "Operator" o ON o."id" = s."operatorId"
         WHERE s."tokenHash" = ? AND s."expiresAt" > ?`,
        [tokenHash, now],
      );
      return row ? operatorFromRow(row) : null;
    },

    async deleteSession(tokenHash, events) {
      await sql.transaction(async (query) => {
        const [row] = await query<OperatorRow>(
          `SELECT ${OPERATOR_SELECT} FROM "OperatorSession" s JOIN "Operator" o ON o."id" = s."operatorId" WHERE s."tokenHash" = ?`,
          [tokenHash],
        );
        if (!row) return;
        await query(`DELETE FROM "OperatorSession" WHERE "tokenHash" = ?`, [tokenHash]);
        await insertEvents(sql.provider, query, events(operatorFromRow(row)));
      });
    },
  };
}
