-- SQLite. Keep in step with ../../postgres/migrations.
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
    "createdAt" REAL NOT NULL,
    "updatedAt" REAL NOT NULL
);

CREATE TABLE "NotificationDelivery" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "id" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL REFERENCES "NotificationEndpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "lane" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "state" TEXT NOT NULL CHECK ("state" IN ('gathering', 'pending', 'delivered', 'failed')),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" REAL NOT NULL,
    "nextAttemptAt" REAL NOT NULL,
    "giveUpAt" REAL NOT NULL,
    "leaseOwner" TEXT,
    "leaseUntil" REAL,
    "settledAt" REAL
);
-- Claims walk the pending deliveries oldest first and stop at their limit, however long the backlog.
CREATE INDEX "NotificationDelivery_pending_idx" ON "NotificationDelivery"("seq") WHERE "state" = 'pending';
CREATE INDEX "NotificationDelivery_endpointId_seq_idx" ON "NotificationDelivery"("endpointId", "seq");
CREATE INDEX "NotificationDelivery_id_idx" ON "NotificationDelivery"("id");
-- A delivery waits for the undelivered ones before it in its lane: judged on these rows only, however long the log.
CREATE INDEX "NotificationDelivery_undelivered_idx" ON "NotificationDelivery"("endpointId", "lane", "seq") WHERE "state" IN ('pending', 'gathering');

CREATE TABLE "NotificationAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "deliverySeq" INTEGER NOT NULL REFERENCES "NotificationDelivery" ("seq") ON DELETE CASCADE ON UPDATE CASCADE,
    "endpointId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" REAL NOT NULL,
    "statusCode" INTEGER,
    "latencyMs" REAL NOT NULL,
    "error" TEXT
);
CREATE INDEX "NotificationAttempt_deliverySeq_idx" ON "NotificationAttempt"("deliverySeq");
