/**
 * Every setting the console reads, validated once; nothing else touches process.env.
 *
 * Hand-written rather than a zod schema only because zod is not (yet) a dependency of @rollcall/console; the shape
 * mirrors apps/server/src/env.ts, so moving to zod is mechanical once it is added.
 */
export type ConsoleEnv = {
  /**
   * The registry's database, as the server uses it: `file:/abs/path.db` (SQLite) or `postgres://…`.
   * Unset means @rollcall/db's default. The console is not started from the server's directory, so a relative
   * `file:` path is resolved against the console's own working directory; the run script passes an absolute one.
   */
  DATABASE_URL: string | undefined;
};

export function readEnv(source: Readonly<Record<string, string | undefined>> = process.env): ConsoleEnv {
  const problems: string[] = [];
  const url = source.DATABASE_URL?.trim() || undefined;
  if (url !== undefined && !/^(file:|postgres(ql)?:\/\/)/.test(url)) {
    problems.push(`DATABASE_URL: must start with file: or postgres:// (got ${url.split(":")[0]}:…)`);
  }
  if (problems.length > 0) throw new Error(`invalid configuration: ${problems.join("; ")}`);
  return { DATABASE_URL: url };
}
