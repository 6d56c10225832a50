"use client";

import { useId, useRef, useState, type ReactNode } from "react";
import { ModalDialog } from "./modal-dialog.tsx";
import "./credential-dialog.css";

type CopyState = "idle" | "copied" | "refused";

type Props = {
  title: string;
  /** The field's label: "Token", "Signing secret". */
  label: string;
  /** What the credential is called in a sentence: "token", "secret". */
  noun: string;
  value: string;
  /** Why to copy it now, above the field; the field names it as its description. */
  children: ReactNode;
  onClose: () => void;
};

/**
 * A credential the registry shows once (a workspace's new token, an endpoint's signing secret): read-only and selected
 * on focus, with a Copy button. Where the browser refuses the clipboard the value is selected, for Ctrl+C.
 */
export function CredentialDialog({ title, label, noun, value, children, onClose }: Props) {
  const valueRef = useRef<HTMLInputElement>(null);
  const valueId = useId();
  const warningId = useId();
  const [copy, setCopy] = useState<CopyState>("idle");
  const copyValue = async () => {
    try {
      // Absent outside a secure context (plain HTTP on another host), and the browser may refuse it.
      await navigator.clipboard.writeText(value);
      setCopy("copied");
    } catch {
      valueRef.current?.select();
      setCopy("refused");
    }
  };

  return (
    <ModalDialog title={title} initialFocus={valueRef} onClose={onClose}>
      <p id={warningId} className="notice">
        {children}
      </p>
      <label htmlFor={valueId}>{label}</label>
      <div className="credential-row">
        <input
          id={valueId}
          ref={valueRef}
          className="credential-value"
          value={value}
          readOnly
          spellCheck={false}
          autoComplete="off"
          aria-describedby={warningId}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" onClick={() => void copyValue()}>
          Copy
        </button>
      </div>
      <p className="credential-status" role="status">
        {copy === "copied" ? "Copied to the clipboard." : null}
        {copy === "refused" ? `The browser refused the clipboard. The ${noun} is selected: copy it with Ctrl+C (⌘C on a Mac).` : null}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}
