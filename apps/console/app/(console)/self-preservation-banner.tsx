"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ConsoleError } from "~/components/action-error.tsx";
import { useMayAct } from "~/components/console-session.tsx";
import { selfPreservationBanner } from "~/lib/self-preservation.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { ReasonDialog } from "./workspaces/[id]/reason-dialog.tsx";

/**
 * The registry may begin self-preservation between two events this tab sees (its census is taken by the sweep), and
 * its census moves while it holds: a few seconds is as late as the banner may be. The live stream's
 * SELF_PRESERVATION_* events refresh it at once.
 */
const SELF_PRESERVATION_POLL_MS = 5_000;

/**
 * Across every page while the registry suspects itself: why statuses read unknown instead of offline, and for
 * operators the way to say the silence is real.
 */
export function SelfPreservationBanner() {
  const trpc = useTRPC();
  const mayAct = useMayAct();
  const state = useQuery(trpc.selfPreservation.get.queryOptions(undefined, { refetchInterval: SELF_PRESERVATION_POLL_MS }));
  const text = state.data ? selfPreservationBanner(state.data) : null;
  if (text === null) return null;
  return (
    <section className="sp-banner" role="alert" aria-label="Self-preservation" data-testid="self-preservation-banner">
      <p>{text}</p>
      {mayAct ? <EndSelfPreservation /> : null}
    </section>
  );
}

function EndSelfPreservation() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const end = useMutation(
    trpc.selfPreservation.end.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        // The silent workspaces turn offline at the next sweep; the live stream brings those changes.
        void queryClient.invalidateQueries(trpc.selfPreservation.pathFilter());
      },
    }),
  );
  return (
    <>
      <button
        type="button"
        className="sp-end"
        onClick={() => {
          end.reset();
          setConfirming(true);
        }}
      >
        End self-preservation…
      </button>
      {confirming ? (
        <EndSelfPreservationDialog
          pending={end.isPending}
          error={end.error}
          onConfirm={(reason) => end.mutate({ reason })}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </>
  );
}

type DialogProps = { pending: boolean; error: ConsoleError | null; onConfirm: (reason: string) => void; onClose: () => void };

function EndSelfPreservationDialog(props: DialogProps) {
  return (
    <ReasonDialog
      title="End self-preservation"
      hint="E.g. “rack 4 lost power, confirmed by the data centre”. Kept in the event log with your name."
      errorTitle="Self-preservation was not ended."
      submitLabel="End self-preservation"
      pendingLabel="Ending…"
      danger
      {...props}
    >
      <p>
        End it only when the silence is real (the workspaces did go down, not the registry&apos;s network or database): the silent workspaces then turn offline
        at the next sweep, and self-preservation does not begin again until the fleet has been heard from.
      </p>
    </ReasonDialog>
  );
}
