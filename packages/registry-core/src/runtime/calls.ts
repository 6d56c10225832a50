import type { z } from "zod";
import type { RegistryDeps } from "../deps.ts";
import { enforceInputLimits, parseInput } from "../parse-input.ts";
import { recordHeartbeat } from "./heartbeat.ts";
import { HeartbeatInput, RegisterInput, UpdateCardInput } from "./inputs.ts";
import { register } from "./register.ts";
import { updateCard } from "./update-card.ts";

function runtimeCall<S extends z.ZodType, R>(
  procedure: string,
  input: S,
  run: (deps: RegistryDeps, input: z.output<S>, authorization: string | undefined) => Promise<R>,
) {
  return {
    /** The tRPC procedure path that serves this call. */
    procedure,
    input,
    run,
    /** Checks the raw body against the input limits and the schema, then runs the call: the one way every transport
     * serves it (the tRPC procedures built from this table do the same in their middleware and input parser). */
    serve: (deps: RegistryDeps, raw: unknown, authorization: string | undefined): Promise<R> => {
      enforceInputLimits(raw);
      return run(deps, parseInput(input, raw), authorization);
    },
  };
}

/**
 * The calls runtimes make, once: each names its input schema and the registry function that serves it. The tRPC
 * router's runtime procedures and the server's lean HTTP path (plain JSON and tRPC's wire format) are both built
 * from this table, so every transport runs the same code.
 */
export const RUNTIME_CALLS = {
  register: runtimeCall("runtime.register", RegisterInput, register),
  heartbeat: runtimeCall("runtime.heartbeat", HeartbeatInput, recordHeartbeat),
  update_card: runtimeCall("runtime.updateCard", UpdateCardInput, updateCard),
};

export type RuntimeCall = keyof typeof RUNTIME_CALLS;
