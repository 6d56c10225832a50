import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentOperator } from "~/server/session.ts";
import { SignInForm } from "./sign-in-form.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  if (await currentOperator()) redirect("/");
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Rollcall</h1>
      <SignInForm />
      <p className="muted">
        No account yet? The first operator is created from <code>ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME</code> and{" "}
        <code>ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD</code> on first start, and more with <code>npm run operator:add -- --name &lt;name&gt;</code> at the
        repository root (see the README).
      </p>
    </section>
  );
}
