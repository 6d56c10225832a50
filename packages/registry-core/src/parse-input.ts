import type { z } from "zod";
import { isErrorReason, RegistryError, type ErrorReason } from "./errors.ts";
import { checkJsonLimits } from "./limits/input-limits.ts";

export type InputIssue = { path: string; message: string };

/** The reason of a refused input: a limit's own reason where a schema names one, else `invalid_body`. */
function reasonOfIssues(issues: readonly z.core.$ZodIssue[]): ErrorReason {
  const first = issues[0];
  if (first?.code === "custom" && isErrorReason(first.params?.reason)) return first.params.reason;
  if (first?.code === "too_big" && first.origin === "string") return "string_too_long";
  return "invalid_body";
}

/** A schema's refusal as every caller is told it: the first bad field in the message, every one in `issues`. */
export function zodRefusal(error: z.ZodError): { reason: ErrorReason; message: string; issues: InputIssue[] } {
  const issues = error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  const first = issues[0];
  const message = first ? `invalid request body: ${first.path || "body"}: ${first.message}` : "invalid request body";
  return { reason: reasonOfIssues(error.issues), message, issues };
}

/**
 * The limits every input meets before its schema runs (input-limits.ts): the refusal names its own reason and where
 * the input broke it.
 */
export function enforceInputLimits(raw: unknown): void {
  const violation = checkJsonLimits(raw);
  if (violation) {
    const where = violation.path || "body";
    throw new RegistryError(violation.reason, `invalid request body: ${where}: ${violation.message}`, {
      issues: [{ path: violation.path, message: violation.message }],
    });
  }
}

/** Validates untrusted input at the edge; the 400 names the first bad field and lists them all. */
export function parseInput<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const { reason, message, issues } = zodRefusal(result.error);
  throw new RegistryError(reason, message, { issues });
}
