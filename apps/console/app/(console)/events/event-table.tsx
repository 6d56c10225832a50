import type { EventLogEntry } from "@rollcall/registry-core";
import Link from "next/link";
import { Fragment } from "react";
import { TableHead } from "~/components/table-head.tsx";
import { payloadSummary } from "~/lib/format.ts";
import { eventTone } from "~/lib/status.ts";
import { formatRelative, formatTimestamp } from "~/lib/time.ts";

const COLUMNS = ["Id", "Time", "Type", "Workspace", "Actor", "Payload"] as const;

type Props = {
  events: readonly EventLogEntry[];
  /** Ids that arrived through the live tail; their rows are highlighted as they appear. */
  liveIds: ReadonlySet<number>;
  now: number;
  caption: string;
};

export function EventTable({ events, liveIds, now, caption }: Props) {
  return (
    <div className="table-wrap">
      <table className="ev-table">
        <caption className="sr-only">{caption}</caption>
        <TableHead columns={COLUMNS} />
        <tbody>
          {events.map((event) => (
            <EventRow key={event.id} event={event} live={liveIds.has(event.id)} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventRow({ event, live, now }: { event: EventLogEntry; live: boolean; now: number }) {
  return (
    <tr data-event-id={event.id} data-event-type={event.type} className={live ? "ev-row-new" : undefined}>
      <th scope="row" className="ev-id mono">
        {event.id}
      </th>
      <td className="ev-time">
        <time dateTime={event.at ?? undefined}>{formatTimestamp(event.at)}</time>
        <span className="ev-relative">{formatRelative(event.at, now)}</span>
      </td>
      <td>
        <span className={`chip ev-type tone-${eventTone(event.type)}`}>
          <Breakable text={event.type} after="_" />
        </span>
      </td>
      <td className="ev-workspace">
        {event.workspace_id ? (
          <Link href={`/workspaces/${event.workspace_id}`} title={event.workspace_id}>
            {/* No name only when the workspace's row is gone: then its id is all there is to show. */}
            {event.workspace_name === null ? <span className="mono">{event.workspace_id.slice(0, 8)}</span> : event.workspace_name || "(unnamed)"}
          </Link>
        ) : (
          <span className="muted" title="Not about one workspace">
            —
          </span>
        )}
      </td>
      <td className="ev-actor mono">
        <Breakable text={event.actor} after=":" />
      </td>
      <td className="ev-payload">
        <details>
          <summary>{payloadSummary(event)}</summary>
          <pre className="json">{JSON.stringify(event.payload, null, 2)}</pre>
        </details>
      </td>
    </tr>
  );
}

/**
 * Lets a narrow column wrap long names at their separators ("WORKSPACE_ / PROVISION_FAILED", "operator: / alice")
 * and never inside a word.
 */
function Breakable({ text, after }: { text: string; after: string }) {
  return text.split(after).map((part, index) => (
    <Fragment key={index}>
      {index > 0 ? (
        <>
          {after}
          <wbr />
        </>
      ) : null}
      {part}
    </Fragment>
  ));
}

const SKELETON_ROWS = 8;

/** The table's frame with placeholder rows, so the page does not jump when the events arrive. */
export function LoadingTable() {
  return (
    <div className="table-wrap">
      <table className="ev-table ev-loading" aria-busy="true">
        <caption className="sr-only">Loading events…</caption>
        <TableHead columns={COLUMNS} />
        <tbody aria-hidden="true">
          {Array.from({ length: SKELETON_ROWS }, (_, row) => (
            <tr key={row}>
              {COLUMNS.map((column) => (
                <td key={column}>
                  <span className="ev-skeleton" />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
