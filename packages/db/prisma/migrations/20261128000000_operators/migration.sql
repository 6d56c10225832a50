-- SQLite. Keep in step with ../../postgres/migrations (the schema conformance test checks both).
CREATE TABLE "Operator" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL CHECK ("role" IN ('viewer', 'operator')),
    "passwordHash" TEXT NOT NULL,
    "failedSignIns" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" REAL,
    "createdAt" REAL NOT NULL
);
CREATE UNIQUE INDEX "Operator_name_key" ON "Operator"("name");

CREATE TABLE "OperatorSession" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "operatorId" TEXT NOT NULL REFERENCES "Operator" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "createdAt" REAL NOT NULL,
    "expiresAt" REAL NOT NULL
);
CREATE INDEX "OperatorSession_operatorId_idx" ON "OperatorSession"("operatorId");
