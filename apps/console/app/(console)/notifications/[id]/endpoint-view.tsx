"use client";

import type { ConsoleRouter } from "@rollcall/registry-core/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useMayAct } from "~/components/console-session.tsx";
import { FORMAT_LABELS } from "~/lib/notifications.ts";
import { formatTimestamp } from "~/lib/time.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { EnabledChip } from "../enabled-chip.tsx";
import "../notifications.css";
import { DeliveryLog } from "./delivery-log.tsx";
import { EndpointActions } from "./endpoint-actions.tsx";

type Endpoint = inferRouterOutputs<ConsoleRouter>["notifications"]["get"];

/** One endpoint: its settings, for operators the test, enable and delete controls, and its delivery log. */
export function EndpointView({ initial, defaultTypes }: { initial: Endpoint; defaultTypes: readonly string[] }) {
  const trpc = useTRPC();
  const mayAct = useMayAct();
  const query = useQuery(trpc.notifications.get.queryOptions({ id: initial.id }, { initialData: initial }));
  const endpoint = query.data;

  return (
    <div className="nt-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link href="/notifications">Notifications</Link>
          </li>
          <li aria-current="page">{endpoint.name}</li>
        </ol>
      </nav>
      <div className="page-head nt-head">
        <div>
          <h1>
            {endpoint.name} <EnabledChip enabled={endpoint.enabled} />
          </h1>
          <p className="page-meta mono">{endpoint.id}</p>
        </div>
        {mayAct ? null : <p className="nt-hint">Read-only: this account is a viewer.</p>}
      </div>
      {mayAct ? <EndpointActions endpoint={endpoint} /> : null}
      <Settings endpoint={endpoint} defaultTypes={defaultTypes} />
      <DeliveryLog endpointId={endpoint.id} />
    </div>
  );
}

function Settings({ endpoint, defaultTypes }: { endpoint: Endpoint; defaultTypes: readonly string[] }) {
  const { filter } = endpoint;
  return (
    <section aria-labelledby="nt-settings-heading" className="panel">
      <h2 id="nt-settings-heading">Settings</h2>
      <dl className="facts facts-wide">
        <dt>URL</dt>
        <dd className="mono nt-url">{endpoint.url}</dd>
        <dt>Format</dt>
        <dd>{FORMAT_LABELS[endpoint.format]}</dd>
        <dt>Event types</dt>
        <dd>
          {filter.types ? (
            <span className="mono">{filter.types.join(", ")}</span>
          ) : (
            <>
              The defaults: <span className="mono">{defaultTypes.join(", ")}</span>
            </>
          )}
        </dd>
        {filter.statuses ? (
          <>
            <dt>Statuses changed to</dt>
            <dd className="mono">{filter.statuses.join(", ")}</dd>
          </>
        ) : null}
        {filter.reasons ? (
          <>
            <dt>Reasons</dt>
            <dd className="mono">{filter.reasons.join(", ")}</dd>
          </>
        ) : null}
        <dt>Workspaces</dt>
        <dd>{filter.workspaces ? <span className="mono">{filter.workspaces}</span> : <span className="muted">every workspace</span>}</dd>
        <dt>Enabled</dt>
        <dd>{endpoint.enabled ? "yes: notifications are sent" : "no: while disabled, nothing new is queued and queued deliveries wait"}</dd>
        <dt>Created</dt>
        <dd>
          {formatTimestamp(endpoint.created_at)} by {endpoint.created_by}
        </dd>
        <dt>Last changed</dt>
        <dd>{formatTimestamp(endpoint.updated_at)}</dd>
      </dl>
    </section>
  );
}
