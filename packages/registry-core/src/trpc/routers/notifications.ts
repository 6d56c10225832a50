import type { TRPCRouterRecord } from "@trpc/server";
import { CreateEndpointInput, EndpointIdInput, ListDeliveriesInput, RedeliverInput, UpdateEndpointInput } from "../../notifications/endpoint.ts";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  sendTest,
  updateEndpoint,
} from "../../notifications/endpoints.ts";
import { operatorProcedure, viewerProcedure } from "../init.ts";

/** Notification endpoints: viewers read them and their delivery logs; operators change them, test and redeliver. */
export const notificationsRouter = {
  list: viewerProcedure
    .meta({ rest: { method: "GET", path: "/api/notifications/endpoints", summary: "Notification endpoints (never their secrets)" } })
    .query(({ ctx }) => listEndpoints(ctx.deps)),
  create: operatorProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/api/notifications/endpoints",
        status: 201,
        summary: "Add an endpoint; its secret (given or generated) is shown only in this answer",
      },
    })
    .input(CreateEndpointInput)
    .mutation(({ ctx, input }) => createEndpoint(ctx.deps, input, ctx.operator.name)),
  get: viewerProcedure
    .meta({ rest: { method: "GET", path: "/api/notifications/endpoints/{id}", summary: "One notification endpoint" } })
    .input(EndpointIdInput)
    .query(({ ctx, input }) => getEndpoint(ctx.deps, input.id)),
  update: operatorProcedure
    .meta({ rest: { method: "POST", path: "/api/notifications/endpoints/{id}", summary: "Change an endpoint's name, URL, format, filter or enabled flag" } })
    .input(UpdateEndpointInput)
    .mutation(({ ctx, input }) => updateEndpoint(ctx.deps, input, ctx.operator.name)),
  remove: operatorProcedure
    .meta({ rest: { method: "DELETE", path: "/api/notifications/endpoints/{id}", summary: "Delete an endpoint with its deliveries" } })
    .input(EndpointIdInput)
    .mutation(({ ctx, input }) => deleteEndpoint(ctx.deps, input.id, ctx.operator.name)),
  deliveries: viewerProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/api/notifications/endpoints/{id}/deliveries",
        summary: "The endpoint's delivery log: every delivery and attempt, newest first",
      },
    })
    .input(ListDeliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.deps, input)),
  test: operatorProcedure
    .meta({
      rest: { method: "POST", path: "/api/notifications/endpoints/{id}/test", summary: "Send a signed test notification; answers with its first attempt" },
    })
    .input(EndpointIdInput)
    .mutation(({ ctx, input }) => sendTest(ctx.deps, input.id)),
  redeliver: operatorProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/api/notifications/endpoints/{id}/deliveries/{eventId}/redeliver",
        summary: "Send a delivered or failed notification again (same webhook-id)",
      },
    })
    .input(RedeliverInput)
    .mutation(({ ctx, input }) => redeliver(ctx.deps, input)),
} satisfies TRPCRouterRecord;
