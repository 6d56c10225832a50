"use client";

import type { ConsoleRouter } from "@rollcall/registry-core/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { HeartbeatAge } from "../../../../src/components/heartbeat-age.tsx";
import { ReasonChips } from "../../../../src/components/reason-chips.tsx";
import { RelativeTime } from "../../../../src/components/relative-time.tsx";
import { StatusChip } from "../../../../src/components/status-chip.tsx";
import { useNow } from "../../../../src/components/use-now.ts";
import { agentCardEntries, formatPercent } from "../../../../src/lib/format.ts";
import { formatDuration, formatTimestamp } from "../../../../src/lib/time.ts";
import { useTRPC } from "../../../../src/trpc/react.tsx";
import { ActionError, errorReason, type ConsoleError } from "./action-error.tsx";
import { EventHistory, useWorkspaceEvents, type WorkspaceEvents } from "./event-history.tsx";
import { HeartbeatsPanel } from "./heartbeats-panel.tsx";
import { MarkersPanel } from "./markers-panel.tsx";
import { TokenActions } from "./token-actions.tsx";
import "./workspace.css";

type WorkspaceDetail = inferRouterOutputs<ConsoleRouter>["workspace"]["get"];

const isMissing = (error: ConsoleError | null) => error !== null && errorReason(error) === "unknown_workspace";

/** One workspace, kept current by the tab's live event stream (which refreshes the queries this view reads). */
export function WorkspaceView({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const now = useNow();
  const workspace = useQuery(
    // An unknown workspace stays unknown: show that at once instead of asking again.
    trpc.workspace.get.queryOptions({ workspaceId }, { retry: (failures, error) => !isMissing(error) && failures < 1 }),
  );
  const history = useWorkspaceEvents(workspaceId);
  const detail = workspace.data;

  if (isMissing(workspace.error)) return <WorkspaceNotFound workspaceId={workspaceId} />;
  if (detail === undefined) {
    return workspace.error ? (
      <WorkspaceLoadError error={workspace.error} onRetry={() => void workspace.refetch()} />
    ) : (
      <WorkspaceLoading />
    );
  }
  if (detail.status === "removed") return <RemovedWorkspace detail={detail} history={history} now={now} />;

  return (
    <div className="ws-page">
      <Breadcrumb label={detail.name || detail.id} />
      <div className="page-head ws-head">
        <div>
          <h1>
            {detail.name || "(unnamed)"} <WorkspaceStatus status={detail.status} />
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

      <Summary detail={detail} now={now} />
      <MarkersPanel workspaceId={detail.id} markers={detail.markers} now={now} />
      <HeartbeatsPanel workspaceId={detail.id} events={history.events} now={now} />
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
          {detail.url ? <span className="mono">{detail.url}</span> : <span className="muted">none: no successful register since it was provisioned or restarted</span>}
          <span className="muted"> · delivery: {detail.delivery_mode}</span>
        </dd>
        <dt>Last heartbeat</dt>
        <dd>
          <HeartbeatAge iso={detail.last_heartbeat_at} now={now} />
          {detail.last_heartbeat_at ? <span className="muted"> · {formatTimestamp(detail.last_heartbeat_at)}</span> : null}
        </dd>
        <dt>Error rate</dt>
        <dd>{formatPercent(detail.last_error_rate)}</dd>
        <dt>Active tasks</dt>
        <dd>{detail.active_tasks}</dd>
        <dt>Current task</dt>
        <dd>{detail.current_task || <span className="muted">—</span>}</dd>
        <dt>Uptime (runtime-reported)</dt>
        <dd>{detail.uptime_seconds > 0 ? formatDuration(detail.uptime_seconds * 1000) : <span className="muted">—</span>}</dd>
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

function WorkspaceLoading() {
  return (
    <div className="ws-page" aria-busy="true">
      <p role="status" className="ws-loading-text">
        Loading workspace…
      </p>
      <div className="ws-skeleton-page" aria-hidden="true">
        <span className="ws-skeleton ws-skeleton-title" />
        <span className="ws-skeleton ws-skeleton-panel" />
        <span className="ws-skeleton ws-skeleton-panel" />
        <span className="ws-skeleton ws-skeleton-panel ws-skeleton-tall" />
      </div>
    </div>
  );
}

function WorkspaceLoadError({ error, onRetry }: { error: ConsoleError; onRetry: () => void }) {
  return (
    <section className="empty-state error-state" aria-labelledby="load-error-heading">
      <h1 id="load-error-heading">This workspace could not be loaded</h1>
      <ActionError title="The registry did not answer." error={error} />
      <p className="actions">
        <button type="button" onClick={onRetry}>
          Try again
        </button>
        <Link href="/">Back to the fleet</Link>
      </p>
    </section>
  );
}

function WorkspaceNotFound({ workspaceId }: { workspaceId: string }) {
  return (
    <section className="empty-state" aria-labelledby="not-found-heading">
      <h1 id="not-found-heading">No such workspace</h1>
      <p>
        Nothing in this registry has the id <code>{workspaceId}</code>. It may have been mistyped, or it belongs to another
        registry.
      </p>
      <p>
        <Link href="/">Back to the fleet</Link>
      </p>
    </section>
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
          ). Its tokens are revoked, its runtime can no longer register or send heartbeats, and it is no longer in the
          fleet. Removal cannot be undone; the history below says who removed it.
        </p>
        <p>
          <Link href="/">Back to the fleet</Link>
        </p>
      </section>
      <EventHistory history={history} now={now} />
    </div>
  );
}
