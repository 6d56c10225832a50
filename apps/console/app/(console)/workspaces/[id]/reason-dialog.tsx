"use client";

import { useId, useRef, useState, type ReactNode } from "react";
import { ActionError, type ConsoleError } from "~/components/action-error.tsx";
import { ModalDialog } from "~/components/modal-dialog.tsx";
import { isClearReasonValid, MAX_CLEAR_REASON_LENGTH } from "~/lib/markers.ts";
// .ws-form and .ws-hint; the self-preservation banner opens this dialog on every page, not only a workspace's.
import "./workspace.css";

type Props = {
  title: string;
  /** What the action does, above the form. */
  children: ReactNode;
  /** Under the reason field: an example, and that it is kept with the operator's name. */
  hint: ReactNode;
  errorTitle: string;
  submitLabel: string;
  pendingLabel: string;
  danger?: boolean;
  pending: boolean;
  error: ConsoleError | null;
  onConfirm: (reason: string) => void;
  onClose: () => void;
};

/**
 * An audited action that needs a reason (clearing a marker, ending self-preservation): the registry keeps the reason
 * with the operator's name, and refuses one shorter than 3 characters, as this form does.
 */
export function ReasonDialog({ title, children, hint, errorTitle, submitLabel, pendingLabel, danger = false, pending, error, onConfirm, onClose }: Props) {
  const [reason, setReason] = useState("");
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const reasonId = useId();
  const hintId = useId();
  const ready = isClearReasonValid(reason) && !pending;

  return (
    <ModalDialog title={title} initialFocus={reasonRef} onClose={onClose}>
      {children}
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
          {hint}
        </p>
        {error ? <ActionError title={errorTitle} error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={danger ? "button-danger" : "button-primary"} disabled={!ready} aria-busy={pending}>
            {submitLabel}
          </button>
        </div>
        <p className="ws-hint" role="status">
          {pending ? pendingLabel : ""}
        </p>
      </form>
    </ModalDialog>
  );
}
