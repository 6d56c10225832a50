"use client";

import type { EventView } from "@rollcall/registry-core";
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { liveState, type LiveState } from "~/lib/live-state.ts";
import { useTRPC } from "~/trpc/react.tsx";

type Listener = (event: EventView) => void;
type LiveEvents = {
  state: LiveState;
  /** The stream was refused because the session ended (expired, signed out elsewhere): only signing in helps. */
  sessionEnded: boolean;
  subscribe(listener: Listener): () => void;
};

const LiveEventsContext = createContext<LiveEvents | null>(null);

/** Changes arriving within this window refresh the views once, not once per event. */
const REFRESH_COALESCE_MS = 100;
/** A stream the server ended with an error is started again after this long. */
const RETRY_MS = 5_000;

/**
 * One event stream per browser tab, shared by every view: each event refreshes the queries it can affect, and
 * views that show events themselves subscribe to it.
 */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listeners = useRef(new Set<Listener>());
  const pending = useRef<{ fleet: boolean; selfPreservation: boolean; workspaces: Set<string>; timer: ReturnType<typeof setTimeout> | null }>({
    fleet: false,
    selfPreservation: false,
    workspaces: new Set(),
    timer: null,
  });
  const [online, setOnline] = useState(true);
  const [everConnected, setEverConnected] = useState(false);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);

  const refresh = () => {
    const batch = pending.current;
    batch.timer = null;
    if (batch.fleet) void queryClient.invalidateQueries({ queryKey: trpc.workspace.fleet.queryKey() });
    if (batch.selfPreservation) void queryClient.invalidateQueries({ queryKey: trpc.selfPreservation.get.queryKey() });
    for (const workspaceId of batch.workspaces) {
      void queryClient.invalidateQueries({ queryKey: trpc.workspace.get.queryKey({ workspaceId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.workspace.heartbeats.queryKey({ workspaceId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.workspace.availability.queryKey({ workspaceId }) });
    }
    batch.fleet = false;
    batch.selfPreservation = false;
    batch.workspaces.clear();
  };

  const subscription = useSubscription(
    trpc.events.stream.subscriptionOptions(
      {},
      {
        onStarted: () => {
          // A restarted stream begins at the newest event: whatever changed meanwhile is read again instead.
          if (everConnected) void queryClient.invalidateQueries();
          setEverConnected(true);
        },
        onData: ({ data }) => {
          const batch = pending.current;
          if (data.workspace_id) {
            batch.fleet = true;
            batch.workspaces.add(data.workspace_id);
            batch.timer ??= setTimeout(refresh, REFRESH_COALESCE_MS);
          }
          // Registry-wide, so about no one workspace: the banner shows or goes as the registry decides.
          if (data.type === "SELF_PRESERVATION_ENTERED" || data.type === "SELF_PRESERVATION_EXITED") {
            batch.selfPreservation = true;
            batch.timer ??= setTimeout(refresh, REFRESH_COALESCE_MS);
          }
          for (const listener of listeners.current) listener(data);
        },
      },
    ),
  );

  // The link itself reconnects after a dropped connection (resuming from the last event id); an error answer ends
  // the stream, so it is started again here, unless the session is gone.
  const { status, error, reset } = subscription;
  const sessionEnded = status === "error" && error?.data?.code === "UNAUTHORIZED";
  useEffect(() => {
    if (status !== "error" || sessionEnded) return undefined;
    const timer = setTimeout(reset, RETRY_MS);
    return () => clearTimeout(timer);
  }, [status, sessionEnded, reset]);

  const value: LiveEvents = {
    state: liveState({ status, browserOnline: online, everConnected }),
    sessionEnded,
    subscribe(listener) {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  };
  return <LiveEventsContext value={value}>{children}</LiveEventsContext>;
}

export function useLiveEvents(): LiveEvents {
  const live = useContext(LiveEventsContext);
  if (!live) throw new Error("useLiveEvents needs a LiveEventsProvider above it");
  return live;
}

/** Calls `listener` for every live event while mounted. */
export function useLiveEvent(listener: Listener): void {
  const { subscribe } = useLiveEvents();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}
