import { DEFAULT_DATABASE_URL } from "@rollcall/db";
import { PolicyEnv, UrlPolicyEnv } from "@rollcall/registry-core";
import { z } from "zod";

const flag = z
  .enum(["0", "1", "true", "false"], { error: "must be 0 or 1" })
  .default("0")
  .transform((value) => value === "1" || value === "true");

/** Every setting the server reads, validated at start-up; nothing else touches process.env. */
const Env = PolicyEnv.extend(UrlPolicyEnv.shape).extend({
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Guards the operator REST API; unset means the operator API is switched off. */
  ROLLCALL_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  ROLLCALL_OPEN_REGISTRATION: flag,
  // 5 s: a silent workspace is marked offline at most 5 s after its 90 s are up.
  ROLLCALL_SWEEP_INTERVAL_SECONDS: z.coerce.number().positive().default(5),
  ROLLCALL_EVENT_POLL_MS: z.coerce.number().int().positive().default(500),
  /** full: every answered heartbeat survives a power cut; normal: survives a process crash, no fsync per commit. */
  ROLLCALL_SQLITE_SYNCHRONOUS: z.enum(["full", "normal"]).default("full"),
  /** Workspaces whose hot-path state a server process keeps in memory (about 2 KiB each with a typical card). */
  ROLLCALL_CACHE_WORKSPACES: z.coerce.number().int().min(0).default(100_000),
  // 200 ms: a lone change is fanned out and sent well inside the 5 s it must reach its endpoints in.
  ROLLCALL_NOTIFY_POLL_MS: z.coerce.number().int().positive().default(200),
  ROLLCALL_NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  ROLLCALL_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});
export type Env = z.infer<typeof Env>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = Env.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`invalid configuration: ${problems}`);
  }
  return result.data;
}
