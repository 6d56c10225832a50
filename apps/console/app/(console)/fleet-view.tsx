"use client";

import type { FleetPage, FleetSort, WorkspaceStatus } from "@rollcall/registry-core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, type MouseEvent } from "react";
import { useConsoleSession } from "~/components/console-session.tsx";
import { FleetOverview } from "~/components/fleet-overview.tsx";
import { HeartbeatAge } from "~/components/heartbeat-age.tsx";
import { ReasonChips } from "~/components/reason-chips.tsx";
import { ReportedValue } from "~/components/reported-value.tsx";
import { StatusChip } from "~/components/status-chip.tsx";
import { useNow } from "~/components/use-now.ts";
import { fleetHref, fleetInput, pageRange, parseFleetQuery, toggleSort, withFilter, type FleetQuery } from "~/lib/fleet-query.ts";
import { formatAvailability } from "~/lib/availability.ts";
import { formatPercent, truncate } from "~/lib/format.ts";
import { maintenanceSummary } from "~/lib/maintenance.ts";
import { MAINTENANCE_TONE, reportsAreLastKnown, STATUS_DISPLAY_ORDER, statusStyle } from "~/lib/status.ts";
import { formatDuration, formatTimestamp } from "~/lib/time.ts";
import { useTRPC } from "~/trpc/react.tsx";

type Row = FleetPage["workspaces"][number];

/** Typing settles for this long before the search runs: one query per word, not per key. */
const SEARCH_DEBOUNCE_MS = 250;
/** Heartbeats that change no status produce no event; this keeps their ages honest. */
const REFETCH_MS = 15_000;

const sameQuery = (a: FleetQuery, b: FleetQuery) => fleetHref(a) === fleetHref(b);

/**
 * The fleet: counts per status, and one page of the table. Filters, sort and page live in the URL (changed with
 * the History API, so no server round trip); the live event stream refreshes the page when anything changes.
 */
export function FleetView({ initialQuery, initial }: { initialQuery: FleetQuery; initial: FleetPage }) {
  const trpc = useTRPC();
  const { query, ignored } = parseFleetQuery(useSearchParams());
  const fleet = useQuery(
    trpc.workspace.fleet.queryOptions(fleetInput(query), {
      initialData: sameQuery(query, initialQuery) ? initial : undefined,
      placeholderData: keepPreviousData,
      refetchInterval: REFETCH_MS,
    }),
  );
  const now = useNow(1_000, Date.parse(initial.now));
  const go = (next: FleetQuery, replace = false) => window.history[replace ? "replaceState" : "pushState"](null, "", fleetHref(next));
  const data = fleet.data;
  // Kept as one object per fleet answer: the overview re-renders every second with this page, its chart need not.
  const current = useMemo(() => (data ? { at: data.now, counts: data.counts } : null), [data]);

  return (
    <>
      <div className="page-head">
        <h1>Fleet</h1>
        <p className="page-meta" aria-live="polite">
          {fleet.isFetching ? "Updating…" : data ? <>Updated {formatTimestamp(data.now)}</> : null}
        </p>
      </div>

      {data ? <StatusTiles counts={data.counts} query={query} go={go} /> : null}

      <SearchBox query={query} go={go} />

      <FleetOverview current={current} />

      {ignored.length > 0 ? (
        <p className="notice" role="status">
          Some filters in the address were not understood and were ignored ({ignored.join(", ")}).
        </p>
      ) : null}

      {fleet.isError ? (
        <div className="notice notice-error" role="alert">
          <p>
            The fleet could not be loaded: {fleet.error.message}
            {data ? " Showing the last data received." : null}
          </p>
          <button type="button" className="button-small" onClick={() => void fleet.refetch()}>
            Try again
          </button>
        </div>
      ) : null}

      {!data ? (
        fleet.isError ? null : (
          <p className="loading">Loading the fleet…</p>
        )
      ) : data.workspaces.length === 0 ? (
        <EmptyFleet data={data} query={query} go={go} />
      ) : (
        <>
          <WorkspaceTable rows={data.workspaces} now={now} query={query} go={go} stale={fleet.isPlaceholderData} />
          <Pager data={data} query={query} go={go} />
        </>
      )}
    </>
  );
}

type Navigate = (next: FleetQuery, replace?: boolean) => void;

/** A link with a real href (new tab, copy link) whose plain click changes the view in place. */
function ViewLink({ to, go, children, ...rest }: { to: FleetQuery; go: Navigate; children: React.ReactNode } & Omit<React.ComponentProps<"a">, "href">) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    go(to);
  };
  return (
    <a href={fleetHref(to)} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

function StatusTiles({ counts, query, go }: { counts: Record<WorkspaceStatus, number>; query: FleetQuery; go: Navigate }) {
  const notRemoved = STATUS_DISPLAY_ORDER.filter((s) => s !== "removed").reduce((sum, s) => sum + counts[s], 0);
  return (
    <nav aria-label="Filter by status">
      <ul className="tiles">
        <li>
          <ViewLink
            to={withFilter(query, { status: undefined })}
            go={go}
            className="tile tone-all"
            title="Every workspace except removed ones"
            aria-current={query.status === undefined ? "page" : undefined}
            data-status-tile="all"
          >
            <span className="tile-count">{notRemoved.toLocaleString("en-US")}</span>
            <span className="tile-label">All</span>
          </ViewLink>
        </li>
        {/* Unknown exists only while the registry suspects itself: a tile that reads 0 the rest of the time would puzzle. */}
        {STATUS_DISPLAY_ORDER.filter((status) => status !== "unknown" || counts.unknown > 0 || query.status === "unknown").map((status) => {
          const style = statusStyle(status);
          return (
            <li key={status}>
              <ViewLink
                to={withFilter(query, { status })}
                go={go}
                className={`tile tone-${style.tone}`}
                aria-current={query.status === status ? "page" : undefined}
                data-status-tile={status}
              >
                <span className="tile-count">{counts[status].toLocaleString("en-US")}</span>
                <span className="tile-label">
                  <span className={`dot dot-${style.dot}`} aria-hidden="true" /> {style.label}
                </span>
              </ViewLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function SearchBox({ query, go }: { query: FleetQuery; go: Navigate }) {
  const [text, setText] = useState(query.search ?? "");
  const search = query.search ?? "";
  // Follow the URL when it changes from elsewhere (back button, a tile click that kept the search).
  useEffect(() => setText(search), [search]);
  useEffect(() => {
    if (text.trim() === search) return undefined;
    const timer = setTimeout(() => go(withFilter(query, { search: text.trim() || undefined }), true), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, search, query, go]);
  return (
    <form className="search" role="search" onSubmit={(event) => (event.preventDefault(), go(withFilter(query, { search: text.trim() || undefined })))}>
      <label htmlFor="fleet-search">Search</label>
      <input
        id="fleet-search"
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="Workspace name or id"
        maxLength={200}
        autoComplete="off"
      />
      {query.status || query.search ? (
        <ViewLink to={{ ...query, status: undefined, search: undefined, page: 1 }} go={go}>
          Clear filters
        </ViewLink>
      ) : null}
    </form>
  );
}

/**
 * The cells below carry the same labels as `data-label`: on a phone each row is a card that names its fields, and
 * leaves out those marked `data-empty`.
 */
const COLUMNS: { label: string; sort?: FleetSort; className?: string }[] = [
  { label: "Workspace", sort: "name" },
  { label: "Status", sort: "status" },
  { label: "Reason" },
  { label: "In status", sort: "since" },
  { label: "Last heartbeat", sort: "heartbeat" },
  { label: "Error rate", sort: "error_rate", className: "num" },
  { label: "7-day availability", className: "num head-wrap" },
  { label: "Changes (1 h)", className: "num head-wrap" },
  { label: "Tasks", className: "num" },
  { label: "Current task" },
  { label: "Markers" },
];

function WorkspaceTable({ rows, now, query, go, stale }: { rows: Row[]; now: number; query: FleetQuery; go: Navigate; stale: boolean }) {
  return (
    <div className="table-wrap">
      <table className="fleet-table" aria-busy={stale}>
        <caption className="sr-only">Workspaces, sorted by {COLUMNS.find((c) => c.sort === query.sort)?.label}</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              const sorted = column.sort !== undefined && column.sort === query.sort;
              return (
                <th
                  key={column.label}
                  scope="col"
                  className={column.className}
                  data-sortable={column.sort !== undefined}
                  aria-sort={sorted ? (query.descending ? "descending" : "ascending") : undefined}
                >
                  {column.sort ? (
                    <ViewLink to={toggleSort(query, column.sort)} go={go} className="sort-link">
                      {column.label}
                      <span aria-hidden="true">{sorted ? (query.descending ? " ▼" : " ▲") : ""}</span>
                    </ViewLink>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <WorkspaceRow key={row.id} row={row} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WorkspaceRow({ row, now }: { row: Row; now: number }) {
  const { flapTransitions } = useConsoleSession();
  const since = row.status_changed_at ? now - Date.parse(row.status_changed_at) : null;
  const lastKnown = reportsAreLastKnown(row.status);
  // A high rate from a runtime that has gone silent is history: it is dimmed with the rest, not flagged red.
  const errorHigh = row.last_error_rate >= 0.5 && !lastKnown;
  // As many changes in an hour as the flap rule needs in its (shorter) window: restless, even if not held yet.
  const restless = row.transitions_1h >= flapTransitions;
  return (
    <tr data-workspace-id={row.id} data-status={row.status}>
      <th scope="row" className="fleet-name">
        <Link href={`/workspaces/${row.id}`}>{row.name || "(unnamed)"}</Link>
        <span className="mono muted id-short" title={row.id}>
          {row.id.slice(0, 8)}
        </span>
      </th>
      <td className="fleet-status">
        <StatusChip status={row.status} />
        {row.maintenance ? (
          <>
            {" "}
            <span
              className={`chip tone-${MAINTENANCE_TONE} fleet-maintenance`}
              title={maintenanceSummary(row.maintenance)}
              data-maintenance-until={row.maintenance.until}
            >
              Maintenance
            </span>
          </>
        ) : null}
      </td>
      <td data-label="Reason" className="fleet-wide" data-empty={row.status_reasons.length === 0 || undefined}>
        <ReasonChips reasons={row.status_reasons} />
      </td>
      <td data-label="In status" title={formatTimestamp(row.status_changed_at)}>
        {since === null ? "—" : formatDuration(since)}
      </td>
      <td data-label="Last heartbeat">
        <HeartbeatAge iso={row.last_heartbeat_at} now={now} />
      </td>
      <td data-label="Error rate" className={`num${errorHigh ? " error-high" : ""}`}>
        <ReportedValue lastKnown={lastKnown}>{formatPercent(row.last_error_rate)}</ReportedValue>
      </td>
      <td data-label="7-day availability" className="num">
        {formatAvailability(row.availability_7d)}
      </td>
      <td data-label="Changes (1 h)" className={`num${restless ? " changes-high" : ""}`} data-changes={row.transitions_1h}>
        {row.transitions_1h}
      </td>
      <td data-label="Tasks" className="num">
        <ReportedValue lastKnown={lastKnown}>{row.active_tasks}</ReportedValue>
      </td>
      <td data-label="Current task" className="fleet-wide" title={row.current_task} data-empty={!row.current_task || undefined}>
        {row.current_task ? <ReportedValue lastKnown={lastKnown}>{truncate(row.current_task, 40)}</ReportedValue> : <span className="muted">—</span>}
      </td>
      <td data-label="Markers" className="fleet-wide" data-empty={row.active_markers.length === 0 || undefined}>
        {row.active_markers.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <ul className="reasons" aria-label="Active markers">
            {row.active_markers.map((marker) => (
              <li key={marker.id} className="reason reason-marker" title={marker.detail}>
                {marker.reason}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

function Pager({ data, query, go }: { data: FleetPage; query: FleetQuery; go: Navigate }) {
  const lastPage = Math.max(1, Math.ceil(data.total / data.page_size));
  return (
    <nav className="pager" aria-label="Pages">
      <span>{pageRange(data.page, data.page_size, data.total)}</span>
      <span className="pager-links">
        {query.page > 1 ? (
          <>
            <ViewLink to={{ ...query, page: 1 }} go={go}>
              « First
            </ViewLink>
            <ViewLink to={{ ...query, page: query.page - 1 }} go={go} rel="prev">
              ‹ Previous
            </ViewLink>
          </>
        ) : null}
        {query.page < lastPage ? (
          <ViewLink to={{ ...query, page: query.page + 1 }} go={go} rel="next">
            Next ›
          </ViewLink>
        ) : null}
      </span>
    </nav>
  );
}

function EmptyFleet({ data, query, go }: { data: FleetPage; query: FleetQuery; go: Navigate }) {
  const filtered = query.status !== undefined || query.search !== undefined;
  if (!filtered && data.total === 0 && query.page === 1) {
    return (
      <section className="empty-state">
        <h2>No workspaces yet</h2>
        <p>
          A workspace appears here when it is provisioned (<code>POST /api/workspaces</code> on the registry server) and its runtime registers. With{" "}
          <code>npm run demo</code> a demo fleet registers within seconds.
        </p>
        {data.counts.removed > 0 ? <p className="muted">{data.counts.removed} removed workspaces are hidden.</p> : null}
      </section>
    );
  }
  return (
    <section className="empty-state">
      <h2>No workspaces match</h2>
      <p>
        Nothing {query.status ? <>with status “{statusStyle(query.status).label}”</> : null}
        {query.status && query.search ? " and " : null}
        {query.search ? <>matching “{query.search}”</> : null}
        {query.page > 1 ? " on this page" : null}.
      </p>
      <p>
        <ViewLink to={{ ...query, status: undefined, search: undefined, page: 1 }} go={go}>
          Show all workspaces
        </ViewLink>
      </p>
    </section>
  );
}
