"use client";

import { useActionState } from "react";
import { signInAction, type SignInState } from "./actions.ts";

export function SignInForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, { error: null, name: "" });
  return (
    <form action={action} className="sign-in-form">
      {state.error ? (
        <p role="alert" className="form-error">
          {state.error}
        </p>
      ) : null}
      <label htmlFor="name">Name</label>
      <input id="name" name="name" autoComplete="username" required defaultValue={state.name} autoFocus />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      <button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
