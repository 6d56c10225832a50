import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "../../../src/components/auto-refresh.tsx";
import { ErrorRateSparkline } from "../../../src/components/error-rate-sparkline.tsx";
import { HeartbeatAge } from "../../../src/components/heartbeat-age.tsx";
import { ReasonChips } from "../../../src/components/reason-chips.tsx";
import { RelativeTime } from "../../../src/components/relative-time.tsx";
import { StatusChip } from "../../../src/components/status-chip.tsx";
import { agentCardEntries, formatPercent, payloadSummary } from "../../../src/lib/format.ts";
import { eventTone } from "../../../src/lib/status.ts";
import { formatDuration, formatTimestamp } from "../../../src/lib/time.ts";
import { loadWorkspace, type WorkspacePage as Data } from "../../../src/server/registry.ts";

export const dynamic = "force-dynamic";

type Params = { id: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Workspace ${id.slice(0, 8)}` };
}

export default async function WorkspacePage({ params }: { params: Promise<Params> }) {
  const { id } = await params;
  const data = await loadWorkspace(id);
  if (data === null) notFound();
  const { workspace, now } = data;
  const showError = workspace.last_sample_error !== "" && ["failed", "degraded"].includes(workspace.status);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link href="/">Fleet</Link>
          </li>
          <li aria-current="page">{workspace.name || workspace.id}</li>
        </ol>
      </nav>

      <div className="page-head">
        <h1>
          {workspace.name || "(unnamed)"} <StatusChip status={workspace.status} />
        </h1>
        <p className="page-meta">
          <span className="mono">{workspace.id}</span>
          {" · "}
          <AutoRefresh intervalMs={10_000} />
        </p>
      </div>

      <section aria-labelledby="summary-heading" className="panel">
        <h2 id="summary-heading">Summary</h2>
        <dl className="facts facts-wide">
          <dt>Status</dt>
          <dd>
            <StatusChip status={workspace.status} />
          </dd>
          <dt>Reasons</dt>
          <dd>
            <ReasonChips reasons={workspace.status_reasons} />
          </dd>
          <dt>In this status since</dt>
          <dd>
            {formatTimestamp(workspace.status_changed_at)} (<RelativeTime iso={workspace.status_changed_at} now={now} />)
          </dd>
          <dt>Register URL</dt>
          <dd>
            {workspace.url ? <span className="mono">{workspace.url}</span> : <span className="muted">not registered yet</span>}
            <span className="muted"> · delivery: {workspace.delivery_mode}</span>
          </dd>
          <dt>Last heartbeat</dt>
          <dd>
            <HeartbeatAge iso={workspace.last_heartbeat_at} now={now} />
            {workspace.last_heartbeat_at ? <span className="muted"> · {formatTimestamp(workspace.last_heartbeat_at)}</span> : null}
          </dd>
          <dt>Error rate</dt>
          <dd>{formatPercent(workspace.last_error_rate)}</dd>
          <dt>Active tasks</dt>
          <dd>{workspace.active_tasks}</dd>
          <dt>Current task</dt>
          <dd>{workspace.current_task || <span className="muted">—</span>}</dd>
          <dt>Uptime (runtime-reported)</dt>
          <dd>{workspace.uptime_seconds > 0 ? formatDuration(workspace.uptime_seconds * 1000) : <span className="muted">—</span>}</dd>
          <dt>Runtime state</dt>
          <dd>{workspace.runtime_state || <span className="muted">normal</span>}</dd>
          <dt>Restart context</dt>
          <dd>{workspace.restart_context_pending ? "queued, waiting for the runtime" : <span className="muted">none pending</span>}</dd>
          <dt>Created</dt>
          <dd>{formatTimestamp(workspace.created_at)}</dd>
        </dl>
        {showError ? (
          <div className="error-block">
            <h3>Last error reported by the runtime</h3>
            <pre className="error-text">{workspace.last_sample_error}</pre>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="heartbeats-heading" className="panel">
        <h2 id="heartbeats-heading">Heartbeats, last hour</h2>
        <ErrorRateSparkline heartbeats={data.heartbeats} now={now} degradeAt={data.policy.degradeErrorRate} gapMs={data.policy.offlineAfterMs} />
      </section>

      <section aria-labelledby="card-heading" className="panel">
        <h2 id="card-heading">Agent card</h2>
        <AgentCard card={workspace.agent_card} />
      </section>

      <section aria-labelledby="markers-heading" className="panel">
        <h2 id="markers-heading">Markers</h2>
        <Markers markers={workspace.markers} now={now} />
      </section>

      <section aria-labelledby="events-heading" className="panel">
        <h2 id="events-heading">Event history</h2>
        <Events events={data.events} now={now} />
      </section>
    </>
  );
}

function AgentCard({ card }: { card: Data["workspace"]["agent_card"] }) {
  if (card === null) {
    return <p className="empty-inline">No agent card yet — the runtime sends one when it registers.</p>;
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

function Markers({ markers, now }: { markers: Data["workspace"]["markers"]; now: number }) {
  if (markers.length === 0) {
    return (
      <p className="empty-inline">No markers. A failed registration leaves one here, with its reason and how long it counts.</p>
    );
  }
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Markers, newest first</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Kind</th>
            <th scope="col">Reason</th>
            <th scope="col">Detail</th>
            <th scope="col">Set</th>
            <th scope="col">Expires</th>
            <th scope="col">Cleared</th>
            <th scope="col">Cleared by</th>
            <th scope="col">Why cleared</th>
          </tr>
        </thead>
        <tbody>
          {markers.map((marker) => (
            <tr key={marker.id}>
              <th scope="row">
                {marker.active ? (
                  <span className="chip tone-amber">Active</span>
                ) : (
                  <span className="chip tone-zinc">{marker.cleared_at ? "Cleared" : "Expired"}</span>
                )}
              </th>
              <td className="mono">{marker.kind}</td>
              <td className="mono">{marker.reason}</td>
              <td className="wrap">{marker.detail || <span className="muted">—</span>}</td>
              <td>
                <RelativeTime iso={marker.set_at} now={now} />
              </td>
              <td>
                <RelativeTime iso={marker.expires_at} now={now} />
              </td>
              <td>{marker.cleared_at ? <RelativeTime iso={marker.cleared_at} now={now} /> : <span className="muted">—</span>}</td>
              <td>{marker.cleared_by ?? <span className="muted">—</span>}</td>
              <td className="wrap">{marker.clear_reason ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Events({ events, now }: { events: Data["events"]; now: number }) {
  if (events.length === 0) {
    return <p className="empty-inline">No events recorded for this workspace.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="events">
        <caption className="sr-only">The newest {events.length} events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Type</th>
            <th scope="col">Actor</th>
            <th scope="col">Payload</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <th scope="row">
                <RelativeTime iso={event.at} now={now} />
              </th>
              <td>
                <span className={`event-type tone-${eventTone(event.type)}`}>{event.type}</span>
              </td>
              <td className="mono">{event.actor}</td>
              <td>
                <details>
                  <summary>{payloadSummary(event.payload)}</summary>
                  <pre className="json">{JSON.stringify(event.payload, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
