import "server-only";
import { sessionOperator, type OperatorRole } from "@rollcall/registry-core";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { consoleRegistry } from "./registry.ts";

export const SESSION_COOKIE = "rollcall_session";

export type SignedInOperator = { name: string; role: OperatorRole };

/** The operator of this request's session cookie, or null. */
export async function currentOperator(): Promise<SignedInOperator | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return sessionOperator((await consoleRegistry()).accounts, token);
}

/** Pages behind sign-in call this first; without a valid session the browser goes to the sign-in page. */
export async function requireOperator(): Promise<SignedInOperator> {
  const operator = await currentOperator();
  if (!operator) redirect("/sign-in");
  return operator;
}

/** Secure cookies whenever the console is reached over HTTPS (directly or behind a TLS-terminating proxy). */
export async function cookieIsSecure(): Promise<boolean> {
  const incoming = await headers();
  return incoming.get("x-forwarded-proto") === "https" || (incoming.get("origin") ?? "").startsWith("https:");
}
