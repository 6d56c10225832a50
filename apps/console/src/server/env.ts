import { PolicyEnv, UrlPolicyEnv } from "@rollcall/registry-core";
import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

/**
 * Every setting the console reads, validated once; nothing else touches process.env. The policy settings are the
 * server's (same names, same defaults), so an operator's clear is decided with the server's thresholds.
 */
const ConsoleEnv = PolicyEnv.extend(UrlPolicyEnv.shape)
  .extend({
    /**
     * The registry's database, as the server uses it: `file:/abs/path.db` (SQLite) or `postgres://…`. Unset means
     * @rollcall/db's default. A relative `file:` path resolves against the console's working directory, so the run
     * script passes an absolute one.
     */
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgres://")
        .optional(),
    ),
    /** How often a live stream looks for new events (the server's setting of the same name). */
    ROLLCALL_EVENT_POLL_MS: z.coerce.number().int().positive().default(500),
    /** First run: this operator is created (role operator) when there are no accounts yet. Both or neither. */
    ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME: optionalText,
    ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD: optionalText,
  })
  .refine((env) => (env.ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME === undefined) === (env.ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD === undefined), {
    message: "set both ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME and ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD, or neither",
    path: ["ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD"],
  });
export type ConsoleEnv = z.infer<typeof ConsoleEnv>;

export function readEnv(source: Readonly<Record<string, string | undefined>> = process.env): ConsoleEnv {
  const result = ConsoleEnv.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`invalid configuration: ${problems}`);
  }
  return result.data;
}
