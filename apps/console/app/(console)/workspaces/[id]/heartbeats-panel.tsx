"use client";

import type { EventView } from "@rollcall/registry-core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { HeartbeatTimeline } from "~/components/heartbeat-timeline.tsx";
import { RANGE_MS, type TimelineRange } from "~/lib/timeline.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { ActionError } from "./action-error.tsx";
import "./workspace.css";

const RANGES = Object.keys(RANGE_MS) as TimelineRange[];

/**
 * A heartbeat that changes no status publishes no event, so the live stream never refreshes this chart; polling
 * keeps its line moving (runtimes beat every 30 s).
 */
const HEARTBEAT_REFRESH_MS = 15_000;

export function HeartbeatsPanel({ workspaceId, events, now }: { workspaceId: string; events: readonly EventView[]; now: number }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<TimelineRange>("1h");
  const heartbeats = useQuery(
    trpc.workspace.heartbeats.queryOptions({ workspaceId, minutes: RANGE_MS[range] / 60_000 }, { refetchInterval: HEARTBEAT_REFRESH_MS }),
  );

  return (
    <section aria-labelledby="heartbeats-heading" className="panel">
      <div className="ws-panel-head">
        <h2 id="heartbeats-heading">Heartbeats</h2>
        <div role="group" aria-label="Time range" className="ws-toggle">
          {RANGES.map((option) => (
            <button key={option} type="button" aria-pressed={range === option} onClick={() => setRange(option)}>
              {option}
            </button>
          ))}
        </div>
      </div>
      {heartbeats.data ? (
        <HeartbeatTimeline samples={heartbeats.data.samples} events={events} now={now} range={range} />
      ) : heartbeats.error ? (
        <div className="ws-inline-error">
          <ActionError title="The heartbeats could not be loaded." error={heartbeats.error} />
          <button type="button" onClick={() => void heartbeats.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <div className="ws-skeleton-chart" aria-busy="true">
          <p role="status">Loading heartbeats for the last {range === "1h" ? "hour" : "24 hours"}…</p>
        </div>
      )}
    </section>
  );
}
