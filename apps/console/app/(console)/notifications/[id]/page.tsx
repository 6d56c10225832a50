import { DEFAULT_NOTIFIED_TYPES } from "@rollcall/registry-core";
import { refusalOf } from "@rollcall/registry-core/trpc";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { consoleCaller } from "~/server/caller.ts";
import { EndpointView } from "./endpoint-view.tsx";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** The endpoint, or null when there is none with this id (or the id cannot be one). One read per request. */
const findEndpoint = cache(async (id: string) => {
  const caller = await consoleCaller();
  try {
    return await caller.notifications.get({ id });
  } catch (error) {
    const { reason } = refusalOf(error);
    if (reason === "unknown_endpoint" || reason === "invalid_body") return null;
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const endpoint = await findEndpoint((await params).id);
  return { title: endpoint ? endpoint.name : "No such endpoint" };
}

/** Read on the server so an unknown id answers HTTP 404 (not-found.tsx beside this file), like a workspace's page. */
export default async function EndpointPage({ params }: { params: Promise<Params> }) {
  const { id } = await params;
  const endpoint = await findEndpoint(id);
  if (!endpoint) notFound();
  // Keyed by id: another endpoint starts with its own test result and the newest page of its log.
  return <EndpointView key={id} initial={endpoint} defaultTypes={DEFAULT_NOTIFIED_TYPES} />;
}
