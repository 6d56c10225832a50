"use client";

import { reasonExplanation, reasonLabel } from "~/lib/status.ts";
import { useConsoleSession } from "./console-session.tsx";

export function ReasonChips({ reasons }: { reasons: readonly string[] }) {
  const { flapTransitions } = useConsoleSession();
  if (reasons.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="reasons" aria-label="Status reasons">
      {reasons.map((reason) => {
        const explanation = reasonExplanation(reason, { flapTransitions });
        return (
          <li key={reason} className="reason" title={explanation ? `${explanation} (${reason})` : reason}>
            {reasonLabel(reason)}
          </li>
        );
      })}
    </ul>
  );
}
