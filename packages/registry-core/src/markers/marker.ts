export const MARKER_KINDS = ["register_failure"] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

/** Machine codes for why a register failed after the caller proved its token (reference §5.4, W4). */
export const REGISTER_FAILURE_REASONS = ["url_validate_failed", "url_required_for_push", "internal"] as const;
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

/** The register-failure markers that count right now: the ones that degrade a workspace and block recovery. */
export function activeRegisterFailures<T extends Pick<Marker, "kind" | "clearedAt" | "expiresAt">>(markers: readonly T[], now: number): T[] {
  return markers.filter((marker) => marker.kind === "register_failure" && isMarkerActive(marker, now));
}

/**
 * A register-failure marker stamped now: a repeated failure refreshes the one active marker (its window starts
 * again, with the new reason) instead of piling up rows.
 */
export function registerFailureMarker(args: {
  markers: readonly Marker[];
  workspaceId: string;
  reason: RegisterFailureReason;
  detail: string;
  now: number;
  windowMs: number;
  newId: () => string;
}): Marker {
  const window = { setAt: args.now, expiresAt: args.now + args.windowMs };
  const active = activeRegisterFailures(args.markers, args.now)[0];
  if (active) return { ...active, ...window, reason: args.reason, detail: args.detail };
  return {
    id: args.newId(),
    workspaceId: args.workspaceId,
    kind: "register_failure",
    reason: args.reason,
    detail: args.detail,
    ...window,
    clearedAt: null,
    clearedBy: null,
    clearReason: null,
  };
}

export type ClearedMarker = Marker & { clearedAt: number; clearedBy: string; clearReason: string };

export function clearMarker(marker: Marker, at: number, by: string, reason: string): ClearedMarker {
  return { ...marker, clearedAt: at, clearedBy: by, clearReason: reason };
}
