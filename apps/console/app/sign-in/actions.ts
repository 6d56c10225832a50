"use server";

import { RegistryError, signIn, SignInInput, signOut } from "@rollcall/registry-core";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { consoleRegistry } from "~/server/registry.ts";
import { cookieIsSecure, SESSION_COOKIE } from "~/server/session.ts";

export type SignInState = { error: string | null; name: string };

/** Server actions carry Next's same-origin check, and the cookie is SameSite=Strict: no cross-site sign-in or out. */
export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const field = form.get("name");
  const name = typeof field === "string" ? field : "";
  const parsed = SignInInput.safeParse({ name, password: form.get("password") ?? "" });
  if (!parsed.success) return { error: "Enter your name and password.", name };
  try {
    const session = await signIn((await consoleRegistry()).accounts, parsed.data);
    (await cookies()).set(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: "strict",
      secure: await cookieIsSecure(),
      path: "/",
      expires: new Date(session.expiresAt),
    });
  } catch (error) {
    if (error instanceof RegistryError && error.reason === "invalid_credentials") return { error: "Wrong name or password.", name };
    if (error instanceof RegistryError && error.reason === "rate_limited") {
      const { retry_after_seconds: seconds } = error.details as { retry_after_seconds: number };
      return { error: `Too many failed sign-ins for this account. Try again in ${seconds} s.`, name };
    }
    throw error;
  }
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await signOut((await consoleRegistry()).accounts, token);
  jar.delete(SESSION_COOKIE);
  redirect("/sign-in");
}
