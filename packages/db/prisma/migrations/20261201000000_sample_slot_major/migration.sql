-- SQLite. Keep in step with ../../postgres/migrations.
-- Timeline samples keyed slot-first, with absolute slots (floor(at / 15 s)): keyed by workspace first, every
-- heartbeat wrote its own page of the table and another of the "at" index, two thirds of a commit's cost
-- (BENCHMARKS.md). The sweeper now drops whole slots past the retention, so the "at" index goes.
CREATE TABLE "HeartbeatSample_slot_major" (
    "slot" INTEGER NOT NULL,
    "workspaceId" TEXT NOT NULL REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "at" REAL NOT NULL,
    "errorRate" REAL NOT NULL,
    "activeTasks" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    PRIMARY KEY ("slot", "workspaceId")
) WITHOUT ROWID;
INSERT INTO "HeartbeatSample_slot_major" ("slot", "workspaceId", "at", "errorRate", "activeTasks", "status")
    SELECT CAST("at" / 15000 AS INTEGER), "workspaceId", "at", "errorRate", "activeTasks", "status" FROM "HeartbeatSample";
DROP TABLE "HeartbeatSample";
ALTER TABLE "HeartbeatSample_slot_major" RENAME TO "HeartbeatSample";
