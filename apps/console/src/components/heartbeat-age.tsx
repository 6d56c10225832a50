"use client";

import { heartbeatFreshness } from "~/lib/heartbeat-age.ts";
import { formatRelative, formatTimestamp } from "~/lib/time.ts";
import { useConsoleSession } from "./console-session.tsx";

const FRESHNESS_TEXT = { fresh: "on time", late: "late", stale: "stale", never: "no heartbeat yet" } as const;

/** "12s ago" coloured by staleness; the staleness is also spelled out for screen readers and on hover. */
export function HeartbeatAge({ iso, now }: { iso: string | null; now: number }) {
  const freshness = heartbeatFreshness(iso, now, useConsoleSession().offlineAfterMs);
  if (iso === null) return <span className="age age-never">never</span>;
  return (
    <time dateTime={iso} className={`age age-${freshness}`} title={`${formatTimestamp(iso)} (${FRESHNESS_TEXT[freshness]})`}>
      {formatRelative(iso, now)}
      <span className="sr-only"> ({FRESHNESS_TEXT[freshness]})</span>
    </time>
  );
}
