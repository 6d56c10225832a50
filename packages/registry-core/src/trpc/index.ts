export { appRouter, consoleRouter, type AppRouter, type ConsoleRouter } from "./root.ts";
export {
  createCallerFactory,
  createContextInner,
  type Context,
  type Meta,
  type Operator,
  type OperatorRole,
  type RestRoute,
  type RuntimeCall,
} from "./init.ts";
export { asTRPCError, httpStatusOf, refusalOf, type Refusal } from "./refusal.ts";
