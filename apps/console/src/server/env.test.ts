import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readEnv } from "./env.ts";

describe("readEnv", () => {
  it("accepts an absolute SQLite URL and a PostgreSQL URL", () => {
    assert.equal(readEnv({ DATABASE_URL: "file:/tmp/r.db" }).DATABASE_URL, "file:/tmp/r.db");
    assert.equal(readEnv({ DATABASE_URL: "postgres://u:p@127.0.0.1/db" }).DATABASE_URL, "postgres://u:p@127.0.0.1/db");
  });

  it("leaves the default to @rollcall/db when unset or blank", () => {
    assert.equal(readEnv({}).DATABASE_URL, undefined);
    assert.equal(readEnv({ DATABASE_URL: "  " }).DATABASE_URL, undefined);
  });

  it("rejects another scheme without echoing the rest of the URL (it may hold a password)", () => {
    assert.throws(
      () => readEnv({ DATABASE_URL: "mysql://root:secret@db/x" }),
      (error: Error) => {
        assert.match(error.message, /DATABASE_URL: must start with file: or postgres:\/\//);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      },
    );
  });
});

describe("readEnv: first operator and policy", () => {
  it("takes the first operator's name and password together, or neither", () => {
    const env = readEnv({ ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME: "alice", ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD: "a long password" });
    assert.equal(env.ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME, "alice");
    assert.throws(() => readEnv({ ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME: "alice" }), /set both/);
    assert.throws(() => readEnv({ ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD: "a long password" }), /set both/);
  });

  it("reads the server's policy settings under the same names", () => {
    assert.equal(readEnv({ ROLLCALL_OFFLINE_AFTER_SECONDS: "20" }).ROLLCALL_OFFLINE_AFTER_SECONDS, 20);
    assert.equal(readEnv({}).ROLLCALL_OFFLINE_AFTER_SECONDS, 90);
    assert.throws(() => readEnv({ ROLLCALL_OFFLINE_AFTER_SECONDS: "-1" }), /ROLLCALL_OFFLINE_AFTER_SECONDS/);
  });
});
