"use client";

import { EVENT_TYPES } from "@rollcall/registry-core/vocabulary";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormEvent, ReactNode } from "react";
import { eventLogHref, type EventLogParam, type EventLogParams, type ParamProblem } from "~/lib/event-log.ts";

type Props = {
  /** The filters as the URL has them, valid or not: a mistyped value stays in its field to be corrected. */
  params: EventLogParams;
  problems: readonly ParamProblem[];
};

/**
 * Type, workspace and actor filters. Submitting puts exactly what was typed in the URL; the page then explains any
 * value it cannot use beside its field, and shows the log without it. A new filter starts at the newest events.
 */
export function EventFilterForm({ params, problems }: Props) {
  const router = useRouter();
  const problemOf = (param: EventLogParam) => problems.find((problem) => problem.param === param)?.message;
  const filtered = params.type !== undefined || params.workspace !== undefined || params.actor !== undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: EventLogParam) => {
      const value = form.get(name);
      return typeof value === "string" ? value : undefined;
    };
    router.push(eventLogHref({ type: text("type"), workspace: text("workspace"), actor: text("actor") }));
  };

  return (
    <form className="ev-filters" role="search" aria-label="Filter events" onSubmit={submit}>
      <Field id="ev-type" label="Type" problem={problemOf("type")}>
        {(described) => (
          <select id="ev-type" name="type" defaultValue={problemOf("type") ? "" : (params.type ?? "")} {...described}>
            <option value="">All types</option>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="ev-workspace" label="Workspace id" problem={problemOf("workspace")}>
        {(described) => (
          <input
            id="ev-workspace"
            name="workspace"
            type="text"
            defaultValue={params.workspace ?? ""}
            placeholder="Full workspace UUID"
            autoComplete="off"
            spellCheck={false}
            {...described}
          />
        )}
      </Field>
      <Field id="ev-actor" label="Actor" problem={problemOf("actor")}>
        {(described) => (
          <input
            id="ev-actor"
            name="actor"
            type="text"
            defaultValue={params.actor ?? ""}
            placeholder="runtime, sweeper, operator:name…"
            autoComplete="off"
            spellCheck={false}
            {...described}
          />
        )}
      </Field>
      <div className="ev-filter-actions">
        <button type="submit">Apply filters</button>
        {filtered ? <Link href="/events">Clear filters</Link> : null}
      </div>
    </form>
  );
}

type Described = { "aria-invalid"?: true; "aria-describedby"?: string };

/** A labelled control with its problem, if any, announced with it and shown under it. */
function Field({ id, label, problem, children }: { id: string; label: string; problem: string | undefined; children: (described: Described) => ReactNode }) {
  const problemId = `${id}-problem`;
  return (
    <div className="ev-field">
      <label htmlFor={id}>{label}</label>
      {children(problem ? { "aria-invalid": true, "aria-describedby": problemId } : {})}
      {problem ? (
        <p id={problemId} className="ev-problem">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
