"use client";

import type { EventView } from "@rollcall/registry-core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ActionError, type ConsoleError } from "~/components/action-error.tsx";
import { RelativeTime } from "~/components/relative-time.tsx";
import { mergeEvents } from "~/lib/event-log.ts";
import { eventHeadline, payloadFields } from "~/lib/event-summary.ts";
import { eventTone } from "~/lib/status.ts";
import { useLiveEvent } from "~/live/live-events.tsx";
import { useTRPC } from "~/trpc/react.tsx";
import "./workspace.css";

const PAGE_SIZE = 50;

export type WorkspaceEvents = {
  /** Everything loaded so far, newest first. */
  events: EventView[];
  /** Ids of the events that arrived live while the page was open. */
  arrivedIds: ReadonlySet<number>;
  loading: boolean;
  error: ConsoleError | null;
  retry: () => void;
  /** Null when the oldest loaded event is the workspace's first. */
  loadOlder: (() => void) | null;
  loadingOlder: boolean;
  olderError: ConsoleError | null;
  retryOlder: () => void;
};

/**
 * The workspace's events: the newest page once, older pages on request, and every new event of this workspace from
 * the tab's live stream, added as it arrives. The stream resumes after a reconnect from the last event it delivered,
 * so nothing is missed without refetching.
 */
export function useWorkspaceEvents(workspaceId: string): WorkspaceEvents {
  const trpc = useTRPC();
  const [arrived, setArrived] = useState<EventView[]>([]);
  const [olderCursors, setOlderCursors] = useState<number[]>([]);

  useLiveEvent((event) => {
    if (event.workspace_id === workspaceId) setArrived((events) => [event, ...events]);
  });

  const newest = useQuery(
    trpc.events.list.queryOptions(
      { workspaceId, limit: PAGE_SIZE },
      // Loaded once per visit: a refetch would move this page's lower edge and open a hole above the older pages.
      { staleTime: Infinity, refetchOnMount: "always" },
    ),
  );
  // Pages before a fixed event id never change: events are only ever appended.
  const older = useQueries({
    queries: olderCursors.map((before) => trpc.events.list.queryOptions({ workspaceId, limit: PAGE_SIZE, before }, { staleTime: Infinity })),
  });

  const lastPage = olderCursors.length === 0 ? newest : older.at(-1);
  const nextCursor = lastPage?.data?.next_cursor ?? null;
  const loaded = [newest.data?.events ?? [], ...older.map((page) => page.data?.events ?? [])].flat();
  return {
    // The whole history stays: no filter, no cap.
    events: mergeEvents(loaded, arrived, Number.POSITIVE_INFINITY),
    arrivedIds: new Set(arrived.map((event) => event.id)),
    loading: newest.isPending,
    error: newest.error,
    retry: () => void newest.refetch(),
    loadOlder: nextCursor === null ? null : () => setOlderCursors((cursors) => [...cursors, nextCursor]),
    loadingOlder: older.some((page) => page.isPending),
    olderError: older.find((page) => page.error !== null)?.error ?? null,
    retryOlder: () => older.forEach((page) => page.error !== null && void page.refetch()),
  };
}

/** Transitions, markers, card updates and operator actions: who did what, with the payload as text. */
export function EventHistory({ history, now }: { history: WorkspaceEvents; now: number }) {
  const { events, loading, error } = history;
  return (
    <section aria-labelledby="events-heading" className="panel">
      <h2 id="events-heading">Event history</h2>
      <p className="ws-hint">Newest first. New events appear here as they happen. Times in UTC on hover.</p>
      {loading && events.length === 0 ? (
        <div className="ws-skeleton-list" aria-busy="true">
          <p role="status">Loading the event history…</p>
          <span className="ws-skeleton" aria-hidden="true" />
          <span className="ws-skeleton" aria-hidden="true" />
          <span className="ws-skeleton" aria-hidden="true" />
        </div>
      ) : null}
      {error ? (
        <div className="ws-inline-error">
          <ActionError title="The event history could not be loaded." error={error} />
          <button type="button" onClick={history.retry}>
            Try again
          </button>
        </div>
      ) : null}
      {!loading && !error && events.length === 0 ? (
        <p className="empty-inline">No events recorded for this workspace yet. Its status changes, markers and operator actions will show here.</p>
      ) : null}
      {events.length > 0 ? (
        <ol className="ws-events" aria-label={`${events.length} events, newest first`}>
          {events.map((event) => (
            <EventItem key={event.id} event={event} now={now} arrivedLive={history.arrivedIds.has(event.id)} />
          ))}
        </ol>
      ) : null}
      <OlderEvents history={history} />
    </section>
  );
}

function OlderEvents({ history }: { history: WorkspaceEvents }) {
  const { events, loading, loadOlder, loadingOlder, olderError } = history;
  if (loading || events.length === 0) return null;
  if (olderError) {
    return (
      <div className="ws-older ws-inline-error">
        <ActionError title="Older events could not be loaded." error={olderError} />
        <button type="button" onClick={history.retryOlder}>
          Try again
        </button>
      </div>
    );
  }
  if (loadOlder === null && !loadingOlder) return <p className="ws-older ws-hint">That is the whole history of this workspace.</p>;
  return (
    <div className="ws-older">
      {/* One button throughout, not disabled while loading, so keyboard focus stays on it for the next page. */}
      <button type="button" onClick={loadOlder ?? undefined} aria-disabled={loadingOlder} aria-busy={loadingOlder}>
        {loadingOlder ? "Loading older events…" : "Show older events"}
      </button>
    </div>
  );
}

function EventItem({ event, now, arrivedLive }: { event: EventView; now: number; arrivedLive: boolean }) {
  const fields = payloadFields(event.payload);
  return (
    <li className={arrivedLive ? "ws-event ws-event-new" : "ws-event"} data-event-type={event.type} data-event-id={event.id}>
      <div className="ws-event-meta">
        <RelativeTime iso={event.at} now={now} />
        <span className={`event-type tone-${eventTone(event.type)}`}>{event.type}</span>
        <span className="ws-event-actor">
          <span className="sr-only">by </span>
          {event.actor}
        </span>
      </div>
      <div className="ws-event-body">
        <p className="ws-event-headline">{eventHeadline(event)}</p>
        {fields.length > 0 ? (
          <>
            <dl className="ws-event-fields">
              {fields.map((field) => (
                <div key={field.key}>
                  <dt>{field.key}</dt>
                  <dd>
                    {field.value}
                    {field.truncated ? <span className="muted"> (shortened: see the raw payload)</span> : null}
                  </dd>
                </div>
              ))}
            </dl>
            <details>
              <summary>Raw payload</summary>
              <pre className="json">{JSON.stringify(event.payload, null, 2)}</pre>
            </details>
          </>
        ) : null}
      </div>
    </li>
  );
}
