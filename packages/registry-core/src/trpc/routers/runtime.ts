import type { TRPCRouterRecord } from "@trpc/server";
import { recordHeartbeat } from "../../runtime/heartbeat.ts";
import { HeartbeatInput, RegisterInput, UpdateCardInput } from "../../runtime/inputs.ts";
import { register } from "../../runtime/register.ts";
import { updateCard } from "../../runtime/update-card.ts";
import { runtimeProcedure } from "../init.ts";

export const runtimeRouter = {
  register: runtimeProcedure.input(RegisterInput).mutation(({ ctx, input }) => register(ctx.deps, input, ctx.authorization)),
  heartbeat: runtimeProcedure
    .input(HeartbeatInput)
    .mutation(({ ctx, input }) => recordHeartbeat(ctx.deps, input, ctx.authorization)),
  updateCard: runtimeProcedure
    .input(UpdateCardInput)
    .mutation(({ ctx, input }) => updateCard(ctx.deps, input, ctx.authorization)),
} satisfies TRPCRouterRecord;
