import { z } from "zod";

const flag = z
  .enum(["0", "1", "true", "false"], { error: "must be 0 or 1" })
  .default("0")
  .transform((value) => value === "1" || value === "true");
const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);

/** Every setting the server reads, validated at start-up; nothing else touches process.env. */
const Env = z.object({
  DATABASE_URL: z.string().default("file:./data/rollcall.db"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Guards the operator REST API; unset means the operator API is switched off. */
  ROLLCALL_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  ROLLCALL_ALLOW_PRIVATE_URLS: flag,
  /** Development only: loopback URLs (localhost, 127/8, ::1) become acceptable. */
  ROLLCALL_DEV_MODE: flag,
  ROLLCALL_OPEN_REGISTRATION: flag,
  ROLLCALL_OFFLINE_AFTER_SECONDS: seconds(90),
  ROLLCALL_PROVISION_TIMEOUT_SECONDS: seconds(600),
  ROLLCALL_MARKER_WINDOW_SECONDS: seconds(300),
  ROLLCALL_RESTART_CONTEXT_TTL_SECONDS: seconds(1800),
  ROLLCALL_SAMPLE_RETENTION_HOURS: seconds(24),
  ROLLCALL_SWEEP_INTERVAL_SECONDS: seconds(5),
  ROLLCALL_DNS_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  ROLLCALL_EVENT_POLL_MS: z.coerce.number().int().positive().default(500),
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
