import "server-only";
import { createPrismaStore, DEFAULT_DATABASE_URL, openDatabase, providerOf } from "@rollcall/db";
import {
  countWorkspacesByStatus,
  DEFAULT_POLICY,
  getWorkspaceDetail,
  HeartbeatsInput,
  ListEventsInput,
  listEvents,
  listHeartbeats,
  ListWorkspacesInput,
  listWorkspaces,
  RegistryError,
  timelineSlots,
  WorkspaceIdInput,
  type RegistryDeps,
} from "@rollcall/registry-core";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { readEnv } from "./env.ts";

/**
 * The console's read side of the registry: one database per process, and the registry-core query functions the
 * pages need. It never migrates (the registry server owns the schema) and holds no rules of its own.
 */

const FLEET_PAGE_SIZE = 100;
const EVENT_HISTORY = 100;
const HEARTBEAT_MINUTES = 60;

function readOnly(): never {
  throw new Error("the console is read-only: it does not register, provision or resolve hosts");
}

async function openRegistry(): Promise<RegistryDeps> {
  const url = readEnv().DATABASE_URL ?? DEFAULT_DATABASE_URL;
  if (providerOf(url) === "sqlite") {
    // openDatabase would create an empty file; a console pointed at the wrong path should say so instead.
    const file = resolve(url.slice("file:".length));
    if (!existsSync(file)) {
      throw new Error(
        `no registry database at ${file}. Start the registry server first (it creates and migrates the database), ` +
          "and start the console with DATABASE_URL set to the same absolute file: URL.",
      );
    }
  }
  const database = await openDatabase(url);
  const policy = DEFAULT_POLICY;
  return {
    store: createPrismaStore(database, { sampleSlotMs: policy.sampleSlotMs, sampleSlots: timelineSlots(policy) }),
    clock: Date.now,
    policy,
    resolveHost: async () => readOnly(),
    newId: readOnly,
    urlPolicy: { allowPrivate: false, allowLoopback: false, dnsTimeoutMs: 0 },
    openRegistration: false,
  };
}

// Kept on globalThis so Next's dev-mode module reloads reuse the one database instead of opening another per edit.
const holder = globalThis as typeof globalThis & { __rollcallConsoleRegistry?: Promise<RegistryDeps> };

function registry(): Promise<RegistryDeps> {
  if (!holder.__rollcallConsoleRegistry) {
    const opening = openRegistry();
    holder.__rollcallConsoleRegistry = opening;
    // A failed open (database not there yet) is retried on the next request rather than remembered forever.
    opening.catch(() => {
      if (holder.__rollcallConsoleRegistry === opening) holder.__rollcallConsoleRegistry = undefined;
    });
  }
  return holder.__rollcallConsoleRegistry;
}

export type FleetQuery = { status?: string; q?: string; after?: string };

export async function loadFleet(query: FleetQuery) {
  const deps = await registry();
  const parsed = ListWorkspacesInput.safeParse({
    status: query.status || undefined,
    search: query.q || undefined,
    after: query.after || undefined,
    limit: FLEET_PAGE_SIZE,
  });
  // A bad filter (say ?status=bogus) is reported on the page and ignored, not turned into an error page.
  const input = parsed.success ? parsed.data : ListWorkspacesInput.parse({ limit: FLEET_PAGE_SIZE });
  const [page, counts] = await Promise.all([listWorkspaces(deps, input), countWorkspacesByStatus(deps)]);
  return {
    ...page,
    counts,
    filter: { status: input.status, search: input.search, after: input.after },
    invalidFilter: !parsed.success,
    now: deps.clock(),
  };
}
export type Fleet = Awaited<ReturnType<typeof loadFleet>>;
export type FleetWorkspace = Fleet["workspaces"][number];

/** Everything the workspace page shows, or null for an id that is not a workspace (the page answers 404). */
export async function loadWorkspace(id: string) {
  const idInput = WorkspaceIdInput.safeParse({ workspaceId: id });
  if (!idInput.success) return null;
  const deps = await registry();
  try {
    const { workspaceId } = idInput.data;
    const [workspace, heartbeats, history] = await Promise.all([
      getWorkspaceDetail(deps, { workspaceId }),
      listHeartbeats(deps, HeartbeatsInput.parse({ workspaceId, minutes: HEARTBEAT_MINUTES })),
      listEvents(deps, ListEventsInput.parse({ workspaceId, limit: EVENT_HISTORY })),
    ]);
    return { workspace, heartbeats, events: history.events, now: deps.clock(), policy: deps.policy };
  } catch (error) {
    if (error instanceof RegistryError && error.reason === "unknown_workspace") return null;
    throw error;
  }
}
export type WorkspacePage = NonNullable<Awaited<ReturnType<typeof loadWorkspace>>>;
