import { tracked, type TRPCRouterRecord } from "@trpc/server";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { ListEventsInput } from "../../operator/inputs.ts";
import { listEventLog } from "../../operator/queries.ts";
import { eventLogEntry } from "../../operator/views.ts";
import { viewerProcedure } from "../init.ts";

const PAGE = 200;

export const StreamInput = ListEventsInput.pick({ workspaceId: true, type: true, actor: true }).extend({
  /** Start after this event id; omitted: start at the newest event. */
  after: z.number().int().min(0).optional(),
  /** Set by the client on reconnect: the id of the last event it received. */
  lastEventId: z.string().regex(/^\d+$/).nullish(),
});

export const eventsRouter = {
  list: viewerProcedure
    .meta({ rest: { method: "GET", path: "/api/events", summary: "The whole event log, filtered by type, workspace and actor, paged by id" } })
    .input(ListEventsInput)
    .query(({ ctx, input }) => listEventLog(ctx.deps, input)),
  /**
   * Live tail of the event table from a cursor. The table is the change feed, so the stream works across server
   * processes and resumes after a reconnect from the last id the client saw, losing nothing.
   */
  stream: viewerProcedure.input(StreamInput).subscription(async function* ({ ctx, input, signal }) {
    const store = ctx.deps.store;
    let cursor = input.lastEventId != null ? Number(input.lastEventId) : (input.after ?? (await store.listEvents({ limit: 1 }))[0]?.id ?? 0);
    while (!signal?.aborted) {
      const events = await store.listEvents({ after: cursor, workspaceId: input.workspaceId, type: input.type, actor: input.actor, limit: PAGE });
      for (const event of events) {
        yield tracked(String(event.id), eventLogEntry(event));
      }
      // A filtered page skips ids it did not return; the next read continues after the last one it did.
      cursor = events.at(-1)?.id ?? cursor;
      if (events.length < PAGE) await sleep(ctx.eventPollMs, undefined, { signal }).catch(() => undefined);
    }
  }),
} satisfies TRPCRouterRecord;
