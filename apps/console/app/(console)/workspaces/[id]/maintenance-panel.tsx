"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { ActionError, type ConsoleError } from "~/components/action-error.tsx";
import { useMayAct } from "~/components/console-session.tsx";
import { ModalDialog } from "~/components/modal-dialog.tsx";
import { RelativeTime } from "~/components/relative-time.tsx";
import { fromUtcInputValue, MAINTENANCE_PRESETS, maintenanceSummary, presetUntil, type MaintenanceWindow } from "~/lib/maintenance.ts";
import { MAINTENANCE_TONE } from "~/lib/status.ts";
import { useTRPC } from "~/trpc/react.tsx";
import "./workspace.css";

type Props = { workspaceId: string; maintenance: MaintenanceWindow | null; now: number };

const [DEFAULT_PRESET] = MAINTENANCE_PRESETS;

/**
 * Whether the workspace is in maintenance (its time then counts neither for nor against its availability), and for
 * operators the way to start or end it. A viewer sees the badge only while there is one.
 */
export function MaintenancePanel({ workspaceId, maintenance, now }: Props) {
  const mayAct = useMayAct();
  if (maintenance === null && !mayAct) return null;
  return (
    <section className={maintenance ? "ws-maintenance ws-maintenance-on" : "ws-maintenance"} aria-label="Maintenance">
      {maintenance ? (
        <p className="ws-maintenance-text" data-testid="maintenance-badge">
          <span className={`chip tone-${MAINTENANCE_TONE}`}>Maintenance</span> <span>{maintenanceSummary(maintenance)}</span>{" "}
          <span className="muted">
            (ends <RelativeTime iso={maintenance.until} now={now} />)
          </span>
        </p>
      ) : (
        <p className="ws-maintenance-text muted">Not in maintenance.</p>
      )}
      {mayAct ? maintenance ? <EndMaintenance workspaceId={workspaceId} /> : <StartMaintenance workspaceId={workspaceId} /> : null}
    </section>
  );
}

function EndMaintenance({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const end = useMutation(
    trpc.workspace.endMaintenance.mutationOptions({
      // The live stream refreshes the page too; this shows the change even while the stream is down.
      onSuccess: () => void queryClient.invalidateQueries(trpc.workspace.pathFilter()),
    }),
  );
  return (
    <div className="ws-maintenance-actions">
      <button type="button" disabled={end.isPending} aria-busy={end.isPending} onClick={() => end.mutate({ workspaceId })}>
        {end.isPending ? "Ending…" : "End maintenance"}
      </button>
      {end.error ? <ActionError title="The maintenance was not ended." error={end.error} /> : null}
    </div>
  );
}

function StartMaintenance({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const start = useMutation(
    trpc.workspace.startMaintenance.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        void queryClient.invalidateQueries(trpc.workspace.pathFilter());
      },
    }),
  );
  return (
    <div className="ws-maintenance-actions">
      <button
        type="button"
        onClick={() => {
          start.reset();
          setOpen(true);
        }}
      >
        Start maintenance…
      </button>
      {open ? (
        <StartMaintenanceDialog
          pending={start.isPending}
          error={start.error}
          onConfirm={(terms) => start.mutate({ workspaceId, ...terms })}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </div>
  );
}

type DialogProps = {
  pending: boolean;
  error: ConsoleError | null;
  onConfirm: (terms: { reason: string; until: string }) => void;
  onClose: () => void;
};

/**
 * Why and until when. The end is typed in UTC like every time the console shows, or filled in by a preset; whether
 * it is acceptable (in the future, not too far) is the registry's call, and its refusal is shown here.
 */
function StartMaintenanceDialog({ pending, error, onConfirm, onClose }: DialogProps) {
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState(() => presetUntil(DEFAULT_PRESET.ms, Date.now()));
  const reasonRef = useRef<HTMLInputElement>(null);
  const reasonId = useId();
  const untilId = useId();
  const untilHintId = useId();
  const untilAt = fromUtcInputValue(until);
  const ready = reason.trim() !== "" && untilAt !== null && !pending;

  return (
    <ModalDialog title="Start maintenance" initialFocus={reasonRef} onClose={onClose}>
      <p>
        While in maintenance, the workspace&apos;s time counts neither for nor against its availability, and the console shows it as in maintenance. It ends by
        itself at the time you set, or earlier when an operator ends it.
      </p>
      <form
        className="ws-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) onConfirm({ reason: reason.trim(), until: new Date(untilAt).toISOString() });
        }}
      >
        <label htmlFor={reasonId}>Reason</label>
        <input
          id={reasonId}
          ref={reasonRef}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder="e.g. kernel upgrade, ticket OPS-1234"
          autoComplete="off"
          required
        />
        <label htmlFor={untilId}>Until (UTC)</label>
        <div role="group" aria-label="Quick lengths" className="ws-toggle ws-presets">
          {MAINTENANCE_PRESETS.map((preset) => (
            <button key={preset.label} type="button" onClick={() => setUntil(presetUntil(preset.ms, Date.now()))}>
              {preset.label}
            </button>
          ))}
        </div>
        <input
          id={untilId}
          type="datetime-local"
          step={60}
          value={until}
          onChange={(event) => setUntil(event.target.value)}
          aria-describedby={untilHintId}
          required
        />
        <p id={untilHintId} className="ws-hint">
          A preset counts from now. The registry refuses an end in the past, and one further away than it allows.
        </p>
        {error ? <ActionError title="The maintenance was not started." error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={!ready} aria-busy={pending}>
            {pending ? "Starting…" : "Start maintenance"}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
