/**
 * operator:add as an operator runs it after the demo: from the repository root (INIT_CWD), with a relative
 * DATABASE_URL or none. It writes only to a database the server has set up, and never creates one.
 */
import { migrate } from "@rollcall/db";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { readOperatorCliEnv } from "./env.ts";

const CONSOLE_DIR = fileURLToPath(new URL("../..", import.meta.url));

function addOperator(env: Record<string, string>, name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/add-operator.ts", "--name", name, "--role", "viewer"],
      { cwd: CONSOLE_DIR, env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", ROLLCALL_OPERATOR_PASSWORD: "a long enough password", ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe("operator:add", () => {
  const root = mkdtempSync(join(tmpdir(), "rollcall-operator-add-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("refuses a database that does not exist, with a message, and creates nothing", async () => {
    const result = await addOperator({ INIT_CWD: root, DATABASE_URL: "file:./data/rollcall.db" }, "vera");
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim(),
      `no Rollcall database at file:${join(root, "data/rollcall.db")}: start the server against it once (it creates and migrates it), or set DATABASE_URL`,
    );
    assert.equal(existsSync(join(root, "data")), false);
    assert.equal(existsSync(join(CONSOLE_DIR, "data/rollcall.db")), false, "nothing beside the console either");
  });

  it("adds the account to the database a relative DATABASE_URL names from where the command was run", async () => {
    // As the server's first start leaves it.
    mkdirSync(join(root, "data"));
    await migrate(`file:${join(root, "data/rollcall.db")}`);
    const created = await addOperator({ INIT_CWD: root, DATABASE_URL: "file:./data/rollcall.db" }, "vera");
    assert.deepEqual([created.code, created.stdout.trim()], [0, 'created viewer "vera"']);
    // The default is the demo's database, under the directory the command was run in: the same one.
    const again = await addOperator({ INIT_CWD: root }, "vera");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /vera/);
  });
});

describe("the operator tools' database URL", () => {
  it("takes a relative file: path from INIT_CWD, and leaves absolute paths and PostgreSQL URLs alone", () => {
    assert.equal(readOperatorCliEnv({ INIT_CWD: "/srv/rollcall", DATABASE_URL: "file:./data/r.db" }).databaseUrl, "file:/srv/rollcall/data/r.db");
    assert.equal(readOperatorCliEnv({ INIT_CWD: "/srv/rollcall" }).databaseUrl, "file:/srv/rollcall/data/rollcall.db");
    assert.equal(readOperatorCliEnv({ INIT_CWD: "/srv/rollcall", DATABASE_URL: "file:/var/lib/r.db" }).databaseUrl, "file:/var/lib/r.db");
    assert.equal(readOperatorCliEnv({ DATABASE_URL: "postgres://u:p@db:5432/r" }).databaseUrl, "postgres://u:p@db:5432/r");
  });
});
