"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { useMayAct } from "~/components/console-session.tsx";
import { useTRPC } from "~/trpc/react.tsx";
import { ActionError, type ConsoleError } from "./action-error.tsx";
import { ModalDialog } from "./modal-dialog.tsx";
import "./workspace.css";

type Workspace = { id: string; name: string };

/** Token rotation and removal, for operators; viewers are told why there is nothing to press. */
export function TokenActions({ workspace }: { workspace: Workspace }) {
  const mayAct = useMayAct();
  if (!mayAct) return <p className="ws-hint ws-readonly">Read-only: this account is a viewer.</p>;
  return <OperatorActions workspace={workspace} />;
}

function OperatorActions({ workspace }: { workspace: Workspace }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<"rotate" | "remove" | null>(null);
  const [newToken, setNewToken] = useState<string | null>(null);
  const rotate = useMutation(
    trpc.workspace.rotateToken.mutationOptions({
      onSuccess: ({ token }) => {
        setConfirming(null);
        setNewToken(token);
      },
    }),
  );
  const remove = useMutation(
    trpc.workspace.remove.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        void queryClient.invalidateQueries(trpc.workspace.pathFilter());
      },
    }),
  );
  const open = (action: "rotate" | "remove") => {
    rotate.reset();
    remove.reset();
    setConfirming(action);
  };

  return (
    <div className="ws-actions">
      <button type="button" onClick={() => open("rotate")}>
        Rotate token…
      </button>
      <button type="button" className="ws-button-danger" onClick={() => open("remove")}>
        Remove workspace…
      </button>
      {confirming === "rotate" ? (
        <RotateTokenDialog
          pending={rotate.isPending}
          error={rotate.error}
          onConfirm={() => rotate.mutate({ workspaceId: workspace.id })}
          onClose={() => setConfirming(null)}
        />
      ) : null}
      {newToken !== null ? (
        <NewTokenDialog
          token={newToken}
          onClose={() => {
            setNewToken(null);
            // The mutation cache would otherwise keep the plaintext token for minutes after the dialog closed.
            rotate.reset();
          }}
        />
      ) : null}
      {confirming === "remove" ? (
        <RemoveWorkspaceDialog
          workspace={workspace}
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate({ workspaceId: workspace.id })}
          onClose={() => setConfirming(null)}
        />
      ) : null}
    </div>
  );
}

type ConfirmProps = { pending: boolean; error: ConsoleError | null; onConfirm: () => void; onClose: () => void };

function RotateTokenDialog({ pending, error, onConfirm, onClose }: ConfirmProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <ModalDialog title="Rotate token" initialFocus={cancelRef} onClose={onClose}>
      <p>
        A new token is issued and every older one stops working at once: the runtime using the old token is refused until it is given the new one. The new token
        is shown once, on the next screen.
      </p>
      {error ? <ActionError title="The token was not rotated." error={error} /> : null}
      <div className="ws-dialog-actions">
        <button type="button" ref={cancelRef} onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="ws-button-primary" disabled={pending} aria-busy={pending} onClick={onConfirm}>
          {pending ? "Rotating…" : "Rotate token"}
        </button>
      </div>
    </ModalDialog>
  );
}

type CopyState = "idle" | "copied" | "refused";

function NewTokenDialog({ token, onClose }: { token: string; onClose: () => void }) {
  const tokenRef = useRef<HTMLInputElement>(null);
  const tokenId = useId();
  const warningId = useId();
  const [copy, setCopy] = useState<CopyState>("idle");
  const copyToken = async () => {
    try {
      // Absent outside a secure context (plain HTTP on another host), and the browser may refuse it.
      await navigator.clipboard.writeText(token);
      setCopy("copied");
    } catch {
      tokenRef.current?.select();
      setCopy("refused");
    }
  };

  return (
    <ModalDialog title="New token" initialFocus={tokenRef} onClose={onClose}>
      <p id={warningId} className="ws-warning">
        <strong>Copy it now: this token will not be shown again.</strong> Every older token has stopped working; give this one to the workspace&apos;s runtime.
      </p>
      <label htmlFor={tokenId}>Token</label>
      <div className="ws-token-row">
        <input
          id={tokenId}
          ref={tokenRef}
          className="ws-token"
          value={token}
          readOnly
          spellCheck={false}
          autoComplete="off"
          aria-describedby={warningId}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" onClick={() => void copyToken()}>
          Copy
        </button>
      </div>
      <p className="ws-hint" role="status">
        {copy === "copied" ? "Copied to the clipboard." : null}
        {copy === "refused" ? "The browser refused the clipboard. The token is selected: copy it with Ctrl+C (⌘C on a Mac)." : null}
      </p>
      <div className="ws-dialog-actions">
        <button type="button" className="ws-button-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}

function RemoveWorkspaceDialog({ workspace, pending, error, onConfirm, onClose }: ConfirmProps & { workspace: Workspace }) {
  const [typed, setTyped] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  // A workspace may have no name; its id is then what the operator types.
  const expected = workspace.name || workspace.id;
  const what = workspace.name ? "name" : "id";
  const ready = typed.trim() === expected && !pending;

  return (
    <ModalDialog title="Remove workspace" initialFocus={inputRef} onClose={onClose}>
      <p>
        Removal is permanent: the workspace&apos;s tokens are revoked, its runtime can no longer register or send heartbeats, and it leaves the fleet. Its
        history stays readable here.
      </p>
      <form
        className="ws-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) onConfirm();
        }}
      >
        <label htmlFor={inputId}>
          Type the workspace {what}, <code className="ws-confirm-text">{expected}</code>, to confirm
        </label>
        <input id={inputId} ref={inputRef} value={typed} onChange={(event) => setTyped(event.target.value)} spellCheck={false} autoComplete="off" required />
        {error ? <ActionError title="The workspace was not removed." error={error} /> : null}
        <div className="ws-dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="ws-button-danger" disabled={!ready} aria-busy={pending}>
            {pending ? "Removing…" : "Remove workspace"}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
