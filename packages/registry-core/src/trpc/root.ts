import { router } from "./init.ts";
import { eventsRouter } from "./routers/events.ts";
import { runtimeRouter } from "./routers/runtime.ts";
import { workspaceRouter } from "./routers/workspace.ts";

export const appRouter = router({
  runtime: runtimeRouter,
  workspace: workspaceRouter,
  events: eventsRouter,
});

export type AppRouter = typeof appRouter;
