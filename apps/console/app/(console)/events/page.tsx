import type { Metadata } from "next";
import { EventLogView } from "./event-log-view.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Events" };

/** The registry's event log, read and tailed from the browser through the console's tRPC endpoint. */
export default function EventsPage() {
  return <EventLogView />;
}
