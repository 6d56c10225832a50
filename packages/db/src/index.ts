export type { SqliteSynchronous } from "./sql-driver.ts";
export { DEFAULT_DATABASE_URL, openDatabase, providerOf, type Database, type Db, type Provider } from "./database.ts";
export { applyCodeMigration, migrate, migrationsFor, unreadyReason } from "./migrate.ts";
export { createAccountStore } from "./account-store.ts";
export { createPrismaStore, type StoreOptions } from "./prisma-store.ts";
export { withGroupCommit, type GroupCommitOptions } from "./group-commit.ts";
export { withHotPathCache } from "./hot-path-cache.ts";
