"use client";

import { useRef, type ReactNode } from "react";
import { ActionError, type ConsoleError } from "./action-error.tsx";
import { ModalDialog } from "./modal-dialog.tsx";

type Props = {
  title: string;
  /** What the action does, and what it cannot undo. */
  children: ReactNode;
  errorTitle: string;
  /** Advice for refusals that mean something else where the dialog is (ActionError's `nextSteps`). */
  nextSteps?: Record<string, string>;
  confirmLabel: string;
  pendingLabel: string;
  danger?: boolean;
  pending: boolean;
  error: ConsoleError | null;
  onConfirm: () => void;
  onClose: () => void;
};

/** An action that asks first; the focus starts on Cancel, the safe choice. */
export function ConfirmDialog({
  title,
  children,
  errorTitle,
  nextSteps,
  confirmLabel,
  pendingLabel,
  danger = false,
  pending,
  error,
  onConfirm,
  onClose,
}: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <ModalDialog title={title} initialFocus={cancelRef} onClose={onClose}>
      {children}
      {error ? <ActionError title={errorTitle} error={error} nextSteps={nextSteps} /> : null}
      <div className="dialog-actions">
        <button type="button" ref={cancelRef} onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={danger ? "button-danger" : "button-primary"} disabled={pending} aria-busy={pending} onClick={onConfirm}>
          {pending ? pendingLabel : confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
