import { lookup } from "node:dns/promises";
import { z } from "zod";
import type { ResolveHost, UrlPolicy } from "./validate-agent-url.ts";

const flag = z
  .enum(["0", "1", "true", "false"], { error: "must be 0 or 1" })
  .default("0")
  .transform((value) => value === "1" || value === "true");

/**
 * The URL validator's settings as environment variables, read by the server (runtimes' URLs, notification
 * deliveries) and the console (notification endpoints) alike, so both judge a URL the same way.
 */
export const UrlPolicyEnv = z.object({
  ROLLCALL_ALLOW_PRIVATE_URLS: flag,
  /** Development only: loopback URLs (localhost, 127/8, ::1) become acceptable. */
  ROLLCALL_DEV_MODE: flag,
  ROLLCALL_DNS_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
});
export type UrlPolicyEnv = z.infer<typeof UrlPolicyEnv>;

export function urlPolicyFromEnv(env: UrlPolicyEnv): UrlPolicy {
  return { allowPrivate: env.ROLLCALL_ALLOW_PRIVATE_URLS, allowLoopback: env.ROLLCALL_DEV_MODE, dnsTimeoutMs: env.ROLLCALL_DNS_TIMEOUT_MS };
}

/** The operating system's resolver, every address of a name: what the apps pass as `resolveHost`. */
export const systemResolver: ResolveHost = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
