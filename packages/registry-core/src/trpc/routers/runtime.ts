import type { TRPCRouterRecord } from "@trpc/server";
import { RUNTIME_CALLS } from "../../runtime/calls.ts";
import { runtimeProcedure } from "../init.ts";

const { register, heartbeat, update_card: updateCard } = RUNTIME_CALLS;

export const runtimeRouter = {
  register: runtimeProcedure.input(register.input).mutation(({ ctx, input }) => register.run(ctx.deps, input, ctx.authorization)),
  heartbeat: runtimeProcedure.input(heartbeat.input).mutation(({ ctx, input }) => heartbeat.run(ctx.deps, input, ctx.authorization)),
  updateCard: runtimeProcedure.input(updateCard.input).mutation(({ ctx, input }) => updateCard.run(ctx.deps, input, ctx.authorization)),
} satisfies TRPCRouterRecord;
