import { WorkspaceIdInput } from "@rollcall/registry-core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { WorkspaceView } from "./workspace-view.tsx";

type Params = { id: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Workspace ${id.slice(0, 8)}` };
}

/** The page itself is live and client-side (workspace-view.tsx); here only an id that cannot exist is turned away. */
export default async function WorkspacePage({ params }: { params: Promise<Params> }) {
  const { id } = await params;
  // The same rule the API applies to every workspace id.
  if (!WorkspaceIdInput.safeParse({ workspaceId: id }).success) notFound();
  // Keyed by id: moving to another workspace starts its live history afresh.
  return <WorkspaceView key={id} workspaceId={id} />;
}
