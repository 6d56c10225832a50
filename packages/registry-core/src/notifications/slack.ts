import type { EventNotification, NotificationBody } from "../events/contract.ts";
import type { StatusReason, WorkspaceStatus } from "../status/statuses.ts";

const STATUS_MARK: Record<WorkspaceStatus, string> = {
  online: ":large_green_circle:",
  degraded: ":large_yellow_circle:",
  unknown: ":white_circle:",
  offline: ":red_circle:",
  failed: ":red_circle:",
  provisioning: ":large_blue_circle:",
  removed: ":black_circle:",
};

/** Slack's mrkdwn reads &, < and > as markup: a workspace named `<!channel>` must not ping a channel. */
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function subject(data: { workspace_id: string | null; workspace_name: string | null }): string {
  if (data.workspace_id === null) return "Rollcall";
  return `*${escape(data.workspace_name ?? "(unnamed)")}* (\`${escape(data.workspace_id)}\`)`;
}

type StatusChangeData = { from: WorkspaceStatus | null; to: WorkspaceStatus; reasons: StatusReason[]; previous_reasons?: StatusReason[] };
const isStatusChangeData = (data: object): data is StatusChangeData => "to" in data && "reasons" in data;

/** One line per event: who, what changed and why, and whether flapping started or ended with it. */
function line(body: EventNotification): string {
  if (isStatusChangeData(body.data)) {
    const { from, to, reasons } = body.data;
    const before = body.data.previous_reasons ?? [];
    const why = reasons.length > 0 ? ` (${reasons.join(", ")})` : "";
    const flap = reasons.includes("flapping") && !before.includes("flapping") ? " — flapping: quiet until it settles" : "";
    const settled = before.includes("flapping") && !reasons.includes("flapping") ? " — settled" : "";
    return `${STATUS_MARK[to]} ${subject(body.data)} ${from ? `${from} → ` : ""}*${to}*${why}${flap}${settled}`;
  }
  if (body.type === "MARKER_SET") return `:warning: ${subject(body.data)} failure marker: ${escape(body.data.detail)}`;
  return `${subject(body.data)} ${body.type.toLowerCase().replace(/_/g, " ")}`;
}

/** Slack's incoming-webhook JSON: one readable text; a storm group names every workspace in it (no "and N more"). */
export function slackMessage(body: NotificationBody): string {
  switch (body.type) {
    case "NOTIFICATION_TEST":
      return JSON.stringify({ text: `:bell: Rollcall test notification for ${escape(body.data.endpoint_name)}: ${escape(body.data.message)}` });
    case "WORKSPACES_CHANGED": {
      const head = `:rotating_light: *${body.data.count} workspaces changed* between ${body.data.window_start} and ${body.data.window_end}`;
      return JSON.stringify({ text: [head, ...body.data.changes.map((change) => `• ${line(change)}`)].join("\n") });
    }
    default:
      return JSON.stringify({ text: line(body) });
  }
}
