import type { TRPCRouterRecord } from "@trpc/server";
import { BulkEndMaintenanceInput, BulkMaintenanceInput, EndSelfPreservationInput } from "../../operator/inputs.ts";
import { endBulkMaintenance, startBulkMaintenance } from "../../operator/maintenance.ts";
import { endSelfPreservation, selfPreservationView } from "../../sweeper/self-preservation.ts";
import { operatorProcedure, viewerProcedure } from "../init.ts";

export const selfPreservationRouter = {
  get: viewerProcedure
    .meta({ rest: { method: "GET", path: "/api/self-preservation", summary: "Whether the registry suspects itself, since when, and the census now" } })
    .query(({ ctx }) => selfPreservationView(ctx.deps)),
  end: operatorProcedure
    .meta({ rest: { method: "POST", path: "/api/self-preservation/end", summary: "End self-preservation: the silence is real (audited)" } })
    .input(EndSelfPreservationInput)
    .mutation(({ ctx, input }) => endSelfPreservation(ctx.deps, ctx.operator.name, input.reason)),
} satisfies TRPCRouterRecord;

export const maintenanceRouter = {
  start: operatorProcedure
    .meta({ rest: { method: "POST", path: "/api/maintenance", summary: "Maintenance for every workspace whose name matches a pattern (* any characters)" } })
    .input(BulkMaintenanceInput)
    .mutation(({ ctx, input }) => startBulkMaintenance(ctx.deps, input, ctx.operator.name)),
  end: operatorProcedure
    .meta({ rest: { method: "POST", path: "/api/maintenance/end", summary: "End the maintenance of every workspace whose name matches a pattern" } })
    .input(BulkEndMaintenanceInput)
    .mutation(({ ctx, input }) => endBulkMaintenance(ctx.deps, input.pattern, ctx.operator.name)),
} satisfies TRPCRouterRecord;
