-- PostgreSQL. Keep in step with ../../../migrations.
-- The sweep looks for queued restart contexts every few seconds; without this partial index that is a scan of the
-- whole table (Prisma's schema cannot express a partial index, so it lives only here).
CREATE INDEX "Workspace_pendingRestartContext_idx" ON "Workspace"("id") WHERE "pendingRestartContext" IS NOT NULL;
