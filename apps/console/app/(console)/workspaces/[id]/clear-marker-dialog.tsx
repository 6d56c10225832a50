"use client";

import type { MarkerView } from "@rollcall/registry-core";
import type { ConsoleError } from "~/components/action-error.tsx";
import { MIN_CLEAR_REASON_LENGTH } from "~/lib/markers.ts";
import { formatTimestamp } from "~/lib/time.ts";
import { ReasonDialog } from "./reason-dialog.tsx";

type Props = {
  marker: MarkerView;
  pending: boolean;
  error: ConsoleError | null;
  onConfirm: (reason: string) => void;
  onClose: () => void;
};

/** Asks why the marker may go (the audit log keeps who and why) and sends the clear; the result shows in the panel. */
export function ClearMarkerDialog({ marker, ...props }: Props) {
  return (
    <ReasonDialog
      title="Clear marker"
      hint={<>At least {MIN_CLEAR_REASON_LENGTH} characters, e.g. “DNS record fixed, runtime registered again”. Kept in the event history with your name.</>}
      errorTitle="The marker was not cleared."
      submitLabel="Clear marker"
      pendingLabel="Clearing…"
      {...props}
    >
      <p>
        Clear the <code>{marker.reason}</code> marker set {formatTimestamp(marker.set_at)}? It stops counting against the workspace now instead of at{" "}
        {formatTimestamp(marker.expires_at)}, and the status is worked out again at once, so it may recover straight away.
      </p>
    </ReasonDialog>
  );
}
