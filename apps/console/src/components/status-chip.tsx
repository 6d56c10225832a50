import { statusStyle } from "~/lib/status.ts";

/** A status as a coloured dot and its label: colour is never the only signal. */
export function StatusChip({ status }: { status: string }) {
  const style = statusStyle(status);
  return (
    <span className={`chip tone-${style.tone}`} data-status={status} title={style.known ? `status: ${status}` : `unrecognised status: ${status}`}>
      <span className={`dot dot-${style.dot}`} aria-hidden="true" />
      {style.label}
    </span>
  );
}
