"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionError, type ConsoleError } from "~/components/action-error.tsx";
import { ConfirmDialog } from "~/components/confirm-dialog.tsx";
import { testOutcome } from "~/lib/notifications.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { NOTIFICATION_NEXT_STEPS } from "../next-steps.ts";

type Endpoint = { id: string; name: string; enabled: boolean };

/** For operators: send a test, enable or disable, delete. Each shows its own result or refusal. */
export function EndpointActions({ endpoint }: { endpoint: Endpoint }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const refresh = () => void queryClient.invalidateQueries(trpc.notifications.pathFilter());
  const test = useMutation(trpc.notifications.test.mutationOptions({ onSettled: refresh }));
  const update = useMutation(trpc.notifications.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.notifications.remove.mutationOptions({
      onSuccess: () => {
        setConfirmingDelete(false);
        void queryClient.invalidateQueries(trpc.notifications.list.queryFilter());
        router.push("/notifications");
      },
    }),
  );
  const outcome = test.data ? testOutcome(test.data) : null;

  return (
    <section aria-label="Endpoint actions" className="nt-actions-panel">
      <div className="button-row">
        <button type="button" className="button-primary" disabled={test.isPending} aria-busy={test.isPending} onClick={() => test.mutate({ id: endpoint.id })}>
          {test.isPending ? "Sending test…" : "Send test"}
        </button>
        <button
          type="button"
          disabled={update.isPending}
          aria-busy={update.isPending}
          onClick={() => update.mutate({ id: endpoint.id, enabled: !endpoint.enabled })}
        >
          {endpoint.enabled ? "Disable endpoint" : "Enable endpoint"}
        </button>
        <button
          type="button"
          className="button-danger"
          onClick={() => {
            remove.reset();
            setConfirmingDelete(true);
          }}
        >
          Delete endpoint…
        </button>
      </div>
      {/* Present before it speaks, so a screen reader announces the result when it arrives. */}
      <p role="status" aria-label="Test result" className={`nt-test-result${outcome ? (outcome.delivered ? " nt-test-good" : " nt-test-bad") : ""}`}>
        {test.isPending ? "Sending a test notification and waiting for its first attempt (up to 7 s)…" : (outcome?.text ?? "")}
      </p>
      {test.error ? <ActionError title="The test was not sent." error={test.error} nextSteps={NOTIFICATION_NEXT_STEPS} /> : null}
      {update.error ? (
        <ActionError
          title={endpoint.enabled ? "The endpoint was not disabled." : "The endpoint was not enabled."}
          error={update.error}
          nextSteps={NOTIFICATION_NEXT_STEPS}
        />
      ) : null}
      {confirmingDelete ? (
        <DeleteEndpointDialog
          name={endpoint.name}
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate({ id: endpoint.id })}
          onClose={() => setConfirmingDelete(false)}
        />
      ) : null}
    </section>
  );
}

type DeleteProps = { name: string; pending: boolean; error: ConsoleError | null; onConfirm: () => void; onClose: () => void };

function DeleteEndpointDialog({ name, ...props }: DeleteProps) {
  return (
    <ConfirmDialog
      title="Delete endpoint"
      errorTitle="The endpoint was not deleted."
      nextSteps={NOTIFICATION_NEXT_STEPS}
      confirmLabel="Delete endpoint"
      pendingLabel="Deleting…"
      danger
      {...props}
    >
      <p>
        &ldquo;{name}&rdquo; is deleted with its delivery log. Deliveries still queued for it are never sent. To stop notifications for a while, disable it
        instead.
      </p>
    </ConfirmDialog>
  );
}
