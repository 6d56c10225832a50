import { z } from "zod";

/** An HTTP answer of the registry: the status and the parsed JSON body (null when empty). */
export type ApiAnswer = { status: number; body: unknown };

const Credentials = z.object({ id: z.uuid(), token: z.string().min(1) });
/** A provisioned workspace's id and its runtime token (returned once, by provisioning). */
export type WorkspaceCredentials = z.infer<typeof Credentials>;

export const MarkerRecord = z.object({
  id: z.string(),
  kind: z.string(),
  reason: z.string(),
  active: z.boolean(),
  cleared_by: z.string().nullable(),
  clear_reason: z.string().nullable(),
});
export type MarkerRecord = z.infer<typeof MarkerRecord>;

/** The parts of GET /api/workspaces/:id the tests look at. */
export const WorkspaceRecord = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  status_reasons: z.array(z.string()),
  markers: z.array(MarkerRecord),
});
export type WorkspaceRecord = z.infer<typeof WorkspaceRecord>;

export const EventRecord = z.object({
  id: z.number().int(),
  type: z.string(),
  workspace_id: z.string().nullable(),
  actor: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type EventRecord = z.infer<typeof EventRecord>;

const EventPage = z.object({ events: z.array(EventRecord) });
const EVENT_PAGE_SIZE = 500;

/** Every error body of the registry: a human `error` and a machine `reason`. */
export const ErrorBody = z.object({ error: z.string(), reason: z.string() });

export function describeAnswer(answer: ApiAnswer): string {
  return `HTTP ${answer.status} ${JSON.stringify(answer.body)}`;
}

/**
 * The registry over real HTTP: its operator REST API with the admin token, and the runtime routes with a
 * workspace token. Tests use it to set up what they need and to check what the console shows against the source.
 */
export class RegistryApi {
  constructor(
    readonly url: string,
    private readonly adminToken: string,
  ) {}

  private async send(method: string, path: string, body: unknown, bearer: string | undefined): Promise<ApiAnswer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  /** The operator REST API; the audit trail names the caller "admin". */
  admin(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    return this.send(method, path, body, this.adminToken);
  }

  /** A runtime route (/registry/register, /registry/heartbeat, …) with the workspace's token. */
  runtime(path: string, body: unknown, token: string): Promise<ApiAnswer> {
    return this.send("POST", path, body, token);
  }

  async provision(name: string): Promise<WorkspaceCredentials> {
    const answer = await this.admin("POST", "/api/workspaces", { name });
    if (answer.status !== 201) throw new Error(`provisioning ${name} failed: ${describeAnswer(answer)}`);
    return Credentials.parse(answer.body);
  }

  async workspace(id: string): Promise<WorkspaceRecord> {
    const answer = await this.admin("GET", `/api/workspaces/${id}`);
    if (answer.status !== 200) throw new Error(`reading workspace ${id} failed: ${describeAnswer(answer)}`);
    return WorkspaceRecord.parse(answer.body);
  }

  /** An operator restart: provisioning with no URL until the runtime registers again (incident #2739's first step). */
  async restart(id: string): Promise<void> {
    const answer = await this.admin("POST", `/api/workspaces/${id}/restart`, {});
    if (answer.status !== 200) throw new Error(`restarting ${id} failed: ${describeAnswer(answer)}`);
  }

  /** An operator removal: the workspace becomes a tombstone with status removed. */
  async remove(id: string): Promise<void> {
    const answer = await this.admin("DELETE", `/api/workspaces/${id}`);
    if (answer.status !== 200) throw new Error(`removing ${id} failed: ${describeAnswer(answer)}`);
  }

  /** Every event with an id above `after`, oldest first. */
  async eventsAfter(after: number, workspaceId?: string): Promise<EventRecord[]> {
    const events: EventRecord[] = [];
    let cursor = after;
    for (;;) {
      const query = new URLSearchParams({ after: String(cursor), limit: String(EVENT_PAGE_SIZE) });
      if (workspaceId) query.set("workspaceId", workspaceId);
      const answer = await this.admin("GET", `/api/events?${query}`);
      if (answer.status !== 200) throw new Error(`listing events failed: ${describeAnswer(answer)}`);
      const page = EventPage.parse(answer.body).events;
      events.push(...page);
      const last = page.at(-1);
      if (page.length < EVENT_PAGE_SIZE || !last) return events;
      cursor = last.id;
    }
  }

  /** The newest event's id (0 when there is none), to look only at what a step adds. */
  async latestEventId(): Promise<number> {
    const answer = await this.admin("GET", "/api/events?limit=1");
    if (answer.status !== 200) throw new Error(`listing events failed: ${describeAnswer(answer)}`);
    return EventPage.parse(answer.body).events[0]?.id ?? 0;
  }
}
