import "server-only";
import { isCredentialFailure, RegistryError, type OperatorRole } from "@rollcall/registry-core";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { consoleRegistry } from "./registry.ts";

export const SESSION_COOKIE = "rollcall_session";

export type SignedInOperator = { name: string; role: OperatorRole };

/** The operator of this request's session cookie, through the one operator gate, or null when there is none. */
export async function currentOperator(): Promise<SignedInOperator | null> {
  const sessionCookie = (await cookies()).get(SESSION_COOKIE)?.value;
  try {
    return await (await consoleRegistry()).gate({ sessionCookie });
  } catch (error) {
    if (error instanceof RegistryError && isCredentialFailure(error.reason)) return null;
    throw error;
  }
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
