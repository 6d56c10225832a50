import { formatRelative, formatTimestamp } from "~/lib/time.ts";

/** A relative time ("3m ago") that carries the exact UTC time for hover and for machines. */
export function RelativeTime({ iso, now }: { iso: string | null; now: number }) {
  if (iso === null) return <span className="muted">never</span>;
  return (
    <time dateTime={iso} title={formatTimestamp(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
