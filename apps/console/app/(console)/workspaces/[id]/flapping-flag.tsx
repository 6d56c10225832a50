"use client";

import { useConsoleSession } from "~/components/console-session.tsx";
import { reasonExplanation } from "~/lib/status.ts";
import "./workspace.css";

/** Beside the status while flap damping holds the workspace at degraded: why it does not recover on its next good beat. */
export function FlappingFlag({ flapping }: { flapping: boolean }) {
  const { flapTransitions } = useConsoleSession();
  if (!flapping) return null;
  return (
    <span className="chip tone-amber ws-flapping" data-testid="flapping-flag" title={reasonExplanation("flapping", { flapTransitions }) ?? undefined}>
      Flapping
    </span>
  );
}
