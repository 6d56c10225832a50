"use client";

import type { ConsoleRouter } from "@rollcall/registry-core/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { HeartbeatAge } from "~/components/heartbeat-age.tsx";
import { ReasonChips } from "~/components/reason-chips.tsx";
import { RelativeTime } from "~/components/relative-time.tsx";
import { ReportedValue } from "~/components/reported-value.tsx";
import { StatusChip } from "~/components/status-chip.tsx";
import { useNow } from "~/components/use-now.ts";
import { agentCardEntries, formatPercent } from "~/lib/format.ts";
import { reportsAreLastKnown } from "~/lib/status.ts";
import { formatDuration, formatTimestamp } from "~/lib/time.ts";
import type { TimelineRange } from "~/lib/timeline.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { AvailabilityPanel } from "./availability-panel.tsx";
import { EventHistory, useWorkspaceEvents, type WorkspaceEvents } from "./event-history.tsx";
import { FlappingFlag } from "./flapping-flag.tsx";
import { HeartbeatsPanel } from "./heartbeats-panel.tsx";
import { MaintenancePanel } from "./maintenance-panel.tsx";
import { MarkersPanel } from "./markers-panel.tsx";
import { TokenActions } from "./token-actions.tsx";
import "./workspace.css";

type WorkspaceDetail = inferRouterOutputs<ConsoleRouter>["workspace"]["get"];

/**
 * One workspace, as the server read it for the page (page.tsx, which answers 404 for an unknown id), then kept
 * current by the tab's live event stream (which refreshes the queries this view reads). `timelineRange` is the
 * heartbeat timeline's range from the address.
 */
export function WorkspaceView({ initial, timelineRange }: { initial: WorkspaceDetail; timelineRange: TimelineRange }) {
  const trpc = useTRPC();
  const now = useNow();
  const workspace = useQuery(trpc.workspace.get.queryOptions({ workspaceId: initial.id }, { initialData: initial }));
  const history = useWorkspaceEvents(initial.id);
  const detail = workspace.data;

  if (detail.status === "removed") return <RemovedWorkspace detail={detail} history={history} now={now} />;

  return (
    <div className="ws-page">
      <Breadcrumb label={detail.name || detail.id} />
      <div className="page-head ws-head">
        <div>
          <h1>
            {detail.name || "(unnamed)"} <WorkspaceStatus status={detail.status} /> <FlappingFlag flapping={detail.flapping} />
          </h1>
          <p className="page-meta mono">{detail.id}</p>
        </div>
        <TokenActions workspace={detail} />
      </div>

      {workspace.error ? (
        <p className="notice" role="status">
          The latest refresh failed ({workspace.error.message}); showing the workspace as loaded at{" "}
          {formatTimestamp(new Date(workspace.dataUpdatedAt).toISOString())}. It is tried again on the next change.
        </p>
      ) : null}

      <MaintenancePanel workspaceId={detail.id} maintenance={detail.maintenance} now={now} />
      <Summary detail={detail} now={now} />
      <MarkersPanel workspaceId={detail.id} markers={detail.markers} now={now} />
      <HeartbeatsPanel workspaceId={detail.id} events={history.events} now={now} range={timelineRange} />
      <AvailabilityPanel workspaceId={detail.id} now={now} />
      <div className="ws-columns">
        <EventHistory history={history} now={now} />
        <section aria-labelledby="card-heading" className="panel">
          <h2 id="card-heading">Agent card</h2>
          <AgentCard card={detail.agent_card} />
        </section>
      </div>
    </div>
  );
}

/** The status chip the end-to-end tests read: `data-status` carries the raw status. */
function WorkspaceStatus({ status }: { status: string }) {
  return (
    <span data-testid="workspace-status" data-status={status}>
      <StatusChip status={status} />
    </span>
  );
}

function Breadcrumb({ label }: { label: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link href="/">Fleet</Link>
        </li>
        <li aria-current="page">{label}</li>
      </ol>
    </nav>
  );
}

function Summary({ detail, now }: { detail: WorkspaceDetail; now: number }) {
  const showError = detail.last_sample_error !== "" && ["failed", "degraded"].includes(detail.status);
  const lastKnown = reportsAreLastKnown(detail.status);
  return (
    <section aria-labelledby="summary-heading" className="panel">
      <h2 id="summary-heading">Summary</h2>
      <dl className="facts facts-wide">
        <dt>Reasons</dt>
        <dd>
          <ReasonChips reasons={detail.status_reasons} />
        </dd>
        <dt>In this status since</dt>
        <dd>
          {formatTimestamp(detail.status_changed_at)} (<RelativeTime iso={detail.status_changed_at} now={now} />)
        </dd>
        <dt>Register URL</dt>
        <dd>
          {detail.url ? (
            <span className="mono">{detail.url}</span>
          ) : (
            <span className="muted">none: no successful register since it was provisioned or restarted</span>
          )}
          <span className="muted"> · delivery: {detail.delivery_mode}</span>
        </dd>
        <dt>Last heartbeat</dt>
        <dd>
          <HeartbeatAge iso={detail.last_heartbeat_at} now={now} />
          {detail.last_heartbeat_at ? <span className="muted"> · {formatTimestamp(detail.last_heartbeat_at)}</span> : null}
        </dd>
        <dt>Error rate</dt>
        <dd>
          <ReportedValue lastKnown={lastKnown}>{formatPercent(detail.last_error_rate)}</ReportedValue>
        </dd>
        <dt>Active tasks</dt>
        <dd>
          <ReportedValue lastKnown={lastKnown}>{detail.active_tasks}</ReportedValue>
        </dd>
        <dt>Current task</dt>
        <dd>{detail.current_task ? <ReportedValue lastKnown={lastKnown}>{detail.current_task}</ReportedValue> : <span className="muted">—</span>}</dd>
        <dt>Uptime (runtime-reported)</dt>
        <dd>
          {detail.uptime_seconds > 0 ? (
            <ReportedValue lastKnown={lastKnown}>{formatDuration(detail.uptime_seconds * 1000)}</ReportedValue>
          ) : (
            <span className="muted">—</span>
          )}
        </dd>
        <dt>Runtime state</dt>
        <dd>{detail.runtime_state || <span className="muted">normal</span>}</dd>
        <dt>Restart context</dt>
        <dd>{detail.restart_context_pending ? "queued, waiting for the runtime" : <span className="muted">none pending</span>}</dd>
        <dt>Created</dt>
        <dd>{formatTimestamp(detail.created_at)}</dd>
      </dl>
      {showError ? (
        <div className="ws-sample-error">
          <h3>Last error reported by the runtime</h3>
          <pre className="error-text">{detail.last_sample_error}</pre>
        </div>
      ) : null}
    </section>
  );
}

function AgentCard({ card }: { card: WorkspaceDetail["agent_card"] }) {
  if (card === null) {
    return <p className="empty-inline">No agent card yet: the runtime sends one when it registers.</p>;
  }
  const entries = agentCardEntries(card);
  return (
    <>
      {entries.length === 0 ? (
        <p className="empty-inline">The agent card is empty.</p>
      ) : (
        <dl className="facts">
          {entries.map((entry) => (
            <div key={entry.key} className="fact">
              <dt className="mono">{entry.key}</dt>
              <dd>{entry.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <details>
        <summary>Raw JSON</summary>
        <pre className="json">{JSON.stringify(card, null, 2)}</pre>
      </details>
    </>
  );
}

/** Removal is a tombstone: nothing about the workspace can change again, but who removed it and when stays readable. */
function RemovedWorkspace({ detail, history, now }: { detail: WorkspaceDetail; history: WorkspaceEvents; now: number }) {
  return (
    <div className="ws-page">
      <Breadcrumb label={detail.name || detail.id} />
      <section className="empty-state ws-removed" aria-labelledby="removed-heading">
        <h1 id="removed-heading">
          {detail.name || "(unnamed)"} <WorkspaceStatus status={detail.status} />
        </h1>
        <p className="mono muted">{detail.id}</p>
        <p>
          This workspace was removed {formatTimestamp(detail.status_changed_at)} (
          <RelativeTime iso={detail.status_changed_at} now={now} />
          ). Its tokens are revoked, its runtime can no longer register or send heartbeats, and it is no longer in the fleet. Removal cannot be undone; the
          history below says who removed it.
        </p>
        <p>
          <Link href="/">Back to the fleet</Link>
        </p>
      </section>
      <EventHistory history={history} now={now} />
    </div>
  );
}
