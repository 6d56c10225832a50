import type { TRPCClientErrorLike } from "@trpc/client";
import type { ConsoleRouter } from "@rollcall/registry-core/trpc";

export type ConsoleError = TRPCClientErrorLike<ConsoleRouter>;

/** What an operator can do about the refusals the registry explains with a reason code (errors.ts, trpc/init.ts). */
const NEXT_STEP: Record<string, string> = {
  forbidden: "Only operators may do this; this account is a viewer.",
  missing_token: "The session has ended: sign in again.",
  invalid_token: "The session has ended: sign in again.",
  marker_not_active: "The marker stopped counting meanwhile (someone cleared it, or it expired); the list shows it as it is now.",
  unknown_marker: "The marker no longer exists; the list shows the markers as they are now.",
  workspace_removed: "The workspace was removed meanwhile.",
  unknown_workspace: "The workspace no longer exists.",
  conflict: "The workspace changed at the same moment; try again.",
  invalid_body: "The registry did not accept the input.",
  maintenance_until_past: "Pick an end in the future.",
  maintenance_too_long: "Pick an earlier end: the registry limits how long a maintenance may last (ROLLCALL_MAINTENANCE_MAX_DAYS).",
};

/** A request without a reply carries no data: the console's server could not be reached. */
const UNREACHABLE = "The console did not answer; check the connection and try again.";

/** The reason code of a refusal, or undefined when the request got no reply from the registry. */
export function errorReason(error: ConsoleError): string | undefined {
  return error.data?.reason;
}

/**
 * The registry's own words for a failed request, with the reason code and what to do next. `nextSteps` replaces the
 * advice for reasons that mean something else where it is shown (a conflict on a delivery is not about a workspace).
 */
export function ActionError({ title, error, nextSteps = {} }: { title: string; error: ConsoleError; nextSteps?: Record<string, string> }) {
  const reason = errorReason(error);
  const nextStep = reason === undefined ? UNREACHABLE : (nextSteps[reason] ?? NEXT_STEP[reason]);
  return (
    <div className="action-error" role="alert">
      <p>
        <strong>{title}</strong> {error.message}
        {reason ? (
          <>
            {" "}
            <code className="action-error-reason">{reason}</code>
          </>
        ) : null}
      </p>
      {nextStep ? <p>{nextStep}</p> : null}
    </div>
  );
}
