"use client";

import type { MarkerView } from "@rollcall/registry-core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useMayAct } from "~/components/console-session.tsx";
import { RelativeTime } from "~/components/relative-time.tsx";
import { clearOutcome, expiresIn, markerEndedAt, splitMarkers } from "~/lib/markers.ts";
import { reasonLabel } from "~/lib/status.ts";
import { formatTimestamp } from "~/lib/time.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { ClearMarkerDialog } from "./clear-marker-dialog.tsx";
import "./workspace.css";

type Outcome = { text: string; recovered: boolean };

/** Failure markers, active ones first with a live countdown and, for operators, the way to clear them. */
export function MarkersPanel({ workspaceId, markers, now }: { workspaceId: string; markers: readonly MarkerView[]; now: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mayAct = useMayAct();
  const [clearing, setClearing] = useState<MarkerView | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const clear = useMutation(
    trpc.workspace.clearMarker.mutationOptions({
      onSuccess: (result) => {
        setClearing(null);
        setOutcome({ text: clearOutcome(result), recovered: result.status_after === "online" });
        // The live stream refreshes the page too; this makes the new status show even while the stream is down.
        void queryClient.invalidateQueries(trpc.workspace.pathFilter());
      },
    }),
  );

  // The cleared marker's button is gone, so the focus goes to the result instead of being dropped on the page.
  useEffect(() => {
    if (outcome !== null) outcomeRef.current?.focus();
  }, [outcome]);

  const { active, past } = splitMarkers(markers, now);
  const openClear = (marker: MarkerView) => {
    clear.reset();
    setClearing(marker);
  };

  return (
    <section aria-labelledby="markers-heading" className="panel">
      <h2 id="markers-heading">
        Failure markers <span className="heading-count">{active.length === 0 ? "none active" : `${active.length} active`}</span>
      </h2>
      <div role="status" className="ws-outcome-region">
        {outcome ? (
          <p ref={outcomeRef} tabIndex={-1} className={outcome.recovered ? "ws-outcome ws-outcome-good" : "ws-outcome"}>
            {outcome.text}
            <button type="button" className="button-small" onClick={() => setOutcome(null)}>
              Dismiss
            </button>
          </p>
        ) : null}
      </div>

      {markers.length === 0 ? (
        <p className="empty-inline">
          No markers, now or in the past. A failed registration leaves one here, with its reason and how long it counts against the workspace.
        </p>
      ) : (
        <>
          {active.length === 0 ? (
            <p className="empty-inline">No active markers: nothing holds this workspace back. Past markers are below.</p>
          ) : (
            <ActiveMarkers markers={active} now={now} onClear={mayAct ? openClear : null} />
          )}
          {!mayAct && active.length > 0 ? <p className="ws-hint">Clearing a marker is for operators; this account is a viewer.</p> : null}
          {past.length > 0 ? <PastMarkers markers={past} now={now} /> : null}
        </>
      )}

      {clearing ? (
        <ClearMarkerDialog
          marker={clearing}
          pending={clear.isPending}
          error={clear.error}
          onConfirm={(reason) => clear.mutate({ workspaceId, markerId: clearing.id, reason })}
          onClose={() => setClearing(null)}
        />
      ) : null}
    </section>
  );
}

function MarkerKind({ kind }: { kind: string }) {
  return (
    <span className="ws-marker-kind" title={kind}>
      {reasonLabel(kind)}
    </span>
  );
}

type ActiveProps = { markers: readonly MarkerView[]; now: number; onClear: ((marker: MarkerView) => void) | null };

function ActiveMarkers({ markers, now, onClear }: ActiveProps) {
  return (
    <ul className="card-list" aria-label="Active markers">
      {markers.map((marker) => (
        <li key={marker.id} className="ws-marker" data-marker-id={marker.id} data-marker-active="true">
          <div className="ws-marker-head">
            <span className="chip tone-amber">Active</span>
            <MarkerKind kind={marker.kind} />
            <code className="ws-marker-reason">{marker.reason}</code>
          </div>
          {marker.detail ? <p className="ws-marker-detail">{marker.detail}</p> : null}
          <dl className="inline-facts">
            <div>
              <dt>Set</dt>
              <dd>
                <RelativeTime iso={marker.set_at} now={now} /> <span className="muted">· {formatTimestamp(marker.set_at)}</span>
              </dd>
            </div>
            <div>
              <dt>Expires in</dt>
              <dd>
                {marker.expires_at ? (
                  <time dateTime={marker.expires_at} title={formatTimestamp(marker.expires_at)} className="ws-countdown">
                    {expiresIn(marker, now)}
                  </time>
                ) : (
                  <span className="muted">—</span>
                )}{" "}
                <span className="muted">· {formatTimestamp(marker.expires_at)}</span>
              </dd>
            </div>
          </dl>
          {onClear ? (
            <button type="button" className="button-primary ws-marker-clear" onClick={() => onClear(marker)}>
              Clear marker
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function PastMarkers({ markers, now }: { markers: readonly MarkerView[]; now: number }) {
  return (
    <>
      <h3>Past markers</h3>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Past markers, the most recently ended first</caption>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Detail</th>
              <th scope="col">Set</th>
              <th scope="col">Ended</th>
              <th scope="col">Cleared by</th>
              <th scope="col">Why cleared</th>
            </tr>
          </thead>
          <tbody>
            {markers.map((marker) => (
              <tr key={marker.id} data-marker-id={marker.id} data-marker-active="false">
                <th scope="row">
                  <code>{marker.reason}</code>
                  <MarkerKind kind={marker.kind} />
                </th>
                <td className="wrap">{marker.detail || <span className="muted">—</span>}</td>
                <td>
                  <RelativeTime iso={marker.set_at} now={now} />
                </td>
                <td>
                  {marker.cleared_at ? "Cleared " : "Expired "}
                  <RelativeTime iso={markerEndedAt(marker)} now={now} />
                </td>
                <td className="mono">{marker.cleared_by ?? <span className="muted">—</span>}</td>
                <td className="wrap">{marker.clear_reason ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
