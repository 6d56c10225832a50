import { router } from "./init.ts";
import { eventsRouter } from "./routers/events.ts";
import { notificationsRouter } from "./routers/notifications.ts";
import { maintenanceRouter, selfPreservationRouter } from "./routers/registry.ts";
import { runtimeRouter } from "./routers/runtime.ts";
import { workspaceRouter } from "./routers/workspace.ts";

/** The registry server's router: runtimes and the operator API. */
export const appRouter = router({
  runtime: runtimeRouter,
  workspace: workspaceRouter,
  events: eventsRouter,
  maintenance: maintenanceRouter,
  selfPreservation: selfPreservationRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;

/** The console's router: the operator procedures only (runtimes never talk to the console). */
export const consoleRouter = router({
  workspace: workspaceRouter,
  events: eventsRouter,
  maintenance: maintenanceRouter,
  selfPreservation: selfPreservationRouter,
  notifications: notificationsRouter,
});

export type ConsoleRouter = typeof consoleRouter;
