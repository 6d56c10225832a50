import type { RegistryDeps } from "../deps.ts";
import { RegistryError } from "../errors.ts";
import { markerSetEvent, urlRevalidatedEvent } from "../events/constructors.ts";
import type { Marker } from "../markers/marker.ts";
import { sameCard } from "../runtime/card-check.ts";
import { markRegisterFailure } from "../runtime/register.ts";
import { decideAndCommit } from "../runtime/write-loop.ts";
import type { AgentCard, WorkspaceChange, WorkspaceRecord } from "../store.ts";
import { checkStoredAgentUrl } from "./validate-agent-url.ts";

export type RevalidationReport = { checked: number; canonicalised: number; refused: number };

const PAGE = 500;

type Verdict = { url: string | null; card: AgentCard | null; refused: string[] };

/** The card's URL as stored: the card schema admits only a string there. */
const cardUrlOf = (card: AgentCard | null) => (typeof card?.url === "string" ? card.url : null);

/** What today's rules make of a row's stored URLs: canonical forms kept, refused ones removed. */
function rejudge(deps: RegistryDeps, workspace: WorkspaceRecord): Verdict {
  const refused: string[] = [];
  let url = workspace.url;
  if (url !== null) {
    const check = checkStoredAgentUrl(url, deps.urlPolicy);
    url = check.ok ? check.url : null;
    if (!check.ok) refused.push(`url: ${check.message}`);
  }
  let card = workspace.agentCard;
  if (card !== null && typeof card.url === "string") {
    const check = checkStoredAgentUrl(card.url, deps.urlPolicy);
    if (check.ok) card = { ...card, url: check.url };
    else {
      card = Object.fromEntries(Object.entries(card).filter(([key]) => key !== "url"));
      refused.push(`agent_card.url: ${check.message}`);
    }
  }
  return { url, card, refused };
}

/**
 * The stored-URL migration: every workspace's `url` and `agent_card.url`, stored before the hardened validator,
 * judged again by today's rules (without DNS: a restart must not hang on resolvers, and names were resolved when
 * they were registered). A URL that passes is rewritten to its canonical href. One that no longer passes is
 * removed from the row (and from the card), and a live workspace gets a register-failure marker naming why, so it
 * shows degraded until its runtime registers a URL that passes. Each change is one URL_REVALIDATED event with the
 * URLs before and after, written with the change. Idempotent, and safe beside other server processes: every write
 * is conditional on the row's version.
 */
export async function revalidateStoredUrls(deps: RegistryDeps): Promise<RevalidationReport> {
  const report: RevalidationReport = { checked: 0, canonicalised: 0, refused: 0 };
  // The live rows by id (a row degraded on the way is not listed again), then the tombstones.
  for (const status of [undefined, "removed"] as const) {
    let after: string | undefined;
    for (;;) {
      const page = await deps.store.listWorkspaces({ status, limit: PAGE, after });
      for (const workspace of page) {
        report.checked++;
        const outcome = await revalidate(deps, workspace);
        if (outcome !== "unchanged") report[outcome]++;
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
  }
  return report;
}

async function revalidate(deps: RegistryDeps, first: WorkspaceRecord): Promise<"unchanged" | "canonicalised" | "refused"> {
  const changeFor = async (workspace: WorkspaceRecord, markers: Marker[]) => {
    const verdict = rejudge(deps, workspace);
    if (verdict.url === workspace.url && sameCard(verdict.card, workspace.agentCard)) return { change: null, result: "unchanged" as const };
    const now = deps.clock();
    const change: WorkspaceChange = {
      workspaceId: workspace.id,
      expectedVersion: workspace.version,
      at: now,
      patch: { url: verdict.url, agentCard: verdict.card },
      events: [
        urlRevalidatedEvent(
          { workspaceId: workspace.id, actor: "registry", at: now },
          {
            before: { url: workspace.url, cardUrl: cardUrlOf(workspace.agentCard) },
            after: { url: verdict.url, cardUrl: cardUrlOf(verdict.card) },
            refused: verdict.refused,
          },
        ),
      ],
    };
    if (verdict.refused.length === 0 || workspace.status === "removed") {
      return { change, result: verdict.refused.length === 0 ? ("canonicalised" as const) : ("refused" as const) };
    }
    const failure = {
      reason: "url_validate_failed" as const,
      message: `a stored URL no longer passes the URL rules and was removed: ${verdict.refused.join("; ")}`,
    };
    const { marker, plan } = markRegisterFailure(deps, { workspace, markers, failure, now, alive: null });
    change.patch = { ...change.patch, ...plan.patch };
    change.upsertMarkers = [marker];
    change.events.push(markerSetEvent(marker), ...plan.events);
    return { change, result: "refused" as const };
  };

  // A tombstone keeps its status: its row is rewritten directly, still conditional on its version.
  if (first.status === "removed") {
    const { change, result } = await changeFor(first, []);
    if (change === null || (await deps.store.commit(change))) return result;
  } else {
    try {
      return await decideAndCommit(deps, first, changeFor);
    } catch (error) {
      if (!(error instanceof RegistryError && error.reason === "workspace_removed")) throw error;
    }
  }
  // Removed or changed meanwhile: judge the fresh row.
  const fresh = await deps.store.getWorkspace(first.id);
  return fresh ? revalidate(deps, fresh) : "unchanged";
}
