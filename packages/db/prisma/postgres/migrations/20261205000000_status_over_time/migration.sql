-- PostgreSQL. Keep in step with ../../../migrations.
-- Status over time: the `unknown` status (self-preservation), flap history and maintenance on the row, availability
-- rollups, and registry-wide state.
ALTER TABLE "Workspace" DROP CONSTRAINT "Workspace_status_check";
ALTER TABLE "Workspace" ADD CONSTRAINT "Workspace_status_check"
    CHECK ("status" IN ('provisioning', 'online', 'degraded', 'unknown', 'offline', 'failed', 'removed'));
ALTER TABLE "Workspace" ADD COLUMN "recentTransitions" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Workspace" ADD COLUMN "maintenance" TEXT;
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
    "through" DOUBLE PRECISION NOT NULL,
    PRIMARY KEY ("workspaceId", "day")
);
