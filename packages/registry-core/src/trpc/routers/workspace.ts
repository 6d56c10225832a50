import type { TRPCRouterRecord } from "@trpc/server";
import { clearMarkerByOperator, removeWorkspace, restartWorkspace, rotateToken } from "../../operator/actions.ts";
import {
  ClearMarkerInput,
  FleetInput,
  HeartbeatsInput,
  ListEventsInput,
  ListWorkspacesInput,
  ProvisionInput,
  StartMaintenanceInput,
  WorkspaceIdInput,
} from "../../operator/inputs.ts";
import { provisionWorkspace } from "../../operator/provision.ts";
import { countWorkspacesByStatus, getWorkspaceDetail, listEvents, listFleet, listHeartbeats, listWorkspaces } from "../../operator/queries.ts";
import { operatorProcedure, viewerProcedure } from "../init.ts";
import { fleetOverview, workspaceAvailability } from "../../operator/availability.ts";
import { endMaintenance, startMaintenance } from "../../operator/maintenance.ts";

const WORKSPACE = "/api/workspaces/{workspaceId}";

export const workspaceRouter = {
  list: viewerProcedure
    .meta({ rest: { method: "GET", path: "/api/workspaces", summary: "List workspaces (filter by status, search by name or id; page with ?after=<id>)" } })
    .input(ListWorkspacesInput)
    .query(({ ctx, input }) => listWorkspaces(ctx.deps, input)),
  fleet: viewerProcedure.input(FleetInput).query(({ ctx, input }) => listFleet(ctx.deps, input)),
  counts: viewerProcedure.query(({ ctx }) => countWorkspacesByStatus(ctx.deps)),
  overview: viewerProcedure
    .meta({ rest: { method: "GET", path: "/api/fleet/overview", summary: "Status counts every 15 minutes over the last 24 h, and status changes per minute" } })
    .query(({ ctx }) => fleetOverview(ctx.deps)),
  availability: viewerProcedure
    .meta({
      rest: { method: "GET", path: `${WORKSPACE}/availability`, summary: "Available share over 24 h, 7 d, 30 d and 90 d; seconds per status per day; outages" },
    })
    .input(WorkspaceIdInput)
    .query(({ ctx, input }) => workspaceAvailability(ctx.deps, input.workspaceId)),
  startMaintenance: operatorProcedure
    .meta({ rest: { method: "POST", path: `${WORKSPACE}/maintenance`, summary: "Put the workspace into maintenance until a time, with a reason (audited)" } })
    .input(StartMaintenanceInput)
    .mutation(({ ctx, input }) => startMaintenance(ctx.deps, input, ctx.operator.name)),
  endMaintenance: operatorProcedure
    .meta({ rest: { method: "DELETE", path: `${WORKSPACE}/maintenance`, summary: "End the workspace's maintenance (audited)" } })
    .input(WorkspaceIdInput)
    .mutation(({ ctx, input }) => endMaintenance(ctx.deps, input.workspaceId, ctx.operator.name)),
  get: viewerProcedure
    .meta({ rest: { method: "GET", path: WORKSPACE, summary: "One workspace with its markers, active and past" } })
    .input(WorkspaceIdInput)
    .query(({ ctx, input }) => getWorkspaceDetail(ctx.deps, input)),
  events: viewerProcedure
    .meta({ rest: { method: "GET", path: `${WORKSPACE}/events`, summary: "A workspace's events, newest first (?before=<id> pages back)" } })
    .input(ListEventsInput.required({ workspaceId: true }))
    .query(({ ctx, input }) => listEvents(ctx.deps, input)),
  heartbeats: viewerProcedure
    .meta({ rest: { method: "GET", path: `${WORKSPACE}/heartbeats`, summary: "A workspace's heartbeat timeline samples" } })
    .input(HeartbeatsInput)
    .query(({ ctx, input }) => listHeartbeats(ctx.deps, input)),
  provision: operatorProcedure
    .meta({ rest: { method: "POST", path: "/api/workspaces", status: 201, summary: "Create a workspace; its token is in the answer, this once" } })
    .input(ProvisionInput)
    .mutation(({ ctx, input }) => provisionWorkspace(ctx.deps, input, `operator:${ctx.operator.name}`)),
  clearMarker: operatorProcedure
    .meta({ rest: { method: "POST", path: `${WORKSPACE}/markers/{markerId}/clear`, summary: "Clear an active marker, with a reason (audited)" } })
    .input(ClearMarkerInput)
    .mutation(({ ctx, input }) => clearMarkerByOperator(ctx.deps, input, ctx.operator.name)),
  rotateToken: operatorProcedure
    .meta({ rest: { method: "POST", path: `${WORKSPACE}/token`, summary: "Rotate the workspace's token: the old one stops working at once" } })
    .input(WorkspaceIdInput)
    .mutation(({ ctx, input }) => rotateToken(ctx.deps, input.workspaceId, ctx.operator.name)),
  remove: operatorProcedure
    .meta({ rest: { method: "DELETE", path: WORKSPACE, summary: "Remove the workspace (a tombstone; its tokens are revoked)" } })
    .input(WorkspaceIdInput)
    .mutation(({ ctx, input }) => removeWorkspace(ctx.deps, input.workspaceId, ctx.operator.name)),
  restart: operatorProcedure
    .meta({ rest: { method: "POST", path: `${WORKSPACE}/restart`, summary: "Restart: back to provisioning, URL cleared, a restart context queued" } })
    .input(WorkspaceIdInput)
    .mutation(({ ctx, input }) => restartWorkspace(ctx.deps, input.workspaceId, ctx.operator.name)),
} satisfies TRPCRouterRecord;
