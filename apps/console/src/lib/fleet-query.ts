import type { FleetInput } from "@rollcall/registry-core";
import { FLEET_SORTS, WORKSPACE_STATUSES, type FleetSort, type WorkspaceStatus } from "@rollcall/registry-core/vocabulary";

/** The fleet view's state, as kept in the URL so a filtered, sorted page can be shared and reloaded. */
export type FleetQuery = { status?: WorkspaceStatus; search?: string; sort: FleetSort; descending: boolean; page: number };

export const DEFAULT_FLEET_QUERY: FleetQuery = { sort: "status", descending: false, page: 1 };
export const FLEET_PAGE_SIZE = 100;
const MAX_SEARCH = 200;

type Params = { get(name: string): string | null };

/**
 * Reads the URL's filter. A value that is not understood is dropped and named in `ignored`, so the page can say so
 * instead of failing: a hand-edited or outdated link still shows the fleet.
 */
export function parseFleetQuery(params: Params): { query: FleetQuery; ignored: string[] } {
  const ignored: string[] = [];
  const query: FleetQuery = { ...DEFAULT_FLEET_QUERY };
  const status = params.get("status");
  if (status) {
    if ((WORKSPACE_STATUSES as readonly string[]).includes(status)) query.status = status as WorkspaceStatus;
    else ignored.push("status");
  }
  const search = params.get("q")?.trim();
  if (search) {
    if (search.length <= MAX_SEARCH) query.search = search;
    else ignored.push("q");
  }
  const sort = params.get("sort");
  if (sort) {
    if ((FLEET_SORTS as readonly string[]).includes(sort)) query.sort = sort as FleetSort;
    else ignored.push("sort");
  }
  const order = params.get("order");
  if (order) {
    if (order === "desc" || order === "asc") query.descending = order === "desc";
    else ignored.push("order");
  }
  const page = params.get("page");
  if (page) {
    const number = Number(page);
    if (Number.isInteger(number) && number >= 1 && number <= 100_000) query.page = number;
    else ignored.push("page");
  }
  return { query, ignored };
}

/** The URL for a fleet query; defaults are left out so links stay short. */
export function fleetHref(query: FleetQuery): string {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.search) params.set("q", query.search);
  if (query.sort !== DEFAULT_FLEET_QUERY.sort) params.set("sort", query.sort);
  if (query.descending) params.set("order", "desc");
  if (query.page !== 1) params.set("page", String(query.page));
  const search = params.toString();
  return search ? `/?${search}` : "/";
}

/** A new filter or ordering starts again at the first page; only paging keeps the page. */
export function withFilter(query: FleetQuery, change: Partial<Omit<FleetQuery, "page">>): FleetQuery {
  return { ...query, ...change, page: 1 };
}

/** Clicking the current sort column flips the order; another column starts ascending. */
export function toggleSort(query: FleetQuery, sort: FleetSort): FleetQuery {
  return withFilter(query, { sort, descending: query.sort === sort ? !query.descending : false });
}

/** "101–200 of 10,000" */
export function pageRange(page: number, pageSize: number, total: number): string {
  if (total === 0) return "0 of 0";
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return first > total
    ? `none of ${total.toLocaleString("en-US")}`
    : `${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`;
}

/** The registry query for a view. */
export function fleetInput(query: FleetQuery): FleetInput {
  return { ...query, pageSize: FLEET_PAGE_SIZE };
}
