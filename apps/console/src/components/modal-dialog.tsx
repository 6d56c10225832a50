"use client";

import { useEffect, useId, useRef, type ReactNode, type RefObject } from "react";

type Props = {
  title: string;
  /** Takes the focus when the dialog opens: the field to fill in, or the safe choice. */
  initialFocus: RefObject<HTMLElement | null>;
  /** Escape and the dialog's own buttons end here; the parent then stops rendering the dialog. */
  onClose: () => void;
  children: ReactNode;
};

/**
 * A native modal <dialog>, rendered only while open: the browser keeps focus inside it, makes the page behind it
 * inert, closes it on Escape and returns focus to the button that opened it. Styled in globals.css (`.modal-dialog`),
 * not beside it: the self-preservation banner opens one on every page.
 */
export function ModalDialog({ title, initialFocus, onClose, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return undefined;
    dialog.showModal();
    initialFocus.current?.focus();
    return () => dialog.close();
  }, [initialFocus]);

  return (
    <dialog
      ref={ref}
      className="modal-dialog"
      aria-labelledby={titleId}
      // The close event is queued: after a development-mode effect replay (close, then showModal again) it arrives
      // while the dialog is open once more, and must not end it.
      onClose={() => {
        if (!ref.current?.open) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
