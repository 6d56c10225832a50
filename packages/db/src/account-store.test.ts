import {
  createOperator,
  ensureFirstOperator,
  NewOperatorInput,
  RegistryError,
  SESSION_TTL_MS,
  sessionOperator,
  signIn,
  signOut,
  type AccountDeps,
} from "@rollcall/registry-core";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createAccountStore } from "./account-store.ts";
import { openDatabase, type Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { createPrismaStore } from "./prisma-store.ts";
import { testDatabases, type TestDatabase } from "./testing.ts";

const PASSWORD = "a long enough password";

const refused = (reason: string) => (error: unknown) => error instanceof RegistryError && error.reason === reason;

for (const factory of testDatabases()) {
  describe(`operator accounts on ${factory.provider}`, () => {
    let db: TestDatabase;
    let database: Database;
    let now = 1_000_000;
    let deps: AccountDeps;
    const events = () => createPrismaStore(database, { sampleSlotMs: 15_000 }).listEvents({ limit: 100 });

    before(async () => {
      db = await factory.create();
      await migrate(db.url);
      database = await openDatabase(db.url);
      deps = { accounts: createAccountStore(database), clock: () => now, newId: randomUUID };
    });
    after(async () => {
      await database.close();
      await db.drop();
    });

    it("first run creates the first operator once, with the operator role, and records it", async () => {
      assert.equal(await ensureFirstOperator(deps, { name: "alice", password: PASSWORD }), true);
      assert.equal(await ensureFirstOperator(deps, { name: "alice", password: PASSWORD }), false);
      assert.equal(await ensureFirstOperator(deps, { name: "mallory", password: PASSWORD }), false, "only on an empty account table");
      assert.equal((await deps.accounts.findOperatorByName("alice"))?.role, "operator");
      assert.equal(await deps.accounts.findOperatorByName("mallory"), null);
      const created = (await events()).filter((e) => e.type === "OPERATOR_CREATED");
      assert.deepEqual(
        created.map((e) => [e.actor, e.payload]),
        [["system:first-run", { name: "alice", role: "operator" }]],
      );
    });

    it("the password is stored only as a scrypt hash", async () => {
      const stored = await deps.accounts.findOperatorByName("alice");
      assert.match(stored?.passwordHash ?? "", /^scrypt\$/);
      assert.ok(!stored?.passwordHash.includes(PASSWORD));
    });

    it("a taken name is a conflict and changes nothing", async () => {
      await assert.rejects(createOperator(deps, { name: "alice", role: "viewer", password: PASSWORD }, "cli"), refused("conflict"));
      assert.equal((await deps.accounts.findOperatorByName("alice"))?.role, "operator");
    });

    it("sign-in issues a session that names the operator and role, until it expires or is signed out", async () => {
      await createOperator(deps, { name: "vera", role: "viewer", password: PASSWORD }, "cli");
      const session = await signIn(deps, { name: "vera", password: PASSWORD });
      assert.deepEqual(session.operator, { name: "vera", role: "viewer" });
      assert.equal(session.expiresAt, now + SESSION_TTL_MS);
      assert.deepEqual(await sessionOperator(deps, session.token), { name: "vera", role: "viewer" });
      assert.equal(await sessionOperator(deps, session.token + "x"), null);
      assert.equal(await sessionOperator(deps, undefined), null);

      now += SESSION_TTL_MS;
      assert.equal(await sessionOperator(deps, session.token), null, "expired");
      now -= SESSION_TTL_MS;

      await signOut(deps, session.token);
      assert.equal(await sessionOperator(deps, session.token), null, "signed out");
      const types = (await events()).filter((e) => e.actor === "operator:vera").map((e) => e.type);
      assert.deepEqual(types, ["OPERATOR_SIGNED_OUT", "OPERATOR_SIGNED_IN"]);
    });

    it("a wrong password and an unknown name get the same error", async () => {
      await assert.rejects(signIn(deps, { name: "vera", password: "wrong password!" }), refused("invalid_credentials"));
      await assert.rejects(signIn(deps, { name: "nobody", password: PASSWORD }), refused("invalid_credentials"));
    });

    it("five failures in a row lock the account, even against the right password, until the lock ends", async () => {
      await createOperator(deps, { name: "bob", role: "operator", password: PASSWORD }, "cli");
      for (let i = 0; i < 5; i++) await assert.rejects(signIn(deps, { name: "bob", password: `guess number ${i}` }), refused("invalid_credentials"));
      await assert.rejects(signIn(deps, { name: "bob", password: PASSWORD }), (error: unknown) => {
        assert.ok(error instanceof RegistryError && error.reason === "rate_limited");
        assert.deepEqual(error.details, { retry_after_seconds: 30 });
        return true;
      });
      assert.ok((await events()).some((e) => e.type === "OPERATOR_LOCKED_OUT" && e.payload.name === "bob"));

      now += 30_000;
      const session = await signIn(deps, { name: "bob", password: PASSWORD });
      assert.equal(session.operator.name, "bob");
      assert.equal((await deps.accounts.findOperatorByName("bob"))?.failedSignIns, 0, "a success resets the count");
    });

    it("names and passwords are validated before anything is stored", async () => {
      assert.equal(NewOperatorInput.safeParse({ name: "ok-name", role: "viewer", password: "short" }).success, false);
      assert.equal(NewOperatorInput.safeParse({ name: "bad name!", role: "viewer", password: PASSWORD }).success, false);
      assert.equal(NewOperatorInput.safeParse({ name: "ok-name", role: "admin", password: PASSWORD }).success, false);
      assert.equal(NewOperatorInput.safeParse({ name: "ok-name", role: "viewer", password: PASSWORD }).success, true);
    });
  });
}
