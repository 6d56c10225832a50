export { appRouter, consoleRouter, type AppRouter, type ConsoleRouter } from "./root.ts";
export {
  createCallerFactory,
  createContextInner,
  domainTRPCError,
  errorReason,
  type Context,
  type Operator,
  type OperatorRole,
  type RuntimeCall,
  type RuntimeGuard,
} from "./init.ts";
