"use client";

import type { MarkerView } from "@rollcall/registry-core";
import { useId, useRef, useState } from "react";
import { isClearReasonValid, MAX_CLEAR_REASON_LENGTH, MIN_CLEAR_REASON_LENGTH } from "~/lib/markers.ts";
import { formatTimestamp } from "~/lib/time.ts";
import { ActionError, type ConsoleError } from "./action-error.tsx";
import { ModalDialog } from "./modal-dialog.tsx";

type Props = {
  marker: MarkerView;
  pending: boolean;
  error: ConsoleError | null;
  onConfirm: (reason: string) => void;
  onClose: () => void;
};

/** Asks why the marker may go (the audit log keeps who and why) and sends the clear; the result shows in the panel. */
export function ClearMarkerDialog({ marker, pending, error, onConfirm, onClose }: Props) {
  const [reason, setReason] = useState("");
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const reasonId = useId();
  const hintId = useId();
  const ready = isClearReasonValid(reason) && !pending;

  return (
    <ModalDialog title="Clear marker" initialFocus={reasonRef} onClose={onClose}>
      <p>
        Clear the <code>{marker.reason}</code> marker set {formatTimestamp(marker.set_at)}? It stops counting against the workspace now instead of at{" "}
        {formatTimestamp(marker.expires_at)}, and the status is worked out again at once, so it may recover straight away.
      </p>
      <form
        className="ws-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) onConfirm(reason.trim());
        }}
      >
        <label htmlFor={reasonId}>Reason</label>
        <textarea
          id={reasonId}
          ref={reasonRef}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          rows={3}
          required
          maxLength={MAX_CLEAR_REASON_LENGTH}
          aria-describedby={hintId}
        />
        <p id={hintId} className="ws-hint">
          At least {MIN_CLEAR_REASON_LENGTH} characters, e.g. “DNS record fixed, runtime registered again”. Kept in the event history with your name.
        </p>
        {error ? <ActionError title="The marker was not cleared." error={error} /> : null}
        <div className="ws-dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="ws-button-primary" disabled={!ready} aria-busy={pending}>
            Clear marker
          </button>
        </div>
        <p className="ws-hint" role="status">
          {pending ? "Clearing…" : ""}
        </p>
      </form>
    </ModalDialog>
  );
}
