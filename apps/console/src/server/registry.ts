import "server-only";
import { createAccountStore, createPrismaStore, DEFAULT_DATABASE_URL, openDatabase, providerOf } from "@rollcall/db";
import {
  createOperatorGate,
  ensureFirstOperator,
  policyFromEnv,
  systemResolver,
  urlPolicyFromEnv,
  type AccountDeps,
  type OperatorGate,
  type RegistryDeps,
} from "@rollcall/registry-core";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { readEnv } from "./env.ts";

/**
 * The console's side of the registry: the same database as the server, and registry-core for every read and every
 * action, so the console holds no rule of its own. It never migrates (the registry server owns the schema).
 */
export type ConsoleRegistry = { deps: RegistryDeps; accounts: AccountDeps; gate: OperatorGate; eventPollMs: number };

async function openRegistry(): Promise<ConsoleRegistry> {
  const env = readEnv();
  const url = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  if (providerOf(url) === "sqlite") {
    // openDatabase would create an empty file; a console pointed at the wrong path should say so instead.
    const file = resolve(url.slice("file:".length));
    if (!existsSync(file)) {
      throw new Error(
        `no registry database at ${file}. Start the registry server first (it creates and migrates the database), ` +
          "and start the console with DATABASE_URL set to the same absolute file: URL.",
      );
    }
  }
  const database = await openDatabase(url);
  const policy = policyFromEnv(env);
  const deps: RegistryDeps = {
    store: createPrismaStore(database, { sampleSlotMs: policy.sampleSlotMs }),
    clock: Date.now,
    policy,
    // A notification endpoint's URL is judged here as the server judges it: same validator, same settings.
    resolveHost: systemResolver,
    newId: randomUUID,
    urlPolicy: urlPolicyFromEnv(env),
    openRegistration: false,
  };
  const accounts: AccountDeps = { accounts: createAccountStore(database), clock: Date.now, newId: randomUUID };
  if (env.ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME && env.ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD) {
    await ensureFirstOperator(accounts, { name: env.ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME, password: env.ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD });
  }
  // The console accepts sessions only: the admin token is the server API's credential.
  return { deps, accounts, gate: createOperatorGate({ adminToken: undefined, accounts }), eventPollMs: env.ROLLCALL_EVENT_POLL_MS };
}

// Kept on globalThis so Next's dev-mode module reloads reuse the one database instead of opening another per edit.
const holder = globalThis as typeof globalThis & { __rollcallConsoleRegistry?: Promise<ConsoleRegistry> };

export function consoleRegistry(): Promise<ConsoleRegistry> {
  if (!holder.__rollcallConsoleRegistry) {
    const opening = openRegistry();
    holder.__rollcallConsoleRegistry = opening;
    // A failed open (database not there yet) is retried on the next request rather than remembered forever.
    opening.catch(() => {
      if (holder.__rollcallConsoleRegistry === opening) holder.__rollcallConsoleRegistry = undefined;
    });
  }
  return holder.__rollcallConsoleRegistry;
}
