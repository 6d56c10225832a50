import { createPrismaStore, withGroupCommit, type Database } from "@rollcall/db";
import { DEFAULT_POLICY, parseInput, provisionWorkspace, register, RegisterInput, type RegistryDeps } from "@rollcall/registry-core";
import { randomUUID } from "node:crypto";
import { CARD, type Fleet } from "../lib.ts";

const REGISTERS_IN_FLIGHT = 64;

function seedDeps(database: Database): RegistryDeps {
  const store = createPrismaStore(database, { sampleSlotMs: DEFAULT_POLICY.sampleSlotMs });
  return {
    // Group commit as the server uses it, so registering many workspaces at once shares transactions.
    store: withGroupCommit(store, { maxBatch: 256, maxInFlight: 1, flushAt: 256 }),
    clock: Date.now,
    // The card's URL is an IP literal: nothing to resolve.
    resolveHost: async () => [],
    newId: randomUUID,
    policy: DEFAULT_POLICY,
    urlPolicy: { allowPrivate: false, allowLoopback: false, dnsTimeoutMs: 2000 },
    openRegistration: false,
  };
}

/**
 * Provisions `size` workspaces straight into the database, through the same domain call the operator API uses
 * (provisionWorkspace: a real random token whose sha256 is stored, the provisioning events), without the HTTP round
 * trip that would make 100,000 of them take minutes. The runtimes then authenticate with these tokens over HTTP.
 */
export async function provisionFleet(database: Database, size: number): Promise<Fleet> {
  const deps = seedDeps(database);
  const fleet: Fleet = [];
  for (let i = 0; i < size; i++) fleet.push(await provisionWorkspace(deps, { name: `fleet-${i}` }, "bench"));
  return fleet;
}

/**
 * Registers every workspace of the fleet with its own token through registry-core's register (the call behind
 * POST /registry/register: token check, URL validation, provisioning → online, its events), in this process and
 * before the server starts. Each is then online with its card, as a fleet that registered earlier is; over HTTP
 * 100,000 first calls would take the one server process about 90 s, longer than the offline threshold allows the
 * first of them to wait for its next beat (see --cold-start in fleet-scale.ts for that case).
 */
export async function registerFleet(database: Database, fleet: Fleet): Promise<void> {
  const deps = seedDeps(database);
  let next = 0;
  const worker = async () => {
    while (next < fleet.length) {
      const ws = fleet[next++]!;
      await register(deps, parseInput(RegisterInput, { id: ws.id, url: CARD.url, agent_card: CARD }), `Bearer ${ws.token}`);
    }
  };
  await Promise.all(Array.from({ length: REGISTERS_IN_FLIGHT }, worker));
}
