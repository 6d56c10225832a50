import { isCredentialFailure, RegistryError, type RuntimeCall } from "@rollcall/registry-core";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import type { FailureLimiter } from "./rate-limit.ts";

function workspaceIdOf(raw: unknown): string {
  if (typeof raw !== "object" || raw === null) return "";
  const { workspace_id: workspaceId, id } = raw as { workspace_id?: unknown; id?: unknown };
  const value = workspaceId ?? id;
  return typeof value === "string" ? value.slice(0, 64) : "";
}

/**
 * The runtime side of the edge's one credential limiter, for both runtime transports. A runtime's token is checked
 * inside the call (it names its workspace in the body), so bad tokens are counted from the outcome, per (address,
 * workspace): runtimes sharing a NAT address are not punished for a neighbour's stale token. Outcomes feed /metrics
 * and the register diagnostics log line.
 */
export function createRuntimeGuard(limiter: FailureLimiter, metrics: Metrics, logger: Logger) {
  const key = (address: string, raw: unknown) => `runtime|${address}|${workspaceIdOf(raw)}`;
  return {
    admit(address: string, raw: unknown) {
      if (limiter.isBlocked(key(address, raw))) throw new RegistryError("rate_limited", "too many failed authentication attempts; retry later");
    },
    settle(address: string, call: RuntimeCall, raw: unknown, outcome: string) {
      if (isCredentialFailure(outcome)) limiter.recordFailure(key(address, raw));
      metrics.runtimeCalls.inc({ call, outcome });
      if (call === "register" && outcome !== "ok") {
        const url = (raw as { url?: unknown } | undefined)?.url;
        // The diagnostic line of reference §3.1 (#2680): which workspace and why, never the raw URL.
        logger.warn("registry_register_rejected", {
          workspace: workspaceIdOf(raw) || null,
          reason: outcome,
          payload_url: typeof url === "string" && url !== "" ? "present" : "absent",
        });
      }
    },
  };
}
