import Link from "next/link";
import type { ReactNode } from "react";
import { ConsoleSessionProvider } from "~/components/console-session.tsx";
import { LiveIndicator } from "~/components/live-indicator.tsx";
import { LiveEventsProvider } from "~/live/live-events.tsx";
import { consoleRegistry } from "~/server/registry.ts";
import { requireOperator } from "~/server/session.ts";
import { ConsoleProviders } from "~/trpc/react.tsx";
import { signOutAction } from "../sign-in/actions.ts";
import { SelfPreservationBanner } from "./self-preservation-banner.tsx";

/** Everything behind sign-in: the header, the data layer and the one live event stream of the tab. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const operator = await requireOperator();
  const { deps } = await consoleRegistry();
  return (
    <ConsoleProviders>
      <ConsoleSessionProvider session={{ operator, offlineAfterMs: deps.policy.offlineAfterMs, flapTransitions: deps.policy.flapTransitions }}>
        <LiveEventsProvider>
          <header className="site-header">
            <Link href="/" className="brand">
              Rollcall <span className="brand-sub">console</span>
            </Link>
            <nav aria-label="Main">
              <ul>
                <li>
                  <Link href="/">Fleet</Link>
                </li>
                <li>
                  <Link href="/events">Events</Link>
                </li>
                <li>
                  <Link href="/notifications">Notifications</Link>
                </li>
              </ul>
            </nav>
            <LiveIndicator />
            <form action={signOutAction} className="account">
              <span>
                Signed in as <strong>{operator.name}</strong> <span className="role-badge">{operator.role}</span>
              </span>
              <button type="submit" className="button-small">
                Sign out
              </button>
            </form>
          </header>
          <SelfPreservationBanner />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </LiveEventsProvider>
      </ConsoleSessionProvider>
    </ConsoleProviders>
  );
}
