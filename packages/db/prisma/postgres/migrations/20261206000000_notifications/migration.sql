-- PostgreSQL. Keep in step with ../../../migrations.
-- Notifications: operators' endpoints, the delivery outbox fed from the event table, and every attempt.
CREATE TABLE "NotificationEndpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "format" TEXT NOT NULL CHECK ("format" IN ('webhook', 'slack')),
    "filter" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DOUBLE PRECISION NOT NULL,
    "updatedAt" DOUBLE PRECISION NOT NULL
);

CREATE TABLE "NotificationDelivery" (
    "seq" SERIAL PRIMARY KEY,
    "id" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL REFERENCES "NotificationEndpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "lane" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "state" TEXT NOT NULL CHECK ("state" IN ('gathering', 'pending', 'delivered', 'failed')),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DOUBLE PRECISION NOT NULL,
    "nextAttemptAt" DOUBLE PRECISION NOT NULL,
    "giveUpAt" DOUBLE PRECISION NOT NULL,
    "leaseOwner" TEXT,
    "leaseUntil" DOUBLE PRECISION,
    "settledAt" DOUBLE PRECISION
);
-- Claims walk the pending deliveries oldest first and stop at their limit, however long the backlog.
CREATE INDEX "NotificationDelivery_pending_idx" ON "NotificationDelivery"("seq") WHERE "state" = 'pending';
CREATE INDEX "NotificationDelivery_endpointId_seq_idx" ON "NotificationDelivery"("endpointId", "seq");
CREATE INDEX "NotificationDelivery_id_idx" ON "NotificationDelivery"("id");
-- A delivery waits for the undelivered ones before it in its lane: judged on these rows only, however long the log.
CREATE INDEX "NotificationDelivery_undelivered_idx" ON "NotificationDelivery"("endpointId", "lane", "seq") WHERE "state" IN ('pending', 'gathering');

CREATE TABLE "NotificationAttempt" (
    "id" SERIAL PRIMARY KEY,
    "deliverySeq" INTEGER NOT NULL REFERENCES "NotificationDelivery" ("seq") ON DELETE CASCADE ON UPDATE CASCADE,
    "endpointId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" DOUBLE PRECISION NOT NULL,
    "statusCode" INTEGER,
    "latencyMs" DOUBLE PRECISION NOT NULL,
    "error" TEXT
);
CREATE INDEX "NotificationAttempt_deliverySeq_idx" ON "NotificationAttempt"("deliverySeq");
