import { listFleet } from "@rollcall/registry-core";
import type { Metadata } from "next";
import { fleetInput, parseFleetQuery } from "~/lib/fleet-query.ts";
import { consoleRegistry } from "~/server/registry.ts";
import { requireOperator } from "~/server/session.ts";
import { FleetView } from "./fleet-view.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Fleet" };

type SearchParams = Record<string, string | string[] | undefined>;

/** The first page is rendered on the server, so the fleet is on screen before any script runs. */
export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // Checked here too, not only in the layout: a client-side navigation renders this page without its layout.
  await requireOperator();
  const params = await searchParams;
  const { query } = parseFleetQuery({ get: (name) => [params[name]].flat()[0] ?? null });
  const { deps } = await consoleRegistry();
  const initial = await listFleet(deps, fleetInput(query));
  return <FleetView initialQuery={query} initial={initial} />;
}
