import { consoleRouter, httpStatusOf } from "@rollcall/registry-core/trpc";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { consoleRegistry } from "~/server/registry.ts";
import { currentOperator } from "~/server/session.ts";

/**
 * The console's own tRPC endpoint for its browser side: registry-core's operator procedures, with the operator
 * taken from the session cookie. Viewer procedures need a session; operator procedures need the operator role.
 */
async function handler(request: Request) {
  const registry = await consoleRegistry();
  const operator = await currentOperator();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: consoleRouter,
    createContext: () => ({ deps: registry.deps, authorization: undefined, operator, eventPollMs: registry.eventPollMs }),
    // The status of a refusal comes from the one error table (a removed workspace answers 410, as on the server).
    responseMeta: ({ errors }) => (errors[0] ? { status: httpStatusOf(errors[0]) } : {}),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
