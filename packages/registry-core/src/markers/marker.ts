export const MARKER_KINDS = ["register_failure"] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

/** Machine codes for why a register failed after the caller proved its token (reference §5.4, W4). */
export const REGISTER_FAILURE_REASONS = [
  "url_validate_failed",
  "url_required_for_push",
  "agent_card_invalid",
  "internal",
] as const;
export type RegisterFailureReason = (typeof REGISTER_FAILURE_REASONS)[number];

export type Marker = {
  id: string;
  workspaceId: string;
  kind: MarkerKind;
  reason: string;
  detail: string;
  setAt: number;
  expiresAt: number;
  clearedAt: number | null;
  clearedBy: string | null;
  clearReason: string | null;
};

/** A marker counts while nobody cleared it and its window has not run out (strict `<`, as in the reference). */
export function isMarkerActive(marker: Pick<Marker, "clearedAt" | "expiresAt">, now: number): boolean {
  return marker.clearedAt === null && now < marker.expiresAt;
}
