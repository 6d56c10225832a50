import type { Sleep } from "../timing.ts";

/** One call the SDK made, as the registry saw it. */
export type RecordedCall = { procedure: string; input: Record<string, unknown>; authorization: string | null; url: string };

export type Reply = { status: number; body: unknown } | { status: number; text: string } | { networkError: true };

const TRPC_CODES: Record<number, [number, string]> = {
  400: [-32600, "BAD_REQUEST"],
  401: [-32001, "UNAUTHORIZED"],
  404: [-32004, "NOT_FOUND"],
  429: [-32029, "TOO_MANY_REQUESTS"],
  500: [-32603, "INTERNAL_SERVER_ERROR"],
  503: [-32603, "SERVICE_UNAVAILABLE"],
};

export const ok = (data: unknown): Reply => ({ status: 200, body: { result: { data } } });

/** A tRPC error envelope shaped like the server's error formatter output (`data.reason`). */
export function failure(status: number, reason: string, message = reason): Reply {
  const [code, name] = TRPC_CODES[status] ?? [-32603, "INTERNAL_SERVER_ERROR"];
  return { status, body: { error: { message, code, data: { code: name, httpStatus: status, reason } } } };
}

export const beatOk = (extra: Record<string, unknown> = {}) => ok({ status: "ok", workspace_status: "online", ...extra });
export const registered = (extra: Record<string, unknown> = {}) => ok({ status: "registered", delivery_mode: "push", workspace_status: "online", ...extra });

/**
 * A fetch that answers tRPC calls like the registry would, from a handler the test writes. It records every
 * call, so tests assert on what went over the wire.
 */
export function fakeRegistry(handler: (call: RecordedCall, calls: RecordedCall[]) => Reply | Promise<Reply>) {
  const calls: RecordedCall[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = new Headers(init?.headers);
    const call: RecordedCall = {
      procedure: new URL(url).pathname.replace(/^\/trpc\//, ""),
      input: JSON.parse(typeof init?.body === "string" ? init.body : "{}") as Record<string, unknown>,
      authorization: headers.get("authorization"),
      url,
    };
    calls.push(call);
    const reply = await handler(call, calls);
    if ("networkError" in reply) throw new TypeError("fetch failed");
    if ("text" in reply) return new Response(reply.text, { status: reply.status, headers: { "content-type": "text/html" } });
    return Response.json(reply.body, { status: reply.status });
  };
  return { fetch, calls, of: (procedure: string) => calls.filter((call) => call.procedure === procedure) };
}

/**
 * A sleep the test releases step by step: it records each requested delay and parks until `step()`, so a loop
 * runs exactly as far as the test says, with no real timers.
 */
export function steppedSleep() {
  let release: (() => void) | null = null;
  let onParked: (() => void) | null = null;
  const delays: number[] = [];
  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      delays.push(ms);
      const wake = () => {
        release = null;
        resolve();
      };
      if (signal?.aborted) return resolve();
      release = wake;
      signal?.addEventListener("abort", wake, { once: true });
      onParked?.();
      onParked = null;
    });
  return {
    sleep,
    delays,
    /** Resolves once the loop is waiting. */
    parked: () => new Promise<void>((resolve) => (release ? resolve() : (onParked = resolve))),
    /** Lets the loop take its next step and waits until it waits again. */
    async step() {
      const parkedAgain = new Promise<void>((resolve) => (onParked = resolve));
      this.wake();
      await parkedAgain;
    },
    /** Lets the loop go on without waiting for it (for a step after which it ends). */
    wake() {
      if (!release) throw new Error("the loop is not waiting");
      release();
    },
  };
}
