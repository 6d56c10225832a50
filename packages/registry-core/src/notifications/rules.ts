import { isStatusChange, type RegistryEvent } from "../events/event.ts";
import type { Maintenance } from "../store.ts";
import { UP_STATUSES } from "../status/statuses.ts";
import { DEFAULT_NOTIFIED_TYPES, type NotificationFilter } from "./endpoint.ts";

/** The payload of a change of status or of its reasons: the only events flapping, maintenance and self-preservation hold. */
const statusChangeOf = (event: RegistryEvent) => (isStatusChange(event) ? event.payload : null);

/** `*` stands for any run of characters; the rest is literal, case-insensitive, and the whole name must match. */
export function nameMatches(pattern: string, name: string): boolean {
  const literal = pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${literal.join(".*")}$`, "is").test(name);
}

/** Whether an endpoint's filter lets an event through (a filter without types takes DEFAULT_NOTIFIED_TYPES). */
export function filterAdmits(filter: NotificationFilter, event: RegistryEvent, workspaceName: string | null): boolean {
  if (!(filter.types ?? DEFAULT_NOTIFIED_TYPES).includes(event.type)) return false;
  if (filter.workspaces !== undefined && (workspaceName === null || !nameMatches(filter.workspaces, workspaceName))) return false;
  const change = statusChangeOf(event);
  if (change === null) return true;
  if (filter.statuses !== undefined && !filter.statuses.includes(change.to)) return false;
  if (filter.reasons !== undefined && !change.reasons.some((reason) => filter.reasons!.includes(reason))) return false;
  return true;
}

export type Hold = "flapping" | "maintenance" | "registry_suspect";

/**
 * Why a status change is not told, or null. The rules of status over time decide, not a second set of thresholds:
 * - flapping (decideStatus's flap damping): the change that starts it is told and so is the one that ends it; a change
 *   while it was flapping before and still is, is held (statping #990: a flapping instance paged all night);
 * - maintenance: the operator announced it, so its changes are expected;
 * - self-preservation: SELF_PRESERVATION_ENTERED tells it once for the fleet; the workspaces it holds at `unknown` are
 *   not told one by one, nor when they come back up (no one was told they were down).
 */
export function heldBack(event: RegistryEvent, maintenance: Maintenance | null): Hold | null {
  const change = statusChangeOf(event);
  if (change === null) return null;
  if (maintenance !== null && maintenance.since <= event.at && event.at < maintenance.until) return "maintenance";
  const before = change.previous_reasons ?? [];
  if (before.includes("flapping") && change.reasons.includes("flapping")) return "flapping";
  if (change.to === "unknown" && change.reasons.includes("registry_suspect")) return "registry_suspect";
  if (change.from === "unknown" && before.includes("registry_suspect") && UP_STATUSES.includes(change.to)) return "registry_suspect";
  return null;
}

/** Changes one endpoint is told one by one in a window; the rest of the window goes in one group (3 at most in all). */
export const SINGLES_PER_WINDOW = 2;

/** An endpoint's storm window: opened by the first change it is told, `windowMs` long. */
export type StormWindow = { start: number; singles: number; group: string | null };

/**
 * Where a workspace's change goes for one endpoint: alone, at once, while its window has had fewer than
 * SINGLES_PER_WINDOW (a lone change is never delayed); otherwise into the window's group, sent when the window ends.
 * More than 5 workspaces changing in one window thus reach an endpoint in 3 notifications at most.
 */
export function routeChange(
  window: StormWindow | undefined,
  at: number,
  windowMs: number,
): { window: StormWindow; route: "single" | "group"; closed: StormWindow | null } {
  const open = window !== undefined && at < window.start + windowMs;
  const current = open ? window : { start: at, singles: 0, group: null };
  const closed = open || window === undefined ? null : window;
  if (current.singles < SINGLES_PER_WINDOW && current.group === null) return { window: { ...current, singles: current.singles + 1 }, route: "single", closed };
  return { window: current, route: "group", closed };
}
