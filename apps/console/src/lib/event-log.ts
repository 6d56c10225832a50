import { ListEventsInput, type EventType } from "@rollcall/registry-core/vocabulary";

/** Rows per page of the log; the list procedure allows up to 500. */
export const EVENTS_PAGE_SIZE = 100;

/** Rows kept while tailing: a burst can still be scrolled back through, and the table stays quick to render. */
export const TAIL_ROW_LIMIT = 500;

/** What the events page shows, as validated from its URL. */
export type EventLogQuery = {
  type?: EventType;
  workspaceId?: string;
  actor?: string;
  /** Show events older than this id (the "Older →" cursor); absent: the newest events, with the live tail. */
  before?: number;
};

export type EventFilter = Pick<EventLogQuery, "type" | "workspaceId" | "actor">;

/** The URL parameters, named as the address shows them. */
export const EVENT_LOG_PARAMS = ["type", "workspace", "actor", "before"] as const;
export type EventLogParam = (typeof EVENT_LOG_PARAMS)[number];

/** The parameters as written, trimmed but not validated: the form shows them so a mistyped value can be fixed. */
export type EventLogParams = Partial<Record<EventLogParam, string>>;

export type ParamProblem = { param: EventLogParam; message: string };

/** The fields of an event the log filters and orders by (the API's EventView has these and more). */
export type LogEvent = { id: number; type: string; workspace_id: string | null; actor: string };

// The list procedure's own input rules, so whatever this accepts, the server accepts too.
const { type: EventTypeParam, workspaceId: WorkspaceIdParam, actor: ActorParam, before: CursorParam } = ListEventsInput.shape;

type ReadParams = { get(name: string): string | null };

/**
 * Reads the events page's URL. A value that is not understood is left out of the query and explained, so a
 * hand-edited or outdated link still shows the log, and the form can point at what to fix.
 */
export function parseEventLogParams(search: ReadParams): { params: EventLogParams; query: EventLogQuery; problems: ParamProblem[] } {
  const params: EventLogParams = {};
  for (const name of EVENT_LOG_PARAMS) {
    const value = search.get(name)?.trim();
    if (value) params[name] = value;
  }
  const query: EventLogQuery = {};
  const problems: ParamProblem[] = [];
  const { type, workspace, actor, before } = params;
  if (type !== undefined) {
    const parsed = EventTypeParam.safeParse(type);
    if (parsed.success) query.type = parsed.data;
    else problems.push({ param: "type", message: `“${type}” is not an event type, so events of every type are shown.` });
  }
  if (workspace !== undefined) {
    if (WorkspaceIdParam.safeParse(workspace).success) query.workspaceId = workspace.toLowerCase();
    else {
      problems.push({
        param: "workspace",
        message:
          `“${workspace}” is not a workspace id, so every workspace is shown. Use the full id (a UUID); the table ` +
          "shows only its first 8 characters, and the workspace's page shows all of it.",
      });
    }
  }
  if (actor !== undefined) {
    if (ActorParam.safeParse(actor).success) query.actor = actor;
    else problems.push({ param: "actor", message: `An actor is at most ${ActorParam.unwrap().maxLength} characters, so every actor is shown.` });
  }
  if (before !== undefined) {
    const parsed = CursorParam.safeParse(before);
    if (parsed.success) query.before = parsed.data;
    else problems.push({ param: "before", message: `“${before}” is not a position in the log, so the newest events are shown.` });
  }
  return { params, query, problems };
}

/** The address of a view of the log; empty parameters are left out, so the plain log is just /events. */
export function eventLogHref(params: EventLogParams): string {
  const search = new URLSearchParams();
  for (const name of EVENT_LOG_PARAMS) {
    const value = params[name]?.trim();
    if (value) search.set(name, value);
  }
  const query = search.toString();
  return query ? `/events?${query}` : "/events";
}

/** A validated query back as URL parameters, for links that change only part of it. */
export function eventLogParams(query: EventLogQuery): EventLogParams {
  return {
    type: query.type,
    workspace: query.workspaceId,
    actor: query.actor,
    before: query.before === undefined ? undefined : String(query.before),
  };
}

export function isFiltered(filter: EventFilter): boolean {
  return filter.type !== undefined || filter.workspaceId !== undefined || filter.actor !== undefined;
}

/** Every event of both lists once (a later copy wins), newest first. The server already applied the view's filter. */
function unionNewestFirst<E extends LogEvent>(held: readonly E[], incoming: readonly E[]): E[] {
  const byId = new Map<number, E>();
  for (const event of [...held, ...incoming]) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

/**
 * Adds live events to a list: without duplicates (a replay after a reconnect may resend some), newest
 * first and at most `limit` long. Event ids only grow, so dropping from the end drops the oldest.
 */
export function mergeEvents<E extends LogEvent>(held: readonly E[], incoming: readonly E[], limit: number): E[] {
  return unionNewestFirst(held, incoming).slice(0, limit);
}

export type EventWindow<E> = {
  events: E[];
  /** The `before` cursor for "Older →", or null at the start of the log. */
  olderBefore: number | null;
};

/**
 * What the table shows: the loaded page with the live events above it, capped at `limit` rows. The rows stay one
 * unbroken stretch of the log (the tail streams every event after the page's newest), so older events continue
 * below the oldest row shown: the page said more exist, or rows were dropped to stay under the cap.
 */
export function eventWindow<E extends LogEvent>(page: { events: readonly E[]; next_cursor: number | null }, live: readonly E[], limit: number): EventWindow<E> {
  const all = unionNewestFirst(page.events, live);
  const events = all.slice(0, limit);
  const olderExist = page.next_cursor !== null || all.length > limit;
  return { events, olderBefore: olderExist ? (events.at(-1)?.id ?? null) : null };
}

/**
 * Where the live tail (re)starts: after the newest event seen, whether it came with the page or from the stream
 * so starting, pausing and resuming neither misses nor repeats an event. With nothing
 * seen yet it starts at the beginning of the stream's scope, which for an empty page holds no matching event.
 */
export function tailCursor(page: readonly LogEvent[], streamedThrough: number | null): number {
  return Math.max(0, streamedThrough ?? 0, ...page.map((event) => event.id));
}
