"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * Re-renders the page's server components every `intervalMs` (router.refresh keeps client state such as open
 * <details> and typed search text). Skips ticks while the tab is hidden, and can be paused.
 */
export function AutoRefresh({ intervalMs }: { intervalMs: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    if (paused) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [router, intervalMs, paused]);

  return (
    <span className="auto-refresh">
      {paused ? "Auto-refresh paused" : `Auto-refresh every ${Math.round(intervalMs / 1000)} s`}
      <button type="button" className="button-small" aria-pressed={paused} onClick={() => setPaused((value) => !value)}>
        {paused ? "Resume" : "Pause"}
      </button>
    </span>
  );
}
