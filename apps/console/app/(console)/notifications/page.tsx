import { DEFAULT_NOTIFIED_TYPES } from "@rollcall/registry-core";
import type { Metadata } from "next";
import { consoleCaller } from "~/server/caller.ts";
import { NotificationsView } from "./notifications-view.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notifications" };

/** The endpoints are read on the server, so the table is on screen before any script runs. */
export default async function NotificationsPage() {
  const initial = await (await consoleCaller()).notifications.list();
  return <NotificationsView initial={initial} defaultTypes={DEFAULT_NOTIFIED_TYPES} />;
}
