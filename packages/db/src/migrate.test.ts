import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { applyCodeMigration, migrate, unreadyReason } from "./migrate.ts";
import { testDatabases, type TestDatabase } from "./testing.ts";

for (const factory of testDatabases()) {
  describe(`code migrations on ${factory.provider}`, () => {
    const databases: TestDatabase[] = [];
    after(async () => {
      for (const db of databases) await db.drop();
    });
    const fresh = async () => {
      const db = await factory.create();
      databases.push(db);
      await migrate(db.url);
      return db;
    };

    it("runs a code migration once and records it beside the SQL migrations", async () => {
      const db = await fresh();
      let runs = 0;
      assert.equal(await applyCodeMigration(db.url, "20990101000000_test", async () => void runs++), true);
      assert.equal(await applyCodeMigration(db.url, "20990101000000_test", async () => void runs++), false);
      assert.equal(runs, 1);
      assert.deepEqual(await migrate(db.url), [], "a recorded code migration is no pending SQL migration");
    });

    it("does not record a code migration whose run failed, so the next start tries again", async () => {
      const db = await fresh();
      await assert.rejects(
        applyCodeMigration(db.url, "20990101000000_failing", async () => Promise.reject(new Error("boom"))),
        /boom/,
      );
      let ran = false;
      assert.equal(await applyCodeMigration(db.url, "20990101000000_failing", async () => void (ran = true)), true);
      assert.ok(ran);
    });

    if (factory.provider === "postgresql") {
      it("runs in one process at a time: the others wait, then find it recorded", async () => {
        const db = await fresh();
        let running = 0;
        let runs = 0;
        const run = async () => {
          running++;
          runs++;
          assert.equal(running, 1, "never two at once");
          await sleep(100);
          running--;
        };
        const applied = await Promise.all([1, 2, 3].map(() => applyCodeMigration(db.url, "20990101000000_concurrent", run)));
        assert.equal(runs, 1);
        assert.deepEqual(applied.sort(), [false, false, true]);
      });
    }
  });
}

for (const factory of testDatabases()) {
  describe(`whether a database is ready for the operator tools, on ${factory.provider}`, () => {
    const databases: TestDatabase[] = [];
    after(async () => {
      for (const db of databases) await db.drop();
    });

    it("refuses a database never migrated, and an absent SQLite file stays absent", async () => {
      const db = await factory.create();
      databases.push(db);
      const reason = (await unreadyReason(db.url)) ?? "";
      assert.match(reason, /no Rollcall database at .*start the server against it once/);
      if (factory.provider === "postgresql") {
        const { username, password } = new URL(db.url);
        assert.ok(!reason.includes(`${username}:${password}@`), reason);
        const inQuery = new URL(db.url);
        inQuery.searchParams.set("password", password);
        assert.doesNotMatch((await unreadyReason(inQuery.href)) ?? "", /password=/, "nor a password passed as a parameter");
      }
      if (factory.provider === "sqlite") {
        const absent = join(dirname(db.url.slice("file:".length)), "never-created", "rollcall.db");
        assert.match((await unreadyReason(`file:${absent}`)) ?? "", /no Rollcall database/);
        assert.equal(existsSync(absent), false);
        assert.equal(existsSync(dirname(absent)), false);
      }
    });

    it("accepts a migrated database", async () => {
      const db = await factory.create();
      databases.push(db);
      await migrate(db.url);
      assert.equal(await unreadyReason(db.url), null);
    });
  });
}
