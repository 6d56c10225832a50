"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ConsoleRouter } from "@rollcall/registry-core/trpc";
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";

export const { TRPCProvider, useTRPC } = createTRPCContext<ConsoleRouter>();

const ENDPOINT = "/api/trpc";

/**
 * For a query that reads a lot (the fleet overview, a workspace's 90 days): sent on its own rather than batched, so
 * a quick query asked for in the same tick (the fleet table) is answered without waiting for it. Spread it into the
 * query's options.
 */
export const UNBATCHED = { trpc: { context: { unbatched: true } } } as const;

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
          false: splitLink({
            condition: (op) => op.context.unbatched === true,
            true: httpLink({ url: ENDPOINT }),
            false: httpBatchLink({ url: ENDPOINT }),
          }),
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
