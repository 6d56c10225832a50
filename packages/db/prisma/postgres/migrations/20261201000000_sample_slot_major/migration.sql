-- PostgreSQL. Keep in step with ../../../migrations.
-- Timeline samples keyed slot-first, with absolute slots (floor(at / 15 s)): keyed by workspace first, every
-- heartbeat wrote its own page of the index and another of the "at" index (BENCHMARKS.md). The sweeper now drops
-- whole slots past the retention, so the "at" index goes.
CREATE TABLE "HeartbeatSample_slot_major" (
    "slot" INTEGER NOT NULL,
    "workspaceId" TEXT NOT NULL REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "at" DOUBLE PRECISION NOT NULL,
    "errorRate" DOUBLE PRECISION NOT NULL,
    "activeTasks" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    PRIMARY KEY ("slot", "workspaceId")
);
INSERT INTO "HeartbeatSample_slot_major" ("slot", "workspaceId", "at", "errorRate", "activeTasks", "status")
    SELECT FLOOR("at" / 15000)::INTEGER, "workspaceId", "at", "errorRate", "activeTasks", "status" FROM "HeartbeatSample";
DROP TABLE "HeartbeatSample";
ALTER TABLE "HeartbeatSample_slot_major" RENAME TO "HeartbeatSample";
ALTER TABLE "HeartbeatSample" RENAME CONSTRAINT "HeartbeatSample_slot_major_pkey" TO "HeartbeatSample_pkey";
ALTER TABLE "HeartbeatSample" RENAME CONSTRAINT "HeartbeatSample_slot_major_workspaceId_fkey" TO "HeartbeatSample_workspaceId_fkey";
