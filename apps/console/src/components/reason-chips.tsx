import { reasonLabel } from "~/lib/status.ts";

export function ReasonChips({ reasons }: { reasons: readonly string[] }) {
  if (reasons.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="reasons" aria-label="Status reasons">
      {reasons.map((reason) => (
        <li key={reason} className="reason" title={reason}>
          {reasonLabel(reason)}
        </li>
      ))}
    </ul>
  );
}
