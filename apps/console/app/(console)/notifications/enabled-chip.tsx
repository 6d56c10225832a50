/** Whether an endpoint is sent to: a word as well as a colour. */
export function EnabledChip({ enabled }: { enabled: boolean }) {
  return (
    <span className={`chip tone-${enabled ? "emerald" : "slate"}`} data-enabled={enabled}>
      {enabled ? "Enabled" : "Disabled"}
    </span>
  );
}
