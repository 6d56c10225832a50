"use client";

import type { OperatorRole } from "@rollcall/registry-core";
import { createContext, useContext, type ReactNode } from "react";

/** Who is signed in and the registry settings the views need, handed from the server layout to client views. */
export type ConsoleSession = { operator: { name: string; role: OperatorRole }; offlineAfterMs: number; flapTransitions: number };

const ConsoleSessionContext = createContext<ConsoleSession | null>(null);

export function ConsoleSessionProvider({ session, children }: { session: ConsoleSession; children: ReactNode }) {
  return <ConsoleSessionContext value={session}>{children}</ConsoleSessionContext>;
}

export function useConsoleSession(): ConsoleSession {
  const session = useContext(ConsoleSessionContext);
  if (!session) throw new Error("useConsoleSession needs a ConsoleSessionProvider above it");
  return session;
}

/** Whether the signed-in operator may act (the API refuses viewers anyway; this only hides the controls). */
export function useMayAct(): boolean {
  return useConsoleSession().operator.role === "operator";
}
