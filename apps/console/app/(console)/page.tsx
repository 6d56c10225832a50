import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "../src/components/auto-refresh.tsx";
import { HeartbeatAge } from "../src/components/heartbeat-age.tsx";
import { ReasonChips } from "../src/components/reason-chips.tsx";
import { StatusChip } from "../src/components/status-chip.tsx";
import { firstParam, fleetHref } from "../src/lib/fleet-href.ts";
import { formatPercent, truncate } from "../src/lib/format.ts";
import { STATUS_DISPLAY_ORDER, statusStyle } from "../src/lib/status.ts";
import { formatDuration, formatTimestamp, ageMs } from "../src/lib/time.ts";
import { loadFleet, type Fleet, type FleetWorkspace } from "../src/server/registry.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Fleet" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const requested = { status: firstParam(params.status), q: firstParam(params.q), after: firstParam(params.after) };
  const fleet = await loadFleet(requested);
  const { status, search, after } = fleet.filter;
  const filtered = status !== undefined || search !== undefined;
  // The unfiltered list leaves removed workspaces out, so "empty fleet" means nothing but removed ones.
  const counts = fleet.counts as Record<string, number>;
  const removed = counts.removed ?? 0;
  const notRemoved = Object.values(counts).reduce((sum, count) => sum + count, 0) - removed;

  return (
    <>
      <div className="page-head">
        <h1>Fleet</h1>
        <p className="page-meta">
          Updated <time dateTime={new Date(fleet.now).toISOString()}>{formatTimestamp(new Date(fleet.now).toISOString())}</time>
          {" · "}
          <AutoRefresh intervalMs={5_000} />
        </p>
      </div>

      <StatusTiles fleet={fleet} notRemoved={notRemoved} />

      <form className="search" method="get" action="/" role="search">
        <label htmlFor="q">Search by id or name</label>
        <input id="q" name="q" type="search" defaultValue={search ?? ""} placeholder="e.g. demo or 3f2a…" maxLength={200} />
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <button type="submit">Search</button>
        {filtered ? <Link href="/">Clear filters</Link> : null}
      </form>

      {fleet.invalidFilter ? (
        <p className="notice" role="status">
          Some filters were not understood and were ignored (status must be one of the statuses above; search is at most
          200 characters). Showing all workspaces.
        </p>
      ) : null}

      {fleet.workspaces.length === 0 ? (
        notRemoved === 0 && !filtered && !after ? (
          <EmptyFleet removed={removed} />
        ) : (
          <section className="empty-state">
            <h2>No workspaces match</h2>
            <p>
              Nothing {status ? <>with status “{statusStyle(status).label}”</> : null}
              {status && search ? " and " : null}
              {search ? <>matching “{search}”</> : null}
              {after ? " after this point" : null}.
            </p>
            <p>
              <Link href="/">Show all workspaces</Link>
            </p>
          </section>
        )
      ) : (
        <WorkspaceTable workspaces={fleet.workspaces} now={fleet.now} />
      )}

      {fleet.next_cursor !== null || after ? (
        <nav className="pager" aria-label="Pages">
          {after ? <Link href={fleetHref({ status, q: search })}>← First page</Link> : <span />}
          {fleet.next_cursor !== null ? (
            <Link href={fleetHref({ status, q: search, after: fleet.next_cursor })}>Next page →</Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function StatusTiles({ fleet, notRemoved }: { fleet: Fleet; notRemoved: number }) {
  const current = fleet.filter.status;
  const search = fleet.filter.search;
  // Counts from the store may include a status this console does not know yet; it gets a tile too, under its own name.
  const extra = Object.keys(fleet.counts).filter((status) => !(STATUS_DISPLAY_ORDER as readonly string[]).includes(status));
  const statuses = [...STATUS_DISPLAY_ORDER, ...extra];
  const counts = fleet.counts as Record<string, number>;

  return (
    <nav aria-label="Filter by status">
      <ul className="tiles">
        <li>
          <Link
            href={fleetHref({ q: search })}
            className="tile tone-all"
            title="Every workspace except removed ones"
            aria-current={current === undefined ? "page" : undefined}>
            <span className="tile-count">{notRemoved}</span>
            <span className="tile-label">
              All<span className="sr-only"> workspaces except removed ones</span>
            </span>
          </Link>
        </li>
        {statuses.map((status) => {
          const style = statusStyle(status);
          return (
            <li key={status}>
              <Link
                href={fleetHref({ status, q: search })}
                className={`tile tone-${style.tone}`}
                aria-current={current === status ? "page" : undefined}
              >
                <span className="tile-count">{counts[status] ?? 0}</span>
                <span className="tile-label">
                  <span className={`dot dot-${style.dot}`} aria-hidden="true" />
                  {style.label}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function WorkspaceTable({ workspaces, now }: { workspaces: FleetWorkspace[]; now: number }) {
  return (
    <div className="table-wrap">
      <table className="fleet">
        <caption className="sr-only">Workspaces, {workspaces.length} shown, ordered by id</caption>
        <thead>
          <tr>
            <th scope="col">Workspace</th>
            <th scope="col">Status</th>
            <th scope="col">Reasons</th>
            <th scope="col">In status</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col" className="num">
              Error rate
            </th>
            <th scope="col" className="num">
              Active tasks
            </th>
            <th scope="col">Current task</th>
          </tr>
        </thead>
        <tbody>
          {workspaces.map((workspace) => {
            const inStatus = ageMs(workspace.status_changed_at, now);
            return (
              <tr key={workspace.id}>
                <th scope="row">
                  <Link href={`/workspaces/${workspace.id}`} className="ws-name">
                    {workspace.name || "(unnamed)"}
                  </Link>
                  <span className="ws-id mono">{workspace.id}</span>
                </th>
                <td>
                  <StatusChip status={workspace.status} />
                </td>
                <td>
                  <ReasonChips reasons={workspace.status_reasons} />
                  {/* The canvas's degraded preview (reference §8): the runtime's last error, in full on hover. */}
                  {workspace.status === "degraded" && workspace.last_sample_error ? (
                    <span className="sample-error" title={workspace.last_sample_error}>
                      {truncate(workspace.last_sample_error, 60)}
                    </span>
                  ) : null}
                </td>
                <td title={formatTimestamp(workspace.status_changed_at)}>{inStatus === null ? "—" : formatDuration(inStatus)}</td>
                <td>
                  <HeartbeatAge iso={workspace.last_heartbeat_at} now={now} />
                </td>
                <td className="num">{formatPercent(workspace.last_error_rate)}</td>
                <td className="num">{workspace.active_tasks}</td>
                <td>
                  {workspace.current_task ? (
                    <span className="task" title={workspace.current_task}>
                      {truncate(workspace.current_task, 48)}
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function EmptyFleet({ removed }: { removed: number }) {
  return (
    <section className="empty-state">
      <h2>No workspaces yet — start the demo fleet to see some</h2>
      <p>
        From the repository root, <code>pnpm demo</code> starts the registry with a small fleet of demo runtimes. Or provision one
        by hand through the operator API:
      </p>
      <pre className="snippet">
        {`curl -XPOST -H "Authorization: Bearer $ROLLCALL_ADMIN_TOKEN" \\
  http://127.0.0.1:8080/api/workspaces -d '{"name":"demo"}'`}
      </pre>
      <p className="muted">This page refreshes itself; new workspaces appear within a few seconds.</p>
      {removed > 0 ? (
        <p>
          {removed} removed workspace{removed === 1 ? " is" : "s are"} hidden:{" "}
          <Link href={fleetHref({ status: "removed" })}>show removed</Link>.
        </p>
      ) : null}
    </section>
  );
}
