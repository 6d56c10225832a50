"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ActionError } from "~/components/action-error.tsx";
import { useMayAct } from "~/components/console-session.tsx";
import { RelativeTime } from "~/components/relative-time.tsx";
import { TableHead } from "~/components/table-head.tsx";
import { useNow } from "~/components/use-now.ts";
import {
  attemptStatus,
  DELIVERIES_PAGE_SIZE,
  DELIVERY_LOG_REFRESH_MS,
  deliveryState,
  formatLatency,
  mayRedeliver,
  type Attempt,
  type Delivery,
} from "~/lib/notifications.ts";
import { formatTimestamp } from "~/lib/time.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { NOTIFICATION_NEXT_STEPS } from "../next-steps.ts";

/**
 * The endpoint's deliveries, newest first, each with its attempts. Read again every 2 s while the tab is visible, so
 * a retry or a redelivery shows up by itself; older pages are reached through `next_before`.
 */
export function DeliveryLog({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const now = useNow();
  // The cursors of the pages opened so far, newest page first: "Newer" goes back one, "Newest" to none.
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors.at(-1);
  const log = useQuery(
    trpc.notifications.deliveries.queryOptions(
      { id: endpointId, limit: DELIVERIES_PAGE_SIZE, ...(before === undefined ? {} : { before }) },
      // The page on screen stays while the next one loads, so the pager does not jump.
      { refetchInterval: DELIVERY_LOG_REFRESH_MS, placeholderData: keepPreviousData },
    ),
  );

  const older = log.data?.next_before ?? null;

  return (
    <section aria-labelledby="nt-log-heading" className="panel">
      <div className="panel-head">
        <h2 id="nt-log-heading">{before === undefined ? "Delivery log" : "Delivery log: older deliveries"}</h2>
        <p className="page-meta">Newest first · refreshed every {DELIVERY_LOG_REFRESH_MS / 1_000} s · times in UTC</p>
      </div>
      {log.isPending ? (
        <p className="muted" aria-busy="true">
          Loading deliveries…
        </p>
      ) : log.isError ? (
        <div role="alert" className="action-error">
          <p>
            <strong>The delivery log could not be loaded.</strong> {log.error.message}
          </p>
          <button type="button" onClick={() => void log.refetch()}>
            Try again
          </button>
        </div>
      ) : log.data.deliveries.length === 0 ? (
        <p className="empty-inline">
          {before === undefined
            ? "No deliveries yet. Each notification the endpoint's filter admits, each test and each redelivery shows here with every attempt."
            : "No older deliveries."}
        </p>
      ) : (
        <ol className="card-list" aria-label="Deliveries">
          {log.data.deliveries.map((delivery) => (
            <DeliveryItem key={delivery.seq} endpointId={endpointId} delivery={delivery} now={now} />
          ))}
        </ol>
      )}
      {log.data && (before !== undefined || older !== null) ? (
        <nav className="pager nt-pager" aria-label="Delivery log pages">
          {before !== undefined ? (
            <span className="nt-pager-newer">
              <button type="button" onClick={() => setCursors([])}>
                Newest deliveries
              </button>
              <button type="button" onClick={() => setCursors((current) => current.slice(0, -1))}>
                Newer deliveries
              </button>
            </span>
          ) : (
            <span />
          )}
          {older !== null ? (
            // While the next page loads the previous one stays on screen, and its cursor must not be taken twice.
            <button type="button" disabled={log.isPlaceholderData} onClick={() => setCursors((current) => [...current, older])}>
              Older deliveries
            </button>
          ) : (
            <span className="muted">Start of the log</span>
          )}
        </nav>
      ) : null}
    </section>
  );
}

function DeliveryItem({ endpointId, delivery, now }: { endpointId: string; delivery: Delivery; now: number }) {
  const mayAct = useMayAct();
  const state = deliveryState(delivery);
  const headingId = `nt-delivery-${delivery.seq}`;
  return (
    <li className="nt-delivery" data-event-id={delivery.event_id} data-type={delivery.type} data-state={delivery.state} aria-labelledby={headingId}>
      <div className="nt-delivery-head">
        <h3 id={headingId} className="nt-delivery-type mono">
          {delivery.type}
        </h3>
        <span className={`chip tone-${state.tone}`} data-testid="delivery-state">
          {state.label}
        </span>
        {mayAct && mayRedeliver(delivery) ? <RedeliverButton endpointId={endpointId} eventId={delivery.event_id} /> : null}
      </div>
      <dl className="inline-facts nt-delivery-facts">
        <div>
          <dt>Webhook id</dt>
          <dd className="mono">{delivery.event_id}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{delivery.attempts}</dd>
        </div>
        <div>
          <dt>Queued</dt>
          <dd>{formatTimestamp(delivery.created_at)}</dd>
        </div>
        <div>
          <dt>Next attempt</dt>
          <dd>
            {delivery.next_attempt_at ? (
              <>
                {formatTimestamp(delivery.next_attempt_at)} (<RelativeTime iso={delivery.next_attempt_at} now={now} />)
              </>
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
        </div>
      </dl>
      {delivery.attempt_log.length === 0 ? (
        <p className="empty-inline">No attempt yet.</p>
      ) : (
        <AttemptTable eventId={delivery.event_id} attempts={delivery.attempt_log} />
      )}
    </li>
  );
}

const ATTEMPT_COLUMNS = ["Attempt", "Time", "Status", "Latency", "Error"] as const;

function AttemptTable({ eventId, attempts }: { eventId: string; attempts: readonly Attempt[] }) {
  return (
    <div className="table-wrap nt-attempts">
      <table>
        <caption className="sr-only">Attempts of {eventId}</caption>
        <TableHead columns={ATTEMPT_COLUMNS} />
        <tbody>
          {attempts.map((attempt) => (
            <tr key={attempt.attempt} data-attempt={attempt.attempt}>
              <th scope="row">#{attempt.attempt}</th>
              <td>
                <time dateTime={attempt.at}>{formatTimestamp(attempt.at)}</time>
              </td>
              <td className={attempt.status_code !== null && attempt.status_code < 300 ? "nt-status-good" : "nt-status-bad"}>{attemptStatus(attempt)}</td>
              <td className="num">{formatLatency(attempt.latency_ms)}</td>
              <td className="nt-error">{attempt.error ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RedeliverButton({ endpointId, eventId }: { endpointId: string; eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const redeliver = useMutation(
    trpc.notifications.redeliver.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.notifications.deliveries.pathFilter()),
    }),
  );
  return (
    <span className="nt-redeliver">
      <button
        type="button"
        className="button-small"
        aria-label={`Redeliver ${eventId}`}
        disabled={redeliver.isPending}
        aria-busy={redeliver.isPending}
        onClick={() => redeliver.mutate({ id: endpointId, eventId })}
      >
        {redeliver.isPending ? "Redelivering…" : "Redeliver"}
      </button>
      {redeliver.error ? <ActionError title="Not redelivered." error={redeliver.error} nextSteps={NOTIFICATION_NEXT_STEPS} /> : null}
    </span>
  );
}
