/**
 * What the registry's runtime API takes and answers, spelled out for the SDK's users: the package's public types
 * stand on their own, with no workspace package behind them. contract.check.ts proves at type-check time that
 * they are the same as the server's (registry-core's router), so neither can drift from the other.
 */

/** An agent card: any non-empty JSON object. `url`, if set, must pass the registry's URL rules; `name` fills the
 * workspace's name when the card has none. At most 32 KiB as JSON and 100 skills. */
export type AgentCard = Record<string, unknown>;

/** Push: the registry delivers work to the runtime's URL (required). Poll: the runtime asks for work. */
export type DeliveryMode = "push" | "poll";

export type WorkspaceStatus = "provisioning" | "online" | "degraded" | "unknown" | "offline" | "failed" | "removed";

/** Handed over once, by the first response that finds a restarted workspace online: how long it was away. */
export type RestartContext = {
  restart_at: string;
  previous_session_end: string | null;
  gap_seconds: number | null;
  expires_at: string;
};

export type RegisterResult = {
  status: "registered";
  delivery_mode: DeliveryMode;
  workspace_status: WorkspaceStatus;
  restart_context?: RestartContext;
  /** Only when the registry's open registration created the workspace: its token, shown this once. */
  auth_token?: string;
};

export type HeartbeatResult = { status: "ok"; workspace_status: WorkspaceStatus; restart_context?: RestartContext };

export type UpdateCardResult = { status: "updated" };

/** What a runtime says about itself on a heartbeat; every field is optional (the client adds the workspace id). */
export type HeartbeatReport = {
  /** 0 to 1 over the runtime's recent work: ≥ 0.5 degrades the workspace, below 0.1 it recovers. */
  error_rate?: number;
  /** The latest error message, up to 4,096 characters. */
  sample_error?: string;
  active_tasks?: number;
  uptime_seconds?: number;
  /** Up to 1,024 characters. */
  current_task?: string;
  /** "wedged" degrades the workspace whatever its error rate. */
  runtime_state?: "" | "wedged";
  runtime_metadata?: { capabilities?: Record<string, boolean> };
  /** A card that may clear a register-failure marker or fill a missing card; never overwrites one. */
  agent_card?: unknown;
};

/** The machine-readable reasons the registry gives in its error answers (its README lists what each means). */
export type ServerReason =
  | "invalid_body"
  | "json_too_deep"
  | "string_too_long"
  | "nul_character"
  | "invalid_unicode"
  | "agent_card_too_large"
  | "too_many_skills"
  | "invalid_operator_name"
  | "malformed_request"
  | "url_validate_failed"
  | "url_required_for_push"
  | "agent_card_invalid"
  | "maintenance_until_past"
  | "maintenance_too_long"
  | "invalid_secret"
  | "unknown_filter_key"
  | "invalid_credentials"
  | "missing_token"
  | "invalid_token"
  | "forbidden"
  | "not_found"
  | "unknown_workspace"
  | "unknown_marker"
  | "unknown_endpoint"
  | "unknown_delivery"
  | "method_not_allowed"
  | "request_timeout"
  | "marker_not_active"
  | "conflict"
  | "workspace_removed"
  | "body_too_large"
  | "expectation_failed"
  | "rate_limited"
  | "headers_too_large"
  | "internal"
  | "credentials_unavailable";
