"use client";

import type { EventView } from "@rollcall/registry-core";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";
import { ActionError } from "~/components/action-error.tsx";
import { HeartbeatTimeline } from "~/components/heartbeat-timeline.tsx";
import { RANGE_MS, RANGE_WORDS, TIMELINE_RANGES, type TimelineRange } from "~/lib/timeline.ts";
import { useTRPC } from "~/trpc/react.tsx";
import "./workspace.css";

/**
 * A heartbeat that changes no status publishes no event, so the live stream never refreshes this chart; polling
 * keeps its line moving (runtimes beat every 30 s).
 */
const HEARTBEAT_REFRESH_MS = 15_000;

/**
 * The heartbeat timeline for the range in the address (`?range=6h`, read by page.tsx), so a reload, back and forward
 * and a shared link show the same chart. Choosing a range replaces the address rather than adding a history entry;
 * the choice shows at once while the server renders the page for it.
 */
export function HeartbeatsPanel({
  workspaceId,
  events,
  now,
  range: addressRange,
}: {
  workspaceId: string;
  events: readonly EventView[];
  now: number;
  range: TimelineRange;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [range, showRange] = useOptimistic(addressRange);
  const [switching, startSwitch] = useTransition();
  const heartbeats = useQuery(
    trpc.workspace.heartbeats.queryOptions({ workspaceId, minutes: RANGE_MS[range] / 60_000 }, { refetchInterval: HEARTBEAT_REFRESH_MS }),
  );
  const choose = (option: TimelineRange) =>
    startSwitch(() => {
      showRange(option);
      router.replace(`${pathname}?range=${option}`, { scroll: false });
    });

  return (
    <section aria-labelledby="heartbeats-heading" className="panel">
      <div className="panel-head">
        <h2 id="heartbeats-heading">Heartbeats</h2>
        <div role="group" aria-label="Time range" aria-busy={switching} className="ws-toggle">
          {TIMELINE_RANGES.map((option) => (
            <button key={option} type="button" aria-pressed={range === option} onClick={() => choose(option)}>
              {option}
            </button>
          ))}
        </div>
      </div>
      {heartbeats.data ? (
        <HeartbeatTimeline
          // A zoom belongs to the range it was made in.
          key={range}
          samples={heartbeats.data.samples}
          events={events}
          now={now}
          range={range}
          slotMs={heartbeats.data.slot_seconds * 1000}
          thresholds={heartbeats.data.thresholds}
        />
      ) : heartbeats.error ? (
        <div className="ws-inline-error">
          <ActionError title="The heartbeats could not be loaded." error={heartbeats.error} />
          <button type="button" onClick={() => void heartbeats.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <div className="ws-skeleton-chart" aria-busy="true">
          <p role="status">Loading heartbeats for {RANGE_WORDS[range]}…</p>
        </div>
      )}
    </section>
  );
}
