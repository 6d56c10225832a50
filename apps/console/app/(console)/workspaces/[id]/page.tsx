import { getWorkspaceDetail, RegistryError, WorkspaceIdInput } from "@rollcall/registry-core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { parseTimelineRange } from "~/lib/timeline.ts";
import { consoleRegistry } from "~/server/registry.ts";
import { requireOperator } from "~/server/session.ts";
import { WorkspaceView } from "./workspace-view.tsx";

export const dynamic = "force-dynamic";

type Params = { id: string };
type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The workspace, or null when there is none with this id. One read per request, shared by the title and the page;
 * behind sign-in like every read, so not even a title tells a stranger whether a workspace exists.
 */
const findWorkspace = cache(async (workspaceId: string) => {
  await requireOperator();
  // The same rule the API applies to every workspace id: one that cannot exist is not looked up.
  if (!WorkspaceIdInput.safeParse({ workspaceId }).success) return null;
  const { deps } = await consoleRegistry();
  try {
    return await getWorkspaceDetail(deps, { workspaceId });
  } catch (error) {
    if (error instanceof RegistryError && error.reason === "unknown_workspace") return null;
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const workspace = await findWorkspace((await params).id);
  return { title: workspace ? workspace.name || workspace.id : "No such workspace" };
}

/**
 * Read on the server so an unknown id answers HTTP 404 (not-found.tsx beside this file) and a known one is on
 * screen before any script runs; the view keeps it live from there. This segment has no loading.tsx on purpose:
 * with one, the response would start streaming (status 200) before the page knew whether the workspace exists.
 */
export default async function WorkspacePage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const workspace = await findWorkspace(id);
  if (!workspace) notFound();
  // An unknown or missing ?range= shows the default range: the address only chooses a view, so it never fails the page.
  const timelineRange = parseTimelineRange((await searchParams).range);
  // Keyed by id: moving to another workspace starts its live history afresh.
  return <WorkspaceView key={id} initial={workspace} timelineRange={timelineRange} />;
}
