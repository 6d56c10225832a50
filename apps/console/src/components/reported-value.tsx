import type { ReactNode } from "react";

/**
 * A figure the runtime reports with its heartbeats. While the runtime is silent (reportsAreLastKnown) the figure is
 * what it said last: dimmed and labelled so nobody reads an error rate or a task of hours ago as the present.
 */
export function ReportedValue({ lastKnown, children }: { lastKnown: boolean; children: ReactNode }) {
  if (!lastKnown) return children;
  return (
    <span className="last-known">
      <span className="last-known-value">{children}</span>{" "}
      <span className="last-known-tag" title="Last reported before the runtime stopped sending heartbeats">
        last known
      </span>
    </span>
  );
}
