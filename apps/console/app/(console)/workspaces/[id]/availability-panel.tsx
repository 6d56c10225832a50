"use client";

import type { ConsoleRouter } from "@rollcall/registry-core/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { ActionError } from "~/components/action-error.tsx";
import { ReasonChips } from "~/components/reason-chips.tsx";
import { AVAILABILITY_WINDOWS, dayDescription, dayTone, describeStrip, formatAvailability, formatSeconds } from "~/lib/availability.ts";
import { formatTimestamp } from "~/lib/time.ts";
import { UNBATCHED, useTRPC } from "~/trpc/react.tsx";
import "./workspace.css";

type Availability = inferRouterOutputs<ConsoleRouter>["workspace"]["availability"];
type Outage = Availability["outages"][number];

/**
 * Availability moves by the minute at most; the live stream refreshes it on each of this workspace's events (a status
 * change or a maintenance), and this catches the rest (an ongoing outage's duration, a new day).
 */
const AVAILABILITY_REFRESH_MS = 60_000;
/** The outages shown before "Show all": the recent ones are what an operator reads; a flapping week can have hundreds. */
const OUTAGES_SHOWN = 10;

/** The available share over four windows, one cell per day for 90 days, and the outages behind them. */
export function AvailabilityPanel({ workspaceId, now }: { workspaceId: string; now: number }) {
  const trpc = useTRPC();
  const availability = useQuery(trpc.workspace.availability.queryOptions({ workspaceId }, { refetchInterval: AVAILABILITY_REFRESH_MS, ...UNBATCHED }));

  return (
    <section aria-labelledby="availability-heading" className="panel" data-testid="availability">
      <h2 id="availability-heading">Availability</h2>
      {availability.data ? (
        <>
          <Windows windows={availability.data.windows} />
          <DayStrip days={availability.data.days} />
          <Outages outages={availability.data.outages} now={now} />
        </>
      ) : availability.error ? (
        <div className="ws-inline-error">
          <ActionError title="The availability could not be loaded." error={availability.error} />
          <button type="button" onClick={() => void availability.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <p role="status" className="empty-inline" aria-busy="true">
          Loading the availability…
        </p>
      )}
    </section>
  );
}

function Windows({ windows }: { windows: Availability["windows"] }) {
  return (
    <>
      <dl className="av-windows">
        {AVAILABILITY_WINDOWS.map(({ key, label }) => (
          <div key={key} className="av-window" data-window={key}>
            <dt>Last {label}</dt>
            <dd>{formatAvailability(windows[key])}</dd>
          </div>
        ))}
      </dl>
      <p className="ws-hint">
        Time online or degraded, over the time that counts: maintenance, unknown (the registry could not tell) and time after removal count neither way. — when
        nothing counted.
      </p>
    </>
  );
}

function DayStrip({ days }: { days: Availability["days"] }) {
  const first = days[0];
  const tones = [...new Map(days.filter((day) => day.worst_status !== null).map((day) => [day.worst_status, dayTone(day.worst_status)]))];
  return (
    <figure className="av-strip-figure">
      <figcaption className="ws-hint">{describeStrip(days)}. Each cell is one UTC day, coloured by its worst status; hover a cell for its day.</figcaption>
      <ol className="av-strip" aria-label={`Availability per day, ${first ? `from ${first.date}` : "none"} to today`}>
        {days.map((day) => {
          const description = dayDescription(day);
          const tone = dayTone(day.worst_status);
          return (
            <li key={day.date} className="av-day">
              <span
                role="img"
                aria-label={description}
                title={description}
                className={tone ? `av-cell tone-${tone}` : "av-cell av-cell-empty"}
                data-date={day.date}
                data-worst={day.worst_status ?? "none"}
              />
            </li>
          );
        })}
      </ol>
      <div className="av-strip-axis" aria-hidden="true">
        <span>{first?.date ?? ""}</span>
        <span>Today</span>
      </div>
      {tones.length > 0 ? (
        <ul className="av-key" aria-label="Strip key">
          {tones.map(([status, tone]) => (
            <li key={status}>
              <span className={`av-swatch tone-${tone}`} aria-hidden="true" />
              {status}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}

function Outages({ outages, now }: { outages: readonly Outage[]; now: number }) {
  const [showAll, setShowAll] = useState(false);
  if (outages.length === 0) return <p className="empty-inline">No outages in the last 90 days.</p>;
  const shown = showAll ? outages : outages.slice(0, OUTAGES_SHOWN);
  return (
    <>
      <h3>Outages</h3>
      <div className="table-wrap">
        <table className="av-outages">
          <caption className="sr-only">Outages, the most recent first: time out of online and degraded</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col">Duration</th>
              <th scope="col">Reasons</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((outage) => (
              <tr key={outage.start} data-outage-start={outage.start} data-ongoing={outage.end === null}>
                <th scope="row">{formatTimestamp(outage.start)}</th>
                <td>{outage.end === null ? <strong className="av-ongoing">ongoing</strong> : formatTimestamp(outage.end)}</td>
                {/* An ongoing outage keeps growing between refreshes: its duration is counted on the page's clock. */}
                <td>{formatSeconds(outage.end === null ? (now - Date.parse(outage.start)) / 1000 : outage.duration_seconds)}</td>
                <td>
                  <ReasonChips reasons={outage.reasons} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {outages.length > OUTAGES_SHOWN ? (
        <p className="ws-older">
          <button type="button" onClick={() => setShowAll((all) => !all)}>
            {showAll ? `Show the ${OUTAGES_SHOWN} most recent` : `Show all ${outages.length} outages`}
          </button>
        </p>
      ) : null}
    </>
  );
}
