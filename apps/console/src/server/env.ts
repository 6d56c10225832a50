import { z } from "zod";

/** Every setting the console reads, validated once; nothing else touches process.env. */
const ConsoleEnv = z.object({
  /**
   * The registry's database, as the server uses it: `file:/abs/path.db` (SQLite) or `postgres://…`. Unset means
   * @rollcall/db's default. A relative `file:` path resolves against the console's working directory, so the run
   * script passes an absolute one.
   */
  DATABASE_URL: z
    .string()
    .trim()
    .transform((url) => url || undefined)
    .pipe(z.string().regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgres://").optional())
    .optional(),
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
