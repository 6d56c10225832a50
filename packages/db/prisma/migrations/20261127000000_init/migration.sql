-- SQLite. Keep in step with ../../postgres/migrations (the schema conformance test checks both).
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT,
    "deliveryMode" TEXT NOT NULL DEFAULT 'push' CHECK ("deliveryMode" IN ('push', 'poll')),
    "agentCard" TEXT,
    "status" TEXT NOT NULL DEFAULT 'provisioning'
        CHECK ("status" IN ('provisioning', 'online', 'degraded', 'offline', 'failed', 'removed')),
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
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" REAL NOT NULL,
    "updatedAt" REAL NOT NULL,
    "removedAt" REAL
);
CREATE INDEX "Workspace_status_lastHeartbeatAt_idx" ON "Workspace"("status", "lastHeartbeatAt");

CREATE TABLE "WorkspaceToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" REAL NOT NULL,
    "revokedAt" REAL
);
CREATE UNIQUE INDEX "WorkspaceToken_tokenHash_key" ON "WorkspaceToken"("tokenHash");
CREATE INDEX "WorkspaceToken_workspaceId_idx" ON "WorkspaceToken"("workspaceId");

CREATE TABLE "Marker" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "setAt" REAL NOT NULL,
    "expiresAt" REAL NOT NULL,
    "clearedAt" REAL,
    "clearedBy" TEXT,
    "clearReason" TEXT
);
CREATE INDEX "Marker_workspaceId_clearedAt_idx" ON "Marker"("workspaceId", "clearedAt");

CREATE TABLE "Event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "workspaceId" TEXT,
    "actor" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "at" REAL NOT NULL
);
CREATE INDEX "Event_workspaceId_id_idx" ON "Event"("workspaceId", "id");
CREATE INDEX "Event_type_id_idx" ON "Event"("type", "id");

CREATE TABLE "HeartbeatSample" (
    "workspaceId" TEXT NOT NULL REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "slot" INTEGER NOT NULL,
    "at" REAL NOT NULL,
    "errorRate" REAL NOT NULL,
    "activeTasks" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    PRIMARY KEY ("workspaceId", "slot")
) WITHOUT ROWID; -- the primary key is the table: no second copy of every sample's key
CREATE INDEX "HeartbeatSample_at_idx" ON "HeartbeatSample"("at");
