import "server-only";
import { consoleRouter, createCallerFactory, createContextInner } from "@rollcall/registry-core/trpc";
import { consoleRegistry } from "./registry.ts";
import { requireOperator } from "./session.ts";

const createCaller = createCallerFactory(consoleRouter);

/**
 * The console's procedures called in-process by a server component, as the signed-in operator: the same role checks
 * and answers as the browser gets over /api/trpc, for the pages whose first view is rendered on the server.
 */
export async function consoleCaller() {
  const operator = await requireOperator();
  const registry = await consoleRegistry();
  return createCaller(createContextInner({ deps: registry.deps, authorization: undefined, operator, eventPollMs: registry.eventPollMs }));
}
