-- SQLite. Keep in step with ../../postgres/migrations.
-- Status over time: the `unknown` status (self-preservation), flap history and maintenance on the row, availability
-- rollups, and registry-wide state. SQLite cannot change a CHECK constraint in place, so the Workspace table is
-- rebuilt (the runner turns foreign keys off around migrations, so the rebuild cascades nowhere).
CREATE TABLE "Workspace_new" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT,
    "deliveryMode" TEXT NOT NULL DEFAULT 'push' CHECK ("deliveryMode" IN ('push', 'poll')),
    "agentCard" TEXT,
    "status" TEXT NOT NULL DEFAULT 'provisioning'
        CHECK ("status" IN ('provisioning', 'online', 'degraded', 'unknown', 'offline', 'failed', 'removed')),
    "statusReasons" TEXT NOT NULL DEFAULT '[]',
    "statusChangedAt" REAL NOT NULL,
    "lastHeartbeatAt" REAL,
    "lastErrorRate" REAL NOT NULL DEFAULT 0,
    "lastSampleError" TEXT NOT NULL DEFAULT '',
    "activeTasks" INTEGER NOT NULL DEFAULT 0,
    "uptimeSeconds" REAL NOT NULL DEFAULT 0,
    "currentTask" TEXT NOT NULL DEFAULT '',
    "runtimeState" TEXT NOT NULL DEFAULT '',
    "statusManaged" BOOLEAN NOT NULL DEFAULT false,
    "pendingRestartContext" TEXT,
    "recentTransitions" TEXT NOT NULL DEFAULT '[]',
    "maintenance" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" REAL NOT NULL,
    "updatedAt" REAL NOT NULL,
    "removedAt" REAL
);
INSERT INTO "Workspace_new" ("id", "name", "url", "deliveryMode", "agentCard", "status", "statusReasons", "statusChangedAt",
    "lastHeartbeatAt", "lastErrorRate", "lastSampleError", "activeTasks", "uptimeSeconds", "currentTask", "runtimeState",
    "statusManaged", "pendingRestartContext", "version", "createdAt", "updatedAt", "removedAt")
  SELECT "id", "name", "url", "deliveryMode", "agentCard", "status", "statusReasons", "statusChangedAt",
    "lastHeartbeatAt", "lastErrorRate", "lastSampleError", "activeTasks", "uptimeSeconds", "currentTask", "runtimeState",
    "statusManaged", "pendingRestartContext", "version", "createdAt", "updatedAt", "removedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "Workspace_new" RENAME TO "Workspace";
CREATE INDEX "Workspace_status_lastHeartbeatAt_idx" ON "Workspace"("status", "lastHeartbeatAt");
CREATE INDEX "Workspace_pendingRestartContext_idx" ON "Workspace"("id") WHERE "pendingRestartContext" IS NOT NULL;
-- The sweep ends maintenance windows; they are rare, so they have a partial index of their own.
CREATE INDEX "Workspace_maintenance_idx" ON "Workspace"("id") WHERE "maintenance" IS NOT NULL;

CREATE INDEX "Event_at_idx" ON "Event"("at");

CREATE TABLE "RegistryState" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "version" INTEGER NOT NULL
);

CREATE TABLE "AvailabilityDay" (
    "workspaceId" TEXT NOT NULL REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "day" INTEGER NOT NULL,
    "start" TEXT,
    "hours" TEXT NOT NULL,
    "end" TEXT,
    "through" REAL NOT NULL,
    PRIMARY KEY ("workspaceId", "day")
) WITHOUT ROWID;
