import type { TRPCRouterRecord } from "@trpc/server";
import { clearMarkerByOperator, removeWorkspace, restartWorkspace, rotateToken } from "../../operator/actions.ts";
import {
  ClearMarkerInput,
  FleetInput,
  HeartbeatsInput,
  ListWorkspacesInput,
  ProvisionInput,
  WorkspaceIdInput,
} from "../../operator/inputs.ts";
import { provisionWorkspace } from "../../operator/provision.ts";
import { countWorkspacesByStatus, getWorkspaceDetail, listFleet, listHeartbeats, listWorkspaces } from "../../operator/queries.ts";
import { operatorProcedure, viewerProcedure } from "../init.ts";

export const workspaceRouter = {
  list: viewerProcedure.input(ListWorkspacesInput).query(({ ctx, input }) => listWorkspaces(ctx.deps, input)),
  fleet: viewerProcedure.input(FleetInput).query(({ ctx, input }) => listFleet(ctx.deps, input)),
  counts: viewerProcedure.query(({ ctx }) => countWorkspacesByStatus(ctx.deps)),
  get: viewerProcedure.input(WorkspaceIdInput).query(({ ctx, input }) => getWorkspaceDetail(ctx.deps, input)),
  heartbeats: viewerProcedure.input(HeartbeatsInput).query(({ ctx, input }) => listHeartbeats(ctx.deps, input)),
  provision: operatorProcedure
    .input(ProvisionInput)
    .mutation(({ ctx, input }) => provisionWorkspace(ctx.deps, input, `operator:${ctx.operator.name}`)),
  clearMarker: operatorProcedure
    .input(ClearMarkerInput)
    .mutation(({ ctx, input }) => clearMarkerByOperator(ctx.deps, input, ctx.operator.name)),
  rotateToken: operatorProcedure
    .input(WorkspaceIdInput)
    .mutation(({ ctx, input }) => rotateToken(ctx.deps, input.workspaceId, ctx.operator.name)),
  remove: operatorProcedure
    .input(WorkspaceIdInput)
    .mutation(({ ctx, input }) => removeWorkspace(ctx.deps, input.workspaceId, ctx.operator.name)),
  restart: operatorProcedure
    .input(WorkspaceIdInput)
    .mutation(({ ctx, input }) => restartWorkspace(ctx.deps, input.workspaceId, ctx.operator.name)),
} satisfies TRPCRouterRecord;
