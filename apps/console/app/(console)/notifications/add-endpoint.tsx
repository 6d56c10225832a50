"use client";

import { EVENT_TYPES, type EventType } from "@rollcall/registry-core/vocabulary";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type ComponentProps, type ReactNode } from "react";
import { ActionError } from "~/components/action-error.tsx";
import { CredentialDialog } from "~/components/credential-dialog.tsx";
import { createEndpointRequest, FORMAT_LABELS, type EndpointForm, type EndpointFormat } from "~/lib/notifications.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { NOTIFICATION_NEXT_STEPS } from "./next-steps.ts";
import "./notifications.css";

const EMPTY_FORM: EndpointForm = { name: "", url: "", format: "webhook", secret: "", types: [], workspaces: "", enabled: true };

type Created = { name: string; secret: string };

/**
 * The add-endpoint form. The registry judges the URL (as it judges a runtime's) and the secret; its refusal is shown
 * beside the form, which keeps what was typed. The secret it answers with is shown once, in a dialog.
 */
export function AddEndpoint({ defaultTypes }: { defaultTypes: readonly string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY_FORM);
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation(
    trpc.notifications.create.mutationOptions({
      onSuccess: ({ name, secret }) => {
        setCreated({ name, secret });
        setForm(EMPTY_FORM);
        void queryClient.invalidateQueries(trpc.notifications.list.queryFilter());
      },
    }),
  );
  const ids = {
    name: useId(),
    url: useId(),
    format: useId(),
    secret: useId(),
    typesHint: useId(),
    workspaces: useId(),
    enabled: useId(),
    enabledHint: useId(),
  };
  const set = <K extends keyof EndpointForm>(key: K, value: EndpointForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  // Kept in EVENT_TYPES's order, whatever order they were checked in: the filter then reads the same everywhere.
  const toggleType = (type: EventType, checked: boolean) =>
    set(
      "types",
      EVENT_TYPES.filter((each) => (each === type ? checked : form.types.includes(each))),
    );
  const ready = form.name.trim() !== "" && form.url.trim() !== "" && !create.isPending;

  return (
    <section aria-labelledby="nt-add-heading" className="panel">
      <h2 id="nt-add-heading">Add an endpoint</h2>
      <form
        className="nt-form"
        aria-labelledby="nt-add-heading"
        // The registry is the judge of the URL and the secret: its refusal says more than the browser's would.
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) create.mutate(createEndpointRequest(form));
        }}
      >
        <div className="nt-fields">
          <label htmlFor={ids.name}>Name</label>
          <input id={ids.name} value={form.name} onChange={(event) => set("name", event.target.value)} maxLength={100} autoComplete="off" required />
          <label htmlFor={ids.url}>URL</label>
          <input
            id={ids.url}
            type="url"
            value={form.url}
            onChange={(event) => set("url", event.target.value)}
            placeholder="https://hooks.example.com/rollcall"
            spellCheck={false}
            autoComplete="off"
            required
          />
          <label htmlFor={ids.format}>Format</label>
          <select id={ids.format} value={form.format} onChange={(event) => set("format", event.target.value as EndpointFormat)}>
            {Object.entries(FORMAT_LABELS).map(([format, label]) => (
              <option key={format} value={format}>
                {label}
              </option>
            ))}
          </select>
          <label htmlFor={ids.secret}>Secret (optional)</label>
          <HintedInput
            id={ids.secret}
            value={form.secret}
            onChange={(event) => set("secret", event.target.value)}
            placeholder="whsec_…"
            hint="Signs every notification. Left empty, the registry generates one and shows it once."
          />
          <label htmlFor={ids.workspaces}>Workspace name pattern</label>
          <HintedInput
            id={ids.workspaces}
            value={form.workspaces}
            onChange={(event) => set("workspaces", event.target.value)}
            placeholder="e.g. api-*"
            maxLength={200}
            hint={
              <>
                <code>*</code> stands for any run of characters; the whole name must match, in any case. Empty: every workspace.
              </>
            }
          />
          <label htmlFor={ids.enabled}>Enabled</label>
          <span className="nt-check">
            <input
              id={ids.enabled}
              type="checkbox"
              checked={form.enabled}
              onChange={(event) => set("enabled", event.target.checked)}
              aria-describedby={ids.enabledHint}
            />{" "}
            <span id={ids.enabledHint}>Send notifications to it from now on; a disabled endpoint can be enabled later.</span>
          </span>
        </div>
        <fieldset className="nt-types" aria-describedby={ids.typesHint}>
          <legend>Event types</legend>
          <p id={ids.typesHint} className="nt-hint">
            None checked means the default types: {defaultTypes.join(", ")}.
          </p>
          <div className="nt-type-grid">
            {EVENT_TYPES.map((type) => (
              <label key={type} className="nt-check mono">
                <input type="checkbox" checked={form.types.includes(type)} onChange={(event) => toggleType(type, event.target.checked)} /> {type}
              </label>
            ))}
          </div>
        </fieldset>
        {create.error ? <ActionError title="The endpoint was not added." error={create.error} nextSteps={NOTIFICATION_NEXT_STEPS} /> : null}
        <div className="nt-form-actions">
          <button type="submit" className="button-primary" disabled={!ready} aria-busy={create.isPending}>
            {create.isPending ? "Adding…" : "Add endpoint"}
          </button>
        </div>
      </form>
      {created !== null ? (
        <CredentialDialog
          title="Endpoint added"
          label="Signing secret"
          noun="secret"
          value={created.secret}
          onClose={() => {
            setCreated(null);
            // The mutation cache would otherwise keep the plaintext secret for minutes after the dialog closed.
            create.reset();
          }}
        >
          <strong>Copy it now: the secret is not shown again.</strong> The receiver of &ldquo;{created.name}&rdquo; needs it to check each notification&apos;s
          signature.
        </CredentialDialog>
      ) : null}
    </section>
  );
}

/** A text field (no spell-check, no autofill) with a hint under it that screen readers read as its description. */
function HintedInput({ hint, ...input }: ComponentProps<"input"> & { hint: ReactNode }) {
  const hintId = useId();
  return (
    <div>
      <input {...input} spellCheck={false} autoComplete="off" aria-describedby={hintId} />
      <p id={hintId} className="nt-hint">
        {hint}
      </p>
    </div>
  );
}
