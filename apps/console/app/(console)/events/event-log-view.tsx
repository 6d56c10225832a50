"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { useNow } from "~/components/use-now.ts";
import {
  EVENTS_PAGE_SIZE,
  eventLogHref,
  eventLogParams,
  eventWindow,
  isFiltered,
  parseEventLogParams,
  TAIL_ROW_LIMIT,
  type EventFilter,
  type EventLogQuery,
} from "~/lib/event-log.ts";
import { LIVE_STATE_LABEL } from "~/lib/live-state.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { EventFilterForm } from "./event-filter-form.tsx";
import { EventTable, LoadingTable } from "./event-table.tsx";
import { useLiveTail, type LiveTail, type TailState } from "./use-live-tail.ts";
import "./events.css";

/** The whole event log: filters and the page cursor live in the URL, so any view can be shared or reloaded. */
export function EventLogView() {
  const search = useSearchParams();
  const { params, query, problems } = parseEventLogParams(search);
  const cursorProblem = problems.find((problem) => problem.param === "before");
  return (
    <>
      <div className="page-head">
        <h1>Events</h1>
        <p className="page-meta">Newest first · times in UTC</p>
      </div>
      {/* Keyed by the URL: going back or clearing the filters resets what the fields show. */}
      <EventFilterForm key={search.toString()} params={params} problems={problems} />
      {cursorProblem ? (
        <p className="notice ev-notice" role="status">
          {cursorProblem.message}
        </p>
      ) : null}
      {/* A new view starts a new page and a new tail; nothing carries over from the old filters. */}
      <EventLogPage key={eventLogHref(eventLogParams(query))} query={query} />
    </>
  );
}

function EventLogPage({ query }: { query: EventLogQuery }) {
  const trpc = useTRPC();
  const { type, workspaceId, actor, before } = query;
  const filter: EventFilter = useMemo(() => ({ type, workspaceId, actor }), [type, workspaceId, actor]);
  const page = useQuery(
    trpc.events.list.queryOptions(
      { type, workspaceId, actor, before, limit: EVENTS_PAGE_SIZE },
      // Events never change once written, and the tail keeps the newest page current: a refetch could only replace
      // a paused view behind the operator's back.
      { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false },
    ),
  );
  const newest = before === undefined;
  const tail = useLiveTail({ filter, page: { status: page.status, events: page.data?.events }, available: newest });
  const now = useNow();
  const view = useMemo(() => (page.data ? eventWindow(page.data, tail.events, TAIL_ROW_LIMIT) : null), [page.data, tail.events]);
  const liveIds = useMemo(() => new Set(tail.events.map((event) => event.id)), [tail.events]);

  return (
    <section className="ev-log" aria-labelledby="ev-log-heading">
      <div className="ev-toolbar">
        <h2 id="ev-log-heading" className="ev-heading">
          {heading(query, view?.events.length)}
        </h2>
        <TailControls tail={tail} olderPage={!newest} newestPage={newestHref(query)} />
      </div>

      {page.isPending ? (
        <LoadingTable />
      ) : page.isError ? (
        <LoadFailed message={page.error.message} signedOut={page.error.data?.code === "UNAUTHORIZED"} retry={() => void page.refetch()} />
      ) : view === null || view.events.length === 0 ? (
        <NoEvents query={query} tailState={tail.state} />
      ) : (
        <>
          <EventTable events={view.events} liveIds={liveIds} now={now} caption={caption(query, view.events.length, liveIds.size)} />
          <Pager query={query} olderBefore={view.olderBefore} />
        </>
      )}
    </section>
  );
}

function heading(query: EventLogQuery, count: number | undefined): string {
  const which = isFiltered(query) ? "matching events" : "events";
  if (!count) return query.before === undefined ? `Newest ${which}` : `Older ${which}`;
  const amount = count.toLocaleString("en-US");
  return query.before === undefined ? `Newest ${amount} ${which}` : `${amount} ${which} before #${query.before}`;
}

function caption(query: EventLogQuery, count: number, live: number): string {
  const arrived = live > 0 ? `, ${live} of them received live` : "";
  return `${heading(query, count)}, newest first${arrived}`;
}

function newestHref(query: EventLogQuery): string {
  return eventLogHref(eventLogParams({ ...query, before: undefined }));
}

const TAIL_LABEL: Record<TailState, string> = { ...LIVE_STATE_LABEL, paused: "Paused" };

/**
 * The tail's switch and its state. On an older page the switch takes the operator to the newest events, where the
 * tail runs.
 */
function TailControls({ tail, olderPage, newestPage }: { tail: LiveTail; olderPage: boolean; newestPage: string }) {
  const router = useRouter();
  return (
    <div className="ev-tail">
      <button type="button" className="ev-tail-toggle" aria-pressed={tail.state !== "paused"} onClick={olderPage ? () => router.push(newestPage) : tail.toggle}>
        Live tail
      </button>
      <span className={`ev-live ev-live-${tail.state}`} data-testid="events-live" data-state={tail.state} role="status">
        <span className="dot" aria-hidden="true" />
        {olderPage ? "Paused: showing older events" : TAIL_LABEL[tail.state]}
      </span>
      {tail.stopped !== null ? (
        <span className="ev-tail-stopped">
          {tail.stopped.signedOut ? (
            <>
              Your session has ended. <a href="/sign-in">Sign in again</a>
            </>
          ) : (
            <>
              The tail stopped ({tail.stopped.message}); retrying…{" "}
              <button type="button" className="button-small" onClick={tail.reconnect}>
                Retry now
              </button>
            </>
          )}
        </span>
      ) : null}
    </div>
  );
}

function Pager({ query, olderBefore }: { query: EventLogQuery; olderBefore: number | null }) {
  if (query.before === undefined && olderBefore === null) return null;
  return (
    <nav className="pager ev-pager" aria-label="Pages">
      {query.before !== undefined ? (
        <Link href={newestHref(query)}>
          <span aria-hidden="true">« </span>Newest
        </Link>
      ) : (
        <span />
      )}
      {olderBefore !== null ? (
        <Link href={eventLogHref(eventLogParams({ ...query, before: olderBefore }))} rel="next">
          Older →
        </Link>
      ) : (
        <span className="muted">Start of the log</span>
      )}
    </nav>
  );
}

function LoadFailed({ message, signedOut, retry }: { message: string; signedOut: boolean; retry: () => void }) {
  return (
    <section className="empty-state error-state" role="alert" aria-labelledby="ev-failed-heading">
      <h2 id="ev-failed-heading">The event log could not be loaded</h2>
      <p>{signedOut ? "Your session has ended." : message}</p>
      <div className="actions">
        {signedOut ? (
          <a href="/sign-in">Sign in again</a>
        ) : (
          <button type="button" onClick={retry}>
            Try again
          </button>
        )}
      </div>
    </section>
  );
}

function NoEvents({ query, tailState }: { query: EventLogQuery; tailState: TailState }) {
  const tailing = tailState !== "paused";
  if (query.before !== undefined) {
    return (
      <section className="empty-state ev-empty">
        <h2>No older events</h2>
        <p>This is the start of the log{isFiltered(query) ? " for these filters" : ""}.</p>
        <p>
          <Link href={newestHref(query)}>Back to the newest events</Link>
        </p>
      </section>
    );
  }
  if (isFiltered(query)) {
    return (
      <section className="empty-state ev-empty">
        <h2>No events match</h2>
        <p>
          Nothing recorded
          {query.type ? (
            <>
              {" "}
              of type <code>{query.type}</code>
            </>
          ) : null}
          {query.workspaceId ? (
            <>
              {" "}
              for workspace <code>{query.workspaceId}</code>
            </>
          ) : null}
          {query.actor ? (
            <>
              {" "}
              by <code>{query.actor}</code>
            </>
          ) : null}
          .{tailing ? " Matching events will appear here as they happen." : null}
        </p>
        <p>
          <Link href="/events">Show all events</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="empty-state ev-empty">
      <h2>No events yet</h2>
      <p>
        The registry records an event whenever a workspace is provisioned, registers, changes status or gets a marker, and whenever an operator signs in or acts
        on a workspace.
      </p>
      {tailing ? <p className="muted">The live tail is on: the first events will appear here as they happen.</p> : null}
    </section>
  );
}
