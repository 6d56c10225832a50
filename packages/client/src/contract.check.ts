// Type-checked, never run or shipped: the SDK's public contract is the server's, type for type. A change on either
// side that the other does not follow fails `pnpm typecheck` here.
import type { ErrorReason } from "@rollcall/registry-core";
import type { AppRouter } from "@rollcall/registry-core/trpc";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AgentCard, DeliveryMode, HeartbeatReport, HeartbeatResult, RegisterResult, ServerReason, UpdateCardResult } from "./contract.ts";

type Inputs = inferRouterInputs<AppRouter>["runtime"];
type Outputs = inferRouterOutputs<AppRouter>["runtime"];
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export const contractMatchesTheServer: [
  Equal<ServerReason, ErrorReason>,
  Equal<AgentCard, Inputs["register"]["agent_card"]>,
  Equal<DeliveryMode, NonNullable<Inputs["register"]["delivery_mode"]>>,
  Equal<HeartbeatReport, Omit<Inputs["heartbeat"], "workspace_id">>,
  Equal<RegisterResult, Outputs["register"]>,
  Equal<HeartbeatResult, Outputs["heartbeat"]>,
  Equal<UpdateCardResult, Outputs["updateCard"]>,
] = [true, true, true, true, true, true, true];
