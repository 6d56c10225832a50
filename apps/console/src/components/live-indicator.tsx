"use client";

import { LIVE_STATE_LABEL } from "~/lib/live-state.ts";
import { useLiveEvents } from "~/live/live-events.tsx";

/** Always visible in the header: whether what the operator sees is still being updated. */
export function LiveIndicator() {
  const { state, sessionEnded } = useLiveEvents();
  return (
    <span className={`live-indicator live-${state}`} data-testid="live-indicator" data-state={state} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {sessionEnded ? (
        <>
          Session ended: <a href="/sign-in">sign in again</a>
        </>
      ) : (
        LIVE_STATE_LABEL[state]
      )}
    </span>
  );
}
