"use client";

import type { EventLogEntry } from "@rollcall/registry-core";
import { skipToken } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { mergeEvents, TAIL_ROW_LIMIT, tailCursor, type EventFilter } from "~/lib/event-log.ts";
import { liveState, type LiveState } from "~/lib/live-state.ts";
import { useTRPC } from "~/trpc/react.tsx";

/** What the tail tells the operator; "paused" when they turned it off or are reading older pages. */
export type TailState = LiveState | "paused";

/** Events arriving within this window are added in one render: a replay after a long pause can be thousands. */
const FLUSH_MS = 100;
/** How long a stopped stream waits before it is started again. */
const RETRY_MS = 5_000;

export type LiveTail = {
  state: TailState;
  /** Matching events received live, newest first, at most TAIL_ROW_LIMIT. */
  events: EventLogEntry[];
  /** Why the stream stopped, while it is stopped; it is retried every few seconds unless the session ended. */
  stopped: { message: string; signedOut: boolean } | null;
  /** Turns the tail off, or back on from the newest event seen. */
  toggle(): void;
  /** Starts a stopped stream again now, from the newest event seen. */
  reconnect(): void;
};

type Options = {
  filter: EventFilter;
  /** The loaded page: the tail starts after its newest event. */
  page: { status: "pending" | "error" | "success"; events: readonly EventLogEntry[] | undefined };
  /** False on older pages: a tail only makes sense above the newest events. */
  available: boolean;
};

/**
 * The events page's own tail of the event stream. It starts after the newest loaded event and, after a pause or a
 * stop, resumes after the newest event it saw, so the list above the loaded page has no holes. The server applies
 * the filter, so a filtered tail reads only matching rows.
 */
export function useLiveTail({ filter, page, available }: Options): LiveTail {
  const trpc = useTRPC();
  const browserOnline = useBrowserOnline();
  const [on, setOn] = useState(true);
  const [events, setEvents] = useState<EventLogEntry[]>([]);
  /** Set on resume; before that the tail starts after the page's newest event. */
  const [resumeAfter, setResumeAfter] = useState<number | null>(null);
  const [connected, setConnected] = useState(false);
  /** The newest id the stream delivered, matching or not: a resume continues after it. */
  const streamedThrough = useRef<number | null>(null);
  const pending = useRef<EventLogEntry[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const after = page.events === undefined ? null : (resumeAfter ?? tailCursor(page.events, null));
  const running = available && on && after !== null;

  const flush = () => {
    flushTimer.current = null;
    const batch = pending.current;
    pending.current = [];
    setEvents((held) => mergeEvents(held, batch, TAIL_ROW_LIMIT));
  };
  useEffect(
    () => () => {
      if (flushTimer.current !== null) clearTimeout(flushTimer.current);
      flushTimer.current = null;
    },
    [],
  );

  const subscription = useSubscription(
    trpc.events.stream.subscriptionOptions(running ? { workspaceId: filter.workspaceId, type: filter.type, actor: filter.actor, after } : skipToken, {
      onStarted: () => setConnected(true),
      onData: ({ data }) => {
        streamedThrough.current = Math.max(streamedThrough.current ?? 0, data.id);
        pending.current.push(data);
        flushTimer.current ??= setTimeout(flush, FLUSH_MS);
      },
    }),
  );

  const stoppedBy = running && subscription.status === "error" ? subscription.error : null;
  const signedOut = stoppedBy?.data?.code === "UNAUTHORIZED";
  const pageEvents = page.events;
  const { reset } = subscription;
  /** Starts a stopped stream again, after the newest event seen. */
  const restart = useCallback(() => {
    const cursor = tailCursor(pageEvents ?? [], streamedThrough.current);
    setConnected(false);
    // Same input: tRPC would not resubscribe by itself.
    if (cursor === after) reset();
    else setResumeAfter(cursor);
  }, [pageEvents, after, reset]);

  // A stream the server ended with an error (a failed reconnect, a restarting console) is retried; a session that
  // ended is not, the operator has to sign in again.
  const retrying = stoppedBy !== null && !signedOut;
  useEffect(() => {
    if (!retrying) return undefined;
    const timer = setTimeout(restart, RETRY_MS);
    return () => clearTimeout(timer);
  }, [retrying, restart]);

  let state: TailState;
  if (!available || !on) state = "paused";
  else if (page.status === "error") state = "offline";
  else if (!running) state = "connecting";
  else state = liveState({ status: subscription.status, browserOnline, everConnected: connected });

  return {
    state,
    events,
    stopped: stoppedBy === null ? null : { message: stoppedBy.message, signedOut },
    toggle() {
      if (on) {
        setOn(false);
        return;
      }
      setResumeAfter(tailCursor(pageEvents ?? [], streamedThrough.current));
      setConnected(false);
      setOn(true);
    },
    reconnect: restart,
  };
}

function subscribeToNetwork(onChange: () => void) {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}

/** Whether the browser believes it has a network; the server render assumes it does. */
function useBrowserOnline(): boolean {
  return useSyncExternalStore(
    subscribeToNetwork,
    () => navigator.onLine,
    () => true,
  );
}
