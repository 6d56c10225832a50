import type { RegistryPolicy } from "./status/policy.ts";
import type { RegistryStore } from "./store.ts";
import type { ResolveHost, UrlPolicy } from "./url/validate-agent-url.ts";

/** Everything the domain needs from the outside world, passed in so tests control it. */
export type RegistryDeps = {
  store: RegistryStore;
  /** Epoch milliseconds. One clock stamps and compares every time (W15). */
  clock: () => number;
  resolveHost: ResolveHost;
  newId: () => string;
  policy: RegistryPolicy;
  urlPolicy: UrlPolicy;
  /** ROLLCALL_OPEN_REGISTRATION: the first register of an unknown id creates it. Off by default. */
  openRegistration: boolean;
};
