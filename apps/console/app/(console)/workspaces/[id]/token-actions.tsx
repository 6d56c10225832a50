"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { ActionError, type ConsoleError } from "~/components/action-error.tsx";
import { ConfirmDialog } from "~/components/confirm-dialog.tsx";
import { useMayAct } from "~/components/console-session.tsx";
import { CredentialDialog } from "~/components/credential-dialog.tsx";
import { ModalDialog } from "~/components/modal-dialog.tsx";
import { useTRPC } from "~/trpc/react.tsx";
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
    <div className="button-row">
      <button type="button" onClick={() => open("rotate")}>
        Rotate token…
      </button>
      <button type="button" className="button-danger" onClick={() => open("remove")}>
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
        <CredentialDialog
          title="New token"
          label="Token"
          noun="token"
          value={newToken}
          onClose={() => {
            setNewToken(null);
            // The mutation cache would otherwise keep the plaintext token for minutes after the dialog closed.
            rotate.reset();
          }}
        >
          <strong>Copy it now: this token will not be shown again.</strong> Every older token has stopped working; give this one to the workspace&apos;s
          runtime.
        </CredentialDialog>
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

function RotateTokenDialog(props: ConfirmProps) {
  return (
    <ConfirmDialog title="Rotate token" errorTitle="The token was not rotated." confirmLabel="Rotate token" pendingLabel="Rotating…" {...props}>
      <p>
        A new token is issued and every older one stops working at once: the runtime using the old token is refused until it is given the new one. The new token
        is shown once, on the next screen.
      </p>
    </ConfirmDialog>
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
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-danger" disabled={!ready} aria-busy={pending}>
            {pending ? "Removing…" : "Remove workspace"}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
