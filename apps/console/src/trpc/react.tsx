"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ConsoleRouter } from "@rollcall/registry-core/trpc";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";

export const { TRPCProvider, useTRPC } = createTRPCContext<ConsoleRouter>();

const ENDPOINT = "/api/trpc";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // The live stream invalidates what changed; this only bounds how stale a view can get if the stream is down.
      queries: { staleTime: 10_000, refetchOnWindowFocus: true, retry: 1 },
    },
  });
}

/** The browser side's data layer: React Query plus the typed tRPC client of the console's own endpoint. */
export function ConsoleProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<ConsoleRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          // Server-sent events; on reconnect the link sends the last event id it saw, and the server resumes after it.
          true: httpSubscriptionLink({ url: ENDPOINT }),
          false: httpBatchLink({ url: ENDPOINT }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
