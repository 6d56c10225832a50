"use client";

import type { ConsoleRouter } from "@rollcall/registry-core/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useMayAct } from "~/components/console-session.tsx";
import { TableHead } from "~/components/table-head.tsx";
import { filterSummary, FORMAT_LABELS } from "~/lib/notifications.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { AddEndpoint } from "./add-endpoint.tsx";
import { EnabledChip } from "./enabled-chip.tsx";
import "./notifications.css";

type EndpointList = inferRouterOutputs<ConsoleRouter>["notifications"]["list"];
type Endpoint = EndpointList["endpoints"][number];

/** Every notification endpoint and, for operators, the form that adds one. */
export function NotificationsView({ initial, defaultTypes }: { initial: EndpointList; defaultTypes: readonly string[] }) {
  const trpc = useTRPC();
  const mayAct = useMayAct();
  const list = useQuery(trpc.notifications.list.queryOptions(undefined, { initialData: initial }));
  const { endpoints } = list.data;

  return (
    <div className="nt-page">
      <div className="page-head">
        <h1>Notifications</h1>
        <p className="page-meta">Where the registry tells of status changes: signed webhooks (Standard Webhooks) or Slack messages</p>
      </div>
      {list.error ? (
        <p className="notice" role="status">
          The latest refresh failed ({list.error.message}); the table shows the endpoints as last loaded.
        </p>
      ) : null}
      <section aria-labelledby="nt-endpoints-heading" className="nt-section">
        <h2 id="nt-endpoints-heading">
          Endpoints <span className="heading-count">{endpoints.length}</span>
        </h2>
        {endpoints.length === 0 ? <p className="empty-inline">No endpoints yet{mayAct ? ": add one below." : "."}</p> : <EndpointTable endpoints={endpoints} />}
      </section>
      {mayAct ? <AddEndpoint defaultTypes={defaultTypes} /> : <p className="nt-hint">Read-only: this account is a viewer.</p>}
    </div>
  );
}

const COLUMNS = ["Name", "Format", "URL", "Filter", "Enabled"] as const;

function EndpointTable({ endpoints }: { endpoints: readonly Endpoint[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Notification endpoints</caption>
        <TableHead columns={COLUMNS} />
        <tbody>
          {endpoints.map((endpoint) => (
            <tr key={endpoint.id} data-endpoint-id={endpoint.id}>
              <th scope="row">
                <Link href={`/notifications/${endpoint.id}`} className="nt-name">
                  {endpoint.name}
                </Link>
              </th>
              <td>{FORMAT_LABELS[endpoint.format]}</td>
              <td className="mono nt-url">{endpoint.url}</td>
              <td className="nt-filter">{filterSummary(endpoint.filter)}</td>
              <td>
                <EnabledChip enabled={endpoint.enabled} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
